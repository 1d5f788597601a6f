"""An idle timer for a stream: cancels the reading task when no event came for a while.

An `asyncio.timeout` per event costs a timer scheduled and cancelled on every event (several
microseconds each, with cancelled timers piling up in the loop's heap). The watchdog instead keeps
one timer: an event only notes the time, and when the timer comes due it checks the last event and
either re-arms itself for the new due time or cancels the task. Its cancellation is told apart from
anyone else's the way asyncio.timeout does it (Task.cancelling / uncancel), so a Ctrl-C or a caller's
own timeout still propagates as a cancellation.

    watch = Watchdog(first=40.0, idle=10.0, ends=loop.time() + 180)
    try:
        async for event in events:
            watch.saw_event()
            ...
    except asyncio.CancelledError:
        if not watch.expired():
            raise
        ...  # watch.silence: the silence that ran out, None when `ends` did
    finally:
        watch.close()
"""

from __future__ import annotations

import asyncio

GRACE = 0.25  # the provider's own (SDK) timeout should fire first; this guard catches one that never does


class Watchdog:
    def __init__(self, *, first: float, idle: float, ends: float) -> None:
        """`first`: seconds the first event may take; `idle`: each later one; `ends`: loop time when
        the whole stream must be over."""
        self._loop = asyncio.get_running_loop()
        task = asyncio.current_task()
        assert task is not None, "a Watchdog guards the running task"
        self._task = task
        self._cancelling = task.cancelling() if hasattr(task, "cancelling") else 0
        self.idle = idle
        self.ends = ends
        self.last = self._loop.time()
        self.wait = first  # the silence allowed after `last`
        self.fired = False
        self.silence: float | None = None  # which limit ran out: the silence, or None for `ends`
        self._handle: asyncio.TimerHandle | None = self._loop.call_at(self._due() + GRACE, self._check)

    def _due(self) -> float:
        return min(self.last + self.wait, self.ends)

    def saw_event(self) -> None:
        """An event arrived: the silence starts over (the cheap path: one clock read)."""
        self.last = self._loop.time()
        self.wait = self.idle

    def _check(self) -> None:
        due = self._due()
        if self._loop.time() < due + GRACE:
            self._handle = self._loop.call_at(due + GRACE, self._check)
            return
        self._handle = None
        self.fired = True
        self.silence = self.wait if self.last + self.wait < self.ends else None
        self._task.cancel()

    def expired(self) -> bool:
        """After a CancelledError in the guarded block: True when it was this watchdog's (then the
        cancellation is taken back), False when someone else cancelled the task too."""
        if not self.fired:
            return False
        if hasattr(self._task, "uncancel"):
            return self._task.uncancel() <= self._cancelling
        return True  # pragma: no cover - Python 3.10 has no cancellation count

    def close(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
