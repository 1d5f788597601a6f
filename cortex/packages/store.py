"""The on-disk index: one SQLite file with FTS5, written whole into a temp file and renamed into place.

A crash mid-build leaves the old index (or none), never half of one; a lock file keeps two processes
from building at once, and readers of the old file keep reading it until they reopen.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
import tempfile
import urllib.parse
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path

from cortex.errors import StateError
from cortex.packages.query import spelled_out
from cortex.packages.records import ROW_FIELDS

SCHEMA_VERSION = "8"  # 6: the commands (apt Contents) and priors tables; 7: C#/F# spelled out; 8: commands table from cortex's own without Contents

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE packages (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    version TEXT NOT NULL,
    summary TEXT NOT NULL,
    description TEXT NOT NULL,
    section TEXT NOT NULL,
    priority TEXT NOT NULL,
    provides TEXT NOT NULL,
    tags TEXT NOT NULL,
    origin TEXT NOT NULL,
    installed_size INTEGER NOT NULL,
    depends TEXT NOT NULL,
    rdepends_count INTEGER NOT NULL,
    recommends TEXT NOT NULL,
    download_size INTEGER NOT NULL,
    essential INTEGER NOT NULL,
    source TEXT NOT NULL,
    "references" INTEGER NOT NULL
);
CREATE TABLE provides (virtual TEXT NOT NULL, package_id INTEGER NOT NULL);
-- Contentless: the text lives in `packages`; the index needs only the words (smaller, faster to build).
CREATE VIRTUAL TABLE fts USING fts5(name, summary, description, tags, tokenize = 'unicode61', content = '');
CREATE VIRTUAL TABLE fts_terms USING fts5vocab(fts, 'row');
"""

COLUMNS = ", ".join(f'"{f}"' for f in ROW_FIELDS)


def _tag_text(tags: tuple[str, ...]) -> str:
    """Searchable words of debtags values: 'works-with::image:raster' -> 'image raster'."""
    out = []
    for t in tags:
        facet, _, value = t.partition("::")
        if facet not in ("implemented-in", "culture", "uitoolkit", "suite", "scope", "devel", "role"):
            out.append(value.replace(":", " ").replace("-", " "))
    return " ".join(out)


def write_index(
    path: Path,
    rows: Iterable[tuple],
    meta: Mapping[str, str],
    steps: Sequence[Callable[[sqlite3.Connection], None]] = (),
) -> None:
    """Build a complete index from rows (records.ROW_FIELDS order) in a temp file next to `path`, then
    rename it over `path`. `steps` add their own tables once the packages are in (contents.build_step)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(fd)
    except OSError as exc:
        raise _unwritable(path, exc) from None
    try:
        conn = sqlite3.connect(tmp)
        try:
            # The temp file is thrown away on failure, so the journal buys nothing during the build.
            conn.execute("PRAGMA journal_mode = OFF")
            conn.execute("PRAGMA synchronous = OFF")
            conn.executescript(_SCHEMA)
            marks = ",".join("?" * len(ROW_FIELDS))
            conn.executemany(f"INSERT INTO packages ({COLUMNS}) VALUES ({marks})", rows)
            rows = conn.execute("SELECT id, provides FROM packages WHERE provides != ''").fetchall()
            conn.executemany(
                "INSERT INTO provides (virtual, package_id) VALUES (?, ?)",
                ((v, pid) for pid, provides in rows for v in set(provides.split())),
            )
            conn.execute("CREATE INDEX provides_virtual ON provides (virtual)")
            tag_rows = conn.execute("SELECT id, tags FROM packages WHERE tags != ''").fetchall()
            tag_text = {pid: _tag_text(tuple(tags.split())) for pid, tags in tag_rows}
            conn.create_function("tag_text", 1, lambda pid: tag_text.get(pid, ""), deterministic=True)
            conn.create_function("spelled_out", 1, lambda t: spelled_out(t) if t else t, deterministic=True)
            conn.execute(
                "INSERT INTO fts (rowid, name, summary, description, tags) "
                "SELECT id, replace(name, '.', ' '), spelled_out(summary), spelled_out(description), tag_text(id) "
                "FROM packages"
            )
            conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", [*meta.items(), ("schema", SCHEMA_VERSION)])
            for step in steps:
                step(conn)
            conn.commit()
        finally:
            conn.close()
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except (sqlite3.Error, OSError) as exc:
        _discard(tmp)
        raise StateError(
            f"Cannot write the package index {path}: {exc}.", hint="Check free space and permissions of the cache dir."
        ) from None
    except BaseException:  # Ctrl-C or a failing record source: never leave a half-built temp file
        _discard(tmp)
        raise


def _unwritable(path: Path, exc: OSError) -> StateError:
    return StateError(
        f"Cannot write the package index in {path.parent}: {exc.strerror}.",
        hint="Check the cache dir's permissions (or set CORTEX_HOME / XDG_CACHE_HOME).",
    )


def _discard(tmp: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(tmp)


def connect_readonly(path: Path) -> sqlite3.Connection | None:
    """Open an existing index for reading, or None when it is missing, unreadable or not an index."""
    if not path.exists():
        return None
    try:
        uri = "file:" + urllib.parse.quote(str(path.resolve())) + "?mode=ro"
        conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
        conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        return conn
    except sqlite3.Error:
        return None


def read_meta(conn: sqlite3.Connection) -> dict[str, str]:
    try:
        return dict(conn.execute("SELECT key, value FROM meta").fetchall())
    except sqlite3.Error:
        return {}


@contextlib.contextmanager
def build_lock(path: Path) -> Iterator[None]:
    """An exclusive lock beside the index, held while one process (re)builds it."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(str(path) + ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise _unwritable(path, exc) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
