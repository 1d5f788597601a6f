"""The siblings prior: built with a real index, read back (also from an index built before it), and
weighed by the ranking as far as a package fits."""

from __future__ import annotations

import sqlite3

from cortex.packages import priors
from cortex.packages.ranking import analyse, rank
from cortex.packages.records import PackageInfo
from tests.index_helpers import index_of


def _pkg(name: str, summary: str, source: str = "") -> PackageInfo:
    return PackageInfo(name=name, version="1.0", summary=summary, source=source or name, tags=("role::program",))


RECORDS = [
    _pkg("kicad", "Electronic schematic and PCB design software"),
    _pkg("kicad-common", "Common files for kicad", source="kicad"),
    _pkg("kicad-doc-en", "Kicad help files (English)", source="kicad"),
    _pkg("pcb-gtk", "printed circuit board (pcb) design program - GTK+ interface", source="pcb"),
    _pkg("rhinote", "virtual sticky-notes for your desktop"),
]


def test_siblings_are_counted_for_the_package_named_like_its_source(tmp_path):
    with index_of(RECORDS, tmp_path) as idx:
        found = priors.read(idx._conn, [r.name for r in RECORDS])
    assert found["kicad"].siblings == 3
    # A source's other packages and a variant not named like its source have no such prior.
    assert found.get("kicad-common", priors.Prior()).siblings == 1
    assert found.get("pcb-gtk", priors.Prior()).siblings == 1
    assert found.get("rhinote", priors.Prior()).siblings == 1


def test_an_index_built_before_the_siblings_column_keeps_its_other_priors(tmp_path):
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE priors (name TEXT PRIMARY KEY, citations INTEGER, curated INTEGER)")
    conn.execute("INSERT INTO priors VALUES ('gimp', 7, 2)")
    assert priors.read(conn, ["gimp"]) == {"gimp": priors.Prior(citations=7, curated=2)}
    conn.execute("DROP TABLE priors")
    assert priors.read(conn, ["gimp"]) == {}
    conn.close()


def test_a_project_split_into_packages_wins_a_tie_with_a_single_package():
    q = analyse("design a printed circuit board")
    one = _pkg("boardmaker", "printed circuit board design")
    project = _pkg("boardsuite", "printed circuit board design")
    split = {"boardsuite": priors.Prior(siblings=6)}
    ranked = rank(q, [one, project], idf={}, priors=split)
    assert ranked[0].info.name == "boardsuite"
    assert any("6 packages of its source" in r for r in ranked[0].reasons)
    assert rank(q, [one, project], idf={})[0].info.name == "boardmaker"  # without it: the name decides
