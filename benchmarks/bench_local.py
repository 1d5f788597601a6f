#!/usr/bin/env python3
"""The embedded model through cortex vs xllamacpp called directly, same model, prompt and process.

Prints ratios against the direct baseline measured in the same run:
  - generation tokens/s (target >= 0.95x of direct),
  - extra latency per call on a 1-token completion (target <= 5 ms),
  - warm time to first token (target <= 1 s),
  - peak RSS of a process that loads the default model and answers (target <= 600 MiB),
    next to a process that does the same with xllamacpp alone.
"Direct" calls the very llama.cpp server object the provider loaded, with the request body the
provider builds, so the difference is cortex's own layers (threading, streaming, parsing, router).

Usage: python benchmarks/bench_local.py [--runs N] [--tokens N] [--model SPEC]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cortex.config import Settings
from cortex.llm.providers.local import LocalProvider
from cortex.llm.types import Message, Request
from cortex.local_models.prompts import Sampling, build_payload

PROMPT = "Write a short shell script that prints the disk usage of every directory in /var."
MiB = 1 << 20

RSS_CORTEX = """
import asyncio, json, resource, sys
from cortex.llm.providers.local import LocalProvider
from cortex.llm.types import Message, Request
p = LocalProvider({"model_path": sys.argv[1] or None})
schema = {"type": "object", "properties": {"p": {"enum": ["vim", "nano"]}}, "required": ["p"]}
asyncio.run(p.acomplete(Request(messages=(Message.user("pick an editor"),), model="", max_tokens=16, schema=schema)))
asyncio.run(p.acomplete(Request(messages=(Message.user(sys.argv[2]),), model="", max_tokens=64)))
print(json.dumps({"maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""

RSS_DIRECT = """
import json, os, resource, sys, tempfile
import xllamacpp as x
p = x.CommonParams()
p.model.path = sys.argv[1]
p.n_ctx = 4096
p.cpuparams.n_threads = p.cpuparams_batch.n_threads = len(os.sched_getaffinity(0))
p.verbosity = 0
p.warmup = False
p.hostnames = [os.path.join(tempfile.mkdtemp(), "s.sock")]
s = x.Server(p)
schema = {"type": "object", "properties": {"p": {"enum": ["vim", "nano"]}}, "required": ["p"]}
s.handle_completions({"prompt": "pick an editor", "n_predict": 16, "json_schema": schema})
s.handle_completions({"prompt": sys.argv[2], "n_predict": 64})
print(json.dumps({"maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def request(max_tokens: int) -> Request:
    return Request(messages=(Message.user(PROMPT),), model="", max_tokens=max_tokens, temperature=0)


def direct_call(server, payload: dict) -> tuple[float, int]:
    t0 = time.perf_counter()
    doc = server.handle_completions(dict(payload, stream=False))
    return time.perf_counter() - t0, int(doc["usage"]["completion_tokens"])


def cortex_call(provider: LocalProvider, req: Request) -> tuple[float, int]:
    t0 = time.perf_counter()
    resp = asyncio.run(provider.acomplete(req))
    return time.perf_counter() - t0, resp.usage.output_tokens


def router_call(router, max_tokens: int) -> tuple[float, int]:
    t0 = time.perf_counter()
    c = router.complete(PROMPT, provider="local", max_tokens=max_tokens, temperature=0)
    return time.perf_counter() - t0, c.usage.output_tokens


async def first_token(provider: LocalProvider, req: Request) -> float:
    t0 = time.perf_counter()
    stream = provider.astream(req)
    try:
        async for event in stream:
            if event.text:
                return time.perf_counter() - t0
    finally:
        await stream.aclose()
    return float("nan")


def rss(script: str, model: str, path: str) -> float:
    out = subprocess.run(
        [sys.executable, "-c", script, model, PROMPT], capture_output=True, text=True, check=True, timeout=300
    )
    return json.loads(out.stdout.strip().splitlines()[-1])["maxrss_kib"] / 1024


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--tokens", type=int, default=128)
    ap.add_argument("--model", default="", help="local model spec (default: the bundled Gemma 3 270M)")
    ap.add_argument("--threads", type=int, help="llama.cpp threads (default: the idle cores)")
    ap.add_argument("--no-rss", action="store_true", help="skip the peak-RSS subprocesses")
    a = ap.parse_args()

    flags = {"provider": "local", "providers.local.model_path": a.model or None, "providers.local.threads": a.threads}
    settings = Settings.load(flags=flags)
    provider = LocalProvider(settings.section("providers.local"))
    t0 = time.perf_counter()
    ready, _ = provider.load()
    load_s = time.perf_counter() - t0
    server = ready.engine._server  # the very llama.cpp server the provider uses: same weights, same threads
    gen_payload = build_payload(request(a.tokens), ready.fmt, Sampling.from_settings(provider.settings), stream=False)
    one_payload = dict(gen_payload, n_predict=1)

    from cortex.llm.router import LLMRouter

    router = LLMRouter(settings=settings)
    # Warm up: first decode allocates graphs; the first grammar builds llguidance's token tables.
    direct_call(server, one_payload)
    cortex_call(provider, request(1))
    router_call(router, 1)

    gen = {"direct": [], "cortex": [], "router": []}
    lat = {"direct": [], "cortex": [], "router": []}
    ttft = []
    for _ in range(a.runs):  # interleaved, so drift hits every variant alike
        for name, fn in (
            ("direct", lambda: direct_call(server, gen_payload)),
            ("cortex", lambda: cortex_call(provider, request(a.tokens))),
            ("router", lambda: router_call(router, a.tokens)),
        ):
            s, n = fn()
            gen[name].append(n / s)
        for name, fn in (
            ("direct", lambda: direct_call(server, one_payload)),
            ("cortex", lambda: cortex_call(provider, request(1))),
            ("router", lambda: router_call(router, 1)),
        ):
            lat[name].append(fn()[0])
        ttft.append(asyncio.run(first_token(provider, request(a.tokens))))
    router.close()

    g = {k: median(v) for k, v in gen.items()}
    # Ratios of runs taken side by side, then their median: drift between rounds cancels out.
    paired = {k: median([x / d for x, d in zip(gen[k], gen["direct"], strict=True)]) for k in ("cortex", "router")}
    latency = {k: median(v) for k, v in lat.items()}
    print(f"model: {ready.engine.config.path.name}  threads: {ready.engine.config.threads}  "
          f"n_ctx: {ready.n_ctx}  load: {load_s:.2f} s  runs: {a.runs}  tokens: {a.tokens}")  # fmt: skip
    print(f"{'metric':<34}{'direct':>10}{'cortex':>10}{'router':>10}   ratio (cortex, router)   target")
    print(f"{'generation tokens/s (wall)':<34}{g['direct']:>10.1f}{g['cortex']:>10.1f}{g['router']:>10.1f}"
          f"   {paired['cortex']:.3f}x, {paired['router']:.3f}x        >= 0.95x")  # fmt: skip
    # Overhead: the best of each (noise from other processes only ever adds time).
    best = {k: min(v) for k, v in lat.items()}
    extra_c = (best["cortex"] - best["direct"]) * 1e3
    extra_r = (best["router"] - best["direct"]) * 1e3
    print(f"{'1-token call, median (ms)':<34}{latency['direct'] * 1e3:>10.1f}{latency['cortex'] * 1e3:>10.1f}"
          f"{latency['router'] * 1e3:>10.1f}")  # fmt: skip
    print(f"{'1-token call, best (ms)':<34}{best['direct'] * 1e3:>10.1f}{best['cortex'] * 1e3:>10.1f}"
          f"{best['router'] * 1e3:>10.1f}   {extra_c:+.2f} ms, {extra_r:+.2f} ms      <= +5 ms")  # fmt: skip
    print(f"{'warm time to first token (s)':<34}{'':>10}{median(ttft):>10.3f}{'':>10}   "
          f"{median(ttft):.3f} s                  <= 1 s")  # fmt: skip
    if not a.no_rss:
        path = str(ready.engine.config.path)
        direct_rss = rss(RSS_DIRECT, path, path)
        cortex_rss = rss(RSS_CORTEX, a.model, path)
        print(f"{'peak RSS (MiB, own process)':<34}{direct_rss:>10.0f}{cortex_rss:>10.0f}{'':>10}   "
              f"{cortex_rss / direct_rss:.3f}x                   <= 600 MiB")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
