"""Usage accounting persisted across runs: one row per model call in <data dir>/usage.db (SQLite, WAL).

Rows are buffered in memory and written in one transaction: by a background thread every FLUSH_EVERY
rows, and on LLMRouter.close() and at exit, so accounting never sits on a call's hot path.
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

FLUSH_EVERY = 256
SCHEMA = """
CREATE TABLE IF NOT EXISTS calls (
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
);
CREATE INDEX IF NOT EXISTS calls_ts ON calls(ts);
"""


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
        atexit.register(self.flush)

    def _connect(self) -> sqlite3.Connection:
        try:
            paths.ensure_dir(self.path.parent)
            conn = sqlite3.connect(self.path, timeout=10)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.executescript(SCHEMA)
            return conn
        except (OSError, sqlite3.Error) as exc:
            raise StateError(
                f"Cannot open the usage database {self.path}: {exc}",
                hint="Check that cortex's data directory is writable (see `cortex config path`).",
            ) from None

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
            with conn:
                conn.executemany(
                    "INSERT INTO calls (ts, provider, model, task, ok, error, input_tokens, output_tokens,"
                    " cost_usd, latency_s, paid) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    rows,
                )
            conn.close()
        except (StateError, sqlite3.Error):
            # Accounting must never break an answer; keep the rows for the next flush.
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
                conn = sqlite3.connect(self.path, timeout=10)
                row = conn.execute(
                    "SELECT COALESCE(SUM(cost_usd), 0) FROM calls WHERE paid=1 AND ts>=?", (start,)
                ).fetchone()
                conn.close()
                total = float(row[0])
            except sqlite3.Error:
                total = 0.0
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
                f" AVG(CASE WHEN ok THEN latency_s END) FROM calls {where} GROUP BY provider ORDER BY provider",
                args,
            ).fetchall()
            out = []
            for provider, n, failed, tin, tout, cost, mean in rows:
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
