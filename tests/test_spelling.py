"""Misspelled words of a need read as the archive's words: the pure rule, the English word list, and the
real index and planner."""

from __future__ import annotations

import pytest

from cortex import plan as P
from cortex.packages import english, spelling
from cortex.packages.apt import AptManager
from cortex.packages.index import PackageIndex
from cortex.packages.records import PackageInfo
from cortex.planner import Planner

COUNTS = {"clipboard": 40, "bittorrent": 9, "torrent": 12, "scanner": 170, "scatter": 2, "shared": 900, "doing": 30}


def known(terms):
    return {t: COUNTS[t] for t in terms if t in COUNTS}


def is_english(word: str) -> bool:
    return word in {"clipboard", "torrent", "scanner", "shared", "doing", "shred", "dying"}


def test_edits1_holds_each_kind_of_single_edit():
    edits = spelling.edits1("torent")
    assert {"torrent", "toernt", "torent"[:-1], "torenx"} <= edits  # insertion, swap, deletion, replacement
    assert "torent" not in edits and "torrrent" not in edits  # one edit, never two


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("clipbaord", "clipboard"), ("torent", "torrent"), ("scaner", "scanner")],
)
def test_an_unknown_word_one_edit_from_a_used_word_is_respelled(typed, meant):
    assert spelling.corrections([typed, "manager"], known, is_english) == {typed: meant}


def test_an_english_word_the_archive_does_not_use_is_kept():
    """ "shred" is one edit from "shared", "dying" from "doing": English words are never typos."""
    assert spelling.corrections(["shred", "dying"], known, is_english) == {}


def test_short_words_rare_replacements_and_known_words_are_kept():
    assert spelling.corrections(["mkv", "vlcx"], known, lambda w: False) == {}  # under MIN_LENGTH
    assert (
        spelling.corrections(["scatte"], lambda terms: {t: 2 for t in terms if t == "scatter"}, lambda w: False) == {}
    )
    assert spelling.corrections(["torrents"], known, lambda w: False) == {}  # its singular is used


def test_an_english_replacement_beats_a_more_used_one():
    counts = {"pixelz": 50, "pixels": 4}

    def lookup(terms):
        return {t: counts[t] for t in terms if t in counts}

    assert spelling.corrections(["pixelx"], lookup, lambda w: w == "pixels") == {"pixelx": "pixels"}


def test_respelled_replaces_whole_words_only():
    assert spelling.respelled("a torent client, torents", {"torent": "torrent"}) == "a torrent client, torents"
    assert spelling.respelled("as typed", {}) == "as typed"


def test_the_english_word_list_knows_everyday_words_and_not_typos():
    assert all(english.is_word(w) for w in ("shred", "dying", "fleet", "torrent", "clipboard"))
    assert not any(english.is_word(w) for w in ("torent", "clipbaord", "bandwith", "lightwieght"))


def _archive() -> list[PackageInfo]:
    clip = [PackageInfo(f"clip{i}", "1.0", f"clipboard manager number {i}") for i in range(4)]
    return [
        *clip,
        PackageInfo("shredder", "1.0", "overwrite files so that they cannot be recovered (shred)"),
        *(PackageInfo(f"share{i}", "1.0", "shared files helper") for i in range(5)),
    ]


def test_the_index_respells_a_need_and_keeps_real_words(tmp_path):
    index = PackageIndex.from_records(_archive(), path=tmp_path / "idx.sqlite3")
    try:
        assert index.respell("a clipbaord manager") == ("a clipboard manager", {"clipbaord": "clipboard"})
        assert index.respell("shred my old files") == ("shred my old files", {})
        assert index.respell("Clipboard manager") == ("Clipboard manager", {})  # known: given back as typed
    finally:
        index.close()


def test_the_planner_says_what_it_read(tmp_path):
    index = PackageIndex.from_records(_archive(), path=tmp_path / "idx.sqlite3")
    try:
        plan = Planner(index, AptManager(), None, use_model=False).plan("a clipbaord manager")
    finally:
        index.close()
    assert plan.status == P.PLANNED and plan.packages[0].startswith("clip")
    assert "Read 'clipbaord' as 'clipboard'." in plan.notes
