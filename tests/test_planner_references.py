"""A "like X" in a need, against a real index: X as a program, as a command, or as words of the need."""

from __future__ import annotations

import pytest

from cortex import plan as P
from cortex.packages import store
from cortex.packages.index import PackageIndex
from cortex.packages.records import PackageInfo
from cortex.planner import Planner
from cortex.planning import commands
from tests.contents_helpers import write_index
from tests.index_helpers import index_of
from tests.test_contents import _Manager


def _pkg(name: str, summary: str, refs: int = 0) -> PackageInfo:
    tags = ("role::program", "use::gameplaying")
    return PackageInfo(name=name, version="1.0", summary=summary, section="games", tags=tags, references=refs)


@pytest.fixture
def games(tmp_path):
    records = [
        _pkg("ace-memory", "memory card game for children", refs=10),
        _pkg("kpat", "solitaire card games"),
        _pkg("gimp", "GNU Image Manipulation Program"),
    ]
    with index_of(records, tmp_path) as idx:
        yield idx


def test_a_reference_that_names_no_program_is_words_of_the_need(games):
    # "solitaire" is no package, alias or known program: it says which card games.
    plan = Planner(games, _Manager(), None, use_model=False).plan("card games like solitaire")
    assert plan.status == P.PLANNED and plan.packages == ("kpat",)


def test_a_reference_names_a_command_only_when_it_is_the_whole_reference(tmp_path):
    path = write_index(tmp_path / "idx.sqlite3")
    conn = store.connect_readonly(path)
    with PackageIndex(conn, path, store.read_meta(conn)) as idx:
        planner = Planner(idx, _Manager())
        assert [i.name for i in commands.reference_packages(planner, "the dig command")] == ["bind9-dnsutils"]
        assert [i.name for i in commands.reference_packages(planner, "dig")] == ["bind9-dnsutils"]
        # "like ip routing", "like time machine": a command as one word of a longer name is not it.
        assert commands.reference_packages(planner, "ip routing") == []
