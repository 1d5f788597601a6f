"""LLMRouter: sync, async, streaming and batched completions across providers, chosen by task type.

    router = LLMRouter()
    c = router.complete("Which package ships ffmpeg?", task=TaskType.PACKAGE_SELECTION)
    c.text, c.provider, c.model, c.usage, c.cost_usd, c.latency_s

One async implementation (`_run`, `_stream_run`) runs on the process's router loop (cortex.llm.loop);
complete/acomplete/stream/astream/complete_batch/acomplete_batch are thin entries into it. Each call
walks the task's chain of configured providers, each at most once, with bounded retries, a per-provider
circuit breaker, process-wide concurrency/rpm limits, an overall deadline, schema validation with one
re-ask, a daily budget for paid providers, and an accounting record per attempt.
"""

from __future__ import annotations

import asyncio
import sys
import threading
import time
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from cortex.config import Settings
from cortex.errors import (
    AllProvidersFailed,
    BadResponseError,
    BudgetExceededError,
    CircuitOpenError,
    CortexError,
    NotConfiguredError,
    ProviderError,
    ProviderTimeout,
    SchemaError,
    UsageError,
)
from cortex.llm import loop, registry
from cortex.llm.limits import limiter_for
from cortex.llm.pricing import cost_usd
from cortex.llm.providers.base import Provider
from cortex.llm.retry import CircuitBreaker, RetryPolicy, counts_against_breaker
from cortex.llm.routing import Route, chain_for
from cortex.llm.stats import CallRecord, UsageLog
from cortex.llm.types import (
    Attempt,
    Completion,
    Message,
    ProviderResponse,
    Request,
    TaskType,
    Tool,
    Usage,
)

# A provider's own timeout should fire first; this guard catches one that never does.
TIMEOUT_GRACE = 0.25

T = TypeVar("T")
PromptLike = str | Message | Sequence[Message | Mapping[str, Any]]


@dataclass(frozen=True)
class Call:
    """One resolved request to the router (before a provider is chosen)."""

    messages: tuple[Message, ...]
    task: TaskType
    schema: dict[str, Any] | None = None
    schema_name: str = "answer"
    tools: tuple[Tool, ...] = ()
    max_tokens: int | None = None
    temperature: float | None = None
    provider: str | None = None
    model: str | None = None
    timeout: float | None = None


def to_messages(prompt: PromptLike, system: str | None = None) -> tuple[Message, ...]:
    """Normalise a prompt (text, a Message, or a list of Messages / {'role','content'} dicts)."""
    if isinstance(prompt, str):
        messages = [Message.user(prompt)]
    elif isinstance(prompt, Message):
        messages = [prompt]
    else:
        messages = []
        for item in prompt:
            if isinstance(item, Message):
                messages.append(item)
            elif isinstance(item, Mapping) and "role" in item:
                messages.append(Message(item["role"], str(item.get("content") or "")))
            else:
                raise UsageError(
                    f"Not a message: {item!r}.", hint="Pass text, Message objects or {'role','content'} dicts."
                )
    if system:
        messages.insert(0, Message.system(system))
    if not any(m.content.strip() or m.tool_calls for m in messages if m.role != "system"):
        raise UsageError("The prompt is empty.", hint="Give the model something to answer.")
    return tuple(messages)


