"""Ollama, local or remote: completions through its OpenAI-compatible /v1 layer.

Configured once a model is set (OLLAMA_MODEL or `cortex setup ollama`); it needs no key and costs
nothing. A 404 for the model becomes ModelNotFoundError naming `ollama pull MODEL`. JSON output uses
`response_format: json_schema`, which Ollama turns into its native `format`. `probe()` is a tiny
native-API check (version and installed models) for health reports; the full native client
(pull with progress, show, ps) is cortex.ollama.client.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.error import URLError
from urllib.request import Request as HTTPRequest
from urllib.request import urlopen

from cortex.errors import BadResponseError, ProviderConnectionError
from cortex.llm.providers.openai_compat import OpenAICompatProvider

OLLAMA_BASE_URL = "http://localhost:11434"


class OllamaProvider(OpenAICompatProvider):
    name = "ollama"
    paid = False
    key_env = ""
    default_base_url = OLLAMA_BASE_URL
    schema_mode = "format"
    startup_grace = 30.0  # a cold model is loaded before the first token (seconds to tens of seconds)

    @property
    def base_url(self) -> str:
        root = super().base_url
        return root[: -len("/v1")] if root.endswith("/v1") else root

    @property
    def api_base_url(self) -> str:
        return self.base_url + "/v1"

    def requires_key(self) -> bool:
        return False

    def configured(self) -> tuple[bool, str]:
        if not self.default_model:
            return False, "no model set (OLLAMA_MODEL, or run `cortex setup ollama`)"
        return True, ""

    def not_found_hint(self, model: str) -> str:
        return f"Run `ollama pull {model}`, or pick an installed model (`ollama list`)."

    def probe(self, timeout: float = 2.0) -> dict[str, Any]:
        """Ask the native API whether the server is up: {"version": ..., "models": [names]}."""
        return {
            "version": self._get("/api/version", timeout).get("version", ""),
            "models": [m.get("name", "") for m in self._get("/api/tags", timeout).get("models", [])],
        }

    def _get(self, path: str, timeout: float) -> dict[str, Any]:
        url = self.base_url + path
        try:
            with urlopen(HTTPRequest(url, headers={"Accept": "application/json"}), timeout=timeout) as resp:
                doc = json.loads(resp.read())
        except (URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise ProviderConnectionError(
                f"ollama: cannot reach {self.base_url} ({reason}).",
                provider=self.name,
                hint="Start it with `ollama serve`, or set OLLAMA_HOST / OLLAMA_BASE_URL.",
            ) from None
        except ValueError:
            raise BadResponseError(f"ollama: {url} did not answer JSON.", provider=self.name) from None
        if not isinstance(doc, dict):
            raise BadResponseError(f"ollama: {url} answered an unexpected document.", provider=self.name)
        return doc
