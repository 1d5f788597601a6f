"""Server-sent events as cortex reads them from a response's lines (cortex.llm.providers.sse)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from cortex.llm.providers.sse import events


async def _lines(text: str) -> AsyncIterator[str]:
    for line in text.split("\n"):
        yield line


def read(text: str) -> list[tuple[str, str]]:
    async def collect() -> list[tuple[str, str]]:
        return [e async for e in events(_lines(text))]

    return asyncio.run(collect())


def test_each_event_ends_at_a_blank_line():
    assert read('data: {"a": 1}\n\ndata: [DONE]\n\n') == [("message", '{"a": 1}'), ("message", "[DONE]")]


def test_data_lines_are_joined_and_one_space_is_dropped():
    assert read("data: one\ndata:two\ndata:  three\n\n") == [("message", "one\ntwo\n three")]


def test_the_event_type_applies_to_its_own_event_only():
    text = "event: error\ndata: {}\n\ndata: after\n\n"
    assert read(text) == [("error", "{}"), ("message", "after")]


def test_comments_and_other_fields_are_not_events():
    """A keep-alive trickle (comment lines) makes no event: the idle timeout still sees silence."""
    assert read(":\n\n: keep-alive\n\nid: 7\nretry: 1000\n\n") == []
    assert read(": ping\nid: 1\ndata: x\n\n") == [("message", "x")]


def test_an_event_the_stream_ended_in_is_not_dispatched():
    """No blank line after it: the stream was cut, so its last event may be incomplete."""
    assert read('data: whole\n\ndata: {"half') == [("message", "whole")]
