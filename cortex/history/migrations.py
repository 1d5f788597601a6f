"""Numbered schema migrations for the history database (PRAGMA user_version is the applied number).

Each migration runs in its own write transaction with the version bump, so a crash leaves the database at
one version or the next, never in between; two processes opening a fresh database at once serialize on
the write lock and the second sees the work done. Never edit a released migration: append a new one.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable

from cortex.errors import StateError


def _script(conn: sqlite3.Connection, script: str) -> None:
    """Run statements one by one: executescript() would COMMIT the migration's open transaction."""
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


def _v1(conn: sqlite3.Connection) -> None:
    """Transactions with their plan, steps and package diff (JSON)."""
    _script(
        conn,
        """
        CREATE TABLE transactions (
            id          INTEGER PRIMARY KEY AUTOINCREMENT,
            kind        TEXT NOT NULL,
            status      TEXT NOT NULL,
            request     TEXT NOT NULL DEFAULT '',
            plan        TEXT,
            backend     TEXT,
            model       TEXT,
            started_at  REAL NOT NULL,
            finished_at REAL,
            duration_s  REAL,
            error       TEXT,
            diff        TEXT
        );
        CREATE TABLE steps (
            tx_id      INTEGER NOT NULL REFERENCES transactions(id) ON DELETE CASCADE,
            seq        INTEGER NOT NULL,
            argv       TEXT NOT NULL,
            returncode INTEGER,
            output     TEXT,
            PRIMARY KEY (tx_id, seq)
        );
        """,
    )


def _v2(conn: sqlite3.Connection) -> None:
    """Crash recovery (owner, before-snapshot), rollback links, and a package index for conflict checks."""
    _script(
        conn,
        """
        ALTER TABLE transactions ADD COLUMN owner TEXT;
        ALTER TABLE transactions ADD COLUMN hint TEXT;
        ALTER TABLE transactions ADD COLUMN summary TEXT NOT NULL DEFAULT '';
        ALTER TABLE transactions ADD COLUMN rollback_of INTEGER REFERENCES transactions(id);
        ALTER TABLE transactions ADD COLUMN rolled_back_by INTEGER REFERENCES transactions(id);
        ALTER TABLE steps ADD COLUMN duration_s REAL;
        CREATE TABLE snapshots (
            tx_id  INTEGER PRIMARY KEY REFERENCES transactions(id) ON DELETE CASCADE,
            before BLOB NOT NULL
        );
        CREATE TABLE package_changes (
            tx_id   INTEGER NOT NULL REFERENCES transactions(id) ON DELETE CASCADE,
            package TEXT NOT NULL,
            action  TEXT NOT NULL
        );
        CREATE INDEX package_changes_by_package ON package_changes(package, tx_id);
        CREATE INDEX transactions_by_status ON transactions(status, id);
        """,
    )
    rows = conn.execute("SELECT id, diff FROM transactions WHERE diff IS NOT NULL").fetchall()
    for tx_id, diff in rows:
        try:
            changes = json.loads(diff)
        except ValueError:
            continue
        conn.executemany(
            "INSERT INTO package_changes (tx_id, package, action) VALUES (?, ?, ?)",
            [(tx_id, c["package"], c["action"]) for c in changes if isinstance(c, dict) and "package" in c],
        )
        counts: dict[str, int] = {}
        for c in changes:
            if isinstance(c, dict) and "action" in c:
                counts[c["action"]] = counts.get(c["action"], 0) + 1
        summary = ", ".join(f"{n} {action}" for action, n in counts.items())
        conn.execute("UPDATE transactions SET summary = ? WHERE id = ?", (summary, tx_id))


MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (_v1, _v2)
LATEST = len(MIGRATIONS)


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def check_supported(conn: sqlite3.Connection, *, path: str = "history.db") -> int:
    """The schema version, or StateError when it is newer than LATEST (read-only: nothing is written)."""
    version = schema_version(conn)
    if version > LATEST:
        raise StateError(
            f"{path} has schema version {version}, newer than this cortex understands ({LATEST}).",
            hint="Upgrade cortex, or move the file away to start a new history. The file was not changed.",
        )
    return version


def migrate(conn: sqlite3.Connection, *, path: str = "history.db") -> int:
    """Bring the database to LATEST; return the number of migrations applied (autocommit connection)."""
    if schema_version(conn) == LATEST:
        return 0
    applied = 0
    while True:
        conn.execute("BEGIN IMMEDIATE")
        try:
            # re-read under the write lock: another process may have migrated (or a newer cortex)
            version = check_supported(conn, path=path)
            if version == LATEST:
                conn.execute("COMMIT")
                return applied
            MIGRATIONS[version](conn)
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
            applied += 1
        except BaseException:
            conn.execute("ROLLBACK")
            raise
