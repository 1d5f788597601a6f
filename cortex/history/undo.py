"""Rolling a transaction back: prepare (read-only: plan, conflicts, apt's simulation) and execute.

    preview = prepare(store, tx_id)          # raises NotFoundError / StateError for what cannot be undone
    check_conflicts(preview, force=False)     # ConflictError (exit 9) naming later transactions
    result = execute(store, preview)          # its own "rollback" transaction; verifies the state after

Every step is an argv list checked by the safety policy in its "rollback" purpose before it runs.
"""

from __future__ import annotations

import functools
import os
import shutil
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cortex.errors import ConflictError, InstallError, StateError
from cortex.history import archive, records
from cortex.history.records import TransactionRecord
from cortex.history.rollback import RollbackPlan, plan_rollback, unexpected_effects, verify
from cortex.history.store import HistoryStore
from cortex.system.runner import run

STEP_TIMEOUT_S = 3600
APT_MARK_VERBS = frozenset({"auto", "manual"})

StepRunner = Callable[[Sequence[str]], tuple[int, str]]


@dataclass(frozen=True)
class Preview:
    record: TransactionRecord
    plan: RollbackPlan
    simulation: Any = None  # cortex.packages Simulation, or None when there is nothing to simulate
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


def prepare(
    store: HistoryStore,
    tx_id: int,
    *,
    simulate: bool = True,
    available: Mapping[str, Collection[str]] | None = None,
) -> Preview:
    """The inverse plan of transaction `tx_id` with its conflicts and the package manager's dry run.

    `available` (package -> versions the archive has) defaults to asking apt-cache.
    """
    record = store.get(tx_id)
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
    current = store.snapshot()
    packages = [c.package for c in record.changes]
    later = store.later_touching(tx_id, packages) if packages else {}
    to_restore = [c.package for c in record.changes if c.old_version]
    if available is None:
        available = archive.available_versions(to_restore)
    plan = plan_rollback(tx_id, record.changes, current, later, available)
    simulation = None
    unexpected: tuple[str, ...] = ()
    if simulate and not plan.empty and (plan.restore or plan.purge or plan.remove) and shutil.which("apt-get"):
        simulation = archive.simulate(plan.simulate_argv())
        unexpected = tuple(
            unexpected_effects(
                plan,
                [n for n, _ in simulation.new],
                [n for n, _, _ in simulation.upgraded],
                [n for n, _ in simulation.removed],
            )
        )
    return Preview(record, plan, simulation, unexpected)


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
            hint="Run `apt-get update` if the archive changed, then retry.",
        )


def _with_privilege(argv: list[str]) -> list[str]:
    return argv if os.geteuid() == 0 else ["sudo", "-n", "--", *argv]


def check_step(argv: Sequence[str], packages: Sequence[str]) -> None:
    """The safety policy for one rollback step.

    apt-mark auto|manual and apt-get --allow-downgrades are checked here; the rest by cortex.policy's
    rollback purpose (remove/purge of the plan's packages, install of name=version pins).
    """
    from cortex import policy
    from cortex.errors import RefusedError
    from cortex.plan import Step

    argv = list(argv)
    args = argv[3:] if argv[:3] == ["sudo", "-n", "--"] else argv
    if args and args[0] == "apt-mark":
        names = args[2:]
        if (
            len(args) < 3
            or args[1] not in APT_MARK_VERBS
            or any(n not in packages or not policy.valid_name("apt", n) for n in names)
        ):
            raise RefusedError(f"Step refused by policy (apt-mark): {' '.join(argv)}", rule="apt-mark")
        return
    checked = [a for a in argv if not (a == "--allow-downgrades" and "install" in argv)]
    ctx = policy.PolicyContext.for_plan("apt", packages, purpose=policy.ROLLBACK)
    policy.check(Step(tuple(checked)), ctx)


def run_step(argv: Sequence[str], on_line: Callable[[str], None] | None = None) -> tuple[int, str]:
    """Run one argv (no shell, sanitised environment, bounded output); a hung step is an InstallError."""
    result = run(argv, timeout=STEP_TIMEOUT_S, on_line=on_line)
    if result.timed_out:
        raise InstallError(f"{' '.join(argv[:3])} did not finish within {STEP_TIMEOUT_S} s.")
    return result.returncode, result.output


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
    """
    if runner is None:
        runner = functools.partial(run_step, on_line=on_line)
    plan, record = preview.plan, preview.record
    steps = [(_with_privilege(argv), what) for argv, what in plan.steps()]
    for argv, _ in steps:
        check_step(argv, plan.packages)  # every step before any runs
    store.check_writable()
    with store.transaction(
        kind="rollback",
        request=f"rollback {record.id}: {record.request}",
        plan=plan.to_dict(),
        backend="rollback",
        rollback_of=record.id,
    ) as tx:
        for argv, what in steps:
            if on_step:
                on_step(argv, what)
            started = time.monotonic()
            returncode, output = runner(argv)
            tx.step(argv, returncode, output, duration_s=time.monotonic() - started)
            if returncode != 0:
                tail = "\n".join(output.strip().splitlines()[-5:])
                raise InstallError(
                    f"{' '.join(argv)} failed (exit {returncode}):\n{tail}",
                    hint=f"`cortex history show {tx.id}` has the full output; the rollback stopped there.",
                )
    after = store.snapshot()
    differences = verify(plan, after, record.changes, tx.changes)
    differences += [f"{package}: not restored: {why}" for package, why in plan.cannot]
    if not differences:
        store.mark_rolled_back(record.id, tx.id)
    return Result(tx.id, tuple(differences))
