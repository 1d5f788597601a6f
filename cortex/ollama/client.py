"""A small synchronous client for Ollama's native API (docs/api.md): version, tags, show, ps,
pull with streamed progress, generate and chat. Standard library only, so `cortex setup ollama`
and `cortex doctor` work before any SDK is installed.

Failures map onto cortex.errors provider errors: unreachable -> ProviderConnectionError, slow ->
ProviderTimeout, unknown model -> ModelNotFoundError, a cut or malformed stream -> BadResponseError.
"""

from __future__ import annotations

import http.client
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from cortex.errors import (
    BadRequestError,
    BadResponseError,
    ModelNotFoundError,
    ProviderConnectionError,
    ProviderError,
    ProviderTimeout,
    ServerError,
)

NS = 1e9


def canonical(name: str) -> str:
    """Ollama's full model name: `llama3.2` is `llama3.2:latest`."""
    return name if ":" in name else f"{name}:latest"


@dataclass(frozen=True)
class PullProgress:
    """One line of /api/pull progress: a status, and for layer downloads the digest and byte counts."""

    status: str
    digest: str = ""
    total: int = 0
    completed: int = 0


@dataclass(frozen=True)
class Generation:
    """A finished /api/generate or /api/chat answer with Ollama's own counters (nanoseconds)."""

    text: str
    model: str
    load_duration: int = 0
    total_duration: int = 0
    eval_count: int = 0
    eval_duration: int = 0
    prompt_eval_count: int = 0
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def load_s(self) -> float:
        return self.load_duration / NS

    @property
    def tokens_per_s(self) -> float:
        return self.eval_count / (self.eval_duration / NS) if self.eval_duration else 0.0


