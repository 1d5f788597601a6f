#!/usr/bin/env python3
"""The planner's accuracy in-process (no model, no apt simulation), scored like ../shared/eval/run_eval.py,
and the relevance floor's precision/recall curve.

    python benchmarks/eval_planner.py CASEFILE... [--show] [--curve] [--calibration GAP,IDF,SUMMARY]

Fast enough to run on every change (the index is opened once); the figures that are reported come from
run_eval.py, which runs the real CLI. `--curve` re-plans every case with the floor switched off and
prints, for each floor value, how many plans it would keep (coverage) and how many of the kept ones
are right (precision), over the described needs (tiers fuzzy and absent).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import yaml

from cortex import plan as P
from cortex.packages import detect_manager
from cortex.packages.index import PackageIndex
from cortex.planner import Planner
from cortex.planning import floor


def correct(case: dict, plan: P.Plan) -> bool:
    """run_eval.py's rule, without the exit code (the plan is not simulated here)."""
    pk = list(plan.packages)
    if case.get("refuse"):
        return plan.status == P.REFUSED and not pk
    if case.get("absent"):
        return not pk and plan.status != P.PLANNED
    groups = case["want"]
    narrow = len(pk) <= 2 * len(groups) + 1
    return plan.status == P.PLANNED and narrow and all(any(p in pk for p in g) for g in groups)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--show", action="store_true", help="print every failing case")
    ap.add_argument("--curve", action="store_true", help="print the relevance floor's precision/recall curve")
    ap.add_argument("--floor", type=float, default=floor.DEFAULT_FLOOR, help="the relevance floor to plan with")
    ap.add_argument(
        "--calibration",
        metavar="GAP,IDF,SUMMARY",
        help="the floor's checks to plan with (gap floor, distinctive idf, summary floor), instead of the index's",
    )
    args = ap.parse_args()
    calibration = floor.Calibration(*map(float, args.calibration.split(","))) if args.calibration else None
    cases = [c for f in args.files for c in yaml.safe_load(f.read_text())]
    manager = detect_manager()
    idx = PackageIndex.open(manager)
    planner = Planner(idx, manager, None, use_model=False, relevance_floor=args.floor, calibration=calibration)
    tiers: dict[str, list[int]] = {}
    times = []
    wrong = planned = 0  # a wrong plan (planned, and not right) is worse than an unresolved one
    for case in cases:
        started = time.perf_counter()
        plan = planner.plan(case["q"])
        times.append(time.perf_counter() - started)
        ok = correct(case, plan)
        planned += plan.status == P.PLANNED
        wrong += plan.status == P.PLANNED and not ok
        row = tiers.setdefault(case.get("tier", "?"), [0, 0])
        row[0] += ok
        row[1] += 1
        if args.show and not ok:
            print(f"FAIL [{case.get('tier')}] {case['q']!r}: {plan.status} {list(plan.packages)} {plan.backend}")
    for tier, (k, n) in sorted(tiers.items()):
        print(f"tier {tier}: {k}/{n}")
    good, total = sum(v[0] for v in tiers.values()), sum(v[1] for v in tiers.values())
    print(f"median planning seconds: {statistics.median(times):.3f}")
    print(f"accuracy {good}/{total} = {100 * good / max(total, 1):.1f}%")
    precision = 100 * (planned - wrong) / max(planned, 1)
    print(f"wrong plans {wrong}/{total} (planned, not right; {planned} plans, {precision:.1f}% of them right)")
    if args.curve:
        print_curve(idx, manager, [c for c in cases if c.get("tier") in ("fuzzy", "absent")])
    return 0


def print_curve(idx: PackageIndex, manager: object, cases: list[dict]) -> None:
    """Each described need planned with no floor; its best candidate's fit and whether the plan is right."""
    open_planner = Planner(idx, manager, None, use_model=False, relevance_floor=0.0)
    points: list[tuple[float, bool, bool]] = []  # (fit, planned-and-right, should-plan)
    for case in cases:
        plan = open_planner.plan(case["q"])
        fit = min((c.confidence for c in plan.chosen), default=0.0) if plan.status == P.PLANNED else -1.0
        right = plan.status == P.PLANNED and not case.get("absent") and correct(case, plan)
        points.append((fit, right, not case.get("absent")))
    should = sum(1 for _, _, s in points if s)
    print(f"relevance floor curve over {len(points)} described needs ({should} with an answer in the archive):")
    print("  floor  planned  right  precision  recall  accuracy(right plans + correct refusals to plan)")
    for value in floor.CURVE_POINTS:
        kept = [(r, s) for fit, r, s in points if fit >= value]
        right = sum(1 for r, _ in kept if r)
        declined_ok = sum(1 for fit, _, s in points if fit < value and not s)
        # A declined need whose right answer was in the archive is a miss; a declined absent one is right.
        acc = (right + declined_ok) / max(len(points), 1)
        prec = right / max(len(kept), 1)
        print(f"  {value:5.2f}  {len(kept):7d}  {right:5d}  {prec:9.1%}  {right / max(should, 1):6.1%}  {acc:6.1%}")


if __name__ == "__main__":
    sys.exit(main())
