"""Rolling a transaction back: prepare (read-only: plan, conflicts, the manager's simulation) and execute.

    preview = prepare(store, tx_id)          # raises NotFoundError / StateError for what cannot be undone
    check_conflicts(preview, force=False)     # ConflictError (exit 9) naming later transactions
    result = execute(store, preview)          # its own "rollback" transaction; verifies the state after

Every step is built by the package manager's adapter and run by cortex.executor under the policy's
"rollback" mode (remove/purge of the plan's packages, version pins, marks). Only apt records the
package state rollback needs; on other managers `prepare` says plainly that rollback is not available.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cortex.errors import ConflictError, InstallError, StateError, UnsupportedError
from cortex.executor import Executor
from cortex.history import records
from cortex.history.records import TransactionRecord
from cortex.history.rollback import RollbackPlan, plan_rollback, unexpected_effects, verify
from cortex.history.store import HistoryStore
from cortex.packages.base import PackageManager, Simulation
from cortex.plan import Step
from cortex.policy import ROLLBACK, PolicyContext
from cortex.system.runner import RunResult

# A stand-in for running one argv: argv -> (returncode, output). Tests use it with a fake dpkg state.
StepRunner = Callable[[Sequence[str]], tuple[int, str]]


@dataclass(frozen=True)
class Preview:
    record: TransactionRecord
    plan: RollbackPlan
    simulation: Simulation | None = None  # None when there is nothing to simulate
    unexpected: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "transaction": self.record.id,
            "plan": self.plan.to_dict(),
            "simulation": self.simulation.to_dict() if self.simulation is not None else None,
            "unexpected": list(self.unexpected),
        }


@dataclass(frozen=True)
class Result:
    rollback_id: int
    differences: tuple[str, ...] = field(default_factory=tuple)

    @property
    def exact(self) -> bool:
        return not self.differences


def rollback_manager(manager: PackageManager | None = None) -> PackageManager:
    """This system's package manager, or UnsupportedError when cortex cannot roll its transactions back."""
    if manager is None:
        from cortex.packages.detect import detect_manager

        manager = detect_manager()
    if not manager.supports_rollback:
        raise UnsupportedError(
            f"Rollback is not available for {manager.name} yet: cortex records the package state it needs "
            "only on apt systems.",
            hint=f"`cortex history show ID` lists what the transaction changed; undo it with {manager.executable}.",
        )
    return manager


def prepare(
    store: HistoryStore,
    tx_id: int,
    *,
    simulate: bool = True,
    available: Mapping[str, Collection[str]] | None = None,
    manager: PackageManager | None = None,
) -> Preview:
    """The inverse plan of transaction `tx_id` with its conflicts and the package manager's dry run.

    `available` (package -> versions the archive has) defaults to asking the package manager.
    """
    manager = rollback_manager(manager)
    record = store.get(tx_id)
    _check_status(record)
    current = store.snapshot()
    packages = [c.package for c in record.changes]
    later = store.later_touching(tx_id, packages) if packages else {}
    to_restore = [c.package for c in record.changes if c.old_version]
    if available is None:
        available = manager.available_versions(to_restore)
    plan = plan_rollback(tx_id, record.changes, current, later, available, manager=manager)
    simulation = None
    unexpected: tuple[str, ...] = ()
    if simulate and (plan.restore or plan.purge or plan.remove) and manager.available():
        simulation = manager.simulate_change(plan.restore, (*plan.purge, *plan.remove))
        unexpected = tuple(
            unexpected_effects(
                plan,
                [n for n, _ in simulation.new],
                [n for n, _, _ in simulation.upgraded],
                [n for n, _ in simulation.removed],
            )
        )
    return Preview(record, plan, simulation, unexpected)


def _check_status(record: TransactionRecord) -> None:
    tx_id = record.id
    if record.status == records.PLANNED:
        raise StateError(
            f"Transaction {tx_id} is a dry run (planned): it changed nothing, so there is nothing to roll back.",
            hint="`cortex history --status installed` lists the transactions that changed packages.",
        )
    if record.status == records.RUNNING:
        raise StateError(f"Transaction {tx_id} is still running.", hint="Wait for it to finish, then roll it back.")
    if record.status == records.ROLLED_BACK:
        raise StateError(
            f"Transaction {tx_id} was already rolled back (by transaction {record.rolled_back_by}).",
            hint=f"`cortex history show {record.rolled_back_by}` shows what the rollback did.",
        )


def check_conflicts(preview: Preview, *, force: bool) -> None:
    """ConflictError (exit 9) when later transactions, outside changes or side effects stand in the way."""
    problems = [c.describe() for c in preview.plan.conflicts] + list(preview.unexpected)
    if problems and not force:
        later = [str(c.tx_id) for c in preview.plan.conflicts if c.tx_id is not None]
        first = f"Transaction {preview.record.id} cannot be rolled back cleanly: " + "; ".join(problems) + "."
        hint = "Roll back the later transactions first (newest first), or pass --force to roll back anyway."
        if later:
            hint = f"Roll back transaction {', '.join(later)} first (newest first), or pass --force."
        raise ConflictError(first, hint=hint)
    if preview.simulation is not None and not preview.simulation.ok:
        raise InstallError(
            f"The package manager's simulation of the rollback failed: {preview.simulation.error}",
            hint=f"Refresh {preview.plan.manager.name}'s package lists if the archive changed, then retry.",
        )


def execute(
    store: HistoryStore,
    preview: Preview,
    *,
    runner: StepRunner | None = None,
    on_step: Callable[[list[str], str], None] | None = None,
    on_line: Callable[[str], None] | None = None,
) -> Result:
    """Run the plan as its own "rollback" transaction; mark the original rolled back when the state matches.

    `on_step(argv, description)` is told before each step, `on_line(line)` gets the steps' output live.
    The steps run through cortex.executor (policy mode "rollback"); `runner` replaces the package
    manager itself (tests).
    """
    plan, record = preview.plan, preview.record
    steps = [Step(tuple(argv), what, privileged=True) for argv, what in plan.steps()]
    policy = PolicyContext.for_plan(plan.manager.name, plan.packages, purpose=ROLLBACK)
    store.check_writable()
    with store.transaction(
        kind="rollback",
        request=f"rollback {record.id}: {record.request}",
        plan=plan.to_dict(),
        backend="rollback",
        rollback_of=record.id,
    ) as tx:
        executor = Executor(
            policy,
            on_start=(lambda step, _n, _total: on_step(list(step.argv), step.description)) if on_step else None,
            on_line=on_line,
            on_result=tx.record,
            run=_stand_in(runner) if runner is not None else None,
        )
        try:
            executor.run(steps)
        except InstallError as exc:
            raise InstallError(
                exc.message,
                hint=f"{exc.hint} `cortex history show {tx.id}` has the full output; the rollback stopped there.",
            ) from None
    after = store.snapshot()
    differences = verify(plan, after, record.changes, tx.changes)
    differences += [f"{package}: not restored: {why}" for package, why in plan.cannot]
    if not differences:
        store.mark_rolled_back(record.id, tx.id)
    return Result(tx.id, tuple(differences))


def _stand_in(runner: StepRunner) -> Callable[..., RunResult]:
    """A StepRunner in the shape of cortex.system.runner.run (the executor's port)."""

    def run(argv: Any, **_options: Any) -> RunResult:
        args = tuple(argv(None) if callable(argv) else argv)
        started = time.monotonic()
        returncode, output = runner(args)
        return RunResult(args, returncode, output, duration_s=time.monotonic() - started)

    return run
