"""One recorded run as a context manager: a row is committed before anything happens, the outcome after.

    with store.transaction(kind="install", request=..., plan=..., backend=..., model=...) as tx:
        tx.step(argv, returncode, output)

__enter__ snapshots the package state and commits a "running" row (so a kill leaves a trace that the next
start turns into "interrupted"); __exit__ snapshots again and stores the diff with the status: installed or
completed on success, failed on an exception, interrupted on Ctrl-C. The exception always propagates.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cortex.errors import Interrupted, StateError
from cortex.history import records
from cortex.history.diff import Change, diff_states
from cortex.history.dpkg_state import encode_state

if TYPE_CHECKING:
    from types import TracebackType

    from cortex.history.dpkg_state import PackageState
    from cortex.history.store import HistoryStore

MAX_OUTPUT_CHARS = 64 * 1024  # per step: the head and the tail are kept, the middle is left out
_HEAD_CHARS = 8 * 1024


def bound_output(text: str, limit: int = MAX_OUTPUT_CHARS) -> str:
    """Keep the first 8 KiB and the last part of long output (the tail says why a step failed)."""
    if len(text) <= limit:
        return text
    tail = limit - _HEAD_CHARS
    skipped = len(text) - limit
    return f"{text[:_HEAD_CHARS]}\n[... {skipped} characters left out ...]\n{text[-tail:]}"


def _boot_id() -> str:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return ""


def _proc_stat(pid: int) -> tuple[str, str] | None:
    """(state letter, start time in clock ticks) of a process, from /proc; None where unreadable."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rfind(")") + 2 :].split()
    return fields[0], fields[19]


def current_owner() -> str:
    """Who runs a transaction: boot id, pid and process start time (a reused pid is not the owner)."""
    pid = os.getpid()
    stat = _proc_stat(pid)
    return f"{_boot_id()}:{pid}:{stat[1] if stat else ''}"


def owner_is_alive(owner: str | None) -> bool:
    """Is the process that opened a transaction still running? (No owner recorded: assume it is gone.)"""
    if not owner:
        return False
    boot, _, rest = owner.partition(":")
    pid_text, _, start = rest.partition(":")
    if boot and boot != _boot_id():
        return False  # the machine rebooted since
    try:
        pid = int(pid_text)
        os.kill(pid, 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        pass  # someone else's live process
    stat = _proc_stat(pid)
    if stat is None:
        return True  # no /proc: trust kill(0)
    state, started = stat
    return state not in ("Z", "X") and (not start or started == start)


class Transaction:
    """Records one run; use through HistoryStore.transaction()."""

    def __init__(
        self,
        store: HistoryStore,
        *,
        kind: str,
        request: str,
        plan: Any,
        backend: str | None,
        model: str | None,
        rollback_of: int | None,
    ) -> None:
        self.store = store
        self.kind = kind
        self.request = request
        self.plan = plan
        self.backend = backend
        self.model = model
        self.rollback_of = rollback_of
        self.id = 0
        self.status: str | None = None
        self.changes: tuple[Change, ...] = ()
        self._before: PackageState = {}
        self._seq = 0
        self._failure: tuple[str, str | None] | None = None

    def __enter__(self) -> Transaction:
        store = self.store
        store.check_writable()
        self._before = store.snapshot()
        blob = encode_state(self._before)
        with store.write() as conn:
            cur = conn.execute(
                "INSERT INTO transactions (kind, status, request, plan, backend, model, started_at, owner, "
                "rollback_of) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    self.kind,
                    records.RUNNING,
                    store._clean_text(self.request),
                    store._json(self.plan),
                    self.backend,
                    self.model,
                    time.time(),
                    current_owner(),
                    self.rollback_of,
                ),
            )
            self.id = int(cur.lastrowid or 0)
            conn.execute("INSERT INTO snapshots (tx_id, before) VALUES (?, ?)", (self.id, blob))
        return self

    def step(
        self, argv: Sequence[str], returncode: int | None, output: str = "", *, duration_s: float | None = None
    ) -> None:
        """Record one executed step (output bounded and redacted), committed at once."""
        self._seq += 1
        store = self.store
        argv_json = json.dumps([store._clean_text(str(a)) for a in argv], ensure_ascii=False)
        with store.write() as conn:
            conn.execute(
                "INSERT INTO steps (tx_id, seq, argv, returncode, output, duration_s) VALUES (?, ?, ?, ?, ?, ?)",
                (self.id, self._seq, argv_json, returncode, store._clean_text(bound_output(output)), duration_s),
            )

    def fail(self, message: str, *, hint: str | None = None) -> None:
        """Mark the outcome failed without raising (for callers that report failure as a result)."""
        self._failure = (message, hint)

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> bool:
        error = hint = None
        if exc_type is None and self._failure is None:
            status = records.INSTALLED if self.kind == "install" else records.COMPLETED
        elif exc_type is not None and issubclass(exc_type, (KeyboardInterrupt, Interrupted, SystemExit)):
            status, error = records.INTERRUPTED, "Interrupted (Ctrl-C or a termination signal)."
        else:
            status = records.FAILED
            if self._failure is not None:
                error, hint = self._failure
            else:
                error = getattr(exc, "message", None) or f"{exc_type.__name__ if exc_type else 'Error'}: {exc}"
                hint = getattr(exc, "hint", None) or None
        try:
            self.changes = diff_states(self._before, self.store.snapshot())
            if status in (records.INTERRUPTED, records.FAILED) and self.store.audit():
                hint = "dpkg was left unfinished: run `sudo dpkg --configure -a`."
            self.store.finish(self.id, status=status, changes=self.changes, error=error, hint=hint)
            self.status = status
        except StateError:
            if exc_type is None:
                raise
            # the original exception matters more; the row stays "running" and is recovered at next start
        return False
