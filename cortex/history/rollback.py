"""Pure: a recorded package diff -> the plan that undoes it, its conflicts, and the check afterwards.

    plan_rollback(tx_id, changes, current, later, available, manager=m) -> RollbackPlan
    unexpected_effects(plan, simulation) -> what the package manager would change beyond the plan
    verify(plan, changes, after, rollback_changes) -> lines saying exactly what still differs

The inverse of each change: an installed package is purged (removed, if dpkg kept its conffiles before),
a removed, upgraded or downgraded one is installed again at the recorded version when the archive still
has it, and the auto/manual marks are put back. A later transaction that touched the same packages, or
a package that changed outside cortex since, is a conflict: the caller refuses unless --force.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cortex.history.debversion import compare
from cortex.history.diff import STATE, Change
from cortex.packages.base import PackageManager
from cortex.packages.state import PackageState


@dataclass(frozen=True)
class Conflict:
    """A reason the rollback may not restore the recorded state: a later transaction or an outside change."""

    packages: tuple[str, ...]
    tx_id: int | None = None  # None: changed outside cortex
    detail: str = ""

    def describe(self) -> str:
        names = ", ".join(self.packages)
        if self.tx_id is not None:
            return f"transaction {self.tx_id} changed {names} later"
        return f"{names}: {self.detail}"


@dataclass(frozen=True)
class RollbackPlan:
    tx_id: int
    manager: PackageManager = field(compare=False, repr=False)  # builds the argv
    restore: tuple[tuple[str, str], ...] = ()  # (package, version) to install
    purge: tuple[str, ...] = ()  # installed by the transaction: remove with their conffiles
    remove: tuple[str, ...] = ()  # installed over conffiles that were there before: keep them
    mark_auto: tuple[str, ...] = ()
    mark_manual: tuple[str, ...] = ()
    downgrades: bool = False  # some restore installs an older version than the current one
    already: tuple[str, ...] = ()  # already as before the transaction: nothing to do
    cannot: tuple[tuple[str, str], ...] = ()  # (package, why) that cannot be restored
    conflicts: tuple[Conflict, ...] = ()
    target: Mapping[str, str | None] = field(default_factory=dict)  # package -> version (None: absent)

    @property
    def empty(self) -> bool:
        return not (self.restore or self.purge or self.remove or self.mark_auto or self.mark_manual)

    @property
    def packages(self) -> tuple[str, ...]:
        """Every package the plan changes (the policy's list of names it may touch)."""
        names = [p for p, _ in self.restore] + [*self.purge, *self.remove, *self.mark_auto, *self.mark_manual]
        return tuple(dict.fromkeys(names))

    def steps(self) -> list[tuple[list[str], str]]:
        """(argv, description): restore first (so dependants never lose a dependency), then remove, then marks."""
        m = self.manager
        out: list[tuple[list[str], str]] = []
        if self.restore:
            out.append((m.restore_argv(self.restore, downgrade=self.downgrades), "install the recorded versions again"))
        if self.purge:
            out.append((m.purge_argv(self.purge), "remove what the transaction installed"))
        if self.remove:
            out.append((m.remove_argv(self.remove), "remove, keeping the earlier conffiles"))
        if self.mark_auto:
            out.append((m.mark_argv(self.mark_auto, auto=True), "mark as automatically installed again"))
        if self.mark_manual:
            out.append((m.mark_argv(self.mark_manual, auto=False), "mark as manually installed again"))
        return out

    def simulate_argv(self) -> list[str]:
        """One dry run of the whole change by the package manager (pins to install, the rest removed)."""
        return self.manager.simulate_change_argv(self.restore, (*self.purge, *self.remove))

    def to_dict(self) -> dict[str, Any]:
        return {
            "transaction": self.tx_id,
            "restore": [{"package": p, "version": v} for p, v in self.restore],
            "purge": list(self.purge),
            "remove": list(self.remove),
            "mark_auto": list(self.mark_auto),
            "mark_manual": list(self.mark_manual),
            "already": list(self.already),
            "cannot": [{"package": p, "why": w} for p, w in self.cannot],
            "conflicts": [
                {"transaction": c.tx_id, "packages": list(c.packages), "detail": c.describe()} for c in self.conflicts
            ],
            "steps": [{"argv": argv, "description": d} for argv, d in self.steps()],
        }


def _version_of(state: PackageState, package: str) -> str | None:
    pkg = state.get(package)
    return pkg.version if pkg is not None and pkg.present else None


def plan_rollback(
    tx_id: int,
    changes: Sequence[Change],
    current: PackageState,
    later: Mapping[int, Sequence[str]] = {},
    available: Mapping[str, Collection[str]] = {},
    *,
    manager: PackageManager,
) -> RollbackPlan:
    """The inverse of `changes` given the state now, later transactions and the versions the archive has.

    `manager` builds the steps' argv (one that supports rollback: apt so far).
    """
    tool, repair = manager.unfinished
    restore: list[tuple[str, str]] = []
    purge: list[str] = []
    remove: list[str] = []
    mark_auto: list[str] = []
    mark_manual: list[str] = []
    already: list[str] = []
    cannot: list[tuple[str, str]] = []
    drift: list[Conflict] = []
    target: dict[str, str | None] = {}
    downgrades = False
    for c in changes:
        want = c.old_version
        target[c.package] = want
        now = _version_of(current, c.package)
        if c.action == STATE:
            cannot.append((c.package, f"left {c.new_status} by {tool}; run `{repair}`"))
            continue
        if now != c.new_version and now != want and not any(c.package in pkgs for pkgs in later.values()):
            shown = now or "not installed"
            drift.append(Conflict((c.package,), None, f"changed outside cortex since (now {shown})"))
        if now == want:
            pkg = current.get(c.package)
            if want is not None and pkg is not None and pkg.auto != c.old_auto:
                (mark_auto if c.old_auto else mark_manual).append(c.package)
            else:
                already.append(c.package)
            continue
        if want is None:
            (purge if c.old_status in (None, "not-installed") else remove).append(c.package)
            continue
        if want not in available.get(c.package, ()):
            have = ", ".join(sorted(available.get(c.package, ()), key=_sort_key)) or "none"
            cannot.append((c.package, f"version {want} is no longer in the archive (available: {have})"))
            continue
        restore.append((c.package, want))
        downgrades = downgrades or (now is not None and compare(want, now) < 0)
        if c.old_auto:
            mark_auto.append(c.package)
    conflicts = [Conflict(tuple(pkgs), later_id) for later_id, pkgs in sorted(later.items())]
    return RollbackPlan(
        tx_id=tx_id,
        restore=tuple(restore),
        purge=tuple(purge),
        remove=tuple(remove),
        mark_auto=tuple(mark_auto),
        mark_manual=tuple(mark_manual),
        downgrades=downgrades,
        already=tuple(already),
        cannot=tuple(cannot),
        conflicts=(*conflicts, *drift),
        target=target,
        manager=manager,
    )


class _VersionKey:
    def __init__(self, v: str) -> None:
        self.v = v

    def __lt__(self, other: _VersionKey) -> bool:
        return compare(self.v, other.v) < 0


def _sort_key(v: str) -> _VersionKey:
    return _VersionKey(v)


def _base(name: str) -> str:
    return name.split(":", 1)[0]


def unexpected_effects(
    plan: RollbackPlan, new: Iterable[str], upgraded: Iterable[str], removed: Iterable[str]
) -> list[str]:
    """Packages the manager's simulation would change that the plan does not name (dependants, conflicts)."""
    planned = {_base(p) for p in plan.packages}
    out = []
    for verb, names in (("install", new), ("change", upgraded), ("remove", removed)):
        out += [f"would also {verb} {n}" for n in names if _base(n) not in planned]
    return out


def verify(
    plan: RollbackPlan, after: PackageState, changes: Sequence[Change], rollback_changes: Sequence[Change] = ()
) -> list[str]:
    """Lines saying exactly what differs from the state before the transaction (empty: it matches)."""
    problems = []
    by_package = {c.package: c for c in changes}
    for package, want in plan.target.items():
        have = _version_of(after, package)
        if have != want:
            problems.append(f"{package}: expected {want or 'not installed'}, is {have or 'not installed'}")
            continue
        pkg = after.get(package)
        c = by_package.get(package)
        if want is not None and c is not None and pkg is not None and pkg.auto != c.old_auto:
            expected = "automatic" if c.old_auto else "manual"
            problems.append(f"{package}: expected to be marked {expected}, is not")
    for c in rollback_changes:
        if c.package not in plan.target:
            problems.append(f"{c.package}: also {c.action} by the rollback ({c.describe().split(None, 1)[1]})")
    return problems
