"""The history store: one SQLite file, WAL mode, a busy timeout and short write transactions.

Two cortex processes may write at once: each write is one short `BEGIN IMMEDIATE ... COMMIT`, and a
writer waits up to BUSY_TIMEOUT_S for the other instead of failing. Every failure to use the file or
its directory is a StateError (exit 8) with the path and what to do, raised before anything is installed.
"""

from __future__ import annotations

import builtins  # `HistoryStore.list` shadows the builtin inside the class
import contextlib
import json
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from cortex.errors import NotFoundError, StateError
from cortex.history import datadir, records
from cortex.history.diff import Change, diff_states, summarize
from cortex.history.migrations import check_supported, migrate
from cortex.history.records import StepRecord, TransactionRecord, TransactionSummary
from cortex.history.redact import env_secrets, redact, redact_text
from cortex.history.system import SystemPackages
from cortex.history.transaction import Intent, Transaction, owner_is_alive
from cortex.packages.base import PackageManager
from cortex.packages.state import PackageState, decode_state, encode_state

BUSY_TIMEOUT_S = 30.0
DB_NAME = "history.db"

# SQLite's message -> what to do about it (first match wins).
_SQLITE_HINTS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("locked", "busy"), "Another cortex process holds the history database; try again when it is done."),
    (
        ("readonly", "read-only"),
        "The data directory is read-only; set CORTEX_HOME or XDG_DATA_HOME to a writable place.",
    ),
    (("full",), "The disk holding the data directory is full; free some space."),
    (("malformed", "not a database"), "The history file is damaged; move {path} away to start a new one."),
)
_DEFAULT_HINT = "Check the permissions of the data directory and that the disk is not full."

_SUMMARY_COLUMNS = (
    "id, kind, status, request, backend, model, started_at, duration_s, summary, rollback_of, rolled_back_by"
)


def default_path() -> Path:
    from cortex import paths

    return paths.data_dir() / DB_NAME


def open_store(
    path: Path | str | None = None,
    *,
    recover: bool = True,
    snapshot: Callable[[], PackageState] | None = None,
    audit: Callable[[], str] | None = None,
    manager: PackageManager | None = None,
) -> HistoryStore:
    """Open (create, migrate) the history database; by default mark transactions left by killed processes.

    The package state before and after each transaction comes from `manager` (this system's when None);
    `snapshot` and `audit` replace its answers (tests).
    """
    store = HistoryStore(Path(path) if path else default_path(), snapshot=snapshot, audit=audit, manager=manager)
    if recover:
        store.recover_interrupted()
    return store


def _summary_line(changes: Sequence[Change]) -> str:
    return ", ".join(f"{n} {action}" for action, n in summarize(changes).items())


