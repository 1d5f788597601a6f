"""A fake Ollama server: the native API of docs/api.md and the OpenAI-compatible /v1.

    GET  /                  "Ollama is running"
    GET  /api/version       {"version": ...}
    GET  /api/tags          installed models
    POST /api/show          details, model_info, capabilities; 404 for an unknown model
    GET  /api/ps            loaded models
    POST /api/pull          NDJSON progress (pulling manifest, per-layer digest/total/completed,
                            verifying sha256 digest, writing manifest, success) or one object with
                            stream:false; a re-pull resumes from the bytes already received per digest
    DELETE /api/delete      remove an installed model
    POST /api/chat          NDJSON or stream:false; `format` "json" or a JSON schema; tool_calls;
    POST /api/generate      the final object carries the nanosecond counters
    POST /v1/chat/completions, GET /v1/models   the OpenAI-compatible layer

The installed models and the pullable library are set per test (names, sizes, digests).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from tests.servers.base import CutStream, Exchange, FakeServer
from tests.servers.modeling import Answer, decide, message_text, split_text
from tests.servers.openai_server import chat_completions


@dataclass(frozen=True)
class OllamaModel:
    """One model as Ollama describes it. Layers default to a weights blob plus a small params blob."""

    name: str
    size: int = 1_000_000
    family: str = "llama"
    parameter_size: str = "1B"
    quantization_level: str = "Q4_K_M"
    context_length: int = 8192
    capabilities: tuple[str, ...] = ("completion", "tools")
    digest: str = ""
    layers: tuple[tuple[str, int], ...] = field(default=())

    @property
    def full_name(self) -> str:
        return self.name if ":" in self.name else f"{self.name}:latest"

    @property
    def manifest_digest(self) -> str:
        return self.digest or hashlib.sha256(self.full_name.encode()).hexdigest()

    @property
    def blobs(self) -> tuple[tuple[str, int], ...]:
        if self.layers:
            return self.layers
        weights = "sha256:" + hashlib.sha256(b"weights:" + self.full_name.encode()).hexdigest()
        params = "sha256:" + hashlib.sha256(b"params:" + self.full_name.encode()).hexdigest()
        small = min(487, max(1, self.size // 10))
        return ((weights, self.size - small), (params, small))

    def details(self) -> dict[str, Any]:
        return {
            "parent_model": "",
            "format": "gguf",
            "family": self.family,
            "families": [self.family],
            "parameter_size": self.parameter_size,
            "quantization_level": self.quantization_level,
        }

    def entry(self) -> dict[str, Any]:
        return {
            "name": self.full_name,
            "model": self.full_name,
            "modified_at": "2025-01-01T00:00:00.000000000Z",
            "size": self.size,
            "digest": self.manifest_digest,
            "details": self.details(),
        }


def canonical(name: str) -> str:
    return name if ":" in name else f"{name}:latest"


def _not_found(name: str) -> str:
    return f'model "{name}" not found, try pulling it first'


class OllamaServer(FakeServer):
    """Ollama fake. `models`: installed now; `library`: what /api/pull can fetch (installed ones too)."""

    pull_steps: int = 4  # progress lines per layer

    def __init__(
        self,
        models: list[OllamaModel] | tuple[OllamaModel, ...] = (),
        *,
        library: list[OllamaModel] | tuple[OllamaModel, ...] = (),
        version: str = "0.12.6",
    ) -> None:
        super().__init__()
        self.version = version
        self.installed: dict[str, OllamaModel] = {m.full_name: m for m in models}
        self.library: dict[str, OllamaModel] = {m.full_name: m for m in (*library, *models)}
        self.loaded: set[str] = set()
        self.received: dict[str, int] = {}  # digest -> bytes already downloaded (resume)
        self.pull_starts: list[dict[str, int]] = []  # per pull: digest -> offset it resumed from
        for method, path, fn in (
            ("GET", "/", self._root),
            ("GET", "/api/version", self._version),
            ("GET", "/api/tags", self._tags),
            ("POST", "/api/show", self._show),
            ("GET", "/api/ps", self._ps),
            ("POST", "/api/pull", self._pull),
            ("DELETE", "/api/delete", self._delete),
            ("POST", "/api/chat", self._chat),
            ("POST", "/api/generate", self._generate),
            ("POST", "/v1/chat/completions", self._v1_chat),
            ("GET", "/v1/models", self._v1_models),
        ):
            self.route(method, path, fn)

    def error_body(self, status: int, message: str | None) -> Any:
        return {"error": message or f"HTTP {status}"}

    def add_model(self, model: OllamaModel) -> None:
        self.installed[model.full_name] = model
        self.library[model.full_name] = model

    def _find(self, name: Any) -> OllamaModel | None:
        return self.installed.get(canonical(str(name or "")))

    # -- simple endpoints ----------------------------------------------------------------------------
    def _root(self, ex: Exchange) -> None:
        ex.send_text(200, "Ollama is running")

    def _version(self, ex: Exchange) -> None:
        ex.send_json(200, {"version": self.version})

    def _tags(self, ex: Exchange) -> None:
        ex.send_json(200, {"models": [m.entry() for m in self.installed.values()]})

    def _ps(self, ex: Exchange) -> None:
        running = []
        for name in sorted(self.loaded):
            m = self.installed.get(name)
            if m is not None:
                running.append({**m.entry(), "expires_at": "2099-01-01T00:00:00Z", "size_vram": m.size})
        ex.send_json(200, {"models": running})

    def _show(self, ex: Exchange) -> None:
        name = ex.body.get("model") or ex.body.get("name")
        m = self._find(name)
        if m is None:
            ex.send_json(404, {"error": f"model '{name}' not found"})
            return
        info = {
            "general.architecture": m.family,
            "general.parameter_count": m.size * 2,
            f"{m.family}.context_length": m.context_length,
        }
        ex.send_json(
            200,
            {
                "modelfile": f'# Modelfile generated by "ollama show"\nFROM {m.full_name}\n',
                "parameters": 'stop                           "<|eot_id|>"',
                "template": "{{ .Prompt }}",
                "details": m.details(),
                "model_info": info,
                "capabilities": list(m.capabilities),
                "modified_at": "2025-01-01T00:00:00.000000000Z",
            },
        )

    def _delete(self, ex: Exchange) -> None:
        name = canonical(str(ex.body.get("model") or ex.body.get("name") or ""))
        if self.installed.pop(name, None) is None:
            ex.send_json(404, {"error": f"model '{name}' not found"})
            return
        ex.send_bytes(200, b"", "application/json")

    # -- pull ----------------------------------------------------------------------------------------
    def _pull(self, ex: Exchange) -> None:
        name = canonical(str(ex.body.get("model") or ex.body.get("name") or ""))
        stream = ex.body.get("stream", True) is not False
        model = self.library.get(name)
        if model is None:
            error = "pull model manifest: file does not exist"
            if stream:
                ex.ndjson([{"status": "pulling manifest"}, {"error": error}])
            else:
                ex.send_json(500, {"error": error})
            return
        if not stream:
            try:
                for doc in self._pull_events(ex, model):
                    if "error" in doc:
                        ex.send_json(500, doc)
                        return
            except CutStream:
                ex.handler.abort()
                return
            ex.send_json(200, {"status": "success"})
            return
        ex.ndjson(self._pull_events(ex, model))

    def _pull_events(self, ex: Exchange, model: OllamaModel) -> Iterator[dict[str, Any]]:
        fault = ex.fault
        cut_at = fault.pull_cut_after
        self.pull_starts.append({d: self.received.get(d, 0) for d, _ in model.blobs})
        yield {"status": "pulling manifest"}
        for digest, total in model.blobs:
            done = min(self.received.get(digest, 0), total)
            status = f"pulling {digest.removeprefix('sha256:')[:12]}"
            yield {"status": status, "digest": digest, "total": total, **({"completed": done} if done else {})}
            if fault.pull_error:
                yield {"error": fault.pull_error}
                return
            step = max(1, -(-total // self.pull_steps))
            while done < total:
                nxt = min(total, done + step)
                if cut_at is not None and nxt > cut_at:
                    self.received[digest] = max(done, min(cut_at, total))
                    raise CutStream
                done = nxt
                self.received[digest] = done
                yield {"status": status, "digest": digest, "total": total, "completed": done}
            if cut_at is not None:
                cut_at = max(0, cut_at - total)
        yield {"status": "verifying sha256 digest"}
        yield {"status": "writing manifest"}
        yield {"status": "success"}
        self.add_model(model)
        for digest, _ in model.blobs:
            self.received.pop(digest, None)

    # -- generation ----------------------------------------------------------------------------------
    def _answer(self, ex: Exchange, prompt: str) -> Answer:
        fmt = ex.body.get("format")
        return decide(
            self.next_reply(),
            ex.fault,
            prompt=prompt,
            schema=fmt if isinstance(fmt, dict) else None,
            json_mode=fmt == "json",
        )

    def _counters(self, answer: Answer) -> dict[str, Any]:
        eval_ns = answer.output_tokens * 20_000_000  # 50 tokens/s
        prompt_ns = answer.input_tokens * 2_000_000
        return {
            "total_duration": 1_000_000 + prompt_ns + eval_ns,
            "load_duration": 1_000_000,
            "prompt_eval_count": answer.input_tokens,
            "prompt_eval_duration": prompt_ns,
            "eval_count": answer.output_tokens,
            "eval_duration": eval_ns,
        }

    def _generation(self, ex: Exchange, chat: bool) -> None:
        body = ex.body
        name = body.get("model")
        m = self._find(name)
        if m is None:
            ex.send_json(404, {"error": _not_found(str(name))})
            return
        self.loaded.add(m.full_name)
        if chat:
            prompt = " ".join(message_text(x.get("content")) for x in body.get("messages") or [])
        else:
            prompt = str(body.get("prompt") or "")
        answer = self._answer(ex, prompt)
        key = "message" if chat else "response"

        def piece(text: str, calls: tuple = ()) -> Any:
            if not chat:
                return text
            msg: dict[str, Any] = {"role": "assistant", "content": text}
            if calls:
                msg["tool_calls"] = [{"function": {"name": n, "arguments": a}} for _, n, a in calls]
            return msg

        created = time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", time.gmtime())
        final = {
            "model": body["model"],
            "created_at": created,
            "done": True,
            "done_reason": "stop",
            **self._counters(answer),
        }
        if body.get("stream", True) is False:
            ex.send_json(200, {**final, key: piece(answer.text, answer.tool_calls)})
            return

        def docs() -> Iterator[dict[str, Any]]:
            for text in split_text(answer.text):
                yield {"model": body["model"], "created_at": created, key: piece(text), "done": False}
            if answer.tool_calls:
                yield {"model": body["model"], "created_at": created, key: piece("", answer.tool_calls), "done": False}
            yield {**final, key: piece("")}

        ex.ndjson(docs())

    def _chat(self, ex: Exchange) -> None:
        self._generation(ex, chat=True)

    def _generate(self, ex: Exchange) -> None:
        self._generation(ex, chat=False)

    # -- OpenAI-compatible layer ---------------------------------------------------------------------
    def _v1_chat(self, ex: Exchange) -> None:
        def not_found(model: str) -> Any:
            return {"error": {"message": _not_found(model), "type": "not_found_error", "param": None, "code": None}}

        chat_completions(ex, known_model=lambda n: self._find(n) is not None, not_found=not_found)

    def _v1_models(self, ex: Exchange) -> None:
        data = [
            {"id": m.full_name, "object": "model", "created": 1735689600, "owned_by": "library"}
            for m in self.installed.values()
        ]
        ex.send_json(200, {"object": "list", "data": data})
