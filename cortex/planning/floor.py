"""The relevance floor: when no candidate clearly fits a described need, say so instead of guessing.

A candidate's fit is its ranking score mapped onto 0..1 (cortex/packages/ranking.py: about 6 points
for covering the whole request, plus the program/name/popularity signals). Below the floor the part is
`unresolved` and its best candidates are offered as suggestions (and, in a terminal, as a choice).
The floor's value was chosen from measurement, precision against coverage on held-out requests; the
curve and the rule that picked the value are in docs/INSTALL.md ("The relevance floor").
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

# Score at which a candidate counts as a full fit (fit 1.0).
FULL_FIT_SCORE = 10.0
# Chosen from the curve in docs/INSTALL.md: the highest floor whose held-out accuracy is within one
# point of the best, so that precision wins ties.
DEFAULT_FLOOR = 0.45
# The values benchmarks/eval_planner.py --curve reports.
CURVE_POINTS = (0.0, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.8)
# How many candidates an unresolved part offers.
SUGGESTED = 5


def fit(score: float) -> float:
    """A ranking score as a fit in 0..1."""
    return round(max(0.0, min(1.0, score / FULL_FIT_SCORE)), 3)


def clears(candidate_score: float, floor: float = DEFAULT_FLOOR) -> bool:
    """Whether the best candidate fits well enough to be planned without asking."""
    return fit(candidate_score) >= floor


def suggestion_lines(need: str, candidates: Sequence[Any]) -> tuple[str, ...]:
    """Plain-language lines for an unresolved need: its best candidates, name and summary."""
    lines = [f"`{c.info.name}`: {c.info.summary}" for c in candidates[:SUGGESTED]]
    if lines:
        lines.insert(0, f"Closest matches for {need!r} in the archive (install one by name if it is what you meant):")
    lines.append("Or describe the need in other words, or name the program if you know it.")
    return tuple(lines)
