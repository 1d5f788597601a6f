"""Ranking priors computed once, when the index is built, from what the archive already says.

- citations: how many packages' names, summaries and descriptions mention a package's name (its
  token in the full-text index's vocabulary, less its own entry): the programs other packages talk
  about (gnuplot, doxygen, mediawiki) are the ones people mean;
- siblings: how many binary packages the source builds, for the package named like its source (kicad,
  shotwell, gnucash build -data, -common, -doc, plugin packages): a project big enough to be split
  is one many people use; rename-flac, rhinote and pcb-gtk are single packages or a source's variant;
- curated: how many Debian Pure Blends and task metapackages (education-*, science-*, games-*,
  multimedia-*, task-*, ...) depend on it or recommend it: lists that people who know a field chose.

Reverse Depends/Recommends/Suggests and Priority are already columns of the index (`references`,
`priority`); ranking.py weighs all of them. The table is written by `write` after the index itself,
and `read` treats an index without it as one without priors.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# Name prefixes of Debian Pure Blends' and tasksel's metapackages.
BLEND_PREFIXES = (
    "task-",
    "education-",
    "science-",
    "games-",
    "multimedia-",
    "forensics-",
    "med-",
    "junior-",
    "gis-",
    "debichem-",
    "astro-",
    "hamradio-",
    "design-",
    "edu-",
    "parl-",
    "finance-",
)
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS priors (name TEXT PRIMARY KEY, citations INTEGER, curated INTEGER, siblings INTEGER)"
)


@dataclass(frozen=True)
class Prior:
    citations: int = 0
    curated: int = 0
    siblings: int = 1  # binary packages its source builds, itself included


def curated_counts(members: Iterable[tuple[str, Sequence[str]]]) -> dict[str, int]:
    """(metapackage name, its depends + recommends) -> how many blend/task metapackages list each package."""
    counts: dict[str, int] = {}
    for name, listed in members:
        if not name.startswith(BLEND_PREFIXES):
            continue
        for member in set(listed):
            if not member.startswith(BLEND_PREFIXES):
                counts[member] = counts.get(member, 0) + 1
    return counts


def write(conn: sqlite3.Connection) -> int:
    """Compute the priors of every package in an index and store them; returns the number of rows."""
    conn.execute("DROP TABLE IF EXISTS priors")
    conn.execute(_SCHEMA)
    rows = conn.execute("SELECT name, depends, recommends FROM packages WHERE " + _prefix_sql()).fetchall()
    curated = curated_counts((n, (d + " " + r).split()) for n, d, r in rows)
    # A name is one token of the full-text index when it holds no separator the tokenizer splits on.
    cited = dict(
        conn.execute(
            "SELECT p.name, v.doc FROM packages p JOIN fts_terms v ON v.term = p.name WHERE p.name NOT GLOB '*[-.+]*'"
        ).fetchall()
    )
    # The package named like its source, in a source that builds several (kicad, shotwell, gnucash).
    siblings = dict(
        conn.execute(
            "SELECT p.name, s.n FROM packages p JOIN (SELECT source, count(*) AS n FROM packages GROUP BY source) s "
            "ON s.source = p.name WHERE s.n > 1"
        ).fetchall()
    )
    names = set(cited) | set(curated) | set(siblings)
    conn.executemany(
        "INSERT OR REPLACE INTO priors (name, citations, curated, siblings) VALUES (?, ?, ?, ?)",
        ((n, max(0, int(cited.get(n, 1)) - 1), curated.get(n, 0), siblings.get(n, 1)) for n in names),
    )
    conn.commit()
    return len(names)


def _prefix_sql() -> str:
    return " OR ".join(f"name LIKE '{p}%'" for p in BLEND_PREFIXES)


def read(conn: sqlite3.Connection, names: Iterable[str]) -> dict[str, Prior]:
    """The priors of `names` (missing ones: no prior); {} for an index built without them (an index
    built before the siblings column has the other two)."""
    names = list(dict.fromkeys(names))
    for columns in ("name, citations, curated, siblings", "name, citations, curated"):
        try:
            return _read(conn, names, columns)
        except sqlite3.OperationalError:  # built before priors (or before this column) existed
            continue
    return {}


def _read(conn: sqlite3.Connection, names: list[str], columns: str) -> dict[str, Prior]:
    out: dict[str, Prior] = {}
    for start in range(0, len(names), 500):
        chunk = names[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for row in conn.execute(f"SELECT {columns} FROM priors WHERE name IN ({marks})", chunk):
            out[row[0]] = Prior(*(int(v) for v in row[1:]))
    return out


def add_to(path: object) -> None:
    """Add the priors table to a freshly built index file (a failure leaves an index without priors)."""
    try:
        conn = sqlite3.connect(str(path))
    except sqlite3.Error:
        return
    try:
        write(conn)
    except sqlite3.Error:
        conn.rollback()
    finally:
        conn.close()