class LLMRouter:
    """Dispatches completions across providers by task type. Thread-safe; one per process is typical."""

    def __init__(self, settings: Settings | None = None, *, usage_log: UsageLog | None = None) -> None:
        self.settings = settings or Settings.load()
        s = self.settings
        self.retry = RetryPolicy(
            max_retries=int(s.get("limits.max_retries", 2)), base_delay=float(s.get("limits.backoff", 0.5))
        )
        self.timeout = float(s.get("limits.timeout", 60))
        self.deadline = float(s.get("limits.deadline", 180))
        self.usage = usage_log if usage_log is not None else UsageLog()
        self._providers: dict[str, Provider] = {}  # for introspection (configured, describe)
        # Instances that make calls hold connection pools bound to one event loop: one set per loop.
        self._live: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, Provider]] = (
            weakref.WeakKeyDictionary()
        )
        self._breaker_lock = threading.Lock()
        self.daily_cap = float(s.get("budget.daily_usd") or 0)
        self._breakers: dict[str, CircuitBreaker] = {}
        self._limits: dict[str, tuple[int, int]] = {}
        self._candidate_cache: dict[tuple[TaskType, str | None, str | None], list[tuple[Route, Provider]]] = {}

    # ----- public sync / async entries -------------------------------------------------------------

    def complete(self, prompt: PromptLike, **kw: Any) -> Completion:
        return loop.run_sync(self._over_chain(self._call(prompt, **kw), None))

    async def acomplete(self, prompt: PromptLike, **kw: Any) -> Completion:
        return await self._over_chain(self._call(prompt, **kw), None)

    def stream(self, prompt: PromptLike, **kw: Any) -> CompletionStream:
        return CompletionStream(self, self._call(prompt, stream=True, **kw))

    def astream(self, prompt: PromptLike, **kw: Any) -> AsyncCompletionStream:
        return AsyncCompletionStream(self, self._call(prompt, stream=True, **kw))

    def complete_batch(
        self, requests: Iterable[PromptLike | Mapping[str, Any]], *, concurrency: int = 16
    ) -> list[Completion | CortexError]:
        """Many requests with bounded concurrency; each item is a Completion or the CortexError it ended in."""
        return loop.run_sync(self._batch(self._calls(requests), concurrency))

    async def acomplete_batch(
        self, requests: Iterable[PromptLike | Mapping[str, Any]], *, concurrency: int = 16
    ) -> list[Completion | CortexError]:
        return await self._batch(self._calls(requests), concurrency)

    # ----- introspection ---------------------------------------------------------------------------

    def provider(self, name: str) -> Provider:
        prov = self._providers.get(name)
        if prov is None:
            cls = registry.get(name)
            prov = self._providers[name] = cls(self.settings.section(f"providers.{name}"))
        return prov

    def _live_provider(self, name: str) -> Provider:
        """The instance that makes calls on the running loop (its SDK client is bound to that loop)."""
        lp = asyncio.get_running_loop()
        providers = self._live.get(lp)
        if providers is None:
            providers = self._live[lp] = {}
        prov = providers.get(name)
        if prov is None:
            prov = providers[name] = registry.get(name)(self.settings.section(f"providers.{name}"))
        return prov

    def routes(self, task: TaskType | str, *, provider: str | None = None) -> list[Route]:
        """The task's chain as configured in the routing table, before filtering."""
        return chain_for(
            TaskType.parse(task),
            profile=str(self.settings.get("routing.profile") or "auto"),
            overrides=self.settings.get("routing.tasks") or None,
            forced=provider or self.settings.get("provider"),
        )

    def explain(self, task: TaskType | str, *, provider: str | None = None) -> list[dict[str, Any]]:
        """Each provider of the task's chain with the model it would use and whether it is configured."""
        out = []
        for route in self.routes(task, provider=provider):
            prov = self.provider(route.provider)
            ok, why = prov.configured()
            out.append(
                {
                    "provider": route.provider,
                    "model": route.model or prov.default_model,
                    "configured": ok,
                    "reason": why,
                }
            )
        return out

    def chain(self, task: TaskType | str, *, provider: str | None = None) -> list[tuple[str, str]]:
        """Configured (provider, model) pairs for a task, in the order they would be tried."""
        return [(e["provider"], e["model"]) for e in self.explain(task, provider=provider) if e["configured"]]

    def close(self) -> None:
        """Flush accounting and release provider connections."""
        self.usage.flush()
        live = list(self._live.items())
        self._live.clear()
        self._providers.clear()
        self._candidate_cache.clear()
        for lp, providers in live:
            if lp.is_closed() or not providers:
                continue
            try:
                if lp is loop.background_loop() and lp.is_running():
                    asyncio.run_coroutine_threadsafe(_close_all(list(providers.values())), lp).result(10)
                elif not lp.is_running():
                    lp.run_until_complete(_close_all(list(providers.values())))
            except Exception:
                pass  # connections go with their loop

    async def aclose(self) -> None:
        """Flush accounting and release the connections opened on the running loop."""
        self.usage.flush()
        providers = self._live.pop(asyncio.get_running_loop(), {})
        await _close_all(list(providers.values()))

    def __enter__(self) -> LLMRouter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ----- building calls --------------------------------------------------------------------------

    def _call(
        self,
        prompt: PromptLike,
        *,
        task: TaskType | str = TaskType.USER_CHAT,
        system: str | None = None,
        schema: dict[str, Any] | None = None,
        schema_name: str = "answer",
        tools: Sequence[Tool] = (),
        max_tokens: int | None = None,
        temperature: float | None = None,
        provider: str | None = None,
        model: str | None = None,
        timeout: float | None = None,
        stream: bool = False,
    ) -> Call:
        if model and not provider:
            raise UsageError("`model=` needs `provider=`: model ids differ between providers.")
        if stream and schema:
            raise UsageError("Structured output is not streamed; use complete(..., schema=...).")
        if max_tokens is not None and max_tokens <= 0:
            raise UsageError("max_tokens must be positive.")
        return Call(
            messages=to_messages(prompt, system),
            task=TaskType.parse(task),
            schema=schema,
            schema_name=schema_name,
            tools=tuple(tools),
            max_tokens=max_tokens,
            temperature=temperature,
            provider=provider,
            model=model,
            timeout=timeout,
        )

    def _calls(self, requests: Iterable[PromptLike | Mapping[str, Any]]) -> list[Call | CortexError]:
        calls: list[Call | CortexError] = []
        for item in requests:
            try:
                if isinstance(item, Mapping) and "role" not in item:
                    kw = dict(item)
                    calls.append(self._call(kw.pop("prompt"), **kw))
                else:
                    calls.append(self._call(item))  # type: ignore[arg-type]
            except CortexError as exc:
                calls.append(exc)
            except (KeyError, TypeError) as exc:
                calls.append(UsageError(f"Invalid batch item: {exc}"))
        return calls

    # ----- the one implementation ------------------------------------------------------------------

    def _guards(self, name: str) -> tuple[CircuitBreaker, Any]:
        """The provider's breaker (this router's) and limiter (the process's), settings read once."""
        breaker = self._breakers.get(name)
        if breaker is None:
            breaker = self._breakers[name] = CircuitBreaker(
                failure_threshold=int(self.settings.get("breaker.failures", 5)),
                cooldown=float(self.settings.get("breaker.cooldown", 30)),
            )
            section = self.settings.section(f"providers.{name}")
            self._limits[name] = (
                int(section.get("concurrency") or self.settings.get("limits.concurrency", 8)),
                int(section.get("rpm") or self.settings.get("limits.rpm", 0)),
            )
        return breaker, limiter_for(name, *self._limits[name])

    def _candidates(self, call: Call) -> list[tuple[Route, Provider]]:
        """Configured providers for the call, in order (cached: settings do not change under a router)."""
        key = (call.task, call.provider, call.model)
        cached = self._candidate_cache.get(key)
        if cached is None:
            cached = self._candidate_cache[key] = self._resolve_candidates(call)
        return cached

    def _resolve_candidates(self, call: Call) -> list[tuple[Route, Provider]]:
        chosen: list[tuple[Route, Provider]] = []
        skipped: list[str] = []
        forced = call.provider
        routes = self.routes(call.task, provider=forced)
        if forced and call.model:
            routes = [Route(routes[0].provider, call.model)]
        for route in routes:
            prov = self.provider(route.provider)
            ok, why = prov.configured()
            if ok:
                chosen.append((route, prov))
            else:
                skipped.append(f"{route.provider}: {why}")
        if not chosen:
            hint = AllProvidersFailed([]).hint
            raise NotConfiguredError(
                f"No provider is configured for {call.task.value} ({'; '.join(skipped) or 'empty chain'}).",
                hint=hint,
            )
        return chosen

    async def _stream_run(self, call: Call, emit: Callable[[str], None]) -> Completion:
        return await self._over_chain(call, emit)

    async def _over_chain(self, call: Call, emit: Callable[[str], None] | None) -> Completion:
        started = time.monotonic()
        deadline = started + float(call.timeout or self.deadline)
        candidates = self._candidates(call)
        failures: list[tuple[str, ProviderError]] = []
        attempts: list[Attempt] = []
        streamed = [False]

        def on_delta(text: str) -> None:
            streamed[0] = True
            assert emit is not None
            emit(text)

        for index, (route, prov) in enumerate(candidates):
            has_fallback = index < len(candidates) - 1
            try:
                completion = await self._with_provider(
                    call, route, prov, deadline, has_fallback, attempts, on_delta if emit else None, started
                )
                return completion
            except ProviderError as exc:
                failures.append((route.provider, exc))
                if streamed[0]:
                    raise BadResponseError(
                        f"{route.provider}: the stream broke after part of the answer: {exc.message}",
                        provider=route.provider,
                        model=exc.model,
                    ) from None
                if time.monotonic() >= deadline:
                    break
        if len(failures) == 1 and len(candidates) == 1:
            raise failures[0][1]
        raise AllProvidersFailed(failures)

    async def _with_provider(
        self,
        call: Call,
        route: Route,
        prov: Provider,
        deadline: float,
        has_fallback: bool,
        attempts: list[Attempt],
        on_delta: Callable[[str], None] | None,
        started: float,
    ) -> Completion:
        name = route.provider
        prov = self._live_provider(name)
        model = route.model or prov.default_model
        paid = bool(getattr(prov, "paid", False))
        if paid and self.daily_cap > 0 and self.usage.paid_today() >= self.daily_cap:
            raise BudgetExceededError(
                f"{name}: the daily budget of ${self.daily_cap:.2f} is spent.", provider=name, model=model
            )
        breaker, limiter = self._guards(name)
        # Import the SDK / load the model before any attempt's timer starts (first call in a process).
        try:
            await prov.prepare(model)
        except (ProviderError, Exception) as raw:
            raise _as_provider_error(raw, name, model, self.timeout) from None
        messages = call.messages
        emitted = [False]

        def delta(text: str) -> None:
            emitted[0] = True
            assert on_delta is not None
            on_delta(text)

        reasked = False
        retries = 0
        usage = Usage()
        while True:
            now = time.monotonic()
            with self._breaker_lock:
                allowed = breaker.allow(now)
            if not allowed:
                raise CircuitOpenError(
                    f"{name} failed {breaker.failures} times in a row; not asking it for another "
                    f"{breaker.retry_in(now):.0f} s.",
                    provider=name,
                    model=model,
                    hint="Check the provider (cortex doctor), or wait for the cool-down.",
                )
            remaining = deadline - now
            if remaining <= 0:
                with self._breaker_lock:
                    breaker.release_probe()
                raise ProviderTimeout(f"{name}: the call's deadline passed.", provider=name, model=model)
            request = Request(
                messages=messages,
                model=model,
                max_tokens=call.max_tokens or prov.max_tokens,
                temperature=call.temperature,
                schema=call.schema,
                schema_name=call.schema_name,
                tools=call.tools,
                timeout=min(self.timeout, remaining),
            )
            t0 = time.monotonic()
            try:
                async with limiter.slot():
                    if on_delta is None:
                        # Inline rather than a helper coroutine: every extra frame is re-entered on each
                        # I/O wake-up of the SDK call below.
                        if _HAS_TIMEOUT:
                            async with asyncio.timeout(request.timeout + TIMEOUT_GRACE):  # type: ignore[attr-defined]
                                response = await prov.acomplete(request)
                        else:  # pragma: no cover - Python 3.10
                            response = await asyncio.wait_for(prov.acomplete(request), request.timeout + TIMEOUT_GRACE)
                    else:
                        response = await _consume_stream(prov, request, delta)
            except asyncio.CancelledError:
                with self._breaker_lock:
                    breaker.release_probe()
                raise
            except (ProviderError, asyncio.TimeoutError, Exception) as raw:
                err = _as_provider_error(raw, name, model, request.timeout)
                latency = time.monotonic() - t0
                attempts.append(Attempt(name, model, False, err.message, latency))
                self._record(call, name, model, False, type(err).__name__, Usage(), 0.0, latency, paid)
                if counts_against_breaker(err):
                    with self._breaker_lock:
                        breaker.record_failure(time.monotonic())
                else:
                    with self._breaker_lock:
                        breaker.release_probe()
                if not emitted[0] and self.retry.should_retry(err, retries, has_fallback=has_fallback):
                    delay = self.retry.delay_for(retries, getattr(err, "retry_after", None))
                    if time.monotonic() + delay < deadline:
                        retries += 1
                        await asyncio.sleep(delay)
                        continue
                raise err from None
            latency = time.monotonic() - t0
            with self._breaker_lock:
                breaker.record_success()
            usage = usage + response.usage
            cost = cost_usd(name, response.model or model, response.usage, paid=paid)
            data = None
            if call.schema is not None and not response.tool_calls:
                from cortex.llm.schema import SchemaMismatch, parse_and_validate, reask_message

                try:
                    data = parse_and_validate(response.text, call.schema)
                except SchemaMismatch as mismatch:
                    attempts.append(Attempt(name, model, False, f"schema: {mismatch}", latency))
                    self._record(call, name, model, False, "SchemaError", response.usage, cost, latency, paid)
                    if not reasked:
                        reasked = True
                        messages = (
                            *call.messages,
                            Message.assistant(response.text),
                            Message.user(reask_message(mismatch, call.schema)),
                        )
                        continue
                    raise SchemaError(
                        f"{name}: the answer did not match the schema twice ({mismatch}).",
                        provider=name,
                        model=model,
                    ) from None
            attempts.append(Attempt(name, response.model or model, True, "", latency))
            self._record(call, name, response.model or model, True, "", response.usage, cost, latency, paid)
            total_cost = cost if usage == response.usage else cost_usd(name, response.model or model, usage, paid=paid)
            return Completion(
                text=response.text,
                provider=name,
                model=response.model,
                task=call.task,
                usage=usage,
                latency_s=time.monotonic() - started,
                cost_usd=total_cost,
                finish_reason=response.finish_reason,
                tool_calls=response.tool_calls,
                data=data,
                attempts=tuple(attempts),
                metrics=dict(response.metrics),
            )

    def _record(
        self,
        call: Call,
        provider: str,
        model: str,
        ok: bool,
        error: str,
        usage: Usage,
        cost: float,
        latency: float,
        paid: bool,
    ) -> None:
        self.usage.record(
            CallRecord(
                time.time(),
                provider,
                model,
                call.task.value,
                ok,
                error,
                usage.input_tokens,
                usage.output_tokens,
                cost,
                latency,
                paid,
            )
        )

    async def _batch(self, calls: list[Call | CortexError], concurrency: int) -> list[Completion | CortexError]:
        sem = asyncio.Semaphore(max(1, concurrency))

        async def one(call: Call | CortexError) -> Completion | CortexError:
            if isinstance(call, CortexError):
                return call
            async with sem:
                try:
                    return await self._over_chain(call, None)
                except CortexError as exc:
                    return exc

        return list(await asyncio.gather(*(one(c) for c in calls)))


