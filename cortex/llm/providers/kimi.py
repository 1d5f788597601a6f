"""Kimi (Moonshot AI) through its OpenAI-compatible API, https://api.moonshot.ai/v1.

What differs from OpenAI, per Moonshot's model parameter reference: JSON output is JSON Mode
(`response_format: json_object`, the schema goes into the system prompt); the token limit is
`max_completion_tokens`; sampling parameters of kimi-* models are fixed by the platform (sending
`temperature` is an error), and K2.5/K2.6 think before answering unless `thinking` is disabled —
cortex disables it by default (providers.kimi.thinking) so short JSON answers stay fast and cheap.
"""

from __future__ import annotations

from typing import Any

from cortex.llm.providers.openai_compat import OpenAICompatProvider
from cortex.llm.spec import builtin
from cortex.llm.types import Request

THINKING_MODELS = ("kimi-k2.5", "kimi-k2.6")  # the models that accept the `thinking` switch


class KimiProvider(OpenAICompatProvider):
    spec = builtin("kimi")
    name = spec.name
    paid = spec.paid
    key_env = spec.key_env
    default_base_url = str(spec.base_url)
    schema_mode = "json_object"
    max_tokens_param = "max_completion_tokens"

    def request_params(self, request: Request) -> dict[str, Any]:
        params = super().request_params(request)
        if request.model.startswith("kimi-"):
            params.pop("temperature", None)  # fixed for kimi-* models; the API rejects other values
        thinking = self.settings.get("thinking")
        if thinking is not None and request.model.startswith(THINKING_MODELS):
            params["extra_body"] = {"thinking": {"type": "enabled" if thinking else "disabled"}}
        return params

    def not_found_hint(self, model: str) -> str:
        return f"Moonshot has no model {model!r}; set CORTEX_KIMI_MODEL (e.g. kimi-k2.6)."
