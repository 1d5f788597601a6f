"""One provider's turn within a router call, one method per step (the router loops over the chain).

    check_budget -> prepare -> [ admit (breaker, cool-down, deadline) -> send or stream
                                 -> on_failure: retry or give up  |  check_answer: schema re-ask once ]
                             -> finish (accounting)

A ProviderAttempt lives for one provider of one call, retries included; `Trace` is what the whole
call shares across its providers (the deadline, the attempts so far, the stream's sink).
"""

from __future__ import annotations

import asyncio
import math
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from cortex.errors import (
    BudgetExceededError,
    CircuitOpenError,
    ProviderError,
    ProviderTimeout,
    RateLimitError,
    SchemaError,
    StateError,
)
from cortex.llm import streams
from cortex.llm.calls import Call
from cortex.llm.failures import as_provider_error, cause, empty_answer, unusable, who
from cortex.llm.pricing import cost_usd
from cortex.llm.retry import (
    MAX_COOLDOWN_WAIT,
    attempt_timeout,
    breaker_weight,
    counts_against_breaker,
    seconds,
)
from cortex.llm.routing import Route
from cortex.llm.stats import CallRecord
from cortex.llm.types import Attempt, Completion, Message, ProviderResponse, Request, StreamEvent, Usage

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

    def __init__(self, router: LLMRouter, trace: Trace, route: Route, *, waiting: int) -> None:
        self.router = router
        self.trace = trace
        self.name = route.provider
        self.prov = router.pool.live(self.name)
        self.model = route.model or self.prov.default_model
        self.who = who(self.name, self.model)
        self.paid = bool(getattr(self.prov, "paid", False))
        self.waiting = waiting  # providers of the chain still to try after this one
        # Streamed calls stream; so do non-streamed ones where the provider can (assembled, never
        # shown), so that the idle timeout catches a server that accepts and then hangs or trickles.
        self.by_stream = trace.emit is not None or self.prov.completes_by_stream
        self.limiter = router.limiter(self.name)
        self.retries = 0  # retries after failures
        self.rate_waits = 0  # retries after 429s (their own budget)
        self.reasked = False
        self.usage = Usage()
        self.data: object = None
        self.last_error: ProviderError | None = None
        self.clean = True  # the breaker had nothing recorded: a success needs no write
        # What a stream delivered so far, for partial accounting when it is cut short.
        self.received = 0
        self.reported: Usage | None = None

    @property
    def has_fallback(self) -> bool:
        return self.waiting > 0

    async def run(self) -> Completion:
        self.check_budget()
        await self.prepare()
        messages = self.trace.call.messages
        while True:
            await self.admit()
            request = self.request(messages)
            t0 = time.monotonic()
            try:
                response = await self.send(request)
            except asyncio.CancelledError:
                self.interrupted(request, t0)
                raise
            except Exception as raw:
                await asyncio.sleep(self.on_failure(raw, request, t0))
                continue
            latency = time.monotonic() - t0
            if not self.clean:
                self.router.breakers.succeeded(self.name)
                self.clean = True
            reask = self.check_answer(response, latency)
            if reask is not None:
                messages = reask
                continue
            return self.finish(response, latency)

    # ----- the steps ----------------------------------------------------------------------------

    def check_budget(self) -> None:
        """Paid providers stop at the daily cap, and when spending cannot be counted (fail closed)."""
        cap = self.router.daily_cap
        if not self.paid or cap <= 0:
            return
        try:
            self.router.usage.check()
            spent = self.router.usage.paid_today()
        except StateError as exc:
            raise self.skipped(
                BudgetExceededError(
                    f"{self.who}: skipped: a daily spending cap (${cap:.2f}) is set and cortex cannot count "
                    f"spending ({exc.message.rstrip('.')}).",
                    provider=self.name,
                    model=self.model,
                    hint=exc.hint or "Fix or move usage.db (cortex's data directory), or use a free provider.",
                )
            ) from None
        if spent >= cap:
            raise self.skipped(
                BudgetExceededError(
                    f"{self.who}: the daily budget of ${cap:.2f} is spent.", provider=self.name, model=self.model
                )
            )

    async def prepare(self) -> None:
        """Import the SDK / load the model before any attempt's timer starts (first call in a process)."""
        try:
            await self.prov.prepare(self.model)
        except Exception as raw:
            raise as_provider_error(raw, self.name, self.model, "it could not be prepared") from None

    async def admit(self) -> None:
        """The breaker lets this attempt through, a rate-limit cool-down is waited out (or moved on
        from), and the call's deadline has not passed."""
        adm = self.router.breakers.admit(self.name, time.time(), self.router.breaker_settings)
        self.clean = adm.clean
        if not adm.allowed:
            if self.last_error is not None:  # it opened during this call: the cause is the story
                raise self.last_error
            last = f" (last failure: {adm.cause.rstrip('.')})" if adm.cause else ""
            raise self.skipped(
                CircuitOpenError(
                    f"{self.who}: its circuit breaker is open{last}; not asking it for another "
                    f"{seconds(max(1.0, adm.retry_in))}.",
                    provider=self.name,
                    model=self.model,
                    hint="Check the provider (cortex doctor), or wait for the cool-down (breaker.cooldown).",
                )
            )
        remaining = self.trace.deadline - time.monotonic()
        if adm.wait > 0:
            if adm.wait >= remaining or (self.has_fallback and adm.wait > MAX_COOLDOWN_WAIT):
                raise self.skipped(
                    RateLimitError(
                        f"{self.who}: rate-limited; it asked for {seconds(adm.wait)} of quiet.",
                        provider=self.name,
                        model=self.model,
                        status=429,
                        retry_after=adm.wait,
                        hint="Wait a moment, or lower limits.rpm for this provider.",
                    )
                )
            await asyncio.sleep(adm.wait)
        if self.trace.deadline - time.monotonic() <= 0:
            self.router.breakers.release(self.name, self.router.breaker_settings)
            raise ProviderTimeout(
                f"{self.who}: the call's deadline passed.",
                provider=self.name,
                model=self.model,
                hint="Raise limits.deadline (the whole call, retries and fallbacks included).",
            )

    def request(self, messages: tuple[Message, ...]) -> Request:
        call, router = self.trace.call, self.router
        remaining = self.trace.deadline - time.monotonic()
        if self.trace.emit is not None:
            # A stream is bounded by its silences (idle) and the deadline, not by a total: a long
            # answer that keeps coming is not a hang.
            first = router.idle_for(self.name) + self.prov.startup_grace
            timeout, idle = remaining, min(first, attempt_timeout(remaining, self.waiting, first))
        else:
            # A non-streamed attempt keeps its total (limits.timeout, its share of the deadline);
            # sent as a stream, its silences are bounded by the idle limit as well.
            timeout, idle = attempt_timeout(remaining, self.waiting, router.timeout), None
            if self.by_stream:
                idle = min(router.idle_for(self.name) + self.prov.startup_grace, timeout)
        return Request(
            messages=messages,
            model=self.model,
            max_tokens=call.max_tokens or self.prov.max_tokens,
            temperature=call.temperature,
            schema=call.schema,
            schema_name=call.schema_name,
            tools=call.tools,
            timeout=timeout,
            connect_timeout=router.connect_timeout,
            idle_timeout=idle,
        )

    async def send(self, request: Request) -> ProviderResponse:
        self.received, self.reported = 0, None  # what this request's stream delivers
        async with self.limiter.slot():
            if self.by_stream:
                idle = self.router.idle_for(self.name)
                response = await streams.consume(
                    self.prov,
                    request,
                    self._event,
                    first=request.idle_timeout or idle,
                    idle=idle,
                    whole="deadline" if self.trace.emit is not None else "timeout",
                )
            elif _HAS_TIMEOUT:
                # Inline rather than a helper coroutine: every extra frame is re-entered on each I/O
                # wake-up of the SDK call below.
                async with asyncio.timeout(request.timeout + TIMEOUT_GRACE):
                    response = await self.prov.acomplete(request)
            else:  # pragma: no cover - Python 3.10
                response = await asyncio.wait_for(self.prov.acomplete(request), request.timeout + TIMEOUT_GRACE)
        why = unusable(response)
        if why is not None:
            raise empty_answer(self.name, self.model, why)
        return response

    def on_failure(self, raw: BaseException, request: Request, t0: float) -> float:
        """Account the failed attempt; return the delay before retrying, or raise to give up here."""
        err = as_provider_error(raw, self.name, self.model, self._timed_out(request))
        latency = time.monotonic() - t0
        self.trace.attempts.append(Attempt(self.name, self.model, False, err.message, latency))
        usage = self._received(request) if self.received else Usage()
        self.account(False, type(err).__name__, usage, latency, self.model, partial=bool(self.received))
        self.last_error = err
        self.judge(err)
        rate = isinstance(err, RateLimitError)
        done = self.rate_waits if rate else self.retries
        retry = self.router.retry
        if not self.trace.streamed and retry.should_retry(err, done, has_fallback=self.has_fallback):
            delay = retry.delay_for(done, getattr(err, "retry_after", None))
            if time.monotonic() + delay < self.trace.deadline:
                if rate:
                    self.rate_waits += 1
                else:
                    self.retries += 1
                return delay
        raise err from None

    def judge(self, err: ProviderError) -> None:
        """Tell the breaker: a 429 is a cool-down, health failures count, anything else is no verdict."""
        board, settings = self.router.breakers, self.router.breaker_settings
        if isinstance(err, RateLimitError):
            wait = min(err.retry_after or 0.0, self.router.retry.max_retry_after)
            board.rate_limited(self.name, time.time() + wait, settings)
        elif counts_against_breaker(err):
            weight = breaker_weight(err, has_fallback=self.has_fallback, threshold=settings.failures)
            if board.failed(self.name, time.time(), settings, cause(err), weight):
                err.hint = (err.hint + " " if err.hint else "") + (
                    f"cortex now skips {self.name} for {seconds(settings.cooldown)} (breaker.cooldown)."
                )
        else:
            board.release(self.name, settings)
        self.clean = False

    def check_answer(self, response: ProviderResponse, latency: float) -> tuple[Message, ...] | None:
        """None when the answer can be used; the re-ask conversation when it missed the schema once."""
        self.usage = self.usage + response.usage
        call = self.trace.call
        if call.schema is None or response.tool_calls:
            return None
        from cortex.llm.schema import SchemaMismatch, parse_and_validate, reask_message

        try:
            self.data = parse_and_validate(response.text, call.schema)
            return None
        except SchemaMismatch as mismatch:
            self.trace.attempts.append(Attempt(self.name, self.model, False, f"schema: {mismatch}", latency))
            self.account(False, "SchemaError", response.usage, latency, self.model)
            if self.reasked:
                raise SchemaError(
                    f"{self.who}: the answer did not match the schema twice ({mismatch}).",
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
        truncated = response.finish_reason == "length"
        self.trace.attempts.append(Attempt(self.name, model, True, "", latency))
        cost = self.account(True, "", response.usage, latency, model, truncated=truncated)
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
            data=self.data,
            attempts=tuple(self.trace.attempts),
            metrics=dict(response.metrics),
            truncated=truncated,
        )

    def interrupted(self, request: Request, t0: float) -> None:
        """Cancelled (Ctrl-C, a caller's timeout): free a probe; a stream records what it received."""
        self.router.breakers.release(self.name, self.router.breaker_settings)
        if self.received or self.reported:
            usage = self._received(request)
            self.account(False, "Interrupted", usage, time.monotonic() - t0, self.model, partial=True)

    def account(
        self,
        ok: bool,
        error: str,
        usage: Usage,
        latency: float,
        model: str,
        *,
        partial: bool = False,
        truncated: bool = False,
    ) -> float:
        cost = cost_usd(self.name, model, usage, paid=self.paid) if usage.input_tokens or usage.output_tokens else 0.0
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
                partial,
                truncated,
            )
        )
        return cost

    # ----- helpers --------------------------------------------------------------------------------

    def skipped(self, err: ProviderError) -> ProviderError:
        """A provider passed over without a request (open circuit, cool-down, budget): in the trace."""
        self.trace.attempts.append(Attempt(self.name, self.model, False, err.message, 0.0))
        return err

    def _event(self, event: StreamEvent) -> None:
        if event.usage is not None:
            self.reported = event.usage
        if event.text:
            self.received += len(event.text)
            if self.trace.emit is not None:  # a non-streamed call's stream is assembled, not shown
                self.trace.on_delta(event.text)

    def _received(self, request: Request) -> Usage:
        """Tokens of a stream cut short: as reported so far, else estimated (~4 characters a token)."""
        reported = self.reported or Usage()
        prompt = sum(len(m.content) for m in request.messages)
        return Usage(
            reported.input_tokens or math.ceil(prompt / 4),
            max(reported.output_tokens, math.ceil(self.received / 4)),
        )

    def _timed_out(self, request: Request) -> str:
        """What a bare timeout meant for this request, for the message."""
        if self.trace.deadline - time.monotonic() <= TIMEOUT_GRACE:
            return f"no answer before the call's deadline ({seconds(self.trace.deadline - self.trace.started)})"
        return f"no answer within {seconds(request.timeout)}"
