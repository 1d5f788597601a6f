"""An idle timer for a stream: cancels the reading task when no event came for a while.

An `asyncio.timeout` per event costs a timer scheduled and cancelled on every event (several
microseconds each, with cancelled timers piling up in the loop's heap), and even one timer per
stream leaves a cancelled handle in the heap for every call of a batch, which every other timer
operation of the loop (the SDK's own timeouts) then pays for. The watchdogs of one event loop
instead share one timer: an event only notes the time, a new stream is only added to a set, and
when the timer comes due it checks each stream's last event, cancels the tasks whose limit ran out
and re-arms itself for the earliest due time left. A watchdog's cancellation is told apart from
anyone else's the way asyncio.timeout does it (Task.cancelling / uncancel), so a Ctrl-C or a
caller's own timeout still propagates as a cancellation.

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
import math
import weakref

GRACE = 0.25  # the provider's own (SDK) timeout should fire first; this guard catches one that never does


class Watchdog:
    def __init__(self, *, first: float, idle: float, ends: float) -> None:
        """`first`: seconds the first event may take; `idle`: each later one; `ends`: loop time when
        the whole stream must be over."""
        loop = asyncio.get_running_loop()
        task = asyncio.current_task()
        assert task is not None, "a Watchdog guards the running task"
        self._loop = loop
        self._task = task
        self._cancelling = task.cancelling() if hasattr(task, "cancelling") else 0
        self.idle = idle
        self.ends = ends
        self.last = loop.time()
        self.wait = first  # the silence allowed after `last`
        self.fired = False
        self.silence: float | None = None  # which limit ran out: the silence, or None for `ends`
        ticker = _tickers.get(loop)
        if ticker is None:
            ticker = _tickers[loop] = _Ticker()
        self._ticker: _Ticker | None = ticker
        ticker.add(self)

    def due(self) -> float:
        """Loop time when this stream's current limit runs out (before GRACE)."""
        return min(self.last + self.wait, self.ends)

    def saw_event(self) -> None:
        """An event arrived: the silence starts over (the cheap path: one clock read)."""
        self.last = self._loop.time()
        self.wait = self.idle

    def fire(self) -> None:
        self._ticker = None
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
        ticker, self._ticker = self._ticker, None
        if ticker is not None:
            ticker.active.discard(self)


class _Ticker:
    """The one timer of an event loop's watchdogs: armed for the earliest due time among them.

    It holds no reference to its loop, nor to its timer (whose handle refers to the loop): the loop
    is the weak key of its entry in _tickers and must be free to go. A timer that is re-armed earlier
    leaves the later one to come due as a no-op (its generation is stale)."""

    def __init__(self) -> None:
        self.active: set[Watchdog] = set()
        self._at = math.inf  # loop time the timer is armed for (before GRACE); inf: not armed
        self._generation = 0

    def add(self, watch: Watchdog) -> None:
        self.active.add(watch)
        due = watch.due()
        if due < self._at:  # a new stream's limit is usually later than the one armed: nothing to do
            self._arm(due)

    def _arm(self, due: float) -> None:
        self._at = due
        self._generation += 1
        asyncio.get_running_loop().call_at(due + GRACE, self._tick, self._generation)

    def _tick(self, generation: int) -> None:
        if generation != self._generation:
            return
        self._at = math.inf
        now = asyncio.get_running_loop().time()
        later = math.inf
        for watch in list(self.active):
            due = watch.due()
            if now >= due + GRACE:
                self.active.discard(watch)
                watch.fire()
            elif due < later:
                later = due
        if later < math.inf:
            self._arm(later)


# Per event loop (the router runs on several); an entry goes away with its loop.
_tickers: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Ticker] = weakref.WeakKeyDictionary()