_HAS_TIMEOUT = sys.version_info >= (3, 11)

if _HAS_TIMEOUT:

    async def _bounded(aw: Awaitable[T], seconds: float) -> T:
        """Await with a time limit (no extra task, unlike wait_for before 3.12)."""
        async with asyncio.timeout(seconds):
            return await aw

else:  # pragma: no cover - Python 3.10

    async def _bounded(aw: Awaitable[T], seconds: float) -> T:
        return await asyncio.wait_for(aw, seconds)


async def _consume_stream(prov: Provider, request: Request, on_delta: Callable[[str], None]) -> ProviderResponse:
    """Drive a provider stream with an idle timeout per event; return the final response."""
    iterator = prov.astream(request).__aiter__()
    final: ProviderResponse | None = None
    parts: list[str] = []
    while True:
        try:
            event = await _bounded(iterator.__anext__(), request.timeout + TIMEOUT_GRACE)
        except StopAsyncIteration:
            break
        if event.text:
            parts.append(event.text)
            on_delta(event.text)
        if event.done:
            final = event.response
            break
    if final is None:
        raise BadResponseError(
            f"{prov.name}: the stream ended without a final event.", provider=prov.name, model=request.model
        )
    if not final.text and parts:
        final = replace(final, text="".join(parts))
    return final


