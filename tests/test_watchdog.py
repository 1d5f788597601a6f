"""The stream watchdog (cortex/llm/watchdog.py): which limit ran out, and that someone else's
cancellation is never mistaken for it."""

from __future__ import annotations

import asyncio

import pytest

from cortex.llm.watchdog import Watchdog


async def events(gaps: list[float]):
    for gap in gaps:
        await asyncio.sleep(gap)
        yield gap


async def read(gaps: list[float], *, first: float, idle: float, total: float) -> tuple[int, Watchdog, bool]:
    """Read `events(gaps)` under a watchdog: (events seen, the watchdog, whether it expired)."""
    watch = Watchdog(first=first, idle=idle, ends=asyncio.get_running_loop().time() + total)
    seen = 0
    try:
        async for _ in events(gaps):
            watch.saw_event()
            seen += 1
    except asyncio.CancelledError:
        if not watch.expired():
            raise
        return seen, watch, True
    finally:
        watch.close()
    return seen, watch, False


async def test_events_that_keep_coming_are_not_a_timeout():
    seen, watch, expired = await read([0.01] * 20, first=0.3, idle=0.3, total=30)
    assert (seen, expired, watch.fired) == (20, False, False)


async def test_a_silence_after_events_expires_with_the_idle_limit():
    seen, watch, expired = await read([0.0, 0.0, 30.0], first=5.0, idle=0.05, total=30)
    assert (seen, expired, watch.silence) == (2, True, 0.05)


async def test_the_first_event_gets_its_own_limit():
    seen, watch, expired = await read([30.0], first=0.05, idle=5.0, total=30)
    assert (seen, expired, watch.silence) == (0, True, 0.05)


async def test_the_whole_limit_is_told_apart_from_a_silence():
    seen, watch, expired = await read([0.02] * 1000, first=5.0, idle=5.0, total=0.1)
    assert expired and watch.silence is None and 0 < seen < 1000


async def test_another_cancellation_propagates_and_is_not_taken_for_a_timeout():
    task = asyncio.ensure_future(read([30.0], first=5.0, idle=5.0, total=30))
    await asyncio.sleep(0.05)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
