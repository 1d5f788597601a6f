"""`cortex apply`: bring this machine to a lock's exact versions, through the install path's own parts.

    lock = read(path, manager)                      load + validate + check it is for this system
    drift = check(lock)                             one dpkg-query: what differs (no simulation)
    plan = prepare(lock, drift, manager)            pins -> archive check -> apt-get -s install name=version
    tx_id, after = execute(plan, lock, manager, store)   Executor + policy + one history transaction

Decisions (which pin each drifted package needs, what the simulation's dependencies do to the lock's
closure) are pure functions; the rest is the package manager's own queries. No model, no provider SDK:
this module and everything it imports stay clear of cortex.llm (a test checks sys.modules).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cortex.errors import InstallError, LockError, PinUnavailableError, RefusedError
from cortex.history.debversion import compare as compare_versions
from cortex.provisioning import host
from cortex.provisioning.lock import Lock, load
from cortex.provisioning.state import HELD, Drift, PackageDrift, check_host, compare, query_names

if TYPE_CHECKING:  # the plan's Step is built by prepare, not needed by --check
    from cortex.plan import Step

APPLY_KIND = "apply"


@dataclass(frozen=True)
class ApplyPlan:
    """What `cortex apply` would do: the drift, the pinned operands, the step and apt's simulation of it."""

    path: str
    drift: Drift
    pins: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    steps: tuple[Step, ...] = ()
    simulation: Mapping[str, Any] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    @property
    def in_sync(self) -> bool:
        return not self.pins

    def to_dict(self) -> dict[str, Any]:
        return {
            "lock": self.path,
            "packages": list(self.names),
            "pins": list(self.pins),
            "drift": self.drift.to_dict(),
            "steps": [s.to_dict() for s in self.steps],
            "simulation": dict(self.simulation),
            "notes": list(self.notes),
        }


def read(path: str, manager: str) -> Lock:
    """The lock at `path`, validated and checked to be for this distribution, release and manager."""
    lock = load(path)
    check_host(lock, host.distribution(), manager)
    return lock


def check(lock: Lock, *, allow_newer: bool = False) -> Drift:
    """Drift of this machine from the lock: one dpkg-query for the lock's packages, nothing else."""
    installed = host.installed(query_names(lock))
    return compare(lock, installed, native=host.native_architecture(), allow_newer=allow_newer)


# -- pure decisions -------------------------------------------------------------------------------------


def _operand(p: PackageDrift, native: str) -> str:
    return p.name if p.architecture in (native, "all") else f"{p.name}:{p.architecture}"


def resolve_pins(
    changes: Sequence[PackageDrift], available: Mapping[str, set[str]], *, native: str, allow_newer: bool = False
) -> tuple[list[str], list[str]]:
    """Pure: the drifted packages -> (`name=version` operands, notes); typed errors for what cannot be done.

    A hold is refused (cortex never lifts one); an installed version newer than the lock is never
    downgraded (--allow-newer accepts it); a locked version the archive no longer has is an error naming
    what it has, or with --allow-newer the archive's latest; a package the archive does not know at all
    is a broken lock (hand-edited, or another archive).
    """
    pins: list[str] = []
    notes: list[str] = []
    for p in changes:
        if p.state == HELD:
            raise RefusedError(
                f"{p.name} is held at {p.installed} (apt-mark hold); the lock wants {p.locked}.",
                rule="held",
                hint=f"cortex does not lift holds: `apt-mark unhold {p.name}` if the lock should win.",
            )
        if p.newer:
            raise RefusedError(
                f"{p.name} {p.installed} is installed, newer than the lock's {p.locked}; cortex apply never downgrades.",
                rule="downgrade",
                hint="Pass --allow-newer to accept the installed version, or lock the request again.",
            )
        versions = available.get(p.name) or set()
        if p.locked in versions:
            pins.append(f"{_operand(p, native)}={p.locked}")
            continue
        if not versions:
            raise LockError(
                f"{p.name} is not a package this machine's archive has (the lock pins {p.locked}).",
                hint="Run `apt-get update`; if the name was edited by hand, fix it or lock the request again.",
            )
        latest = max(versions, key=_version_key)
        if allow_newer and compare_versions(latest, p.locked) > 0:
            pins.append(f"{_operand(p, native)}={latest}")
            notes.append(f"{p.name}: the archive no longer has {p.locked}; installing {latest} (--allow-newer).")
            continue
        shown = ", ".join(sorted(versions, key=_version_key, reverse=True))
        raise PinUnavailableError(
            f"{p.name} {p.locked} is no longer in the archive; it has {shown}.",
            package=p.name,
            available=sorted(versions, key=_version_key, reverse=True),
            hint=(
                f"Pass --allow-newer to install {latest}, or lock the request again."
                if compare_versions(latest, p.locked) > 0
                else "Lock the request again on this release."
            ),
        )
    return pins, notes


