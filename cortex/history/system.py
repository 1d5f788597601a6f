"""The package manager as the history sees it: its state now, what it left unfinished, its architecture.

Everything history knows about installed packages comes through the `PackageManager` interface
(`package_state()`, `audit()`, `native_arch()`, `unfinished`); the manager is detected on first use. A
manager that cannot report its state (all but apt so far) gives an empty state: history still records
requests and steps, but there is no diff to roll back.
"""

from __future__ import annotations

from cortex.errors import CortexError, UnsupportedError
from cortex.packages.base import PackageManager
from cortex.packages.state import Package


class SystemPackages:
    """One manager's answers for a store; `manager=None` detects this system's on first use."""

    def __init__(self, manager: PackageManager | None = None) -> None:
        self._manager = manager
        self._detected = manager is not None

    @property
    def manager(self) -> PackageManager | None:
        if not self._detected:
            from cortex.packages.detect import detect_manager

            try:
                self._manager = detect_manager()
            except CortexError:
                self._manager = None  # no supported manager: nothing to snapshot
            self._detected = True
        return self._manager

    def state(self) -> dict[str, Package]:
        """The installed packages now ({} where the manager cannot say)."""
        manager = self.manager
        if manager is None:
            return {}
        try:
            return manager.package_state()
        except UnsupportedError:
            return {}

    def audit(self) -> str:
        manager = self.manager
        return manager.audit() if manager is not None else ""

    def native_arch(self) -> str:
        manager = self.manager
        if manager is None:
            import platform

            return platform.machine()
        return manager.native_arch()

    def unfinished_hint(self, *, then: str = "") -> str:
        """What to do when the manager's audit reports an unfinished run ("then ..." appended)."""
        manager = self.manager
        tool, command = manager.unfinished if manager is not None else ("", "")
        if not command:
            return "The package manager left its run unfinished; finish it" + (f", then {then}." if then else ".")
        return f"{tool} was interrupted: run `{command}`" + (f", then {then}." if then else ".")
