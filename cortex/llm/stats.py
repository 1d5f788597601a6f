"""Usage accounting persisted across runs: one row per model call in <data dir>/usage.db (SQLite, WAL).

Rows are buffered in memory and written in one transaction: by a background thread every FLUSH_EVERY
rows, and on LLMRouter.close() and at exit, so accounting never sits on a call's hot path. The schema
has numbered migrations (cortex.llm.usage_schema).

Accounting never breaks an answer, except where it guards money: when usage.db cannot be read or
written, `check()` and `paid_today()` raise StateError, and the router skips paid providers while a
daily spending cap is set (fail closed) instead of spending past a cap it cannot count.
"""

from __future__ import annotations

import atexit
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any, NamedTuple

from cortex import paths
from cortex.errors import StateError
from cortex.llm.usage_schema import open_db

FLUSH_EVERY = 256
COLUMNS = (
    "ts, provider, model, task, ok, error, input_tokens, output_tokens, cost_usd, latency_s, paid, partial, truncated"
)


class CallRecord(NamedTuple):
    """One attempt's accounting row (a NamedTuple: cheap to build on every call, inserted as is)."""

    ts: float
    provider: str
    model: str
    task: str
    ok: bool
    error: str
    input_tokens: int
    output_tokens: int
    cost_usd: float
    latency_s: float
    paid: bool
    partial: bool = False  # a stream cut short (Ctrl-C, broken connection): tokens as far as received
    truncated: bool = False  # used although it stopped at the token limit


def _utc_day_start(now: float) -> float:
    return now - (now % 86400)


class UsageLog:
    """Buffered writer + reader of call records. Thread-safe; one per database path."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or paths.data_dir() / "usage.db"
        self._pending: list[CallRecord] = []
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()  # one writer at a time; exit waits for a background flush
        self._flusher: threading.Thread | None = None
        self._today_paid: float | None = None
        self._today_start = 0.0
        self._checked = False
        self.error: StateError | None = None  # why the last write failed (None: it did not)
        atexit.register(self.flush)

    def _connect(self) -> sqlite3.Connection:
        try:
            paths.ensure_dir(self.path.parent)
            return open_db(self.path)
        except StateError:
            raise
        except (OSError, sqlite3.Error) as exc:
            raise StateError(
                f"Cannot open the usage database {self.path}: {exc}",
                hint="Check that cortex's data directory is writable (see `cortex config path`), "
                "or move a damaged usage.db away.",
            ) from None

    def check(self) -> None:
        """Raise StateError unless usage.db can be opened at the current schema and written."""
        if self.error is not None:
            raise self.error
        if self._checked:
            return
        try:
            conn = self._connect()
            try:
                conn.execute("BEGIN IMMEDIATE")  # takes the write lock: fails on a read-only file
                conn.execute("COMMIT")
            finally:
                conn.close()
        except sqlite3.Error as exc:
            self.error = StateError(f"Cannot write the usage database {self.path}: {exc}")
            raise self.error from None
        except StateError as exc:
            self.error = exc
            raise
        self._checked = True

    def record(self, rec: CallRecord) -> None:
        with self._lock:
            self._pending.append(rec)
            if rec.paid and self._today_paid is not None and rec.ts >= self._today_start:
                self._today_paid += rec.cost_usd
            flusher = None
            if len(self._pending) >= FLUSH_EVERY and (self._flusher is None or not self._flusher.is_alive()):
                flusher = self._flusher = threading.Thread(target=self.flush, name="cortex-usage-flush", daemon=True)
        if flusher is not None:
            flusher.start()

    def flush(self) -> None:
        with self._write_lock:
            self._flush_locked()

    def _flush_locked(self) -> None:
        with self._lock:
            rows, self._pending = self._pending, []
        if not rows:
            return
        try:
            conn = self._connect()
            try:
                conn.execute("BEGIN IMMEDIATE")
                conn.executemany(f"INSERT INTO calls ({COLUMNS}) VALUES ({','.join('?' * 13)})", rows)
                conn.execute("COMMIT")
            finally:
                conn.close()
            self.error = None
        except (StateError, sqlite3.Error) as exc:
            # Accounting must never break an answer; keep the rows for the next flush, and remember
            # why, so a spending cap that cannot be counted fails closed (check()).
            self.error = exc if isinstance(exc, StateError) else StateError(f"Cannot write {self.path}: {exc}")
            with self._lock:
                self._pending[:0] = rows

    def paid_today(self, now: float | None = None) -> float:
        """USD spent on paid providers since 00:00 UTC (database + not yet flushed)."""
        now = time.time() if now is None else now
        start = _utc_day_start(now)
        with self._lock:
            if self._today_paid is not None and self._today_start == start:
                return self._today_paid
        total = 0.0
        if self.path.exists():
            try:
                conn = self._connect()
                try:
                    row = conn.execute(
                        "SELECT COALESCE(SUM(cost_usd), 0) FROM calls WHERE paid=1 AND ts>=?", (start,)
                    ).fetchone()
                finally:
                    conn.close()
                total = float(row[0])
            except sqlite3.Error as exc:
                raise StateError(
                    f"Cannot read the usage database {self.path}: {exc}",
                    hint="Move the damaged usage.db away (cortex starts a new one), or fix its permissions.",
                ) from None
        with self._lock:
            total += sum(r.cost_usd for r in self._pending if r.paid and r.ts >= start)
            self._today_paid, self._today_start = total, start
        return total

    def summary(self, since: float | None = None) -> list[dict[str, Any]]:
        """Per provider: requests, failures, tokens, cost, latency (mean and p50 of successful calls)."""
        self.flush()
        if not self.path.exists():
            return []
        conn = self._connect()
        try:
            where, args = ("WHERE ts>=?", (since,)) if since else ("", ())
            rows = conn.execute(
                f"SELECT provider, COUNT(*), SUM(1-ok), SUM(input_tokens), SUM(output_tokens), SUM(cost_usd),"
                f" AVG(CASE WHEN ok THEN latency_s END), SUM(partial) FROM calls {where}"
                " GROUP BY provider ORDER BY provider",
                args,
            ).fetchall()
            out = []
            for provider, n, failed, tin, tout, cost, mean, partial in rows:
                lat = [
                    r[0]
                    for r in conn.execute(
                        f"SELECT latency_s FROM calls {where} {'AND' if where else 'WHERE'} provider=? AND ok=1"
                        " ORDER BY latency_s",
                        (*args, provider),
                    )
                ]
                out.append(
                    {
                        "provider": provider,
                        "requests": n,
                        "failures": failed or 0,
                        "partial": partial or 0,
                        "input_tokens": tin or 0,
                        "output_tokens": tout or 0,
                        "cost_usd": round(cost or 0.0, 6),
                        "latency_mean_s": round(mean, 4) if mean is not None else None,
                        "latency_p50_s": round(lat[len(lat) // 2], 4) if lat else None,
                    }
                )
            return out
        finally:
            conn.close()
