"""Values read back from the history store (frozen: a record never changes under its reader)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, NamedTuple

from cortex.history.diff import Change

PLANNED = "planned"
RUNNING = "running"
INSTALLED = "installed"  # an install that finished
COMPLETED = "completed"  # any other kind (rollback, remove...) that finished
FAILED = "failed"
INTERRUPTED = "interrupted"
ROLLED_BACK = "rolled back"

STATUSES = (PLANNED, RUNNING, INSTALLED, COMPLETED, FAILED, INTERRUPTED, ROLLED_BACK)


@dataclass(frozen=True)
class StepRecord:
    seq: int
    argv: tuple[str, ...]
    returncode: int | None
    output: str
    duration_s: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "argv": list(self.argv)}


class TransactionSummary(NamedTuple):
    """One line of `cortex history` (a NamedTuple: listing 10,000 of them must stay cheap)."""

    id: int
    kind: str
    status: str
    request: str
    backend: str | None
    model: str | None
    started_at: float
    duration_s: float | None
    summary: str  # "2 installed, 1 upgraded"
    rollback_of: int | None = None
    rolled_back_by: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return self._asdict()


@dataclass(frozen=True)
class TransactionRecord:
    """Everything recorded about one transaction (`cortex history show ID`).

    Its first fields repeat TransactionSummary's on purpose: the summary is a NamedTuple so that listing
    10,000 rows stays cheap, and a NamedTuple cannot be extended by a dataclass.
    """

    id: int
    kind: str
    status: str
    request: str
    backend: str | None
    model: str | None
    started_at: float
    duration_s: float | None
    summary: str
    rollback_of: int | None = None
    rolled_back_by: int | None = None
    plan: Any = None
    finished_at: float | None = None
    error: str | None = None
    hint: str | None = None
    changes: tuple[Change, ...] = ()
    steps: tuple[StepRecord, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["changes"] = [c.to_dict() for c in self.changes]
        d["steps"] = [s.to_dict() for s in self.steps]
        return d
