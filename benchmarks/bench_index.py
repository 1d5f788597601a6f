"""Package index: build time and search latency, against baselines run in the same process.

    python benchmarks/bench_index.py [--cases ../shared/eval/dev_cases.yaml] [--rounds 5]

Build: the whole rebuild (dumpavail, parse, SQLite + FTS5, atomic rename) against the floor of just
running `apt-cache dumpavail`. Search: p50/p95 of PackageIndex.search over every dev request against
one plain FTS5 bm25 query for the same words. Targets: build <= 5 s, search <= 20 ms.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from cortex.packages import detect_manager
from cortex.packages.debian import dumpavail_rows
from cortex.packages.index import PackageIndex

sys.path.insert(0, str(Path(__file__).parent))
from bench_ranking import DEFAULT_CASES, plain_fulltext


def timed(fn, *args, **kw) -> tuple[float, object]:
    t = time.perf_counter()
    out = fn(*args, **kw)
    return time.perf_counter() - t, out


def cpu_seconds() -> float:
    """CPU time of this process and its finished children: on a busy machine it shows what the wall
    time would be on an idle one (the build overlaps apt-cache and Python on two cores)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=Path, default=DEFAULT_CASES)
    ap.add_argument("--rounds", type=int, default=5, help="search rounds over all requests")
    ap.add_argument("--builds", type=int, default=3)
    args = ap.parse_args()
    pm = detect_manager()
    requests = [c["q"] for c in yaml.safe_load(args.cases.read_text())]

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "packages.sqlite3"
        floors, parses, builds, cpus = [], [], [], []
        for _ in range(args.builds):
            dt, text = timed(lambda: subprocess.run(["apt-cache", "dumpavail"], capture_output=True, text=True).stdout)
            floors.append(dt)
            parses.append(timed(dumpavail_rows, [text])[0])
            c0 = cpu_seconds()
            builds.append(timed(PackageIndex.build, pm, path=path)[0])
            cpus.append(cpu_seconds() - c0)
        idx = PackageIndex.open(pm, path=path, refresh=False)
        print(f"packages: {len(idx)}; index file {path.stat().st_size / 1e6:.1f} MB")
        b, f, p = min(builds), min(floors), min(parses)
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        print(f"build: best {b:.2f} s wall, {min(cpus):.2f} s CPU, of {args.builds} (apt-cache dumpavail alone"
              f" {f:.2f} s, parse {p:.2f} s); x{b / f:.1f} the floor; target <= 5 s: {'ok' if b <= 5 else 'OVER'}")  # fmt: skip

        ours, base, ours_cpu = [], [], []
        for _ in range(args.rounds):
            for q in requests:
                c0 = time.process_time()
                ours.append(timed(idx.search, q, 20)[0] * 1000)
                ours_cpu.append((time.process_time() - c0) * 1000)
                base.append(timed(plain_fulltext, idx, q, 20)[0] * 1000)
        p50, p95 = statistics.median(ours), pct(ours, 0.95)
        b50, b95 = statistics.median(base), pct(base, 0.95)
        print(f"search over {len(requests)} requests x {args.rounds}: p50 {p50:.1f} ms, p95 {p95:.1f} ms;"
              f" plain FTS5 p50 {b50:.1f} ms, p95 {b95:.1f} ms; x{p50 / b50:.1f} / x{p95 / b95:.1f};"
              f" target <= 20 ms: {'ok' if p95 <= 20 else 'OVER'}")  # fmt: skip
        print(f"search CPU time: p50 {statistics.median(ours_cpu):.1f} ms, p95 {pct(ours_cpu, 0.95):.1f} ms")
        opened = [timed(PackageIndex.open, pm, path=path)[0] * 1000 for _ in range(5)]
        print(f"open a fresh index (fingerprint check): {statistics.median(opened):.1f} ms")
        idx.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
