"""One provider's turn within a router call, one method per step (the router loops over the chain).

    check_budget -> prepare -> [ admit (breaker) -> send (or stream) -> on_failure: retry or give up
                                 -> check_answer: schema valid, or re-ask once ] -> finish (accounting)

A ProviderAttempt lives for one provider of one call, retries included; `Trace` is what the whole
call shares across its providers (the deadline, the attempts so far, the stream's sink).
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cortex.errors import (
    BadResponseError,
    BudgetExceededError,
    CircuitOpenError,
    CortexError,
    ProviderError,
    ProviderTimeout,
    SchemaError,
)
from cortex.llm import streams
from cortex.llm.calls import Call
from cortex.llm.pricing import cost_usd
from cortex.llm.retry import counts_against_breaker
from cortex.llm.routing import Route
from cortex.llm.stats import CallRecord
from cortex.llm.types import Attempt, Completion, Message, ProviderResponse, Request, Usage

if TYPE_CHECKING:
    from cortex.llm.router import LLMRouter

# A provider's own timeout should fire first; this guard catches one that never does.
TIMEOUT_GRACE = 0.25
_HAS_TIMEOUT = sys.version_info >= (3, 11)


@dataclass
class Trace:
    """What one router call shares across the providers of its chain."""

    call: Call
    started: float
    deadline: float
    emit: Callable[[str], None] | None = None
    attempts: list[Attempt] = field(default_factory=list)
    streamed: bool = False  # text already reached the caller: a failure can no longer fall back

    def on_delta(self, text: str) -> None:
        self.streamed = True
        assert self.emit is not None
        self.emit(text)


class ProviderAttempt:
    """One provider of the chain for one call: its retries, breaker, schema re-ask and accounting."""

    def __init__(self, router: LLMRouter, trace: Trace, route: Route, *, has_fallback: bool) -> None:
        self.router = router
        self.trace = trace
        self.name = route.provider
        self.prov = router.pool.live(self.name)
        self.model = route.model or self.prov.default_model
        self.paid = bool(getattr(self.prov, "paid", False))
        self.has_fallback = has_fallback
        self.breaker, self.limiter = router.guards(self.name)
        self.retries = 0
        self.reasked = False
        self.usage = Usage()
        self.emitted = False

    async def run(self) -> Completion:
        self.check_budget()
        await self.prepare()
        messages = self.trace.call.messages
        while True:
            self.admit()
            request = self.request(messages)
            t0 = time.monotonic()
            try:
                response = await self.send(request)
            except asyncio.CancelledError:
                self._release_probe()
                raise
            except Exception as raw:
                await asyncio.sleep(self.on_failure(raw, request, t0))
                continue
            latency = time.monotonic() - t0
            self._breaker(lambda b: b.record_success())
            reask = self.check_answer(response, latency)
            if reask is not None:
                messages = reask
                continue
            return self.finish(response, latency)

    # ----- the steps ----------------------------------------------------------------------------

    def check_budget(self) -> None:
        router = self.router
        if self.paid and router.daily_cap > 0 and router.usage.paid_today() >= router.daily_cap:
            raise BudgetExceededError(
                f"{self.name}: the daily budget of ${router.daily_cap:.2f} is spent.",
                provider=self.name,
                model=self.model,
            )

    async def prepare(self) -> None:
        """Import the SDK / load the model before any attempt's timer starts (first call in a process)."""
        try:
            await self.prov.prepare(self.model)
        except Exception as raw:
            raise as_provider_error(raw, self.name, self.model, self.router.timeout) from None

    def admit(self) -> None:
        """The breaker lets this attempt through, and the call's deadline has not passed."""
        now = time.monotonic()
        with self.router.breaker_lock:
            allowed = self.breaker.allow(now)
        if not allowed:
            raise CircuitOpenError(
                f"{self.name} failed {self.breaker.failures} times in a row; not asking it for another "
                f"{self.breaker.retry_in(now):.0f} s.",
                provider=self.name,
                model=self.model,
                hint="Check the provider (cortex doctor), or wait for the cool-down.",
            )
        if self.trace.deadline - now <= 0:
            self._release_probe()
            raise ProviderTimeout(f"{self.name}: the call's deadline passed.", provider=self.name, model=self.model)

    def request(self, messages: tuple[Message, ...]) -> Request:
        call = self.trace.call
        return Request(
            messages=messages,
            model=self.model,
            max_tokens=call.max_tokens or self.prov.max_tokens,
            temperature=call.temperature,
            schema=call.schema,
            schema_name=call.schema_name,
            tools=call.tools,
            timeout=min(self.router.timeout, self.trace.deadline - time.monotonic()),
        )

    async def send(self, request: Request) -> ProviderResponse:
        async with self.limiter.slot():
            if self.trace.emit is not None:
                return await streams.consume(self.prov, request, self._delta, request.timeout + TIMEOUT_GRACE)
            # Inline rather than a helper coroutine: every extra frame is re-entered on each I/O
            # wake-up of the SDK call below.
            if _HAS_TIMEOUT:
                async with asyncio.timeout(request.timeout + TIMEOUT_GRACE):
                    return await self.prov.acomplete(request)
            return await asyncio.wait_for(  # pragma: no cover - Python 3.10
                self.prov.acomplete(request), request.timeout + TIMEOUT_GRACE
            )

    def on_failure(self, raw: BaseException, request: Request, t0: float) -> float:
        """Account the failed attempt; return the delay before retrying, or raise to give up here."""
        err = as_provider_error(raw, self.name, self.model, request.timeout)
        latency = time.monotonic() - t0
        self.trace.attempts.append(Attempt(self.name, self.model, False, err.message, latency))
        self.account(False, type(err).__name__, Usage(), 0.0, latency, self.model)
        if counts_against_breaker(err):
            self._breaker(lambda b: b.record_failure(time.monotonic()))
        else:
            self._release_probe()
        retry = self.router.retry
        if not self.emitted and retry.should_retry(err, self.retries, has_fallback=self.has_fallback):
            delay = retry.delay_for(self.retries, getattr(err, "retry_after", None))
            if time.monotonic() + delay < self.trace.deadline:
                self.retries += 1
                return delay
        raise err from None

    def check_answer(self, response: ProviderResponse, latency: float) -> tuple[Message, ...] | None:
        """None when the answer can be used; the re-ask conversation when it missed the schema once."""
        self.usage = self.usage + response.usage
        call = self.trace.call
        self._data = None
        if call.schema is None or response.tool_calls:
            return None
        from cortex.llm.schema import SchemaMismatch, parse_and_validate, reask_message

        try:
            self._data = parse_and_validate(response.text, call.schema)
            return None
        except SchemaMismatch as mismatch:
            cost = cost_usd(self.name, response.model or self.model, response.usage, paid=self.paid)
            self.trace.attempts.append(Attempt(self.name, self.model, False, f"schema: {mismatch}", latency))
            self.account(False, "SchemaError", response.usage, cost, latency, self.model)
            if self.reasked:
                raise SchemaError(
                    f"{self.name}: the answer did not match the schema twice ({mismatch}).",
                    provider=self.name,
                    model=self.model,
                ) from None
            self.reasked = True
            return (
                *call.messages,
                Message.assistant(response.text),
                Message.user(reask_message(mismatch, call.schema)),
            )

    def finish(self, response: ProviderResponse, latency: float) -> Completion:
        model = response.model or self.model
        cost = cost_usd(self.name, model, response.usage, paid=self.paid)
        self.trace.attempts.append(Attempt(self.name, model, True, "", latency))
        self.account(True, "", response.usage, cost, latency, model)
        total = cost if self.usage == response.usage else cost_usd(self.name, model, self.usage, paid=self.paid)
        return Completion(
            text=response.text,
            provider=self.name,
            model=response.model,
            task=self.trace.call.task,
            usage=self.usage,
            latency_s=time.monotonic() - self.trace.started,
            cost_usd=total,
            finish_reason=response.finish_reason,
            tool_calls=response.tool_calls,
            data=self._data,
            attempts=tuple(self.trace.attempts),
            metrics=dict(response.metrics),
        )

    def account(self, ok: bool, error: str, usage: Usage, cost: float, latency: float, model: str) -> None:
        self.router.usage.record(
            CallRecord(
                time.time(),
                self.name,
                model,
                self.trace.call.task.value,
                ok,
                error,
                usage.input_tokens,
                usage.output_tokens,
                cost,
                latency,
                self.paid,
            )
        )

    # ----- helpers --------------------------------------------------------------------------------

    def _delta(self, text: str) -> None:
        self.emitted = True
        self.trace.on_delta(text)

    def _breaker(self, update: Callable[[Any], None]) -> None:
        with self.router.breaker_lock:
            update(self.breaker)

    def _release_probe(self) -> None:
        self._breaker(lambda b: b.release_probe())


def as_provider_error(raw: BaseException, name: str, model: str, timeout: float) -> ProviderError:
    """Any failure of an attempt as a ProviderError naming the provider and model."""
    if isinstance(raw, ProviderError):
        if not raw.provider:
            raw.provider = name
        if not raw.model:
            raw.model = model
        return raw
    if isinstance(raw, asyncio.TimeoutError):
        return ProviderTimeout(f"{name}: no answer within {timeout:.1f} s.", provider=name, model=model)
    if isinstance(raw, CortexError):
        return BadResponseError(f"{name}: {raw.message}", provider=name, model=model, hint=raw.hint)
    # A provider bug must not take the whole call down: report it and fall back.
    err = BadResponseError(f"{name}: unexpected {type(raw).__name__}: {raw}", provider=name, model=model)
    err.retryable = False  # a bug does not go away on retry
    return err
