"""Lock entries: what one request resolved to, from a plan or from what a recorded transaction installed.

    entry = from_plan(plan_dict, installed={...}, arches={...}, native="amd64", when=...)    pure
    entry = from_transaction(record, arches={...}, native="amd64", when=...)               pure
    entry = lock_plan(plan, verified=None) / lock_transaction(record)                      with the queries

A chosen package's version is, in order: what verification found installed (after --execute), what
apt's simulation would install, what dpkg has now (already installed), the index's candidate.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cortex.provisioning.lock import LockedPackage, LockedRequest

_INSTALLING = ("installed", "upgraded", "downgraded")


def _split(key: str, native: str) -> tuple[str, str]:
    """'libc6:i386' -> ('libc6', 'i386'); 'hello' -> ('hello', '') (architecture to be looked up)."""
    name, _, arch = key.partition(":")
    return name, arch if arch and arch != native else ""


def _arch(name: str, version: str, arch: str, arches: Mapping[tuple[str, str], str], native: str) -> str:
    return arch or arches.get((name, version)) or native


def simulated(plan: Mapping[str, Any]) -> dict[str, str]:
    """Pure: the simulation's new and upgraded packages -> {name or name:arch: version}."""
    sim = plan.get("simulation") or {}
    out = {d["name"]: d["version"] for d in sim.get("new", []) if d.get("name") and d.get("version")}
    out.update({d["name"]: d["new"] for d in sim.get("upgraded", []) if d.get("name") and d.get("new")})
    return out


def from_plan(
    plan: Mapping[str, Any],
    *,
    installed: Mapping[str, str],
    arches: Mapping[tuple[str, str], str],
    native: str,
    when: str,
) -> LockedRequest:
    """Pure: a planned (or installed) plan's to_dict() -> the lock entry for its request."""
    sim = simulated(plan)
    packages = []
    for c in plan.get("chosen", []):
        name = c["name"]
        version = installed.get(name) or sim.get(name) or c.get("version", "")
        packages.append(
            LockedPackage(
                name,
                version,
                _arch(name, version, "", arches, native),
                c.get("origin", ""),
                c.get("backend", ""),
                c.get("why", ""),
            )
        )
    closure = []
    for key, version in sim.items():
        name, arch = _split(key, native)
        closure.append(LockedPackage(name, version, _arch(name, version, arch, arches, native)))
    return LockedRequest(
        request=plan.get("request", ""),
        packages=tuple(packages),
        closure=tuple(sorted(closure, key=lambda p: p.name)),
        backend=plan.get("backend", ""),
        model=plan.get("model", "") or "",
        locked_at=when,
        source="cortex install",
    )


@dataclass(frozen=True)
class FromTransaction:
    entry: LockedRequest | None
    skipped: tuple[str, ...] = ()  # planned packages the transaction did not install (already there)


def from_transaction(record: Any, *, arches: Mapping[tuple[str, str], str], native: str, when: str) -> FromTransaction:
    """Pure: a TransactionRecord -> the entry for what it actually installed (None when it installed nothing).

    The chosen packages are the plan's packages that it installed or changed; without a plan's package
    list (a rollback), the ones it installed as manual. The closure is every package it installed.
    """
    plan = record.plan if isinstance(record.plan, Mapping) else {}
    chosen = {c.get("name"): c for c in plan.get("chosen", []) if isinstance(c, Mapping)}
    changed = [c for c in record.changes if c.action in _INSTALLING and c.new_version]
    planned = [str(p) for p in plan.get("packages", [])]
    if planned:
        wanted = [c for c in changed if c.package.split(":")[0] in planned or c.package in planned]
    else:
        wanted = [c for c in changed if not c.new_auto]
    picked = {c.package for c in wanted}
    skipped = tuple(p for p in planned if p not in picked and p.split(":")[0] not in picked)
    if not wanted:
        return FromTransaction(None, skipped)
    packages = []
    for c in wanted:
        name, arch = _split(c.package, native)
        info = chosen.get(name, {})
        why = info.get("why") or f"installed by transaction {record.id}"
        packages.append(
            LockedPackage(
                name,
                c.new_version,
                _arch(name, c.new_version, arch, arches, native),
                info.get("origin", ""),
                info.get("backend", "") or record.backend or "",
                why,
            )
        )
    closure = []
    for c in changed:
        name, arch = _split(c.package, native)
        closure.append(LockedPackage(name, c.new_version, _arch(name, c.new_version, arch, arches, native)))
    entry = LockedRequest(
        request=record.request,
        packages=tuple(packages),
        closure=tuple(sorted(closure, key=lambda p: p.name)),
        backend=record.backend or "",
        model=record.model or "",
        locked_at=when,
        source=f"history {record.id}",
    )
    return FromTransaction(entry, skipped)


# -- with the machine's queries -------------------------------------------------------------------------


def _pins(items: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    return sorted({(k.split(":")[0], v) for k, v in items if v})


def _arches(pins: Sequence[tuple[str, str]]) -> dict[tuple[str, str], str]:
    from cortex.provisioning import host

    arches = host.architectures(pins)
    missing = [n for n, v in pins if (n, v) not in arches]
    for (name, _arch), found in host.installed(missing).items():
        arches.setdefault((name, found.version), found.architecture)
    return arches


def lock_plan(plan: Any, verified: Mapping[str, str] | None = None) -> LockedRequest:
    """The lock entry for a planned (dry run) or installed (`verified` versions) Plan of this machine."""
    from cortex.provisioning import host

    doc = plan.to_dict()
    names = [c["name"] for c in doc.get("chosen", [])]
    installed = dict(verified or {})
    if not verified:
        sim = simulated(doc)
        already = [n for n in names if n not in sim]
        installed.update({n: f.version for (n, _a), f in host.installed(already).items() if f.present})
    sim = simulated(doc)
    pins = _pins([*sim.items(), *installed.items(), *((c["name"], c.get("version", "")) for c in doc["chosen"])])
    return from_plan(doc, installed=installed, arches=_arches(pins), native=host.native_architecture(), when=host.now())


def lock_transaction(record: Any) -> FromTransaction:
    from cortex.provisioning import host

    pins = _pins((c.package, c.new_version or "") for c in record.changes if c.action in _INSTALLING)
    return from_transaction(record, arches=_arches(pins), native=host.native_architecture(), when=host.now())


def check_target(path: str, manager: str) -> None:
    """Before anything is planned or installed: an existing lock at `path` must be valid and for this system."""
    from cortex.provisioning import host
    from cortex.provisioning.lock import load_if_exists
    from cortex.provisioning.state import check_host

    existing = load_if_exists(path)
    if existing is not None:
        check_host(existing, host.distribution(), manager)


def record(path: str, entry: LockedRequest, manager: str) -> LockSummary:
    """Merge `entry` into the lock at `path` (created if absent) and write it atomically."""
    from cortex.provisioning import host
    from cortex.provisioning.lock import load_if_exists, merge, save

    existing = load_if_exists(path)
    lock = merge(existing, entry, host.base_lock(manager))
    save(path, lock)
    replaced = existing is not None and any(r.request == entry.request for r in existing.requests)
    return LockSummary(path, entry.request, tuple(p.name for p in entry.packages), replaced)


@dataclass(frozen=True)
class LockSummary:
    """What a lock write did, for the CLI to report."""

    path: str
    request: str
    packages: tuple[str, ...] = ()
    replaced: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "request": self.request, "packages": list(self.packages), "replaced": self.replaced}
