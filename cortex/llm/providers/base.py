"""The provider interface: one async implementation per backend; the router adds everything else.

A provider turns a resolved `Request` into a `ProviderResponse` (or a stream of `StreamEvent`s) and
maps its backend's failures onto cortex.errors.ProviderError subclasses. Retries, fallback, breaker,
rate limits, schema validation and accounting live in the router, not here.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Mapping
from typing import Any, ClassVar

from cortex.llm.spec import ProviderSpec
from cortex.llm.types import ProviderResponse, Request, StreamEvent


class Provider(ABC):
    # What the provider needs (env keys, settings and defaults, prices, doctor check): a built-in's row of
    # cortex/data/providers.yaml (cortex.llm.spec.builtin(NAME)), or a plugin's own ProviderSpec.
    spec: ClassVar[ProviderSpec | None] = None
    name: ClassVar[str] = ""
    paid: ClassVar[bool] = False  # paid providers count against the daily budget
    # How the provider enforces JSON output natively: "tool" (Claude), "response_format", "format", "grammar".
    schema_mode: ClassVar[str] = "response_format"
    # Extra seconds a stream may take to its first event (a local server loading a model from disk);
    # after it, limits.idle_timeout applies between events.
    startup_grace: ClassVar[float] = 0.0

    def __init__(self, settings: Mapping[str, Any]) -> None:
        """`settings` is the provider's config section, e.g. {'api_key': ..., 'model': ..., 'base_url': ...}."""
        self.settings = dict(settings)

    @property
    def default_model(self) -> str:
        return str(self.settings.get("model") or "")

    @property
    def max_tokens(self) -> int:
        return int(self.settings.get("max_tokens") or 1024)

    @property
    def completes_by_stream(self) -> bool:
        """Whether the router serves a non-streamed call through `astream` (assembling its final
        response) so that the stream idle timeout applies to it. False: `acomplete`, bounded by
        limits.timeout alone."""
        return False

    @abstractmethod
    def configured(self) -> tuple[bool, str]:
        """(True, "") when usable; otherwise (False, why not), e.g. 'ANTHROPIC_API_KEY is not set'."""

    @abstractmethod
    async def acomplete(self, request: Request) -> ProviderResponse:
        """One attempt. Raise a ProviderError subclass on failure."""

    @abstractmethod
    def astream(self, request: Request) -> AsyncIterator[StreamEvent]:
        """One streamed attempt: text deltas, then a final event with done=True and the response."""

    async def prepare(self, model: str | None = None) -> None:
        """Load what the first attempt needs (an SDK import can take seconds) outside its timeout."""
        return None

    async def aclose(self) -> None:
        """Release connections. Called by LLMRouter.aclose()."""
        return None

    def describe(self) -> dict[str, Any]:
        """For `cortex models` / `cortex doctor`: what this provider would use (no network)."""
        ok, why = self.configured()
        return {"provider": self.name, "model": self.default_model, "configured": ok, "reason": why}
