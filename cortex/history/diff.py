"""Pure: two package states -> what a transaction changed (installed, upgraded, downgraded, removed...).

Only packages whose files are on disk count as installed; a package left in config-files state counts as
removed. Each change keeps both versions and both auto marks, which is what rollback needs to invert it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from cortex.history.debversion import compare
from cortex.packages.state import Package, PackageState

INSTALLED = "installed"
REMOVED = "removed"
UPGRADED = "upgraded"
DOWNGRADED = "downgraded"
MARKED = "marked"  # only the auto/manual mark changed
STATE = "state"  # same version, dpkg state changed (e.g. left unpacked, not configured)

ACTIONS = (INSTALLED, UPGRADED, DOWNGRADED, REMOVED, MARKED, STATE)


@dataclass(frozen=True)
class Change:
    """One package's change. Versions are None where the package was (or is) not installed."""

    package: str  # the state key: name, or name:arch for a foreign architecture
    action: str
    old_version: str | None = None
    new_version: str | None = None
    old_auto: bool = False
    new_auto: bool = False
    old_status: str | None = None  # dpkg state before (None: unknown to dpkg; "config-files": removed, conffiles kept)
    new_status: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Change:
        fields = cls.__dataclass_fields__
        return cls(**{k: v for k, v in d.items() if k in fields})

    def describe(self) -> str:
        """One human line: `installed cowsay 3.03+dfsg2-8 (auto)`."""
        mark = " (auto)" if (self.new_auto if self.action != REMOVED else self.old_auto) else ""
        if self.action == INSTALLED:
            return f"installed  {self.package} {self.new_version}{mark}"
        if self.action == REMOVED:
            return f"removed    {self.package} {self.old_version}{mark}"
        if self.action in (UPGRADED, DOWNGRADED):
            return f"{self.action:<10} {self.package} {self.old_version} -> {self.new_version}{mark}"
        if self.action == MARKED:
            return f"marked     {self.package} {'auto' if self.new_auto else 'manual'}"
        return f"state      {self.package} {self.old_status} -> {self.new_status}"


def _change(key: str, old: Package | None, new: Package | None) -> Change | None:
    action = _action(old, new)
    if action is None:
        return None
    return Change(
        package=key,
        action=action,
        old_version=old.version if old is not None and old.present else None,
        new_version=new.version if new is not None and new.present else None,
        old_auto=bool(old and old.auto),
        new_auto=bool(new and new.auto),
        old_status=old.status if old else None,
        new_status=new.status if new else None,
    )


def _action(old: Package | None, new: Package | None) -> str | None:
    """What happened to one package between two states; None when nothing that matters changed."""
    old_on = old is not None and old.present
    new_on = new is not None and new.present
    if not old_on and not new_on:
        return None  # not installed before or after (config-files purged or left: not a package-set change)
    if not old_on:
        return INSTALLED
    if not new_on:
        return REMOVED
    assert old is not None and new is not None
    order = compare(new.version, old.version)
    if order > 0:
        return UPGRADED
    if order < 0:
        return DOWNGRADED
    if old.status != new.status:
        return STATE
    if old.auto != new.auto:
        return MARKED
    return None


def diff_states(before: PackageState, after: PackageState) -> tuple[Change, ...]:
    """Every package whose installed version, dpkg state or auto mark differs, sorted by name."""
    changes = []
    for key in sorted(before.keys() | after.keys()):
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        change = _change(key, old, new)
        if change is not None:
            changes.append(change)
    return tuple(changes)


def summarize(changes: Iterable[Change]) -> dict[str, int]:
    """Counts per action, e.g. {"installed": 2}, for one-line listings."""
    counts: dict[str, int] = {}
    for c in changes:
        counts[c.action] = counts.get(c.action, 0) + 1
    return {a: counts[a] for a in ACTIONS if a in counts}
