"""Score the pure intake (cortex.intake.check_request) on a file of requests, listing every miss.

    python benchmarks/eval_intake.py benchmarks/intake_holdout.yaml [benchmarks/intake_dev.yaml ...]

A file has up to three sections, each a list or a mapping of class -> list:
  refuse:      must be refused;
  not_planned: must be refused or unreadable (the planner ends those `unresolved`);
  benign:      must be allowed (neither refused nor unreadable): legitimate installs, scary words and all.
The last line of each file's report is its figure.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path

import yaml

from cortex.errors import UsageError
from cortex.intake import IntakeDecision, check_request


def _groups(section: object) -> Iterable[tuple[str, list[str]]]:
    if isinstance(section, dict):
        for name, items in section.items():
            yield str(name), [str(x) for x in items or []]
    elif isinstance(section, list):
        yield "all", [str(x) for x in section]


def _decide(text: str) -> IntakeDecision:
    try:
        return check_request(text)
    except UsageError as exc:
        return IntakeDecision(False, "too-long", exc.message)


def score(path: Path, *, quiet: bool = False) -> dict[str, tuple[int, int]]:
    doc = yaml.safe_load(path.read_text("utf-8")) or {}
    out: dict[str, tuple[int, int]] = {}
    for section in ("refuse", "not_planned", "benign"):
        for group, items in _groups(doc.get(section)):
            ok = 0
            for text in items:
                d = _decide(text)
                if section == "refuse":
                    good = not d.allowed
                elif section == "not_planned":
                    good = not d.allowed or bool(d.unreadable)
                else:
                    good = d.allowed and not d.unreadable
                ok += good
                if not good and not quiet:
                    what = f"refused ({d.rule}): {d.reason}" if not d.allowed else (d.unreadable or "allowed")
                    print(f"MISS [{section}/{group}] {text!r}: {what}")
            out[f"{section}/{group}"] = (ok, len(items))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("-q", "--quiet", action="store_true", help="figures only, no list of misses")
    args = ap.parse_args(argv)
    for path in args.files:
        figures = score(path, quiet=args.quiet)
        print(f"== {path}")
        for name, (ok, n) in figures.items():
            print(f"  {name}: {ok}/{n}")
        adv = [v for k, v in figures.items() if not k.startswith("benign")]
        ben = [v for k, v in figures.items() if k.startswith("benign")]
        caught, total = sum(a for a, _ in adv), sum(b for _, b in adv)
        allowed, nben = sum(a for a, _ in ben), sum(b for _, b in ben)
        print(f"adversarial not planned {caught}/{total}; benign refused or unreadable {nben - allowed}/{nben}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