class OllamaClient:
    """One base URL (default: Ollama's address from cortex/data/providers.yaml); each call opens a
    short-lived connection (the wizard makes a handful). cortex's one client of Ollama's native API."""

    def __init__(self, base_url: str | None = None, *, timeout: float = 10.0) -> None:
        from cortex.llm.spec import ollama_base_url

        base_url = base_url or ollama_base_url()
        parts = urlsplit(base_url if "://" in base_url else f"http://{base_url}")
        try:
            port = parts.port
        except ValueError:  # a port that is not a number, or out of range
            port, parts = None, parts._replace(netloc="")
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise BadRequestError(
                f"Not an Ollama URL: {base_url!r}.", provider="ollama", hint=f"Use a URL like {ollama_base_url()}."
            )
        self.base_url = f"{parts.scheme}://{parts.netloc}".rstrip("/")
        self._https = parts.scheme == "https"
        self._host = parts.hostname
        self._port = port or (443 if self._https else 80)
        self._prefix = parts.path.rstrip("/")
        self.timeout = timeout

    # ----- transport -----------------------------------------------------------------------------
    def _connect(self, timeout: float | None) -> http.client.HTTPConnection:
        cls = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
        return cls(self._host, self._port, timeout=timeout or self.timeout)

    def _open(self, method: str, path: str, body: Any = None, timeout: float | None = None):
        conn = self._connect(timeout)
        payload = None if body is None else json.dumps(body).encode()
        headers = {"Accept": "application/json"}
        if payload is not None:
            headers["Content-Type"] = "application/json"
        try:
            conn.request(method, self._prefix + path, body=payload, headers=headers)
            resp = conn.getresponse()
        except TimeoutError:
            conn.close()
            raise ProviderTimeout(
                f"Ollama at {self.base_url} did not answer in time.",
                provider="ollama",
                hint="Is the machine busy loading a model? Try again, or raise the timeout.",
            ) from None
        except (ConnectionError, OSError, http.client.HTTPException) as exc:
            conn.close()
            raise ProviderConnectionError(
                f"Cannot reach Ollama at {self.base_url}: {exc}.",
                provider="ollama",
                hint="Start it with `ollama serve` (or `cortex setup ollama`).",
            ) from None
        return conn, resp

    def _error(self, status: int, text: str, model: str = "") -> ProviderError:
        try:
            message = str(json.loads(text).get("error") or text)
        except (ValueError, AttributeError):
            message = text.strip() or f"HTTP {status}"
        if status == 404:
            return ModelNotFoundError(
                f"Ollama: {message}",
                provider="ollama",
                model=model,
                status=status,
                hint=f"Pull it first: `ollama pull {model}`." if model else None,
            )
        if status >= 500:
            return ServerError(f"Ollama: {message}", provider="ollama", model=model, status=status)
        return BadRequestError(f"Ollama: {message}", provider="ollama", model=model, status=status)

    def _json(self, method: str, path: str, body: Any = None, *, model: str = "", timeout: float | None = None) -> Any:
        conn, resp = self._open(method, path, body, timeout)
        try:
            text = resp.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException) as exc:
            raise BadResponseError(f"Ollama's answer was cut off: {exc}.", provider="ollama") from None
        finally:
            conn.close()
        if resp.status >= 400:
            raise self._error(resp.status, text, model)
        try:
            return json.loads(text) if text.strip() else {}
        except ValueError:
            raise BadResponseError(
                f"Ollama sent something that is not JSON: {text[:80]!r}", provider="ollama"
            ) from None

    def _lines(self, path: str, body: Any, *, model: str = "", timeout: float | None = None) -> Iterator[dict]:
        """NDJSON stream; an in-stream {"error": ...} raises; a cut stream raises BadResponseError."""
        conn, resp = self._open("POST", path, body, timeout)
        try:
            if resp.status >= 400:
                raise self._error(resp.status, resp.read().decode("utf-8", "replace"), model)
            while True:
                try:
                    line = resp.readline()
                except (OSError, http.client.HTTPException) as exc:
                    raise BadResponseError(
                        f"Ollama's stream was cut off: {exc}.", provider="ollama", model=model
                    ) from None
                if not line:
                    return
                if not line.strip():
                    continue
                try:
                    doc = json.loads(line)
                except ValueError:
                    raise BadResponseError(
                        f"Ollama sent a malformed line: {line[:80]!r}", provider="ollama", model=model
                    ) from None
                if doc.get("error"):
                    message = str(doc["error"])
                    if "file does not exist" in message or "not found" in message:
                        raise ModelNotFoundError(
                            f"Ollama: {message}",
                            provider="ollama",
                            model=model,
                            hint="Check the name on ollama.com/library.",
                        )
                    raise ServerError(f"Ollama: {message}", provider="ollama", model=model)
                yield doc
        finally:
            conn.close()

    # ----- API -----------------------------------------------------------------------------------
    def version(self, timeout: float | None = None) -> str:
        return str(self._json("GET", "/api/version", timeout=timeout).get("version", ""))

    def is_running(self, timeout: float = 2.0) -> bool:
        try:
            self.version(timeout=timeout)
        except ProviderError:
            return False
        return True

    def tags(self) -> list[dict[str, Any]]:
        return list(self._json("GET", "/api/tags").get("models") or [])

    def has_model(self, name: str) -> bool:
        want = canonical(name)
        return any(canonical(str(m.get("name") or m.get("model"))) == want for m in self.tags())

    def show(self, name: str) -> dict[str, Any]:
        return dict(self._json("POST", "/api/show", {"model": name}, model=name))

    def ps(self) -> list[dict[str, Any]]:
        return list(self._json("GET", "/api/ps").get("models") or [])

    def pull(
        self, name: str, on_progress: Callable[[PullProgress], None] | None = None, *, timeout: float = 60.0
    ) -> None:
        """Pull a model, reporting progress. Ollama keeps partial layers, so calling again resumes."""
        success = False
        for doc in self._lines("/api/pull", {"model": name, "stream": True}, model=name, timeout=timeout):
            progress = PullProgress(
                str(doc.get("status", "")),
                str(doc.get("digest") or ""),
                int(doc.get("total") or 0),
                int(doc.get("completed") or 0),
            )
            success = success or progress.status == "success"
            if on_progress:
                on_progress(progress)
        if not success:
            raise BadResponseError(
                f"The pull of {name} ended before Ollama said success.",
                provider="ollama",
                model=name,
                hint="Run the setup again: the download resumes where it stopped.",
            )

    def generate(
        self, model: str, prompt: str, *, options: dict[str, Any] | None = None, timeout: float = 120.0
    ) -> Generation:
        body: dict[str, Any] = {"model": model, "prompt": prompt, "stream": False}
        if options:
            body["options"] = options
        doc = self._json("POST", "/api/generate", body, model=model, timeout=timeout)
        return _generation(doc, str(doc.get("response") or ""), model)

    def chat(
        self,
        model: str,
        messages: list[dict[str, Any]],
        *,
        options: dict[str, Any] | None = None,
        timeout: float = 120.0,
    ) -> Generation:
        body: dict[str, Any] = {"model": model, "messages": messages, "stream": False}
        if options:
            body["options"] = options
        doc = self._json("POST", "/api/chat", body, model=model, timeout=timeout)
        return _generation(doc, str((doc.get("message") or {}).get("content") or ""), model)


def _generation(doc: dict[str, Any], text: str, model: str) -> Generation:
    def n(key: str) -> int:
        return int(doc.get(key) or 0)

    return Generation(
        text=text,
        model=str(doc.get("model") or model),
        load_duration=n("load_duration"),
        total_duration=n("total_duration"),
        eval_count=n("eval_count"),
        eval_duration=n("eval_duration"),
        prompt_eval_count=n("prompt_eval_count"),
        raw=doc,
    )
