"""Offline `cortex ask`: 20 everyday admin questions answered from this machine's man pages and index.

    python benchmarks/bench_ask_offline.py [--questions benchmarks/ask_offline_questions.yaml]

For each question: the command offline help puts first, whether it is one of the expected ones, and
the time (apropos, reading the best pages, the index). Baseline in the same run: one bare `apropos`
call for the question's words, the floor of any man-page lookup. Targets: <= 1 s each; report the
number that point at the right command.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

from cortex.assist import manpages
from cortex.assist.offline import answer, question_terms
from cortex.packages.detect import detect_manager
from cortex.packages.index import PackageIndex

DEFAULT = Path(__file__).with_name("ask_offline_questions.yaml")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--questions", type=Path, default=DEFAULT)
    args = ap.parse_args()
    if not manpages.available():
        print("man-db is not installed: offline help has no man pages to read", file=sys.stderr)
        return 1
    cases = yaml.safe_load(args.questions.read_text())
    index = PackageIndex.open(detect_manager())
    answer("warm up: list files", index)  # imports, the vocabulary, the page cache
    right, times, floors = 0, [], []
    for case in cases:
        t = time.perf_counter()
        help = answer(case["question"], index)
        took = time.perf_counter() - t
        t = time.perf_counter()
        subprocess.run(["apropos", "-s", "1,8", *question_terms(case["question"])], capture_output=True, check=False)
        floors.append(time.perf_counter() - t)
        ok = help.command in case["expect"]
        right += ok
        times.append(took)
        got = ", ".join(f.command for f in help.findings) or "-"
        print(
            f"{'ok ' if ok else 'NO '} {took:5.2f} s  {case['question'][:52]:52}  -> {got}  (want {case['expect'][0]})"
        )
    med = statistics.median(times)
    print(f"\nright command first: {right}/{len(cases)}")
    print(f"time per question: median {med:.2f} s, max {max(times):.2f} s; within 1 s: {sum(t <= 1 for t in times)}")
    print(
        f"bare apropos floor: median {statistics.median(floors):.2f} s (offline/apropos = {med / statistics.median(floors):.1f}x)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
