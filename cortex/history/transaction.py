"""One recorded run as a context manager: a row is committed before anything happens, the outcome after.

    with store.transaction(kind="install", request=..., plan=..., backend=..., model=...) as tx:
        tx.step(argv, returncode, output)

__enter__ snapshots the package state and commits a "running" row (so a kill leaves a trace that the next
start turns into "interrupted"); __exit__ snapshots again and stores the diff with the status: installed or
completed on success, failed on an exception, interrupted on Ctrl-C. The exception always propagates.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from cortex.errors import Interrupted, StateError
from cortex.history import records
from cortex.history.diff import Change, diff_states

if TYPE_CHECKING:
    from types import TracebackType

    from cortex.history.store import HistoryStore
    from cortex.packages.state import PackageState

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


class StepOutcome(Protocol):
    """What the executor reports after a step (cortex.executor.StepResult has this shape)."""

    @property
    def argv(self) -> tuple[str, ...]: ...
    @property
    def returncode(self) -> int: ...
    @property
    def output(self) -> str: ...
    @property
    def duration_s(self) -> float: ...
    @property
    def timed_out(self) -> bool: ...


@dataclass(frozen=True)
class Intent:
    """What a transaction is about to do, as recorded in its row before anything runs."""

    kind: str = "install"
    request: str = ""
    plan: Any = None
    backend: str | None = None
    model: str | None = None
    rollback_of: int | None = None


class Transaction:
    """Records one run; use through HistoryStore.transaction()."""

    def __init__(self, store: HistoryStore, intent: Intent) -> None:
        self.store = store
        self.intent = intent
        self.kind = intent.kind
        self.id = 0
        self.status: str | None = None
        self.changes: tuple[Change, ...] = ()
        self._before: PackageState = {}
        self._seq = 0

    def __enter__(self) -> Transaction:
        store = self.store
        store.check_writable()
        self._before = store.snapshot()
        self.id = store.begin(self.intent, owner=current_owner(), before=self._before)
        return self

    def step(
        self, argv: Sequence[str], returncode: int | None, output: str = "", *, duration_s: float | None = None
    ) -> None:
        """Record one executed step (output bounded and redacted), committed at once."""
        self._seq += 1
        self.store.add_step(self.id, self._seq, argv, returncode, bound_output(output), duration_s=duration_s)

    def record(self, result: StepOutcome) -> None:
        """Record what the executor reports for one step (a timed-out step's return code is -1)."""
        returncode = -1 if result.timed_out else result.returncode
        self.step(result.argv, returncode, result.output, duration_s=result.duration_s)

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        """Record the outcome; the exception, if any, always propagates."""
        error = hint = None
        if exc_type is None:
            status = records.INSTALLED if self.kind == "install" else records.COMPLETED
        elif issubclass(exc_type, (KeyboardInterrupt, Interrupted, SystemExit)):
            status, error = records.INTERRUPTED, "Interrupted (Ctrl-C or a termination signal)."
        else:
            status = records.FAILED
            error = getattr(exc, "message", None) or f"{exc_type.__name__}: {exc}"
            hint = getattr(exc, "hint", None) or None
        try:
            self.changes = diff_states(self._before, self.store.snapshot())
            if status in (records.INTERRUPTED, records.FAILED) and self.store.audit():
                hint = self.store.system.unfinished_hint()
            self.store.finish(self.id, status=status, changes=self.changes, error=error, hint=hint)
            self.status = status
        except StateError:
            if exc_type is None:
                raise
            # the original exception matters more; the row stays "running" and is recovered at next start
