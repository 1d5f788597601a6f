"""Which packages ship a command or file: queries over the index's `commands` table (see contents.py).

    providers_of(conn, "dig")           -> [CommandProvider(package="bind9-dnsutils", path="/usr/bin/dig", ...)]
    providers_of(conn, "/usr/sbin/ss")  -> by full path

Best first: packages that ship the command under exactly that name in a PATH directory, then the
programs Debian's alternatives put behind the name (`vi` -> vim.tiny, nvi, ...; data file
cortex/data/command_alternatives.yaml) and `name.variant` programs (nc.openbsd); within each group the
usual directory, the package's priority and its popularity decide. Nothing is ever picked at random.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cortex.packages.contents import PATH_DIRS

__all__ = ["CommandProvider", "alternatives_for", "alternatives_names", "commands_of", "providers_of", "rank_key"]

_PRIORITY_ORDER = {"required": 0, "important": 1, "standard": 2, "optional": 3, "extra": 4}
EXACT = "exact"
ALTERNATIVE = "alternative"


@dataclass(frozen=True)
class CommandProvider:
    """One package that ships the command (or file) asked for."""

    package: str
    path: str  # absolute, e.g. /usr/bin/dig
    command: str  # the program's own name there (vim.tiny for `vi`)
    match: str  # EXACT or ALTERNATIVE
    on_path: bool  # in a directory on a user's PATH (not usr/lib/*/bin)

    def to_dict(self) -> dict[str, Any]:
        return {
            "package": self.package,
            "path": self.path,
            "command": self.command,
            "match": self.match,
            "on_path": self.on_path,
        }


@lru_cache(maxsize=1)
def _alternatives() -> Mapping[str, tuple[str, ...]]:
    from cortex import data

    doc = data.load("command_alternatives.yaml") or {}
    return {str(k): tuple(str(v) for v in (vals or ())) for k, vals in doc.items()}


def alternatives_names() -> Mapping[str, tuple[str, ...]]:
    """Every command name Debian's alternatives may provide -> its programs."""
    return _alternatives()


def alternatives_for(name: str) -> tuple[str, ...]:
    """Programs Debian's alternatives system may put behind `name` (curated data)."""
    return _alternatives().get(name, ())


def _dir_rank(path: str) -> int:
    for i, d in enumerate(PATH_DIRS):
        if path.startswith(d) and "/" not in path[len(d) :]:
            return i
    return len(PATH_DIRS)


def rank_key(asked: str, name: str, path: str, package: str, priority: str, references: int) -> tuple:
    """Sort key, best first: exact name, alternatives in their listed order, usual dir, priority, popularity."""
    alts = alternatives_for(asked)
    alt_rank = alts.index(name) if name in alts else len(alts)
    return (
        name != asked,
        _dir_rank(path) == len(PATH_DIRS),
        alt_rank,
        _PRIORITY_ORDER.get(priority, 5),
        -int(references or 0),
        _dir_rank(path),
        package,
    )


def providers_of(conn: sqlite3.Connection, query: str, *, limit: int = 20) -> list[CommandProvider]:
    """Packages that ship `query` (a command name, or a path such as /usr/bin/dig), best first.

    [] when the index has no Contents (or nothing ships it); a path is matched exactly.
    """
    query = query.strip()
    if not query:
        return []
    if "/" in query:
        path = query.lstrip("/")
        # Merged /usr: /usr/bin/ss and /bin/ss are one file, whichever of them the package lists.
        same = path[4:] if path.startswith(("usr/bin/", "usr/sbin/")) else "usr/" + path
        rows = rows_where(conn, "WHERE c.path IN (?, ?)", (path, same))
        asked = path.rsplit("/", 1)[-1]
    else:
        asked = query
        names = [query, *alternatives_for(query)]
        marks = ",".join("?" * len(names))
        # name.variant programs (vim.basic, nc.openbsd, traceroute.db): a range scan on the name index.
        rows = rows_where(
            conn,
            f"WHERE c.name IN ({marks}) OR (c.name > ? AND c.name < ?)",
            (*names, query + ".", query + ".\U0010ffff"),
        )
    ranked = sorted(rows, key=lambda r: rank_key(asked, *r))
    out: dict[str, CommandProvider] = {}
    for name, path, package, _prio, _refs in ranked:
        if package in out:
            continue  # a package's best path only
        out[package] = CommandProvider(
            package=package,
            path="/" + path,
            command=name,
            match=EXACT if name == asked else ALTERNATIVE,
            on_path=_dir_rank(path) < len(PATH_DIRS),
        )
        if len(out) >= limit:
            break
    return list(out.values())


def rows_where(conn: sqlite3.Connection, where: str, params: tuple) -> list[tuple]:
    """(name, path, package, priority, references) rows of the `commands` table matching `where`."""
    try:
        return conn.execute(
            'SELECT c.name, c.path, c.package, p.priority, p."references" FROM commands c '
            f"JOIN packages p ON p.name = c.package {where}",
            params,
        ).fetchall()
    except sqlite3.OperationalError:  # an index built before Contents were kept
        return []


def commands_of(conn: sqlite3.Connection, package: str) -> list[str]:
    """The commands `package` ships on PATH, shortest name first."""
    try:
        rows = conn.execute(
            "SELECT name, path FROM commands WHERE package = ? ORDER BY length(name), name", (package,)
        ).fetchall()
    except sqlite3.OperationalError:
        return []
    return list(dict.fromkeys(name for name, path in rows if _dir_rank(path) < len(PATH_DIRS)))
