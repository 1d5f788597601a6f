"""Router benchmarks (issues 2 and 14). Prints ratios against baselines run in the same process.

A non-streamed call is sent as a stream by default (providers.NAME.stream_completions) so that the
idle timeout catches a hang; the overhead and batch figures are printed for that transport against
a raw SDK doing the same, and for `stream_completions: false` against whole answers.

1. Overhead: LLMRouter.complete() vs the raw openai SDK call against the same loopback server:
   median extra time per call (target <= 1 ms).
2. Async batch: 200 requests at concurrency 16 through acomplete_batch() vs a hand-written
   asyncio + AsyncOpenAI loop with a semaphore: throughput ratio (target >= 0.95x), for equal work
   (both streamed), for the router's default against whole answers, and whole against whole.
3. Own cost: the router's CPU per call with an in-process provider that answers at once (cortex's
   code alone, steady where the ratios above are noisy).
4. Startup: `cortex --help` and `cortex config show` wall time (target <= 0.15 s), next to a bare
   `python -c pass` in the same run.
5. Faults (--faults), against the protocol servers of tests/servers/ with the default timeouts:
   a first provider that accepts and then hangs -> seconds until the second answers (streamed and
   non-streamed); a 200-request batch against a server answering 40% 429 (Retry-After: 1) and 20%
   500 at random -> how many were answered.

    python benchmarks/bench_router.py [--calls 300] [--batch 200] [--rounds 7] [--faults]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._serve import serve

MESSAGES = [{"role": "user", "content": "ping"}]


def router_for(url: str, concurrency: int = 64, *, stream_completions: bool = True):
    from cortex.config import Settings
    from cortex.llm.router import LLMRouter
    from cortex.llm.stats import UsageLog

    settings = Settings.load(
        env={},
        flags={
            "provider": "openai",
            "providers.openai.base_url": url + "/v1",
            "providers.openai.api_key": "test-key",
            "providers.openai.model": "gpt-4o-mini",
            "providers.openai.stream_completions": stream_completions,
            "limits.concurrency": concurrency,
        },
    )
    return LLMRouter(settings, usage_log=UsageLog(Path(tempfile.mkdtemp()) / "usage.db"))


# What a hand-written loop sends: the answer whole, or (like the router's default transport for a
# non-streamed call) as a stream read to its end.
STREAM_ARGS = {"stream": True, "stream_options": {"include_usage": True}}


def raw_sync(client, stream: bool) -> None:
    answer = client.chat.completions.create(
        model="gpt-4o-mini", messages=MESSAGES, max_tokens=16, **(STREAM_ARGS if stream else {})
    )
    if stream:
        for _ in answer:
            pass


async def raw_async(client, stream: bool) -> None:
    answer = await client.chat.completions.create(
        model="gpt-4o-mini", messages=MESSAGES, max_tokens=16, **(STREAM_ARGS if stream else {})
    )
    if stream:
        async for _ in answer:
            pass


def _median_pair(a, b, calls: int) -> tuple[float, float]:
    """Median seconds of a() and b(), interleaved so machine drift hits both equally."""
    for fn in (a, b):
        for _ in range(20):
            fn()
    ta, tb = [], []
    for _ in range(calls):
        t0 = time.perf_counter()
        a()
        ta.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        b()
        tb.append(time.perf_counter() - t0)
    return statistics.median(ta), statistics.median(tb)


def _transport(stream: bool) -> str:
    return "streamed" if stream else "whole"


def bench_overhead(url: str, calls: int, *, stream: bool) -> None:
    """The router's extra time per call over the raw SDK doing the same request (`stream`: the
    router's default for a non-streamed call, sent as a stream; else stream_completions: false)."""
    import openai

    kind = _transport(stream)
    raw = openai.OpenAI(base_url=url + "/v1", api_key="test-key", max_retries=0)
    router = router_for(url, stream_completions=stream)
    r, c = _median_pair(lambda: raw_sync(raw, stream), lambda: router.complete("ping", max_tokens=16), calls)
    print(
        f"[overhead sync, {kind}] raw OpenAI SDK median {r * 1000:.3f} ms, router.complete() median {c * 1000:.3f} ms"
    )
    print(f"[overhead sync, {kind}] extra per call {(c - r) * 1000:+.3f} ms (target <= 1 ms); ratio {c / r:.3f}x")
    raw.close()

    async def pair() -> tuple[float, float]:
        client = openai.AsyncOpenAI(base_url=url + "/v1", api_key="test-key", max_retries=0)
        ta, tb = [], []
        for i in range(calls + 20):
            t0 = time.perf_counter()
            await raw_async(client, stream)
            t1 = time.perf_counter()
            await router.acomplete("ping", max_tokens=16)
            t2 = time.perf_counter()
            if i >= 20:
                ta.append(t1 - t0)
                tb.append(t2 - t1)
        await client.close()
        await router.aclose()
        return statistics.median(ta), statistics.median(tb)

    r, c = asyncio.run(pair())
    print(
        f"[overhead async, {kind}] raw AsyncOpenAI median {r * 1000:.3f} ms, router.acomplete() median {c * 1000:.3f} ms"
    )
    print(f"[overhead async, {kind}] extra per call {(c - r) * 1000:+.3f} ms (target <= 1 ms); ratio {c / r:.3f}x")
    router.close()


