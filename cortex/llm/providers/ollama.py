"""Ollama, local or remote: completions through its OpenAI-compatible /v1 layer.

Configured once a model is set (OLLAMA_MODEL or `cortex setup ollama`); it needs no key and costs
nothing. A 404 for the model becomes ModelNotFoundError naming `ollama pull MODEL`. JSON output uses
`response_format: json_schema`, which Ollama turns into its native `format`. `probe()` is a tiny
native-API check (version and installed models) for health reports through cortex.ollama.client,
the one native client (pull with progress, show, ps).
"""

from __future__ import annotations

from typing import Any

from cortex.errors import ProviderConnectionError
from cortex.llm.providers.openai_compat import OpenAICompatProvider
from cortex.llm.spec import builtin


class OllamaProvider(OpenAICompatProvider):
    spec = builtin("ollama")
    name = spec.name
    paid = spec.paid
    key_env = spec.key_env
    default_base_url = str(spec.base_url)
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
        from cortex.ollama.client import OllamaClient

        client = OllamaClient(self.base_url, timeout=timeout)
        try:
            return {"version": client.version(), "models": [str(m.get("name", "")) for m in client.tags()]}
        except ProviderConnectionError as exc:
            raise ProviderConnectionError(
                exc.message,
                provider=self.name,
                hint="Start it with `ollama serve`, or set OLLAMA_HOST / OLLAMA_BASE_URL.",
            ) from None
