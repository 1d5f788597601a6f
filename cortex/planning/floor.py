"""The relevance floor: when no candidate clearly fits a described need, say so instead of guessing.

A candidate's fit is how much of the need its name, summary, debtags and description cover, every
content word counting the same (cortex/packages/ranking.coverage), in 0..1. Of the measures tried on
the dev and tuning sets (the ranking score, its margin over the next candidate, coverage, and their
mixes), coverage told right plans from wrong ones best (ROC AUC 0.825, against 0.781 for the score).
Below the floor the part is `unresolved` and its best candidates are offered as suggestions (and, in a
terminal, as a choice). The floor's value was chosen from measurement, precision against coverage on
held-out requests; the curve and the rule that picked the value are in docs/INSTALL.md. Two checks
sharpen it (docs/INSTALL.md, Round 4): a candidate that leaves a distinctive word of the need uncovered
must clear GAP_FLOOR, and one with the opposite interface to the one asked for does not fit at all. On
an index with long descriptions the checks are calibrated for them (`calibration_for`, Round 9): every
word is in more packages' text there, so fewer words are distinctive by the same idf, and a word found
only in a description is weaker evidence than one in the summary.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from cortex.packages.ranking import analyse, coverage, interface_fit, languages_named, other_language, package_languages

# Chosen from the curve in docs/INSTALL.md: the highest floor whose held-out accuracy is within one
# point of the best, so that precision wins ties.
DEFAULT_FLOOR = 0.40
# A candidate that leaves a distinctive word of the need uncovered (in none of its name, summary, tags,
# description or their synonyms) must clear a higher floor: "listen to internet radio" is not met by
# an alarm listener, nor "benchmark my cpu" by `cpu`. Chosen in docs/INSTALL.md (Round 4).
GAP_FLOOR = 0.60
# The same, on an index with long descriptions, its distinctive words counted on that index's own idf
# scale (DISTINCTIVE_IDF_DESCRIBED); it was 0.50 on the zero-config scale (docs/INSTALL.md, Rounds 4, 9).
GAP_FLOOR_DESCRIBED = 0.60
# A best candidate that leaves a single distinctive word uncovered and leads the next one by this share
# of its score needs only the plain floor: the ranking's other signals agree on it (docs/INSTALL.md, Round 7).
DECISIVE_LEAD = 0.25
# A word is distinctive when its idf in the archive is at least this (common words are ~0.3-3).
DISTINCTIVE_IDF = 4.0
# The same on an index with long descriptions, where a word's idf is ~1.4 lower (the median over the
# eval requests' words): at 3.0 the same share of them is distinctive as at 4.0 without descriptions.
DISTINCTIVE_IDF_DESCRIBED = 3.0
# On an index with long descriptions, a candidate that covers a word of the need only in its description
# must cover at least this share of the need by its name, summary and debtags alone: a description that
# mentions the need's words in passing (a collection of scripts listing what each one does) is no answer.
SUMMARY_FLOOR = 0.30
# The values benchmarks/eval_planner.py --curve reports.
CURVE_POINTS = (0.0, 0.2, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.9, 1.0)
# How many candidates an unresolved part offers.
SUGGESTED = 5


def fit(need: str, info: Any, ships: str = "") -> float:
    """How much of `need` the package covers, in 0..1 (a command it `ships` that the need names counts)."""
    query = analyse(need)
    if not query.words:
        return 0.0
    covered, _ = coverage(query, info, {}, ships)
    return round(max(0.0, min(1.0, covered)), 3)


@dataclass(frozen=True)
class Calibration:
    """The floor's checks for one kind of index: the gap floor, the idf from which a word is
    distinctive, and the share of the need the summary must cover when a word is matched only in a
    description (0: no such check)."""

    gap_floor: float
    distinctive_idf: float
    summary_floor: float


ZERO_CONFIG = Calibration(GAP_FLOOR, DISTINCTIVE_IDF, 0.0)
DESCRIBED = Calibration(GAP_FLOOR_DESCRIBED, DISTINCTIVE_IDF_DESCRIBED, SUMMARY_FLOOR)


def calibration_for(described: bool) -> Calibration:
    """The floor's checks for an index with (`described`) or without long descriptions."""
    return DESCRIBED if described else ZERO_CONFIG


def gaps(
    need: str, info: Any, weights: Mapping[str, float], ships: str = "", distinctive: float = DISTINCTIVE_IDF
) -> tuple[str, ...]:
    """The distinctive words of `need` (by `weights`, the index's idf: at least `distinctive`) that the
    package covers nowhere.

    A word the weights do not know counts as not distinctive: without them there is no gap to find.
    """
    query = analyse(need)
    _, matched = coverage(query, info, {}, ships)
    return tuple(w for w in query.words if w not in matched and weights.get(w, 0.0) >= distinctive)


