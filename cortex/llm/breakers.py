"""Circuit-breaker and rate-limit state shared by every cortex process: <data dir>/breaker.db (SQLite).

One row per provider holds the pure CircuitBreaker's state (cortex.llm.retry) plus the rate-limit
cool-down a 429's Retry-After asked for and the cause of the last failure, so a second `cortex ask`
within the cool-down skips a dead provider without sending it a request, and says why.

    closed    --(breaker.failures consecutive failures; one, for an unreachable or silent
                 provider while a fallback waits)-->                                  open
    open      --(breaker.cooldown seconds)--> half-open: one probe request is let through
    half-open --(the probe answers)--> closed;  --(the probe fails)--> open again
    a 429: the server is alive; the failure count starts over and the provider cools down for
           its Retry-After (capped by cortex.llm.retry.MAX_RETRY_AFTER) before the next request.

Every change is one short write transaction (BEGIN IMMEDIATE: read, decide with the pure breaker,
write back), so concurrent processes never lose an update; the common case (a closed circuit, no
cool-down) is a single read, and a clean read is trusted for CLEAN_TTL seconds by this board (a
batch reads the file once, not once per item; another process's verdict is seen at most that much
later; this board's own changes at once). Times are wall-clock (time.time()): they must mean the
same in every process. If the file cannot be used, the state lives in memory for this process only.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cortex import paths
from cortex.llm.retry import CircuitBreaker

SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS breakers (
    provider      TEXT PRIMARY KEY,
    state         TEXT NOT NULL DEFAULT 'closed',
    failures      INTEGER NOT NULL DEFAULT 0,
    opened_at     REAL,
    probe_started REAL,
    rate_until    REAL NOT NULL DEFAULT 0,
    cause         TEXT NOT NULL DEFAULT ''
)
"""
_COLUMNS = "state, failures, opened_at, probe_started, rate_until, cause"
CLEAN_TTL = 1.0  # seconds a read that found nothing recorded is trusted (monotonic clock)


@dataclass(frozen=True)
class BreakerSettings:
    failures: int = 5
    cooldown: float = 30.0


@dataclass(frozen=True)
class Admission:
    """May an attempt go ahead now? `wait`: a rate-limit cool-down still to run (seconds)."""

    allowed: bool
    wait: float = 0.0
    failures: int = 0
    retry_in: float = 0.0
    cause: str = ""
    clean: bool = True  # nothing recorded for the provider: a success needs no write


_Row = tuple[str, int, "float | None", "float | None", float, str]
_CLEAN: _Row = ("closed", 0, None, None, 0.0, "")


class BreakerBoard:
    """Per-provider breaker state in one SQLite file, safe for threads and processes."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or paths.data_dir() / "breaker.db"
        self._lock = threading.Lock()
        self._conn = self._open()
        self._clean_until: dict[str, float] = {}  # provider -> monotonic time its clean read expires

    def _open(self) -> sqlite3.Connection:
        try:
            paths.ensure_dir(self.path.parent)
            conn = sqlite3.connect(self.path, timeout=5, isolation_level=None, check_same_thread=False)
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            if version > SCHEMA_VERSION:
                conn.close()
                raise sqlite3.DatabaseError("newer schema")  # leave it untouched; keep state in memory
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute(_SCHEMA)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            return conn
        except (OSError, sqlite3.Error, Exception):
            conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
            conn.execute(_SCHEMA)
            return conn

    # ----- reads and writes ----------------------------------------------------------------------

    def _read(self, name: str) -> _Row:
        row = self._conn.execute(f"SELECT {_COLUMNS} FROM breakers WHERE provider=?", (name,)).fetchone()
        return tuple(row) if row else _CLEAN

    def _update(self, name: str, change: Callable[[_Row], _Row | None]) -> _Row:
        """Read, change and write one provider's row in a single write transaction."""
        with self._lock:
            self._clean_until.pop(name, None)
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                try:
                    old = self._read(name)
                    new = change(old)
                    if new is not None and new != old:
                        self._conn.execute(
                            f"INSERT OR REPLACE INTO breakers (provider, {_COLUMNS}) VALUES (?,?,?,?,?,?,?)",
                            (name, *new),
                        )
                    self._conn.execute("COMMIT")
                except BaseException:
                    self._conn.execute("ROLLBACK")
                    raise
            except sqlite3.Error:
                return _CLEAN  # a busy or broken file must not fail the call: the breaker is advice
            return new if new is not None else old

    # ----- the breaker's steps -------------------------------------------------------------------

    def admit(self, name: str, now: float, settings: BreakerSettings) -> Admission:
        if self._clean_until.get(name, 0.0) > time.monotonic():
            return Admission(True)
        try:
            with self._lock:
                row = self._read(name)
                if row == _CLEAN:  # under the lock: a change of this board's cannot slip in between
                    self._clean_until[name] = time.monotonic() + CLEAN_TTL
        except sqlite3.Error:
            return Admission(True)
        if row == _CLEAN:
            return Admission(True)
        if row[0] == "closed":
            return Admission(True, wait=max(0.0, row[4] - now), failures=row[1], cause=row[5], clean=False)
        verdict: list[bool] = []

        def probe(old: _Row) -> _Row:
            breaker = _breaker(old, settings)
            verdict.append(breaker.allow(now))
            return _row(breaker, old[4], old[5])

        new = self._update(name, probe)
        breaker = _breaker(new, settings)
        allowed = verdict[0] if verdict else True
        return Admission(
            allowed,
            wait=max(0.0, new[4] - now),
            failures=new[1],
            retry_in=breaker.retry_in(now),
            cause=new[5],
            clean=False,
        )

    def failed(self, name: str, now: float, settings: BreakerSettings, cause: str, weight: int = 1) -> bool:
        """Count a failure; True when the circuit is open afterwards."""

        def count(old: _Row) -> _Row:
            breaker = _breaker(old, settings)
            breaker.record_failure(now, weight)
            return _row(breaker, old[4], cause)

        return self._update(name, count)[0] == "open"

    def rate_limited(self, name: str, until: float, settings: BreakerSettings) -> None:
        """A 429: the failure count starts over; no request before `until`."""

        def cool(old: _Row) -> _Row:
            breaker = _breaker(old, settings)
            breaker.record_alive()
            return _row(breaker, max(old[4], until), old[5])

        self._update(name, cool)

    def succeeded(self, name: str) -> None:
        self._update(name, lambda old: _CLEAN)

    def release(self, name: str, settings: BreakerSettings) -> None:
        """An attempt ended without a verdict (cancelled): a half-open probe frees its slot."""

        def free(old: _Row) -> _Row | None:
            if old[0] != "half_open":
                return None
            breaker = _breaker(old, settings)
            breaker.release_probe()
            return _row(breaker, old[4], old[5])

        self._update(name, free)

    def state(self, name: str) -> str:
        with self._lock:
            return self._read(name)[0]

    def close(self) -> None:
        with self._lock:
            self._conn.close()


def _breaker(row: _Row, settings: BreakerSettings) -> CircuitBreaker:
    breaker = CircuitBreaker(failure_threshold=settings.failures, cooldown=settings.cooldown)
    breaker.restore(row[0], row[1], row[2], row[3])
    return breaker


def _row(breaker: CircuitBreaker, rate_until: float, cause: str) -> _Row:
    return (breaker.state, breaker.failures, breaker.opened_at, breaker.probe_started, rate_until, cause)
