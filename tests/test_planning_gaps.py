"""The gap check of the relevance floor: a candidate that leaves a distinctive word of the need
uncovered must clear GAP_FLOOR, not just the floor (pure, and against a real index of a few records)."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

import pytest

from cortex import plan as P
from cortex.packages.apt import AptManager
from cortex.packages.records import PackageInfo
from cortex.planner import Planner
from cortex.planning import floor
from tests.index_helpers import index_of

NETREC = PackageInfo("netrec", "1.0", "record internet traffic to a file", section="net")
RADIOTRAY = PackageInfo("radiotray", "1.0", "tray icon for radio streams", section="sound")
# A close rival that leaves the same word uncovered: netrec's lead over it is not decisive.
NETCALL = PackageInfo("netcall", "1.0", "record internet calls and voice chats to a file", section="net")
# Enough other packages that a word found in one or two of them is distinctive (idf >= 4).
FILLER = [PackageInfo(f"filler{i}", "1.0", f"filler utility number {i}", section="utils") for i in range(200)]


def test_gaps_lists_only_distinctive_uncovered_words():
    weights = {"record": 5.0, "internet": 4.5, "radio": 6.0}
    assert floor.gaps("record internet radio", NETREC, weights) == ("radio",)
    assert floor.gaps("record internet radio", NETREC, {**weights, "radio": 1.0}) == ()  # a common word
    assert floor.gaps("record internet traffic", NETREC, {"traffic": 6.0}) == ()  # covered by the summary


def test_gaps_without_weights_finds_none():
    assert floor.gaps("record internet radio", NETREC, {}) == ()


@pytest.mark.parametrize(
    ("value", "gapped", "floor_value", "expected"),
    [
        (0.5, False, 0.4, True),
        (0.5, True, 0.4, False),  # a gap raises the floor to GAP_FLOOR
        (floor.GAP_FLOOR, True, 0.4, True),
        (0.5, True, 0.0, True),  # a floor of 0 switches the gap check off too
        (0.3, False, 0.4, False),
    ],
)
def test_clears_with_a_gap(value, gapped, floor_value, expected):
    assert floor.clears(value, floor_value, gapped) is expected


def test_a_candidate_missing_a_distinctive_word_is_not_planned(tmp_path):
    with index_of([NETREC, NETCALL, RADIOTRAY, *FILLER], tmp_path) as idx:
        assert idx.word_weights("record internet radio")["radio"] >= floor.DISTINCTIVE_IDF
        assert idx.word_weights("filler utility")["filler"] < floor.DISTINCTIVE_IDF
        need = "record internet radio"
        top = idx.search(need)[0]
        assert top.info.name == "netrec"  # covers two words of three, but not "radio"
        assert floor.DEFAULT_FLOOR <= floor.fit(need, top.info) < floor.GAP_FLOOR
        plan = Planner(idx, AptManager(), use_model=False).plan(need)
        assert plan.status == P.UNRESOLVED
        assert "netrec" in {c.name for c in plan.candidates}
        # With the floor off, the same candidate is planned; a need it covers whole is planned anyway.
        assert Planner(idx, AptManager(), use_model=False, relevance_floor=0.0).plan(need).packages == ("netrec",)
        assert Planner(idx, AptManager(), use_model=False).plan("record internet traffic").packages == ("netrec",)


ZIPCLI = PackageInfo(
    "zipcli", "1.0", "open zip files", section="utils", tags=("interface::commandline", "role::program")
)
ZIPGUI = PackageInfo("zipgui", "1.0", "open zip files", section="x11", tags=("interface::x11", "role::program"))


def test_wrong_interface():
    assert floor.wrong_interface("open zip files with a gui", ZIPCLI)
    assert not floor.wrong_interface("open zip files with a gui", ZIPGUI)
    assert not floor.wrong_interface("open zip files", ZIPCLI)  # no interface asked for
    # A graphical need wants a sign of a window: a daemon has none, nor a package that says nothing of it.
    daemon = PackageInfo("zipd", "1.0", "zip file service", section="net", tags=("interface::daemon",))
    untold = PackageInfo("zipper", "1.0", "open zip files", section="utils")
    kept = floor.fitting("open zip files with a gui", [SimpleNamespace(info=daemon), SimpleNamespace(info=untold)])
    assert [c.info for c in kept] == [untold]  # the daemon is no candidate, the untold one is
    assert floor.wrong_interface("open zip files with a gui", untold)  # ... though no fit either
    assert not floor.wrong_interface("open zip files from the terminal", untold)


def test_a_program_with_the_other_interface_is_not_planned(tmp_path):
    with index_of([ZIPCLI, *FILLER], tmp_path) as idx:
        plan = Planner(idx, AptManager(), use_model=False).plan("open zip files with a gui")
        assert plan.status == P.UNRESOLVED
        assert [c.name for c in plan.candidates] == ["zipcli"]
        assert Planner(idx, AptManager(), use_model=False).plan("open zip files").packages == ("zipcli",)
    with index_of([ZIPCLI, ZIPGUI, *FILLER], tmp_path / "both") as idx:
        assert Planner(idx, AptManager(), use_model=False).plan("open zip files with a gui").packages == ("zipgui",)


def test_an_index_with_descriptions_gets_the_described_calibration(tmp_path):
    assert floor.calibration_for(False) == floor.ZERO_CONFIG
    assert floor.calibration_for(True) == floor.DESCRIBED
    with index_of([NETREC, RADIOTRAY, *FILLER], tmp_path / "plain") as idx:
        assert not idx.has_descriptions
        assert Planner(idx, AptManager(), use_model=False)._calibration() == floor.ZERO_CONFIG
    described = [replace(p, description=f"{p.summary}, at length") for p in (NETREC, RADIOTRAY, *FILLER)]
    with index_of(described, tmp_path / "described") as idx:
        assert idx.has_descriptions
        assert Planner(idx, AptManager(), use_model=False)._calibration() == floor.DESCRIBED
        # A calibration given to the planner (benchmarks/eval_planner.py --calibration) wins.
        assert Planner(idx, AptManager(), use_model=False, calibration=floor.ZERO_CONFIG)._calibration() == (
            floor.ZERO_CONFIG
        )


def test_decisive_lead_needs_a_single_gap_and_a_wide_lead():
    assert floor.decisive_lead(("radio",), [10.0, 7.0])
    assert floor.decisive_lead(("radio",), [10.0])  # a single candidate leads
    assert not floor.decisive_lead(("radio",), [10.0, 8.0])  # a lead of 20%: not decisive
    assert not floor.decisive_lead(("radio", "shows"), [10.0, 1.0])  # two gaps
    assert not floor.decisive_lead((), [10.0, 1.0])  # no gap: nothing to forgive
    assert not floor.decisive_lead(("radio",), [0.0, 0.0])


def test_a_single_gap_under_a_decisive_lead_needs_only_the_floor(tmp_path):
    with index_of([NETREC, RADIOTRAY, *FILLER], tmp_path) as idx:
        need = "record internet radio"
        hits = idx.search(need)
        assert hits[0].info.name == "netrec"
        assert floor.gaps(need, hits[0].info, idx.word_weights(need)) == ("radio",)
        assert floor.DEFAULT_FLOOR <= floor.fit(need, hits[0].info) < floor.GAP_FLOOR
        lead = (hits[0].score - hits[1].score) / hits[0].score
        assert lead >= floor.DECISIVE_LEAD
        assert Planner(idx, AptManager(), use_model=False).plan(need).packages == ("netrec",)
    # With a close rival that misses the same word, the gap floor holds (the first test above).
    with index_of([NETREC, NETCALL, RADIOTRAY, *FILLER], tmp_path / "rival") as idx:
        hits = idx.search("record internet radio")
        assert (hits[0].score - hits[1].score) / hits[0].score < floor.DECISIVE_LEAD


def test_a_clause_of_circumstances_leaves_no_gap():
    """ "... before I sell them", "... so nobody can recover them": why or when, not what the program does."""
    assert (
        floor.without_aside("a tool to securely erase old disks before I sell them")
        == "a tool to securely erase old disks"
    )
    assert floor.without_aside("shred my files, so nobody can read them") == "shred my files"
    # Without a subject of its own the clause is the need ("before the system runs out of memory").
    assert floor.without_aside("kill programs before the system runs out of memory") == (
        "kill programs before the system runs out of memory"
    )
    assert floor.without_aside("so i can") == "so i can"  # nothing would be left


def test_gaps_in_a_clause_of_circumstances_do_not_raise_the_floor(tmp_path):
    wiper = PackageInfo("diskwipe", "1.0", "securely erase disks", section="admin")
    with index_of([wiper, *FILLER], tmp_path) as idx:
        need = "securely erase disks before I sell them to a friend"
        assert floor.gaps(need, wiper, idx.word_weights(need))  # "sell", "friend": in no package here
        assert floor.gaps(floor.without_aside(need), wiper, idx.word_weights(need)) == ()
        assert floor.fit(need, wiper) < floor.GAP_FLOOR  # so the gaps alone would have left it unresolved
        assert Planner(idx, AptManager(), use_model=False).plan(need).packages == ("diskwipe",)