def unbacked(need: str, info: Any, ships: str = "", summary_floor: float = SUMMARY_FLOOR) -> bool:
    """Whether the package covers a word of `need` only in its long description while its name,
    summary and debtags alone cover less than `summary_floor` of the need: the description then
    carries the match, and a description names many things a package is not about. False with a
    summary floor of 0, or without a description."""
    if summary_floor <= 0 or not info.description:
        return False
    query = analyse(need)
    if not query.words:
        return False
    _, matched = coverage(query, info, {}, ships)
    short, backed = coverage(query, replace(info, description=""), {}, ships)
    return bool(set(matched) - set(backed)) and short < summary_floor


# A clause of the need's circumstances, with a subject of its own: "... before I sell them", "... so
# nobody can recover them". Its words say why or when, not what the program does.
_ASIDE = re.compile(
    r"\s*,?\s*\b(?:before|after|because|since|so that|so|now that|although|even though|in case)\s+"
    r"(?:i|we|you|nobody|no one|someone|somebody|anyone|they)\b.*$",
    re.IGNORECASE,
)


def without_aside(need: str) -> str:
    """`need` without a trailing clause of its circumstances (see _ASIDE); the need itself if that would
    leave nothing."""
    cut = _ASIDE.sub("", need)
    return cut if cut.strip() else need


def decisive_lead(missing: Sequence[str], scores: Sequence[float]) -> bool:
    """Whether a best candidate that leaves one distinctive word uncovered (`missing`, from `gaps`)
    leads the next candidate by DECISIVE_LEAD of its score (`scores`, best first): a gap of one word
    under a clear winner is more often a word of the need's context than a sign of a wrong pick."""
    return len(missing) == 1 and lead(scores) >= DECISIVE_LEAD


def lead(scores: Sequence[float]) -> float:
    """The best candidate's lead over the next one, as a share of its score (`scores`, best first); 0
    when there is no positive best score, 1 for a single candidate."""
    if not scores or scores[0] <= 0:
        return 0.0
    runner_up = max(scores[1], 0.0) if len(scores) > 1 else 0.0
    return (scores[0] - runner_up) / scores[0]


def wrong_interface(need: str, info: Any) -> bool:
    """Whether the package has the other interface than the one the need asks for ("open zip files
    with a gui" and `bzip2`), or, for a graphical need, shows no sign of a window at all (no debtag,
    no word of its summary: `postgresql` for "a database gui"): the ranking found nothing with the
    asked-for one, so nothing fits."""
    query = analyse(need)
    fit_ = interface_fit(query, info)
    return fit_ < 0 or (query.interface == "graphical" and fit_ <= 0)


def fitting(need: str, candidates: Sequence[Any]) -> list[Any]:
    """The candidates whose interface is not the opposite of the one the need asks for and which are not
    of other programming languages only than the one it names ("a gui for the firewall" drops a daemon,
    "a web framework for python" rails); all of them when that would leave none, for the floor to judge.
    The need is analysed once, not once a candidate."""
    query = analyse(need)
    asked = languages_named(need)

    def fits(info: Any) -> bool:
        if interface_fit(query, info) < 0:
            return False
        has = package_languages(info) if asked else frozenset()
        return not (has and asked.isdisjoint(has))

    return [c for c in candidates if fits(c.info)] or list(candidates)


def wrong_language(need: str, info: Any) -> bool:
    """Whether the need names a programming language and the package is of others only ("a web
    framework for python" and rails): the ranking found nothing of that language, so nothing fits."""
    return other_language(need, info)


def unshipped_command(need: str, info: Any, ships: str = "") -> bool:
    """Whether the need is only a command it names ("the free command", "the dig tool") and the package
    neither ships it (`ships`, from Contents) nor is named like it: a word match on a command's name
    (digikam for `dig`) is no answer; without Contents nothing here knows which package ships it."""
    query = analyse(need)
    if not query.commands or ships or info.name in query.commands:
        return False
    return set(query.raw_words) <= set(query.commands)


def clears(value: float, floor: float = DEFAULT_FLOOR, gapped: bool = False, gap_floor: float = GAP_FLOOR) -> bool:
    """Whether a candidate's fit is enough to plan it without asking; one that leaves a distinctive
    word of the need uncovered (`gapped`) needs `gap_floor`. A floor of 0 switches both off."""
    if gapped and floor > 0:
        floor = max(floor, gap_floor)
    return value >= floor


# Said of an unresolved need when the index has only apt's one-line summaries.
RICHER_INDEX = (
    "This index knows one line per package: `sudo cortex index --contents` has apt fetch the long "
    "descriptions and Contents (about 60 MB, once), with which more needs resolve."
)


def suggestion_lines(need: str, candidates: Sequence[Any], summaries_only: bool = False) -> tuple[str, ...]:
    """Plain-language lines for an unresolved need: its best candidates, name and summary (and, for an
    index of `summaries_only`, how to give it more to read)."""
    lines = [f"`{c.info.name}`: {c.info.summary}" for c in candidates[:SUGGESTED]]
    if lines:
        lines.insert(0, f"Closest matches for {need!r} in the archive (install one by name if it is what you meant):")
    lines.append("Or describe the need in other words, or name the program if you know it.")
    if summaries_only:
        lines.append(RICHER_INDEX)
    return tuple(lines)
