"""Small helpers for driving providers against the fake servers in tests."""

from __future__ import annotations

from typing import Any

from cortex.llm.providers.base import Provider
from cortex.llm.types import Message, ProviderResponse, Request


def ask(text: str = "hello there", *, model: str = "test-model", timeout: float = 2.0, **kw: Any) -> Request:
    """A one-turn request with a short timeout (tests never wait long)."""
    return Request(messages=(Message.user(text),), model=model, timeout=timeout, **kw)


async def drain(provider: Provider, request: Request) -> tuple[list[str], ProviderResponse]:
    """Consume a stream: (text deltas, the final response); fails if no final event arrives."""
    deltas: list[str] = []
    final = None
    async for event in provider.astream(request):
        if event.done:
            final = event.response
        elif event.text:
            deltas.append(event.text)
    assert final is not None, "the stream ended without a final event"
    return deltas, final
