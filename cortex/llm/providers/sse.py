"""Server-sent events read from an HTTP response's lines: each event's data, per the WHATWG grammar.

    async for event, data in events(response.iter_lines()):
        ...

A field line is `name: value` (one space after the colon is dropped), a line starting with `:` is a
comment, a blank line ends the event; an event's `data` lines are joined with newlines and an event
with no data line is not dispatched, nor one the stream ended in (no blank line after it: cut short). Comments and lone field lines are bytes but not events: a server
that sends only those (a trickle) makes no event, so the router's idle timeout still sees silence.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator


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
