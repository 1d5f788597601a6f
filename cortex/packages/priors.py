"""Ranking priors computed once, when the index is built, from what the archive already says.

- citations: how many packages' names, summaries and descriptions mention a package's name (its
  token in the full-text index's vocabulary, less its own entry): the programs other packages talk
  about (gnuplot, doxygen, mediawiki) are the ones people mean;
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
_SCHEMA = "CREATE TABLE IF NOT EXISTS priors (name TEXT PRIMARY KEY, citations INTEGER, curated INTEGER)"


@dataclass(frozen=True)
class Prior:
    citations: int = 0
    curated: int = 0


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
    names = set(cited) | set(curated)
    conn.executemany(
        "INSERT OR REPLACE INTO priors (name, citations, curated) VALUES (?, ?, ?)",
        ((n, max(0, int(cited.get(n, 1)) - 1), curated.get(n, 0)) for n in names),
    )
    conn.commit()
    return len(names)


def _prefix_sql() -> str:
    return " OR ".join(f"name LIKE '{p}%'" for p in BLEND_PREFIXES)


def read(conn: sqlite3.Connection, names: Iterable[str]) -> dict[str, Prior]:
    """The priors of `names` (missing ones: no prior); {} for an index built without them."""
    names = list(dict.fromkeys(names))
    out: dict[str, Prior] = {}
    try:
        for start in range(0, len(names), 500):
            chunk = names[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for name, citations, curated in conn.execute(
                f"SELECT name, citations, curated FROM priors WHERE name IN ({marks})", chunk
            ):
                out[name] = Prior(int(citations), int(curated))
    except sqlite3.OperationalError:  # built before priors existed
        return {}
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