def bench_batch(url: str, n: int, concurrency: int, rounds: int = 7, *, stream: bool, hand_stream: bool) -> None:
    """acomplete_batch against a hand-written asyncio + AsyncOpenAI loop with a semaphore.

    `stream`: the router sends each call as a stream (its default); `hand_stream`: so does the loop.
    Both sides close their connections after their timed part.
    """
    import openai

    async def hand_written() -> tuple[float, float]:
        client = openai.AsyncOpenAI(base_url=url + "/v1", api_key="test-key", max_retries=0)
        sem = asyncio.Semaphore(concurrency)

        async def one() -> None:
            async with sem:
                await raw_async(client, hand_stream)

        await asyncio.gather(*(one() for _ in range(20)))
        gc.collect()  # both sides start their timed part with no garbage pending
        t0, c0 = time.perf_counter(), time.process_time()
        await asyncio.gather(*(one() for _ in range(n)))
        dt = time.perf_counter() - t0, time.process_time() - c0
        await client.close()
        return dt

    async def routed(router) -> tuple[float, float]:
        await router.acomplete_batch([{"prompt": "ping", "max_tokens": 16}] * 20, concurrency=concurrency)
        router.usage.flush()  # accounting of the warm-up is written outside the timed part, as a quiet moment would
        gc.collect()
        t0, c0 = time.perf_counter(), time.process_time()
        results = await router.acomplete_batch([{"prompt": "ping", "max_tokens": 16}] * n, concurrency=concurrency)
        dt = time.perf_counter() - t0, time.process_time() - c0
        failed = [r for r in results if not hasattr(r, "text")]
        assert not failed, failed[:3]
        # Like the loop's client.close(): without it the loop's SDK client is collected later and
        # its __del__ schedules a close on whichever loop runs then (inside the next timed part).
        await router.aclose()
        return dt

    router = router_for(url, stream_completions=stream)
    base, mine = [], []
    for i in range(rounds):  # paired rounds, alternating which goes first: each ratio compares neighbours
        if i % 2:
            mine.append(asyncio.run(routed(router)))
            base.append(asyncio.run(hand_written()))
        else:
            base.append(asyncio.run(hand_written()))
            mine.append(asyncio.run(routed(router)))
    ratios = sorted(b[0] / m[0] for b, m in zip(base, mine, strict=True))
    # The client's CPU per round (both sides in this process, the server in its own): the work each
    # side does, steadier than wall time when other programs share the machine.
    cpu = statistics.median(b[1] / m[1] for b, m in zip(base, mine, strict=True))
    b, m = min(x[0] for x in base), min(x[0] for x in mine)
    what = f"router {_transport(stream)} / hand-written {_transport(hand_stream)}"
    print(
        f"[batch, {what}] {n} requests at concurrency {concurrency}: hand-written {n / b:.0f} req/s, "
        f"router {n / m:.0f} req/s (best of {rounds})"
    )
    print(
        f"[batch, {what}] throughput ratio: best-of {b / m:.3f}x, median of paired rounds "
        f"{statistics.median(ratios):.3f}x, client CPU {cpu:.3f}x (target >= 0.95x)"
    )
    router.close()


