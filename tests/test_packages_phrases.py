"""Adjacent words of a need as phrases: the pure pairs, and the index retrieving on them when each word
alone is too common to retrieve on."""

from __future__ import annotations

import pytest

from cortex.packages import index as index_module
from cortex.packages.phrases import phrase_pairs, retrieval_phrases
from cortex.packages.query import analyse
from cortex.packages.records import PackageInfo
from tests.index_helpers import index_of


def test_pairs_are_adjacent_content_words_in_order():
    assert phrase_pairs(analyse("a build system faster than make")) == (("build", "system"), ("system", "faster"))
    assert phrase_pairs(analyse("an on screen keyboard")) == (("screen", "keyboard"),)
    assert phrase_pairs(analyse("nginx")) == ()
    assert phrase_pairs(analyse("backup backup")) == ()  # the same word twice is no phrase


def test_phrases_come_in_both_orders_as_typed_and_stemmed():
    found = retrieval_phrases(analyse("sticky notes"))
    assert found == ['"sticky notes"', '"sticky note"', '"notes sticky"', '"note sticky"']
    # Only plain words reach the full-text query: no FTS syntax from the request.
    assert all(p.count('"') == 2 for p in retrieval_phrases(analyse('a "NEAR( c++ editor')))


def _pkg(name: str, summary: str, refs: int = 0) -> PackageInfo:
    return PackageInfo(name=name, version="1.0", summary=summary, section="devel", references=refs)


@pytest.fixture
def common_words_index(tmp_path, monkeypatch):
    # Every word of the need is "common" here: in more packages than the index retrieves on.
    monkeypatch.setattr(index_module, "_COMMON_DF", 2)
    records = [
        _pkg("git", "fast, scalable, distributed revision control system", refs=50),
        _pkg("meson", "high-productivity build system"),
        _pkg("buildd", "daemon to build packages for the system"),
        _pkg("sysbuild", "system information collected after each build"),
        _pkg("build-fast", "build helpers for a system that is faster"),
        _pkg("system-faster", "make the system faster"),
    ]
    with index_of(records, tmp_path) as idx:
        yield idx


def test_a_summary_phrase_is_retrieved_when_its_words_alone_are_too_common(common_words_index):
    found = {c.info.name for c in common_words_index.search("a build system faster than make")}
    assert "meson" in found
    phrase_hits = {i.name for i in common_words_index._summary_phrase_hits(analyse("a build system"), {})}
    assert phrase_hits == {"meson"}  # "daemon to build packages for the system" holds no phrase


def test_phrases_use_the_related_forms_the_index_holds():
    known = {"editor": 900, "editing": 300, "edits": 5, "video": 800, "videos": 100}
    found = retrieval_phrases(analyse("edit videos"), known)
    assert '"video editor"' in found  # "edit videos" is what a "video editor" does
    assert not any("editorial" in p for p in found)  # a form the index does not hold is not tried
    assert len(found) <= 2 * 4 * 4
