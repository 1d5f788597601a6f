"""Pure resilience decisions: whether to retry, how long to wait, and a per-provider circuit breaker.

The router's loop is the only place that sleeps; everything here takes the time and randomness it
needs as arguments so it can be tested exactly.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from cortex.errors import (
    AuthenticationError,
    ProviderConnectionError,
    ProviderError,
)

# Defaults; the live numbers come from settings (limits.*, breaker.*).
BASE_DELAY = 0.5
MAX_DELAY = 8.0
JITTER = 0.25
MAX_RETRY_AFTER = 60.0


@dataclass(frozen=True)
class RetryPolicy:
    max_retries: int = 2
    base_delay: float = BASE_DELAY
    max_delay: float = MAX_DELAY
    jitter: float = JITTER
    max_retry_after: float = MAX_RETRY_AFTER

    def should_retry(self, error: ProviderError, retries_done: int, *, has_fallback: bool) -> bool:
        """Retry the same provider? Only retryable errors, within the budget.

        A refused connection with another provider waiting is not retried: the server is not there,
        and the next provider answers sooner than a backoff would.
        """
        if not error.retryable or retries_done >= self.max_retries:
            return False
        return not (isinstance(error, ProviderConnectionError) and has_fallback)

    def delay_for(
        self, retries_done: int, retry_after: float | None = None, rand: Callable[[], float] = random.random
    ) -> float:
        """Exponential backoff with jitter; a server's Retry-After wins (capped)."""
        if retry_after is not None and retry_after >= 0:
            return min(retry_after, self.max_retry_after)
        delay = min(self.base_delay * (2**retries_done), self.max_delay)
        return delay * (1 - self.jitter * rand())


def counts_against_breaker(error: ProviderError) -> bool:
    """Failures that say the provider is unhealthy (not that our request was wrong)."""
    return error.retryable or isinstance(error, AuthenticationError)


@dataclass
class CircuitBreaker:
    """closed -> (N consecutive failures) -> open -> (cooldown) -> half-open: one probe -> closed | open."""

    failure_threshold: int = 5
    cooldown: float = 30.0
    failures: int = 0
    opened_at: float | None = None
    probing: bool = False
    _state: str = field(default="closed")

    @property
    def state(self) -> str:
        return self._state

    def allow(self, now: float) -> bool:
        if self._state == "closed":
            return True
        if self._state == "open":
            if self.opened_at is not None and now - self.opened_at >= self.cooldown:
                self._state = "half_open"
                self.probing = True
                return True
            return False
        # half-open: only the single probe is in flight
        if not self.probing:
            self.probing = True
            return True
        return False

    def retry_in(self, now: float) -> float:
        if self._state != "open" or self.opened_at is None:
            return 0.0
        return max(0.0, self.cooldown - (now - self.opened_at))

    def record_success(self) -> None:
        self.failures = 0
        self.opened_at = None
        self.probing = False
        self._state = "closed"

    def record_failure(self, now: float) -> None:
        self.failures += 1
        if self._state == "half_open" or self.failures >= self.failure_threshold:
            self._state = "open"
            self.opened_at = now
            self.probing = False

    def release_probe(self) -> None:
        """A probe that ended without a verdict (cancelled) frees the slot."""
        if self._state == "half_open":
            self.probing = False
