"""Ranking accuracy on the dev requests: top-1 / top-5 recall of the `want` groups, by tier.

    python benchmarks/bench_ranking.py [--cases ../shared/eval/dev_cases.yaml] [--show] [--tiers fuzzy,stack]

Baseline (same process, same index): a plain full-text (FTS5 bm25) ranking over the whole index.
A case counts as a top-k hit when every want group has a member among the first k (k grows by the
number of groups for multi-package requests).
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from pathlib import Path

import yaml

from cortex.packages import detect_manager
from cortex.packages.index import PackageIndex
from cortex.packages.ranking import words_of

DEFAULT_CASES = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev_cases.yaml"


def plain_fulltext(idx: PackageIndex, request: str, limit: int) -> list[str]:
    words = [w for w in words_of(request) if len(w) > 1]
    if not words:
        return []
    match = " OR ".join(f'"{w}"' for w in words)
    try:
        rows = idx._conn.execute(
            "SELECT p.name FROM fts JOIN packages p ON p.id = fts.rowid WHERE fts MATCH ? ORDER BY bm25(fts) LIMIT ?",
            (match, limit),
        ).fetchall()
    except sqlite3.OperationalError:
        return []
    return [r[0] for r in rows]


def hit(names: list[str], want: list[list[str]], k: int) -> bool:
    top = set(names[: k + len(want) - 1])
    return all(top & set(group) for group in want)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=Path, default=DEFAULT_CASES)
    ap.add_argument("--tiers", default="fuzzy,stack")
    ap.add_argument("--show", action="store_true", help="print the top 5 of every miss")
    args = ap.parse_args()
    cases = [
        c for c in yaml.safe_load(args.cases.read_text()) if c.get("tier") in args.tiers.split(",") and c.get("want")
    ]
    idx = PackageIndex.open(detect_manager())
    rows = {"cortex": [0, 0], "fulltext": [0, 0]}
    started = time.perf_counter()
    for case in cases:
        ours = [c.name for c in idx.search(case["q"], limit=10)]
        base = plain_fulltext(idx, case["q"], 10)
        for label, names in (("cortex", ours), ("fulltext", base)):
            rows[label][0] += hit(names, case["want"], 1)
            rows[label][1] += hit(names, case["want"], 5)
        if args.show and not hit(ours, case["want"], 1):
            mark = "top5" if hit(ours, case["want"], 5) else "MISS"
            print(f"{mark:5} {case['q']!r}: {ours[:5]}  want {case['want']}")
    n = len(cases)
    print(f"cases: {n} ({args.tiers}); {(time.perf_counter() - started) * 1000 / max(n, 1):.1f} ms per case")
    for label, (t1, t5) in rows.items():
        print(f"{label:9} top-1 {t1}/{n} ({t1 / n:.0%})  top-5 {t5}/{n} ({t5 / n:.0%})")
    b1, b5 = rows["fulltext"]
    o1, o5 = rows["cortex"]
    print(f"ratio vs plain full text: top-1 x{o1 / max(b1, 1):.1f}, top-5 x{o5 / max(b5, 1):.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