class HistoryStore:
    """Transactions, their steps and package diffs. Safe to share between processes, not between threads."""

    def __init__(
        self,
        path: Path,
        *,
        snapshot: Callable[[], PackageState] | None = None,
        audit: Callable[[], str] | None = None,
        manager: PackageManager | None = None,
    ) -> None:
        self.path = Path(path)
        self.system = SystemPackages(manager)
        self.snapshot: Callable[[], PackageState] = snapshot or self.system.state
        self.audit: Callable[[], str] = audit or self.system.audit
        self.secrets = env_secrets()
        self._conn = self._connect()

    # -- connection ---------------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        datadir.create_private(self.path)
        with self._guard("open"):
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
            try:
                conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
                # A file from a newer cortex is refused before anything could change it (WAL switch included).
                check_supported(conn, path=str(self.path))
                conn.execute("PRAGMA foreign_keys = ON")
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = FULL")
                migrate(conn, path=str(self.path))
            except BaseException:
                conn.close()
                raise
        return conn

    @contextlib.contextmanager
    def _guard(self, what: str) -> Iterator[None]:
        """Translate SQLite failures into one StateError naming the file and the likely cause."""
        try:
            yield
        except sqlite3.Error as exc:
            text = str(exc)
            hint = next((h for needles, h in _SQLITE_HINTS if any(n in text for n in needles)), _DEFAULT_HINT)
            hint = hint.format(path=self.path)
            raise StateError(f"History database {self.path}: cannot {what}: {text}.", hint=hint) from None

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One short write transaction (BEGIN IMMEDIATE takes the write lock up front: no upgrade deadlock)."""
        with self._guard("write"):
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writability --------------------------------------------------------------------------------

    def check_writable(self) -> None:
        """Raise StateError now if a transaction could not be recorded (read-only dir, full disk, lock)."""
        datadir.check_writable(self.path.parent)
        with self.write() as conn:
            conn.execute("UPDATE transactions SET id = id WHERE 0")  # takes the write lock: proves we can write

    # -- recording ----------------------------------------------------------------------------------

    def _clean(self, value: Any) -> Any:
        return redact(value, secrets=self.secrets)

    def _clean_text(self, text: str) -> str:
        return redact_text(text, secrets=self.secrets)

    def record_plan(
        self,
        *,
        request: str,
        plan: Any = None,
        backend: str | None = None,
        model: str | None = None,
        kind: str = "install",
    ) -> int:
        """Record a dry run: status "planned". It changed nothing and can never be rolled back."""
        now = time.time()
        with self.write() as conn:
            cur = conn.execute(
                "INSERT INTO transactions (kind, status, request, plan, backend, model, started_at, "
                "finished_at, duration_s) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)",
                (kind, records.PLANNED, self._clean_text(request), self._json(plan), backend, model, now, now),
            )
            return int(cur.lastrowid or 0)

    def transaction(
        self,
        *,
        kind: str = "install",
        request: str = "",
        plan: Any = None,
        backend: str | None = None,
        model: str | None = None,
        rollback_of: int | None = None,
    ) -> Transaction:
        """A context manager recording one state-changing run (see Transaction)."""
        return Transaction(self, Intent(kind, request, plan, backend, model, rollback_of))

    def begin(self, intent: Intent, *, owner: str, before: PackageState) -> int:
        """Commit a "running" transaction row and its before-snapshot; return its id."""
        with self.write() as conn:
            cur = conn.execute(
                "INSERT INTO transactions (kind, status, request, plan, backend, model, started_at, owner, "
                "rollback_of) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    intent.kind,
                    records.RUNNING,
                    self._clean_text(intent.request),
                    self._json(intent.plan),
                    intent.backend,
                    intent.model,
                    time.time(),
                    owner,
                    intent.rollback_of,
                ),
            )
            tx_id = int(cur.lastrowid or 0)
            conn.execute("INSERT INTO snapshots (tx_id, before) VALUES (?, ?)", (tx_id, encode_state(before)))
        return tx_id

    def add_step(
        self,
        tx_id: int,
        seq: int,
        argv: Sequence[str],
        returncode: int | None,
        output: str,
        *,
        duration_s: float | None = None,
    ) -> None:
        """Record one executed step of a transaction (argv and output redacted), committed at once."""
        argv_json = json.dumps([self._clean_text(str(a)) for a in argv], ensure_ascii=False)
        with self.write() as conn:
            conn.execute(
                "INSERT INTO steps (tx_id, seq, argv, returncode, output, duration_s) VALUES (?, ?, ?, ?, ?, ?)",
                (tx_id, seq, argv_json, returncode, self._clean_text(output), duration_s),
            )

    def _json(self, value: Any) -> str | None:
        return None if value is None else json.dumps(self._clean(value), default=str, ensure_ascii=False)

    def mark_rolled_back(self, tx_id: int, by: int) -> None:
        with self.write() as conn:
            conn.execute(
                "UPDATE transactions SET status = ?, rolled_back_by = ? WHERE id = ?",
                (records.ROLLED_BACK, by, tx_id),
            )

    # -- recovery -----------------------------------------------------------------------------------

    def recover_interrupted(self) -> list[int]:
        """Mark transactions left "running" by a process that is gone: interrupted, with the diff measured now."""
        with self._guard("read"):
            rows = self._conn.execute(
                "SELECT id, owner FROM transactions WHERE status = ? ORDER BY id", (records.RUNNING,)
            ).fetchall()
        dead = [tx_id for tx_id, owner in rows if not owner_is_alive(owner)]
        if not dead:
            return []
        after = self.snapshot()
        audit = self.audit()
        hint = self.system.unfinished_hint(then="check `cortex history show`") if audit else None
        for tx_id in dead:
            with self._guard("read"):
                blob = self._conn.execute("SELECT before FROM snapshots WHERE tx_id = ?", (tx_id,)).fetchone()
            changes = diff_states(decode_state(blob[0], native=self.system.native_arch()), after) if blob else ()
            self.finish(
                tx_id,
                status=records.INTERRUPTED,
                changes=changes,
                error="The cortex process stopped before this transaction finished (killed or crashed).",
                hint=hint,
                only_if_running=True,
            )
        return dead

    def finish(
        self,
        tx_id: int,
        *,
        status: str,
        changes: Sequence[Change],
        error: str | None = None,
        hint: str | None = None,
        only_if_running: bool = False,
    ) -> bool:
        """Store the outcome and diff of a transaction in one write; drop its before-snapshot."""
        now = time.time()
        diff = json.dumps([c.to_dict() for c in changes], ensure_ascii=False)
        with self.write() as conn:
            row = conn.execute("SELECT status, started_at FROM transactions WHERE id = ?", (tx_id,)).fetchone()
            if row is None or (only_if_running and row[0] != records.RUNNING):
                return False  # another process recovered it first
            conn.execute(
                "UPDATE transactions SET status = ?, diff = ?, summary = ?, error = ?, hint = ?, "
                "finished_at = ?, duration_s = ? WHERE id = ?",
                (
                    status,
                    diff,
                    _summary_line(changes),
                    self._clean_text(error) if error else None,
                    hint,
                    now,
                    now - row[1],
                    tx_id,
                ),
            )
            conn.executemany(
                "INSERT INTO package_changes (tx_id, package, action) VALUES (?, ?, ?)",
                [(tx_id, c.package, c.action) for c in changes],
            )
            conn.execute("DELETE FROM snapshots WHERE tx_id = ?", (tx_id,))
        return True

    # -- reading ------------------------------------------------------------------------------------

    def list(self, limit: int | None = 20, status: str | None = None) -> list[TransactionSummary]:
        """Newest first; limit None or 0 lists all."""
        sql = f"SELECT {_SUMMARY_COLUMNS} FROM transactions"
        params: list[Any] = []
        if status:
            sql += " WHERE status = ?"
            params.append(status)
        sql += " ORDER BY id DESC"
        if limit:
            sql += " LIMIT ?"
            params.append(int(limit))
        with self._guard("read"):
            rows = self._conn.execute(sql, params).fetchall()
        return list(map(TransactionSummary._make, rows))

    def get(self, tx_id: int) -> TransactionRecord:
        with self._guard("read"):
            row = self._conn.execute(
                f"SELECT {_SUMMARY_COLUMNS}, plan, finished_at, error, hint, diff FROM transactions WHERE id = ?",
                (tx_id,),
            ).fetchone()
            if row is None:
                raise NotFoundError(
                    f"No transaction {tx_id} in the history.", hint="`cortex history` lists the transactions."
                )
            steps = self._conn.execute(
                "SELECT seq, argv, returncode, output, duration_s FROM steps WHERE tx_id = ? ORDER BY seq",
                (tx_id,),
            ).fetchall()
        plan, finished_at, error, hint, diff = row[11:]
        return TransactionRecord(
            **TransactionSummary._make(row[:11])._asdict(),
            plan=json.loads(plan) if plan else None,
            finished_at=finished_at,
            error=error,
            hint=hint,
            changes=tuple(Change.from_dict(c) for c in json.loads(diff)) if diff else (),
            steps=tuple(StepRecord(seq, tuple(json.loads(argv)), rc, out or "", d) for seq, argv, rc, out, d in steps),
        )

    def later_touching(self, tx_id: int, packages: Sequence[str]) -> dict[int, builtins.list[str]]:
        """Transactions after `tx_id` that changed any of `packages` and still stand.

        Left out: rollbacks of `tx_id` itself, and later transactions already rolled back together with
        the rollbacks that undid them (after "roll back the later ones first" there is no conflict left).
        """
        found: dict[int, builtins.list[str]] = {}
        names = list(dict.fromkeys(packages))
        with self._guard("read"):
            for start in range(0, len(names), 500):
                chunk = names[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows = self._conn.execute(
                    "SELECT c.tx_id, c.package FROM package_changes c JOIN transactions t ON t.id = c.tx_id "
                    f"WHERE c.tx_id > ? AND c.package IN ({marks}) AND COALESCE(t.rollback_of, 0) != ? "
                    "AND t.status != ? AND NOT EXISTS (SELECT 1 FROM transactions o WHERE o.id = t.rollback_of "
                    "AND o.rolled_back_by = t.id) ORDER BY c.tx_id, c.package",
                    (tx_id, *chunk, tx_id, records.ROLLED_BACK),
                ).fetchall()
                for later, package in rows:
                    found.setdefault(later, []).append(package)
        return found
