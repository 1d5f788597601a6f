"""Pure resilience decisions: whether to retry, how long to wait, how long an attempt may take, and
a per-provider circuit breaker (its state is shared across processes by cortex.llm.breakers).

The router's loop is the only place that sleeps; everything here takes the time and randomness it
needs as arguments so it can be tested exactly.

Timeouts (docs/LLM_INTEGRATION.md, "Timeouts"): a call has one deadline (limits.deadline). An
attempt gets at most limits.timeout, and never more than its share of what is left of the deadline
when other providers are still waiting (remaining / (1 + waiting)), so a slow first provider leaves
time for the rest of the chain. Connecting has its own limit (limits.connect_timeout); a stream that
sends nothing for limits.idle_timeout seconds is a timeout however young the attempt is.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from cortex.errors import (
    AuthenticationError,
    ProviderConnectionError,
    ProviderError,
    ProviderTimeout,
    RateLimitError,
)

# Defaults; the live numbers come from settings (limits.*, breaker.*).
BASE_DELAY = 0.5
MAX_DELAY = 8.0
JITTER = 0.25
MAX_RETRY_AFTER = 60.0
MAX_RATE_WAITS = 5  # 429 cool-downs honoured per provider per call (they do not use up max_retries)
MIN_ATTEMPT = 1.0  # the shortest attempt worth starting, in seconds
MAX_COOLDOWN_WAIT = 10.0  # with a fallback waiting, a rate-limit cool-down longer than this moves on


def attempt_timeout(remaining: float, waiting: int, cap: float) -> float:
    """Seconds one attempt may take: at most `cap`, and at most its share of the deadline's `remaining`
    seconds when `waiting` providers are still to be tried after this one."""
    if remaining <= 0:
        return 0.0
    share = remaining / (1 + max(0, waiting))
    return min(cap, remaining, max(share, min(MIN_ATTEMPT, remaining)))


def seconds(value: float) -> str:
    """A duration for messages: whole seconds from 1 s up, one decimal below ("10 s", "0.2 s")."""
    return f"{round(value):d} s" if value >= 1 else f"{value:.1f} s"


@dataclass(frozen=True)
class RetryPolicy:
    max_retries: int = 2
    base_delay: float = BASE_DELAY
    max_delay: float = MAX_DELAY
    jitter: float = JITTER
    max_retry_after: float = MAX_RETRY_AFTER
    max_rate_waits: int = MAX_RATE_WAITS

    def should_retry(self, error: ProviderError, retries_done: int, *, has_fallback: bool) -> bool:
        """Retry the same provider? Only retryable errors, within the budget.

        `retries_done` counts retries of the same kind: rate limits (429) have their own, larger
        budget (a cool-down is not a failure). A refused connection or a timeout with another
        provider waiting is not retried: the server is not there or not answering, and the next
        provider answers sooner than a second wait would.
        """
        budget = self.max_rate_waits if isinstance(error, RateLimitError) else self.max_retries
        if not error.retryable or retries_done >= budget:
            return False
        return not (isinstance(error, (ProviderConnectionError, ProviderTimeout)) and has_fallback)

    def delay_for(
        self, retries_done: int, retry_after: float | None = None, rand: Callable[[], float] = random.random
    ) -> float:
        """Exponential backoff with jitter; a server's Retry-After wins (capped)."""
        if retry_after is not None and retry_after >= 0:
            return min(retry_after, self.max_retry_after)
        delay = min(self.base_delay * (2**retries_done), self.max_delay)
        return delay * (1 - self.jitter * rand())


def counts_against_breaker(error: ProviderError) -> bool:
    """Failures that say the provider is unhealthy (not that our request was wrong, nor that it is
    busy: a 429 is a healthy server's answer, honoured as a cool-down instead)."""
    if isinstance(error, RateLimitError):
        return False
    return error.retryable or isinstance(error, AuthenticationError)


def breaker_weight(error: ProviderError, *, has_fallback: bool, threshold: int) -> int:
    """How many failures an attempt's error counts for. A provider that cannot be reached or does not
    answer while another waits opens its circuit at once: the next call goes straight to the fallback
    instead of waiting for it again. Everything else counts one."""
    if has_fallback and isinstance(error, (ProviderConnectionError, ProviderTimeout)):
        return max(1, threshold)
    return 1


@dataclass
class CircuitBreaker:
    """closed -> (N consecutive failures) -> open -> (cooldown) -> half-open: one probe -> closed | open."""

    failure_threshold: int = 5
    cooldown: float = 30.0
    failures: int = 0
    opened_at: float | None = None
    probing: bool = False
    _state: str = field(default="closed")
    probe_started: float | None = None
    probe_ttl: float = 300.0  # a probe whose process died frees its slot after this long

    @property
    def state(self) -> str:
        return self._state

    def allow(self, now: float) -> bool:
        if self._state == "closed":
            return True
        if self._state == "open":
            if self.opened_at is not None and now - self.opened_at >= self.cooldown:
                self._state = "half_open"
                self.probing, self.probe_started = True, now
                return True
            return False
        # half-open: only the single probe is in flight
        stale = self.probe_started is not None and now - self.probe_started >= self.probe_ttl
        if not self.probing or stale:
            self.probing, self.probe_started = True, now
            return True
        return False

    def retry_in(self, now: float) -> float:
        if self._state != "open" or self.opened_at is None:
            return 0.0
        return max(0.0, self.cooldown - (now - self.opened_at))

    def record_success(self) -> None:
        self.failures = 0
        self.opened_at = None
        self.probing, self.probe_started = False, None
        self._state = "closed"

    def record_failure(self, now: float, weight: int = 1) -> None:
        self.failures += max(1, weight)
        if self._state == "half_open" or self.failures >= self.failure_threshold:
            self._state = "open"
            self.opened_at = now
            self.probing, self.probe_started = False, None

    def record_alive(self) -> None:
        """A rate limit (429): the server answers, it is only busy. A closed circuit's count of
        consecutive failures starts over; a half-open probe frees its slot without a verdict."""
        if self._state == "closed":
            self.failures = 0
        self.release_probe()

    def release_probe(self) -> None:
        """A probe that ended without a verdict (cancelled, rate-limited) frees the slot."""
        if self._state == "half_open":
            self.probing, self.probe_started = False, None

    def restore(self, state: str, failures: int, opened_at: float | None, probe_started: float | None) -> None:
        """Take the state another process left (cortex.llm.breakers)."""
        self._state, self.failures, self.opened_at = state, failures, opened_at
        self.probing, self.probe_started = probe_started is not None, probe_started
