"""A scripted provider for testing the router's decisions (a real Provider subclass, registered the
way plugins are; no SDK is involved). Network behaviour is tested against tests/servers/ instead."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator, Callable
from typing import Any, ClassVar

from cortex.llm import registry
from cortex.llm.providers.base import Provider
from cortex.llm.types import ProviderResponse, Request, StreamEvent, Usage


def reply(text: str, *, tokens: tuple[int, int] = (10, 5), model: str = "scripted-1") -> ProviderResponse:
    return ProviderResponse(text=text, model=model, usage=Usage(*tokens), finish_reason="stop")


class Delay:
    def __init__(self, seconds: float, then: Any) -> None:
        self.seconds = seconds
        self.then = then


class ScriptedProvider(Provider):
    """Answers from a queue: ProviderResponse, an exception to raise, Delay, or a callable(request)."""

    name: ClassVar[str] = "scripted"
    script: ClassVar[deque]
    requests: ClassVar[list[Request]]
    is_configured: ClassVar[bool] = True
    paid: ClassVar[bool] = False
    in_flight: ClassVar[int] = 0
    peak: ClassVar[int] = 0  # most requests in flight at once

    def configured(self) -> tuple[bool, str]:
        return (True, "") if self.is_configured else (False, f"{self.name} is switched off")

    @property
    def default_model(self) -> str:
        return self.settings.get("model") or "scripted-1"

    async def _next(self, request: Request) -> ProviderResponse:
        cls = type(self)
        cls.requests.append(request)
        cls.in_flight += 1
        cls.peak = max(cls.peak, cls.in_flight)
        try:
            item = cls.script.popleft() if cls.script else reply("default answer")
            while isinstance(item, Delay):
                await asyncio.sleep(item.seconds)
                item = item.then
            if isinstance(item, BaseException):
                raise item
            if callable(item):
                item = item(request)
            return item
        finally:
            cls.in_flight -= 1

    async def acomplete(self, request: Request) -> ProviderResponse:
        return await self._next(request)

    async def astream(self, request: Request) -> AsyncIterator[StreamEvent]:
        response = await self._next(request)
        words = response.text.split(" ")
        for i, word in enumerate(words):
            yield StreamEvent(text=word if i == 0 else " " + word)
        yield StreamEvent(done=True, response=response)


def scripted(name: str, *items: Any, paid: bool = False, configured: bool = True) -> type[ScriptedProvider]:
    """Register (or reset) a scripted provider called `name` with a fresh script."""
    cls = type(
        f"Scripted_{name}",
        (ScriptedProvider,),
        {"name": name, "script": deque(items), "requests": [], "paid": paid, "is_configured": configured},
    )
    registry.register(name, cls)
    return cls


Factory = Callable[..., type[ScriptedProvider]]