def bench_own_cost(n: int = 2000, rounds: int = 9) -> None:
    """The router's own CPU per call, with an in-process provider that answers at once: no SDK, no
    network, so the figure is cortex's code alone and steady on a busy machine (the batch ratio is
    that figure against an SDK call of ~2 ms, plus noise). Whole answers and answers read as a stream."""
    from cortex.config import Settings
    from cortex.llm import registry
    from cortex.llm.providers.base import Provider
    from cortex.llm.router import LLMRouter
    from cortex.llm.stats import UsageLog
    from cortex.llm.types import ProviderResponse, StreamEvent, Usage

    answer = ProviderResponse("pong", "instant-1", Usage(5, 1), finish_reason="stop")

    class Instant(Provider):
        name = "instant"

        def configured(self) -> tuple[bool, str]:
            return True, ""

        async def acomplete(self, request):
            await asyncio.sleep(0)  # one trip through the loop, as an I/O wait would be
            return answer

        async def astream(self, request):
            await asyncio.sleep(0)
            yield StreamEvent(text=answer.text)
            yield StreamEvent(done=True, response=answer)

    class InstantStreamed(Instant):
        completes_by_stream = True  # type: ignore[assignment]

    for name, cls in (("instant", Instant), ("instant-streamed", InstantStreamed)):
        registry.register(name, cls)
        settings = Settings.load(env={}, flags={"provider": name, "limits.concurrency": 64})
        router = LLMRouter(settings, usage_log=UsageLog(Path(tempfile.mkdtemp()) / "usage.db"))

        async def timed(router: LLMRouter, name: str) -> list[float]:
            await router.acomplete_batch(["ping"] * 200, concurrency=16)
            out = []
            for _ in range(rounds):
                router.usage.flush()
                gc.collect()
                t0 = time.process_time()
                results = await router.acomplete_batch(["ping"] * n, concurrency=16)
                out.append((time.process_time() - t0) / n)
                assert all(getattr(r, "provider", None) == name for r in results), results[:2]
            return out

        cpu = asyncio.run(timed(router, name))
        kind = "read as a stream" if cls is InstantStreamed else "whole"
        print(
            f"[own cost, {kind}] router CPU per call with an instant provider: median "
            f"{statistics.median(cpu) * 1e6:.1f} us, best {min(cpu) * 1e6:.1f} us"
        )
        router.close()


def bench_startup(runs: int) -> None:
    exe = Path(sys.executable).with_name("cortex")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "cortex"]
    env = {**os.environ, "CORTEX_HOME": tempfile.mkdtemp()}

    def wall(argv: list[str]) -> float:
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)
            times.append(time.perf_counter() - t0)
        return statistics.median(times)

    bare = wall([sys.executable, "-c", "pass"])
    print(f"[startup] entry point: {' '.join(cmd)} ({'console script' if exe.exists() else 'python -m'})")
    print(f"[startup] python -c pass: {bare:.3f} s")
    for args in (["--help"], ["config", "show"]):
        t = wall([*cmd, *args])
        print(f"[startup] cortex {' '.join(args)}: {t:.3f} s (target <= 0.15 s); {t / bare:.2f}x a bare interpreter")
    if shutil.which("cortex") and not exe.exists():
        print("[startup] note: run inside the project's venv to time the console script itself")


def _fault_router(chain: list[str], **urls: str):
    from cortex.config import Settings
    from cortex.llm.router import LLMRouter
    from cortex.llm.stats import UsageLog
    from cortex.llm.types import TaskType

    os.environ["CORTEX_HOME"] = tempfile.mkdtemp()  # a fresh data dir: breaker state starts clean
    flags = {"routing.tasks": {t.value: chain for t in TaskType}, "providers.openai.model": "gpt-4o-mini"}
    for name, url in urls.items():
        flags[f"providers.{name}.base_url"] = url
        flags[f"providers.{name}.api_key"] = "test-key"
    return LLMRouter(Settings.load(env={}, flags=flags), usage_log=UsageLog(Path(tempfile.mkdtemp()) / "usage.db"))


