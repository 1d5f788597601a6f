"""Where the router's one async implementation runs.

- Async callers (`acomplete`, `astream`, `acomplete_batch`) run it on their own event loop: no
  thread hop.
- Sync callers (`complete`, `stream`, `complete_batch`) run it on a persistent event loop owned by
  the calling thread (kept between calls, so connection pools are reused).
- A sync call made from inside a running loop (async code calling the sync API, a notebook) cannot
  block that loop, so it is handed to one background loop thread instead.

Limits that must hold across all of these live in cortex.llm.limits and use thread-safe primitives.
"""

from __future__ import annotations

import asyncio
import atexit
import threading
from collections.abc import Awaitable, Coroutine
from concurrent.futures import Future
from typing import Any, TypeVar

T = TypeVar("T")

# How long a Ctrl-C waits for the cancelled call to tidy up before it ends the program anyway.
CANCEL_GRACE_S = 2.0

_local = threading.local()
_lock = threading.Lock()
_background: asyncio.AbstractEventLoop | None = None
_background_thread: threading.Thread | None = None


def thread_loop() -> asyncio.AbstractEventLoop:
    """This thread's persistent loop for sync calls."""
    lp = getattr(_local, "loop", None)
    if lp is None or lp.is_closed():
        lp = _local.loop = asyncio.new_event_loop()
    return lp


def in_running_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def run_sync(aw: Awaitable[T]) -> T:
    """Run an awaitable to completion from sync code; Ctrl-C cancels it cleanly and re-raises."""
    if in_running_loop():
        future = submit(aw)
        try:
            return future.result()
        except KeyboardInterrupt:
            future.cancel()
            raise
    lp = thread_loop()
    task = asyncio.ensure_future(aw, loop=lp)
    try:
        return lp.run_until_complete(task)
    except KeyboardInterrupt:
        task.cancel()
        try:
            # the task's own clean-up (closing the stream, recording usage), but never an unbounded wait:
            # a task that swallows its cancellation must not keep a Ctrl-C from ending the program
            lp.run_until_complete(asyncio.wait({task}, timeout=CANCEL_GRACE_S))
        except BaseException:
            pass
        raise


def background_loop() -> asyncio.AbstractEventLoop:
    global _background, _background_thread
    with _lock:
        if _background is None or _background_thread is None or not _background_thread.is_alive():
            lp = asyncio.new_event_loop()
            ready = threading.Event()

            def run() -> None:
                asyncio.set_event_loop(lp)
                lp.call_soon(ready.set)
                lp.run_forever()

            thread = threading.Thread(target=run, name="cortex-llm-loop", daemon=True)
            thread.start()
            ready.wait()
            _background, _background_thread = lp, thread
    return _background


def submit(aw: Awaitable[T]) -> Future[T]:
    """Run an awaitable on the background loop thread."""

    async def wrap() -> T:
        return await aw

    coro: Coroutine[Any, Any, T] = wrap()
    return asyncio.run_coroutine_threadsafe(coro, background_loop())


def _shutdown() -> None:
    lp = _background
    if lp is not None and lp.is_running():
        lp.call_soon_threadsafe(lp.stop)
    _close_thread_loop()


def _close_thread_loop() -> None:
    """At exit, finish this thread's loop: an async generator collected after the last sync call (an
    SDK's stream reader, kept alive by a reference cycle until then) has its close scheduled on the
    loop, and a loop that never runs again leaves that task pending ("Task was destroyed but it is
    pending!" on stderr). shutdown_asyncgens closes every generator still open, then the loop closes."""
    lp = getattr(_local, "loop", None)
    if lp is None or lp.is_closed() or lp.is_running():
        return
    try:
        pending = [t for t in asyncio.all_tasks(lp) if not t.done()]
        if pending:
            lp.run_until_complete(asyncio.wait(pending, timeout=1.0))
        lp.run_until_complete(lp.shutdown_asyncgens())
    except Exception:  # exiting anyway: a failure to tidy up is not the user's news
        pass
    finally:
        lp.close()


atexit.register(_shutdown)