def _version_key(version: str) -> Any:
    import functools

    return functools.cmp_to_key(compare_versions)(version)


def closure_notes(lock: Lock, simulated: Mapping[str, str]) -> list[str]:
    """Pure: the dependencies apt would install at other versions than the lock's closure recorded."""
    recorded: dict[str, str] = {}
    for req in lock.requests:
        for dep in req.closure:
            recorded.setdefault(dep.name, dep.version)
    out = []
    for key, version in sorted(simulated.items()):
        name = key.split(":")[0]
        if name in recorded and recorded[name] != version:
            out.append(f"dependency {name}: the lock recorded {recorded[name]}, apt would install {version}.")
    return out


# -- I/O ------------------------------------------------------------------------------------------------


def prepare(
    lock: Lock, drift: Drift, manager: Any, path: str, *, allow_newer: bool = False, simulate: bool = True
) -> ApplyPlan:
    """The pinned install that reaches the lock, checked against the archive and simulated by apt."""
    if drift.in_sync:
        return ApplyPlan(path, drift)
    from cortex.plan import Step

    changes = drift.changes
    native = host.native_architecture()
    pins, notes = resolve_pins(
        changes, host.available([p.name for p in changes]), native=native, allow_newer=allow_newer
    )
    names = tuple(dict.fromkeys(pin.split("=", 1)[0] for pin in pins))
    step = Step(
        tuple(manager.install_pinned_argv(pins)), f"Install the lock's versions: {', '.join(pins)}", privileged=True
    )
    doc: dict[str, Any] = {}
    if simulate:
        sim = manager.simulate_pinned(pins)
        doc = sim.to_dict()
        if not sim.ok:
            raise InstallError(
                f"apt cannot install the lock's versions: {sim.error or 'its simulation failed'}",
                hint="Run `apt-get update`; `apt-get -s install " + " ".join(pins) + "` shows apt's reasons.",
            )
        if sim.removed:
            removed = ", ".join(n for n, _ in sim.removed)
            raise RefusedError(
                f"Reaching the lock would remove packages: {removed}; cortex apply never removes packages.",
                rule="removals",
                hint="Review `apt-get -s install " + " ".join(pins) + "`, resolve the conflict, then apply again.",
            )
        simulated = dict(sim.new)
        simulated.update({n: new for n, _old, new in sim.upgraded})
        notes += closure_notes(lock, simulated)
    return ApplyPlan(path, drift, tuple(pins), names, (step,), doc, tuple(notes))


def execute(
    plan: ApplyPlan,
    lock: Lock,
    manager: Any,
    store: Any,
    *,
    allow_newer: bool = False,
    progress: Callable[[Any], None] | None = None,
) -> tuple[int, Drift]:
    """Run the plan as one history transaction (kind "apply") through the install Executor and policy.

    Returns (transaction id, drift afterwards); InstallError when the machine still differs from the lock.
    """
    from cortex.executor import Executor
    from cortex.policy import PolicyContext

    policy = PolicyContext.for_plan(manager.name, plan.names, pinned=plan.pins)
    with store.transaction(
        kind=APPLY_KIND,
        request=f"apply {plan.path}",
        plan={**plan.to_dict(), "request": f"apply {plan.path}", "manager": manager.name},
        backend="lock",
    ) as tx:
        Executor(policy, progress=progress, on_step=tx.step).run(plan.steps)
        after = check(lock, allow_newer=allow_newer)
        if not after.in_sync:
            left = "; ".join(p.describe().strip() for p in after.changes)
            raise InstallError(
                f"apt finished, but the machine still differs from the lock: {left}",
                hint=f"`cortex history show {tx.id}` has apt's output.",
            )
    return tx.id, after