def bench_hang(stream: bool) -> None:
    """A first provider that accepts the request and never answers; the second is healthy."""
    import anthropic  # noqa: F401  (imported first: the figure is the fallback, not an SDK import)
    import openai  # noqa: F401

    from tests.servers.anthropic_server import AnthropicServer
    from tests.servers.openai_server import OpenAIServer

    with AnthropicServer() as dead, OpenAIServer() as alive:
        dead.inject(delay=3600, times=100)  # accept, then silence (until the server stops)
        router = _fault_router(["claude", "openai"], claude=dead.url, openai=alive.url + "/v1")
        t0 = time.perf_counter()
        try:
            if stream:
                s = router.stream("hi")
                "".join(s)
                c = s.completion
            else:
                c = router.complete("hi")
            outcome = f"answered by {c.provider}"
        except Exception as exc:  # the figure is the point, whatever the outcome
            outcome = f"{type(exc).__name__}: {getattr(exc, 'message', exc)}"
        dt = time.perf_counter() - t0
        mode = "stream" if stream else "complete"
        print(
            f"[hang->fallback {mode}] {dt:.1f} s, {outcome}; requests to the hung provider: "
            f"{len(dead.model_requests())}, to the fallback: {len(alive.model_requests())}"
        )
        router.close()


def bench_chaos(n: int, concurrency: int, seed: int = 7) -> None:
    """A batch against a server that rate-limits 40% and fails 20% of requests at random."""
    import random

    from tests.servers.base import Fault
    from tests.servers.openai_server import OpenAIServer

    rng = random.Random(seed)

    class Chaos(OpenAIServer):
        def take_fault(self, path: str) -> Fault | None:
            roll = rng.random()
            if roll < 0.4:
                return Fault(status=429, headers={"Retry-After": "1"})
            return Fault(status=500) if roll < 0.6 else None

    with Chaos() as server:
        router = _fault_router(["openai"], openai=server.url + "/v1")
        t0 = time.perf_counter()
        results = router.complete_batch(["ping"] * n, concurrency=concurrency)
        dt = time.perf_counter() - t0
        answered = sum(1 for r in results if hasattr(r, "text"))
        kinds: dict[str, int] = {}
        for r in results:
            if not hasattr(r, "text"):
                kinds[type(r).__name__] = kinds.get(type(r).__name__, 0) + 1
        print(
            f"[batch 40% 429 + 20% 500] {answered}/{n} answered in {dt:.1f} s; "
            f"{len(server.model_requests())} requests sent; failures: {kinds or 'none'}"
        )
        router.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--calls", type=int, default=300)
    ap.add_argument("--batch", type=int, default=200)
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--rounds", type=int, default=7, help="paired batch rounds per comparison")
    ap.add_argument("--startup-runs", type=int, default=15)
    ap.add_argument("--faults", action="store_true", help="only the fault figures (hang -> fallback, chaos batch)")
    a = ap.parse_args()
    os.environ["CORTEX_HOME"] = tempfile.mkdtemp()  # never the user's data dir (usage.db, breaker.db)
    if a.faults:
        bench_hang(stream=True)
        bench_hang(stream=False)
        bench_chaos(a.batch, a.concurrency)
        return
    bench_own_cost()
    with serve() as url:
        for stream in (True, False):
            bench_overhead(url, a.calls, stream=stream)
        # Equal work (the router's default transport on both sides), the loop as it was first
        # written (whole answers), and the router with stream_completions: false against that loop.
        for stream, hand_stream in ((True, True), (True, False), (False, False)):
            bench_batch(url, a.batch, a.concurrency, a.rounds, stream=stream, hand_stream=hand_stream)
    bench_startup(a.startup_runs)


if __name__ == "__main__":
    main()
