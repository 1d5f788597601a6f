"""Streaming: reading one provider's event stream under an idle timeout, and the stream objects
`LLMRouter.stream()` / `astream()` return (text deltas, then the accounted Completion).

The router's one implementation runs as a task that pushes deltas into a queue; the async stream
reads the queue, the sync stream steps the async one on the thread's loop (cortex.llm.loop).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from cortex.errors import BadResponseError, ProviderTimeout
from cortex.llm import loop
from cortex.llm.failures import who
from cortex.llm.providers.base import Provider
from cortex.llm.retry import seconds
from cortex.llm.types import Completion, ProviderResponse, Request, StreamEvent
from cortex.llm.watchdog import GRACE, Watchdog

if TYPE_CHECKING:
    from cortex.llm.calls import Call

Run = Callable[["Call", Callable[[str], None]], Coroutine[Any, Any, Completion]]


async def consume(
    prov: Provider,
    request: Request,
    on_event: Callable[[StreamEvent], None],
    *,
    first: float,
    idle: float,
    whole: str = "deadline",
) -> ProviderResponse:
    """Drive a provider stream; return its final response.

    The first event may take `first` seconds (a local server loading a model), each later one at most
    `idle`: a stream that goes silent, or trickles bytes that never make an event, is a timeout as
    fast as a hang. The whole stream is bounded by `request.timeout`: what is left of the deadline
    (`whole="deadline"`, a streamed call), or the attempt's limit (`"timeout"`, a non-streamed call
    served by streaming).
    """
    final: ProviderResponse | None = None
    parts: list[str] = []
    watch = Watchdog(first=first, idle=idle, ends=asyncio.get_running_loop().time() + request.timeout + GRACE)
    events = prov.astream(request)
    try:
        async for event in events:
            watch.saw_event()
            if event.text:
                parts.append(event.text)
            on_event(event)
            if event.done:
                final = event.response
                break
    except asyncio.CancelledError:
        if not watch.expired():
            raise
        raise _silence(prov, request, watch.silence, bool(parts), whole) from None
    finally:
        watch.close()
        # Left after its final event (or cut short), the provider's generator still holds the HTTP
        # response: close it here, not when the loop shuts down ("Task was destroyed but it is pending").
        aclose = getattr(events, "aclose", None)
        if aclose is not None:
            await aclose()
    if final is None:
        raise BadResponseError(
            f"{who(prov.name, request.model)}: the stream ended without a final event.",
            provider=prov.name,
            model=request.model,
        )
    if not final.text and parts:
        final = replace(final, text="".join(parts))
    return final


def _silence(prov: Provider, request: Request, idle: float | None, started: bool, whole: str) -> ProviderTimeout:
    """The timeout of a stream: silent for `idle` seconds, or out of time (None)."""
    if idle is None and whole == "timeout":
        what = f"no complete answer within {seconds(request.timeout)}"
        hint = "Raise limits.timeout (CORTEX_TIMEOUT) for long answers, or stream them."
    elif idle is None:
        what = "the call's deadline passed while the answer was still coming"
        hint = "Raise limits.deadline for long answers."
    else:
        what = f"{'the stream went silent' if started else 'no answer'}: nothing for {seconds(idle)}"
        hint = "Check the server (cortex doctor), or raise limits.idle_timeout if it is only slow to start."
    return ProviderTimeout(
        f"{who(prov.name, request.model)}: {what}.", provider=prov.name, model=request.model, hint=hint
    )


class AsyncCompletionStream:
    """Async-iterate text deltas; `.completion` holds the accounted Completion once the stream ends."""

    def __init__(self, run: Run, call: Call) -> None:
        self._run = run
        self._call = call
        self.completion: Completion | None = None

    async def __aiter__(self) -> AsyncIterator[str]:
        items: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()
        task = asyncio.ensure_future(_pump(self._run, self._call, items.put_nowait))
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

    def __init__(self, run: Run, call: Call) -> None:
        self._astream = AsyncCompletionStream(run, call)
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
                loop.run_sync(ait.aclose())  # type: ignore[attr-defined]
            except Exception:
                pass


async def _pump(run: Run, call: Call, put: Callable[[tuple[str, Any]], None]) -> None:
    try:
        completion = await run(call, lambda text: put(("delta", text)))
    except asyncio.CancelledError:
        raise
    except BaseException as exc:
        put(("error", exc))
    else:
        put(("done", completion))
