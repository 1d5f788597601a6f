"""Numbered schema migrations for usage.db, the way history.db has them (PRAGMA user_version is
the number applied). Never edit a released migration: append one.

A usage.db with a newer schema than this cortex knows is refused before anything is written (no
WAL switch, no migration), so an older cortex never damages a newer one's accounting.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from cortex.errors import StateError


def _v1(conn: sqlite3.Connection) -> None:
    """One row per model attempt (IF NOT EXISTS: databases from before the numbering have it)."""
    conn.execute(
        """CREATE TABLE IF NOT EXISTS calls (
            id INTEGER PRIMARY KEY,
            ts REAL NOT NULL,
            provider TEXT NOT NULL,
            model TEXT NOT NULL,
            task TEXT NOT NULL,
            ok INTEGER NOT NULL,
            error TEXT NOT NULL DEFAULT '',
            input_tokens INTEGER NOT NULL DEFAULT 0,
            output_tokens INTEGER NOT NULL DEFAULT 0,
            cost_usd REAL NOT NULL DEFAULT 0,
            latency_s REAL NOT NULL DEFAULT 0,
            paid INTEGER NOT NULL DEFAULT 0
        )"""
    )
    conn.execute("CREATE INDEX IF NOT EXISTS calls_ts ON calls(ts)")


def _v2(conn: sqlite3.Connection) -> None:
    """partial: a stream cut by Ctrl-C or a broken connection (tokens estimated where not reported);
    truncated: an answer used although it stopped at the token limit."""
    conn.execute("ALTER TABLE calls ADD COLUMN partial INTEGER NOT NULL DEFAULT 0")
    conn.execute("ALTER TABLE calls ADD COLUMN truncated INTEGER NOT NULL DEFAULT 0")


MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (_v1, _v2)
LATEST = len(MIGRATIONS)


def _version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def _too_new(path: Path, version: int) -> StateError:
    return StateError(
        f"{path} has schema version {version}, newer than this cortex understands ({LATEST}); left untouched.",
        hint="Upgrade cortex, or move the file away to start new usage accounting.",
    )


def open_db(path: Path) -> sqlite3.Connection:
    """An autocommit connection to usage.db at the latest schema (raises sqlite3.Error or StateError)."""
    conn = sqlite3.connect(path, timeout=10, isolation_level=None)
    try:
        version = _version(conn)  # a read: nothing is written before the version is known
        if version > LATEST:
            raise _too_new(path, version)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        while version < LATEST:
            conn.execute("BEGIN IMMEDIATE")
            try:
                version = _version(conn)  # under the write lock: another process may have migrated
                if version > LATEST:
                    raise _too_new(path, version)
                if version < LATEST:
                    MIGRATIONS[version](conn)
                    version += 1
                    conn.execute(f"PRAGMA user_version = {version}")
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        return conn
    except BaseException:
        conn.close()
        raise
