"""Server-sent events read from an HTTP response's lines: each event's data, per the WHATWG grammar.

    async for event, data in events(response.iter_lines()):
        ...
    stream = ResponseEvents(await sdk.messages.with_streaming_response.create(...).__aenter__())

The SDK-backed providers read their streams this way rather than through the SDKs' own stream
objects, which build a pydantic model of every event (about a third of the client's CPU for a short
streamed answer) for fields cortex does not use; statuses, timeouts and transport errors still come
from the SDK and its HTTP client.

A field line is `name: value` (one space after the colon is dropped), a line starting with `:` is a
comment, a blank line ends the event; an event's `data` lines are joined with newlines and an event
with no data line is not dispatched, nor one the stream ended in (no blank line after it: cut short). Comments and lone field lines are bytes but not events: a server
that sends only those (a trickle) makes no event, so the router's idle timeout still sees silence.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator
from typing import Any


async def events(lines: AsyncIterable[str]) -> AsyncIterator[tuple[str, str]]:
    """(event type, data) of each dispatched event; the type is "message" unless an `event:` set it."""
    data: list[str] = []
    kind = ""
    async for line in lines:
        if not line:
            if data:
                yield kind or "message", "\n".join(data)
            data, kind = [], ""
            continue
        if line.startswith("data:"):  # the common case first: one comparison per line
            value = line[5:]
            data.append(value[1:] if value.startswith(" ") else value)
            continue
        if line.startswith(":"):
            continue
        name, colon, value = line.partition(":")
        if colon and value.startswith(" "):
            value = value[1:]
        if name == "event":
            kind = value


class ResponseEvents:
    """An SDK's streaming response (`with_streaming_response`) as (type, data) events, read to its
    end: a finished response gives its connection back to the pool. `done`: the data that ends the
    stream early (OpenAI's `[DONE]`), not itself an event."""

    def __init__(self, response: Any, *, done: str | None = None) -> None:
        self.response = response
        self.done = done

    async def __aiter__(self) -> AsyncIterator[tuple[str, str]]:
        stream = events(self.response.iter_lines())
        async for kind, data in stream:
            if self.done is not None and data.startswith(self.done):
                async for _ in stream:
                    pass
                return
            yield kind, data

    async def close(self) -> None:
        await self.response.close()