def _as_provider_error(raw: BaseException, name: str, model: str, timeout: float) -> ProviderError:
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


async def _close_all(providers: list[Provider]) -> None:
    for prov in providers:
        try:
            await prov.aclose()
        except Exception:
            pass


class AsyncCompletionStream:
    """Async-iterate text deltas; `.completion` holds the accounted Completion once the stream ends."""

    def __init__(self, router: LLMRouter, call: Call) -> None:
        self._router = router
        self._call = call
        self.completion: Completion | None = None

    async def __aiter__(self) -> AsyncIterator[str]:
        items: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()
        task = asyncio.ensure_future(_pump(self._router, self._call, items.put_nowait))
        try:
            while True:
                kind, payload = await items.get()
                if kind == "delta":
                    yield payload
                elif kind == "done":
                    self.completion = payload
                    return
                else:
                    raise payload
        finally:
            if not task.done():
                task.cancel()
                try:
                    await task
                except BaseException:
                    pass


class CompletionStream:
    """Iterate text deltas from sync code: steps the async stream on this thread's loop."""

    def __init__(self, router: LLMRouter, call: Call) -> None:
        self._astream = AsyncCompletionStream(router, call)
        self.completion: Completion | None = None

    def __iter__(self) -> Iterator[str]:
        ait = self._astream.__aiter__()
        try:
            while True:
                try:
                    delta = loop.run_sync(ait.__anext__())
                except StopAsyncIteration:
                    break
                yield delta
            self.completion = self._astream.completion
        finally:
            try:
                loop.run_sync(ait.aclose())
            except Exception:
                pass


async def _pump(router: LLMRouter, call: Call, put: Callable[[tuple[str, Any]], None]) -> None:
    try:
        completion = await router._stream_run(call, lambda text: put(("delta", text)))
    except asyncio.CancelledError:
        raise
    except BaseException as exc:
        put(("error", exc))
    else:
        put(("done", completion))
