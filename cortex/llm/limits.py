"""Per-provider concurrency and requests-per-minute limits, shared by every call in the process.

Calls run on different event loops (each async caller's own, each sync thread's), so the limiter uses
a thread lock for its state and wakes a waiter on whichever loop it waits on.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import deque


class ProviderLimiter:
    def __init__(self, concurrency: int, rpm: int) -> None:
        self.concurrency = max(1, int(concurrency))
        self.rpm = max(0, int(rpm))
        self._lock = threading.Lock()
        self._free = self.concurrency
        self._waiters: deque[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = deque()
        self._starts: deque[float] = deque()

    # -- concurrency -------------------------------------------------------------------------------
    async def acquire(self) -> None:
        with self._lock:
            if self._free > 0 and not self._waiters:
                self._free -= 1
                return
            lp = asyncio.get_running_loop()
            fut: asyncio.Future[None] = lp.create_future()
            self._waiters.append((lp, fut))
        try:
            await fut
        except asyncio.CancelledError:
            with self._lock:
                try:
                    self._waiters.remove((lp, fut))
                    granted = False
                except ValueError:
                    granted = True  # release() already handed us the slot
            if granted:
                self.release()
            raise

    def release(self) -> None:
        with self._lock:
            while self._waiters:
                lp, fut = self._waiters.popleft()
                if lp.is_closed():
                    continue
                lp.call_soon_threadsafe(self._grant, fut)
                return
            self._free += 1

    def _grant(self, fut: asyncio.Future[None]) -> None:
        if fut.cancelled():
            self.release()  # its waiter left in the meantime: pass the slot on
        elif not fut.done():
            fut.set_result(None)

    # -- requests per minute -----------------------------------------------------------------------
    def delay_needed(self, now: float) -> float:
        """Seconds until another request may start under the rpm limit (0 = now); reserves it if 0."""
        if not self.rpm:
            return 0.0
        with self._lock:
            while self._starts and now - self._starts[0] >= 60.0:
                self._starts.popleft()
            if len(self._starts) < self.rpm:
                self._starts.append(now)
                return 0.0
            return 60.0 - (now - self._starts[0])

    def slot(self) -> _Slot:
        """`async with limiter.slot():` one request in flight, started within the rpm limit."""
        return _Slot(self)


class _Slot:
    """A class-based async context manager: cheaper per call than @asynccontextmanager."""

    __slots__ = ("_limiter",)

    def __init__(self, limiter: ProviderLimiter) -> None:
        self._limiter = limiter

    async def __aenter__(self) -> None:
        limiter = self._limiter
        await limiter.acquire()
        try:
            while (wait := limiter.delay_needed(time.monotonic())) > 0:
                await asyncio.sleep(wait)
        except BaseException:
            limiter.release()
            raise

    async def __aexit__(self, *exc: object) -> None:
        self._limiter.release()


_limiters: dict[str, ProviderLimiter] = {}
_limiters_lock = threading.Lock()


def limiter_for(provider: str, concurrency: int, rpm: int) -> ProviderLimiter:
    """The process-wide limiter for a provider (replaced if its configured numbers change)."""
    with _limiters_lock:
        limiter = _limiters.get(provider)
        if limiter is None or limiter.concurrency != max(1, int(concurrency)) or limiter.rpm != max(0, int(rpm)):
            limiter = _limiters[provider] = ProviderLimiter(concurrency, rpm)
        return limiter
