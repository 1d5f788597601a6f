#!/usr/bin/env python3
"""`cortex install nginx --dry-run` against `apt-get -s install nginx`, run alternately in one process.

Prints the median wall time of each and their ratio (target: <= 1.3). The package manager's own
simulation is the floor: cortex cannot plan an install faster than apt can simulate it.

    python benchmarks/bench_install.py [--runs 7] [--package nginx]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time


def timed(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed ({proc.returncode}): {proc.stderr[-500:]}")
    return elapsed


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--package", default="nginx")
    a = ap.parse_args()
    if shutil.which("apt-get") is None:
        sys.exit("needs apt-get (Debian/Ubuntu)")
    env = dict(os.environ)
    cortex = [sys.executable, "-m", "cortex", "install", a.package, "--dry-run"]
    apt = ["apt-get", "-s", "install", a.package]
    timed(cortex, env)  # warm-up: builds the package index if it is missing or stale
    timed(apt, env)
    c_times, a_times = [], []
    for _ in range(a.runs):
        a_times.append(timed(apt, env))
        c_times.append(timed(cortex, env))
    c, b = statistics.median(c_times), statistics.median(a_times)
    print(f"apt-get -s install {a.package}:        median {b:.3f} s over {a.runs} runs")
    print(f"cortex install {a.package} --dry-run:  median {c:.3f} s over {a.runs} runs")
    print(f"ratio cortex / apt-get -s: {c / b:.2f} (target <= 1.30)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
