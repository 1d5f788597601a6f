"""The relevance floor on an index with long descriptions (floor.DESCRIBED): distinctive words on that
index's own idf scale, and a match carried by the description alone (pure, and against a real index of
a few records)."""

from __future__ import annotations

from dataclasses import replace

from cortex import plan as P
from cortex.packages.apt import AptManager
from cortex.packages.records import PackageInfo
from cortex.planner import Planner
from cortex.planning import floor
from tests.index_helpers import index_of

# The summary says nothing of the need; the description names its words among many others.
SCRIPTS = PackageInfo(
    "toolbox-scripts",
    "1.0",
    "assorted helper scripts",
    description="Includes scripts to resize photos, rotate logs, convert spreadsheets and tag audio.",
    section="utils",
)
# The summary says what the package is for; the description adds one word of the need.
TAGGER = PackageInfo(
    "bulkedit",
    "1.0",
    "tag editor for audio files",
    description="Edits tags in bulk, across a whole music library.",
    section="sound",
)
FILLER = [
    PackageInfo(f"filler{i}", "1.0", f"filler utility number {i}", description=f"Filler number {i}.", section="utils")
    for i in range(200)
]


def test_calibrations():
    assert floor.Calibration(floor.GAP_FLOOR, floor.DISTINCTIVE_IDF, 0.0) == floor.ZERO_CONFIG
    # Idf runs lower where descriptions are counted: fewer words would be distinctive at the same value.
    assert floor.DESCRIBED.distinctive_idf < floor.ZERO_CONFIG.distinctive_idf
    assert floor.DESCRIBED.summary_floor > 0.0


def test_gaps_on_the_described_scale():
    weights = {"record": 5.0, "internet": 4.5, "radio": 3.5}
    assert floor.gaps("record internet radio", PackageInfo("netrec", "1.0", "record internet traffic"), weights) == ()
    assert floor.gaps(
        "record internet radio",
        PackageInfo("netrec", "1.0", "record internet traffic"),
        weights,
        distinctive=floor.DESCRIBED.distinctive_idf,
    ) == ("radio",)


def test_unbacked_when_only_the_description_matches():
    need = "a tool to rotate logs"
    assert floor.fit(need, SCRIPTS) >= floor.DEFAULT_FLOOR  # the description alone clears the plain floor
    assert floor.unbacked(need, SCRIPTS)
    assert not floor.unbacked(need, SCRIPTS, summary_floor=0.0)  # the zero-config calibration has no such check
    assert not floor.unbacked(need, replace(SCRIPTS, description=""))  # nothing only in a description


def test_backed_when_the_summary_covers_enough():
    # "library" is matched only in the description, but the summary covers "tag" and "audio".
    need = "tag my audio library"
    assert floor.fit(need, replace(TAGGER, description="")) >= floor.SUMMARY_FLOOR
    assert not floor.unbacked(need, TAGGER)
    assert floor.unbacked(need, replace(TAGGER, summary="music editor"))  # the description carries it
    # A summary covering the whole need leaves nothing to back.
    assert not floor.unbacked("tag audio", TAGGER)


def test_a_match_carried_by_the_description_is_not_planned(tmp_path):
    with index_of([SCRIPTS, *FILLER], tmp_path) as idx:
        assert idx.has_descriptions
        plan = Planner(idx, AptManager(), use_model=False).plan("a tool to rotate logs")
        assert plan.status == P.UNRESOLVED
        assert [c.name for c in plan.candidates][:1] == ["toolbox-scripts"]
        # Without the check (the zero-config calibration), the same candidate would be planned.
        zero = floor.ZERO_CONFIG
        open_plan = Planner(idx, AptManager(), use_model=False, calibration=zero).plan("a tool to rotate logs")
        assert open_plan.packages == ("toolbox-scripts",)
    with index_of([SCRIPTS, TAGGER, *FILLER], tmp_path / "tagger") as idx:
        plan = Planner(idx, AptManager(), use_model=False).plan("a tool to tag my audio library")
        assert plan.packages == ("bulkedit",)


NETREC = PackageInfo("netrec", "1.0", "record internet traffic to a file", description="Records traffic.")
NETCALL = PackageInfo("netcall", "1.0", "record internet calls and voice chats", description="Records calls.")
# A few packages that say "radio": on this index its idf is between the two calibrations' thresholds.
RADIOS = [PackageInfo(f"radio{i}", "1.0", f"radio station list {i}", description="Lists stations.") for i in range(5)]


def test_a_gap_on_the_described_scale_raises_the_floor(tmp_path):
    with index_of([NETREC, NETCALL, *RADIOS, *FILLER], tmp_path) as idx:
        need = "record internet radio"
        idf = idx.word_weights(need)["radio"]
        assert floor.DESCRIBED.distinctive_idf <= idf < floor.ZERO_CONFIG.distinctive_idf
        assert floor.DEFAULT_FLOOR <= floor.fit(need, NETREC) < floor.GAP_FLOOR
        zero = Planner(idx, AptManager(), use_model=False, calibration=floor.ZERO_CONFIG).plan(need)
        assert zero.status == P.PLANNED and zero.packages[0] == "netrec"
        plan = Planner(idx, AptManager(), use_model=False).plan(need)
        assert plan.status == P.UNRESOLVED
        assert "netrec" in {c.name for c in plan.candidates}
