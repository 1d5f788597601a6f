"""Per-provider concurrency and requests-per-minute limits, shared by every call in the process.

All router work runs on one event loop (cortex.llm.loop), so plain asyncio primitives are enough and
the limits hold across every LLMRouter instance in the process.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class ProviderLimiter:
    def __init__(self, concurrency: int, rpm: int) -> None:
        self.concurrency = max(1, int(concurrency))
        self.rpm = max(0, int(rpm))
        self._sem = asyncio.Semaphore(self.concurrency)
        self._starts: deque[float] = deque()
        self._lock = asyncio.Lock()

    def delay_needed(self, now: float) -> float:
        """Pure: seconds until another request may start under the rpm limit (0 = now)."""
        if not self.rpm:
            return 0.0
        while self._starts and now - self._starts[0] >= 60.0:
            self._starts.popleft()
        if len(self._starts) < self.rpm:
            return 0.0
        return 60.0 - (now - self._starts[0])

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        async with self._sem:
            if self.rpm:
                async with self._lock:
                    while (wait := self.delay_needed(time.monotonic())) > 0:
                        await asyncio.sleep(wait)
                    self._starts.append(time.monotonic())
            yield


_limiters: dict[str, ProviderLimiter] = {}


def limiter_for(provider: str, concurrency: int, rpm: int) -> ProviderLimiter:
    """The process-wide limiter for a provider (created on the router loop, on first use)."""
    limiter = _limiters.get(provider)
    if limiter is None or limiter.concurrency != max(1, int(concurrency)) or limiter.rpm != max(0, int(rpm)):
        limiter = _limiters[provider] = ProviderLimiter(concurrency, rpm)
    return limiter
