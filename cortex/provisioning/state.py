"""Pure: a lock against what dpkg says is installed -> per-package drift (`cortex apply --check`).

    check_host(lock, distribution, manager)       LockError when the lock is for another system
    drift = compare(lock, installed, native="amd64", allow_newer=False)
    drift.in_sync, drift.changes, drift.to_dict()

A locked package is `in sync` (installed at the locked version; with allow_newer, at a later one too),
`missing` (not installed, or only its config files are left), `other version`, or `held` (a dpkg hold
keeps it at another version: apt will not change it, and cortex does not lift holds).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cortex.errors import LockError
from cortex.history.debversion import compare as compare_versions
from cortex.provisioning.host import Installed
from cortex.provisioning.lock import Distribution, Lock, LockedPackage

IN_SYNC = "in sync"
MISSING = "missing"
OTHER_VERSION = "other version"
HELD = "held"


@dataclass(frozen=True)
class PackageDrift:
    name: str
    architecture: str
    locked: str
    installed: str | None
    state: str
    requests: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.state == IN_SYNC

    @property
    def newer(self) -> bool:
        """Installed at a later version than the lock's (an upgrade since, or accepted with --allow-newer)."""
        return self.installed is not None and compare_versions(self.installed, self.locked) > 0

    def describe(self) -> str:
        if self.state == IN_SYNC:
            extra = f" (installed {self.installed}, newer)" if self.installed != self.locked else ""
            return f"in sync        {self.name} {self.locked}{extra}"
        if self.state == MISSING:
            return f"missing        {self.name} {self.locked}"
        word = "newer" if self.newer else "older"
        label = "held" if self.state == HELD else "other version"
        return f"{label:<14} {self.name} {self.installed} ({word}; lock has {self.locked})"

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "architecture": self.architecture,
            "locked": self.locked,
            "installed": self.installed,
            "state": self.state,
            "newer": self.newer,
            "requests": list(self.requests),
        }


@dataclass(frozen=True)
class Drift:
    packages: tuple[PackageDrift, ...]

    @property
    def in_sync(self) -> bool:
        return all(p.ok for p in self.packages)

    @property
    def changes(self) -> tuple[PackageDrift, ...]:
        return tuple(p for p in self.packages if not p.ok)

    def counts(self) -> dict[str, int]:
        out = {IN_SYNC: 0, MISSING: 0, OTHER_VERSION: 0, HELD: 0}
        for p in self.packages:
            out[p.state] += 1
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "in_sync": self.in_sync,
            "counts": self.counts(),
            "packages": [p.to_dict() for p in self.packages],
        }


def check_host(lock: Lock, distribution: Distribution, manager: str) -> None:
    """LockError when the lock was made for another package manager, distribution or release."""
    if lock.manager != manager:
        raise LockError(
            f"The lock is for the {lock.manager} package manager; this machine uses {manager}.",
            hint="Lock the requests on a machine like this one: `cortex install REQUEST --lock FILE`.",
        )
    if (lock.distribution.id, lock.distribution.release) != (distribution.id, distribution.release):
        raise LockError(
            f"The lock is for {lock.distribution.describe()}; this machine runs {distribution.describe()}. "
            "Its versions come from that release's archive.",
            hint="Keep one lock per release (e.g. cortex-debian-12.lock) and lock the requests on each.",
        )


def query_names(lock: Lock) -> list[str]:
    """The operands for dpkg-query: name, or name:arch for a foreign-architecture package."""
    out = []
    for pkg in lock.packages():
        foreign = lock.arch_key(pkg)
        out.append(f"{pkg.name}:{foreign}" if foreign else pkg.name)
    return out


def _find(lock: Lock, pkg: LockedPackage, installed: Mapping[tuple[str, str], Installed], native: str):
    foreign = lock.arch_key(pkg)
    arches = (foreign,) if foreign else (native, "all", pkg.architecture)
    for arch in arches:
        found = installed.get((pkg.name, arch))
        if found is not None:
            return found
    return None


def compare(
    lock: Lock, installed: Mapping[tuple[str, str], Installed], *, native: str, allow_newer: bool = False
) -> Drift:
    """Each locked package's state on this machine (see the module docstring)."""
    out = []
    for pkg in lock.packages():
        found = _find(lock, pkg, installed, native)
        arch = lock.arch_key(pkg) or ("all" if pkg.architecture == "all" else native)
        requests = tuple(lock.requests_of(pkg))
        if found is None or not found.present:
            out.append(PackageDrift(pkg.name, arch, pkg.version, None, MISSING, requests))
            continue
        order = compare_versions(found.version, pkg.version)
        in_sync = order == 0 or (order > 0 and allow_newer)
        state = IN_SYNC if in_sync else (HELD if found.held else OTHER_VERSION)
        out.append(PackageDrift(pkg.name, arch, pkg.version, found.version, state, requests))
    return Drift(tuple(out))
