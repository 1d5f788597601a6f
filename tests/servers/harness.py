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


async def connections_for_answers(provider: Provider, server: Any, model: str, rounds: int = 3) -> int:
    """Connections `server` accepted for `rounds` streamed and `rounds` whole answers in a row
    (1 when every answer, read to its end, left its connection in the pool)."""
    for _ in range(rounds):
        await drain(provider, ask(model=model))
        await provider.acomplete(ask(model=model))
    assert len(server.model_requests()) == 2 * rounds
    return int(server.connections)
