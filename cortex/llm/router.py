"""LLMRouter: sync, async, streaming and batched completions across providers, chosen by task type.

    router = LLMRouter()
    c = router.complete("Which package ships ffmpeg?", task=TaskType.PACKAGE_SELECTION)
    c.text, c.provider, c.model, c.usage, c.cost_usd, c.latency_s

The router holds the settings, resolves a task's chain and falls back along it (`_run`); each
provider's turn is a `cortex.llm.attempt.ProviderAttempt` (budget, breaker, send or stream, retry
decision, schema re-ask, accounting), the way httpx's Client sits on its transports. Streams live in
cortex.llm.streams, the per-loop provider instances in cortex.llm.pool. complete / acomplete /
stream / astream / complete_batch / acomplete_batch are thin entries into the one async `_run`,
which sync callers reach through the thread's router loop (cortex.llm.loop).
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from cortex.config import Settings
from cortex.errors import AllProvidersFailed, CortexError, NotConfiguredError, ProviderError
from cortex.llm import loop
from cortex.llm.attempt import ProviderAttempt, Trace
from cortex.llm.breakers import BreakerBoard, BreakerSettings
from cortex.llm.calls import Call, PromptLike, make_call, make_calls, to_messages
from cortex.llm.failures import chain_failed, stream_broke
from cortex.llm.limits import ProviderLimiter, limiter_for
from cortex.llm.pool import ProviderPool
from cortex.llm.providers.base import Provider
from cortex.llm.retry import RetryPolicy
from cortex.llm.routing import Route, chain_for
from cortex.llm.stats import UsageLog
from cortex.llm.streams import AsyncCompletionStream, CompletionStream
from cortex.llm.types import Completion, TaskType

__all__ = ["AsyncCompletionStream", "Call", "CompletionStream", "LLMRouter", "PromptLike", "to_messages"]


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
        self.connect_timeout = float(s.get("limits.connect_timeout", 5))
        self.idle_timeout = float(s.get("limits.idle_timeout", 10))
        self.daily_cap = float(s.get("budget.daily_usd") or 0)
        self.breaker_settings = BreakerSettings(int(s.get("breaker.failures", 5)), float(s.get("breaker.cooldown", 30)))
        self.usage = usage_log if usage_log is not None else UsageLog()
        self.pool = ProviderPool(lambda name: self.settings.section(f"providers.{name}"))
        self._breakers: BreakerBoard | None = None
        self._lock = threading.Lock()
        self._limits: dict[str, tuple[int, int]] = {}
        self._idle: dict[str, float] = {}
        self._candidate_cache: dict[tuple[TaskType, str | None, str | None], list[tuple[Route, Provider]]] = {}

    # ----- public sync / async entries -------------------------------------------------------------

    def complete(self, prompt: PromptLike, **kw: Any) -> Completion:
        return loop.run_sync(self._run(make_call(prompt, **kw)))

    async def acomplete(self, prompt: PromptLike, **kw: Any) -> Completion:
        return await self._run(make_call(prompt, **kw))

    def stream(self, prompt: PromptLike, **kw: Any) -> CompletionStream:
        return CompletionStream(self._run, make_call(prompt, stream=True, **kw))

    def astream(self, prompt: PromptLike, **kw: Any) -> AsyncCompletionStream:
        return AsyncCompletionStream(self._run, make_call(prompt, stream=True, **kw))

    def complete_batch(
        self, requests: Iterable[PromptLike | Mapping[str, Any]], *, concurrency: int = 16
    ) -> list[Completion | CortexError]:
        """Many requests with bounded concurrency; each item is a Completion or the CortexError it ended in."""
        return loop.run_sync(self._batch(make_calls(requests), concurrency))

    async def acomplete_batch(
        self, requests: Iterable[PromptLike | Mapping[str, Any]], *, concurrency: int = 16
    ) -> list[Completion | CortexError]:
        return await self._batch(make_calls(requests), concurrency)

    # ----- introspection ---------------------------------------------------------------------------

    def provider(self, name: str) -> Provider:
        return self.pool.described(name)

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
        self._candidate_cache.clear()
        self.pool.close()
        board, self._breakers = self._breakers, None
        if board is not None:
            board.close()

    async def aclose(self) -> None:
        """Flush accounting and release the connections opened on the running loop."""
        self.usage.flush()
        await self.pool.aclose()

    def __enter__(self) -> LLMRouter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ----- what attempts share -----------------------------------------------------------------------

    @property
    def breakers(self) -> BreakerBoard:
        """The breaker state every cortex process shares (<data dir>/breaker.db), opened on first use."""
        board = self._breakers
        if board is None:
            with self._lock:
                if self._breakers is None:
                    self._breakers = BreakerBoard()
                board = self._breakers
        return board

    def limiter(self, name: str) -> ProviderLimiter:
        """The provider's concurrency / rpm limiter (the process's), its settings read once."""
        limits = self._limits.get(name)
        if limits is None:
            section = self.settings.section(f"providers.{name}")
            limits = self._limits[name] = (
                int(section.get("concurrency") or self.settings.get("limits.concurrency", 8)),
                int(section.get("rpm") or self.settings.get("limits.rpm", 0)),
            )
        return limiter_for(name, *limits)

    def idle_for(self, name: str) -> float:
        """Seconds of silence after which a provider's stream counts as hung (providers.NAME.idle_timeout
        overrides limits.idle_timeout)."""
        idle = self._idle.get(name)
        if idle is None:
            own = self.settings.section(f"providers.{name}").get("idle_timeout")
            idle = self._idle[name] = float(own or self.idle_timeout)
        return idle

    # ----- the chain -------------------------------------------------------------------------------

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
        routes = self.routes(call.task, provider=call.provider)
        if call.provider and call.model:
            routes = [Route(routes[0].provider, call.model)]
        for route in routes:
            prov = self.provider(route.provider)
            ok, why = prov.configured()
            if ok:
                chosen.append((route, prov))
            else:
                skipped.append(f"{route.provider}: {why}")
        if not chosen:
            raise NotConfiguredError(
                f"No provider is configured for {call.task.value} ({'; '.join(skipped) or 'empty chain'}).",
                hint=AllProvidersFailed([]).hint,
            )
        return chosen

    async def _run(self, call: Call, emit: Callable[[str], None] | None = None) -> Completion:
        """The one implementation: each configured provider of the chain at most once, in order."""
        started = time.monotonic()
        trace = Trace(call, started, started + float(call.timeout or self.deadline), emit)
        candidates = self._candidates(call)
        failures: list[tuple[str, ProviderError]] = []
        not_tried: list[tuple[str, str]] = []
        for index, (route, _) in enumerate(candidates):
            if failures and time.monotonic() >= trace.deadline:
                not_tried = [(r.provider, "the call's deadline passed") for r, _ in candidates[index:]]
                break
            attempt = ProviderAttempt(self, trace, route, waiting=len(candidates) - index - 1)
            try:
                return await attempt.run()
            except ProviderError as exc:
                failures.append((route.provider, exc))
                if trace.streamed:
                    raise stream_broke(exc) from None
        if len(failures) == 1 and len(candidates) == 1:
            raise failures[0][1]
        raise chain_failed(failures, trace.attempts, not_tried)

    async def _batch(self, calls: list[Call | CortexError], concurrency: int) -> list[Completion | CortexError]:
        sem = asyncio.Semaphore(max(1, concurrency))

        async def one(call: Call | CortexError) -> Completion | CortexError:
            if isinstance(call, CortexError):
                return call
            async with sem:
                try:
                    return await self._run(call)
                except CortexError as exc:
                    return exc

        return list(await asyncio.gather(*(one(c) for c in calls)))
