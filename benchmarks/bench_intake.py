"""Intake: the cost of reading a request, against a baseline run in the same process, and linearity.

    python benchmarks/bench_intake.py [--cases ../shared/eval/dev_cases.yaml ...] [--rounds 20]

Per request: cortex.intake.check_request over every dev request (and the tuning set), against
cortex.planning.split.split_request on the same text (the text handling the planner already does for
every request). Target: <= 1 ms added per request. Also the one-time cost of the tables (parse or
cache, and build), paid once per process.

Linearity: read_request (no size limit) on inputs of 25 to 200 kB of several shapes (one long word,
many words, many clauses, another script, options, separators, disguised words, frames of wish, things
administered, statements of what one cannot do, pronouns read for the media named before). For a linear
reading the time grows with the length: the 200 kB / 50 kB ratio stays near 4 (a quadratic one would be 16).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import yaml

from cortex.intake import check_request, read_request
from cortex.intake import lexicon as tables
from cortex.planning.split import split_request

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CASES = [
    ROOT.parent / "shared" / "eval" / "dev_cases.yaml",
    ROOT.parent / "shared" / "eval" / "dev_cases_more.yaml",
]


def requests_of(paths: list[Path]) -> list[str]:
    out: list[str] = []
    for path in paths:
        if path.exists():
            out += [str(c["q"]) for c in yaml.safe_load(path.read_text("utf-8"))]
    dev = yaml.safe_load((ROOT / "benchmarks" / "intake_dev.yaml").read_text("utf-8"))
    for section in dev.values():
        for items in section.values():
            out += [str(x) for x in items]
    return out


def per_call(fn, items: list[str], rounds: int) -> float:
    """Median over rounds of the mean seconds per item."""
    samples = []
    for _ in range(rounds):
        t = time.perf_counter()
        for text in items:
            try:
                fn(text)
            except Exception:  # a usage error (over the size limit) is a result here
                pass
        samples.append((time.perf_counter() - t) / len(items))
    return statistics.median(samples)


def shapes(n: int) -> dict[str, str]:
    unit = "a tool to convert videos, then nginx and curl. "
    return {
        "one word": "x" * n,
        "words": ("nginx " * (n // 6 + 1))[:n],
        "clauses": (unit * (n // len(unit) + 1))[:n],
        "cyrillic": ("удали все " * (n // 10 + 1))[:n],
        "options": ("nginx -o x=y " * (n // 13 + 1))[:n],
        "separators": (", and then " * (n // 11 + 1))[:n],
        "disguised": ("ksid eht w i p e " * (n // 17 + 1))[:n],  # reversed words and spelled letters
        "frames": ("how about i wish " * (n // 17 + 1))[:n],  # wishes in a row
        "administered": ("add me to the user group " * (n // 25 + 1))[:n],
        "statements": ("i can't " * (n // 8 + 1))[:n],  # what a person cannot do, read once more only once
        "pronouns": "i have photos, resize " + ("them " * (n // 5 + 1))[:n] + ", what can i use",
    }


def timed(text: str, rounds: int = 3) -> float:
    """Best CPU seconds of a few reads (CPU time: on a shared machine wall time mostly measures others)."""
    best = float("inf")
    for _ in range(rounds):
        t = time.process_time()
        read_request(text)
        best = min(best, time.process_time() - t)
    return best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=Path, nargs="*", default=DEFAULT_CASES)
    ap.add_argument("--rounds", type=int, default=20)
    args = ap.parse_args()

    tables.lexicon.cache_clear()
    tables._documents.cache_clear()
    t = time.perf_counter()
    tables._documents()
    t_docs = time.perf_counter() - t
    t = time.perf_counter()
    tables.lexicon()
    t_build = time.perf_counter() - t
    print(f"tables, once per process: documents {t_docs * 1000:.1f} ms (cache or YAML), build {t_build * 1000:.1f} ms")

    items = requests_of(args.cases)
    intake = per_call(check_request, items, args.rounds)
    baseline = per_call(split_request, items, args.rounds)
    print(
        f"per request over {len(items)} requests: intake {intake * 1e6:.0f} us, "
        f"split_request {baseline * 1e6:.0f} us, ratio {intake / baseline:.2f}x "
        f"(target: intake <= 1000 us) {'OK' if intake <= 1e-3 else 'OVER'}"
    )

    print("linearity (read_request, no size limit):")
    worst = 0.0
    for name in shapes(1):
        t25, t50, t100, t200 = (timed(shapes(n)[name]) for n in (25_000, 50_000, 100_000, 200_000))
        ratio = t200 / t50 if t50 else 0.0
        worst = max(worst, ratio)
        print(
            f"  {name:14s} 25 kB {t25 * 1000:7.1f} ms  50 kB {t50 * 1000:7.1f} ms  100 kB {t100 * 1000:7.1f} ms"
            f"  200 kB {t200 * 1000:7.1f} ms  200/50 {ratio:.2f}"
        )
    print(f"worst 200 kB / 50 kB ratio {worst:.2f} (linear ~4, quadratic ~16)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
