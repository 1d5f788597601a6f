"""The package-manager port: argv builders (from the manager's Grammar), and the manager's own simulation.

A `PackageManager` never runs a shell: every command is an argv list built from its declared
operations (cortex.packages.grammar), the same table the safety policy checks steps against. Parsing a simulation is a pure
method (`parse_simulation(text)`), unit-tested on recorded outputs for every manager; `simulate()`
is the thin I/O shell around it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from cortex.errors import CortexError, InstallError, UnsupportedError, UsageError
from cortex.packages.grammar import ANY_NAME, CHANGES, NAMES, NONE, PINS, Grammar
from cortex.packages.state import Package

SIMULATE_TIMEOUT_S = 300


@dataclass(frozen=True)
class Simulation:
    """What the package manager says an install would do, in its own words and in numbers."""

    ok: bool
    new: list[tuple[str, str]] = field(default_factory=list)
    upgraded: list[tuple[str, str, str]] = field(default_factory=list)
    removed: list[tuple[str, str]] = field(default_factory=list)
    download_bytes: int | None = None
    disk_bytes: int | None = None
    error: str = ""
    raw: str = ""
    essential_removed: list[str] = field(default_factory=list)  # removals the manager itself flags as essential

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "new": [{"name": n, "version": v} for n, v in self.new],
            "upgraded": [{"name": n, "old": o, "new": v} for n, o, v in self.upgraded],
            "removed": [{"name": n, "version": v} for n, v in self.removed],
            "download_bytes": self.download_bytes,
            "disk_bytes": self.disk_bytes,
            "error": self.error,
            "essential_removed": list(self.essential_removed),
        }


@dataclass
class Changes:
    """What a dry run lists, gathered line by line by a parser; `simulation()` freezes it."""

    new: list[tuple[str, str]] = field(default_factory=list)
    upgraded: list[tuple[str, str, str]] = field(default_factory=list)
    removed: list[tuple[str, str]] = field(default_factory=list)
    download: int | None = None
    disk: int | None = None

    def simulation(self, ok: bool, error: str, raw: str, essential: Sequence[str] = ()) -> Simulation:
        return Simulation(
            ok, self.new, self.upgraded, self.removed, self.download, self.disk, error, raw, list(essential)
        )


_UNITS = {"": 1, "b": 1, "k": 1000, "m": 1000**2, "g": 1000**3, "t": 1000**4}
_IEC = {"kib": 1024, "mib": 1024**2, "gib": 1024**3, "tib": 1024**4}


def parse_size(number: str, unit: str = "") -> int:
    """'1,234.5' + 'kB' -> bytes. Accepts SI (kB, MB) and IEC (KiB, MiB) units, commas as separators."""
    value = float(number.replace(",", "").replace("\u00a0", ""))
    u = unit.strip().lower()
    if u in _IEC:
        return int(value * _IEC[u])
    u = u.rstrip("b") if u not in ("b",) else u
    return int(value * _UNITS.get(u, 1))


class PackageManager(ABC):
    """One distribution's package manager: the argv of each operation (from its Grammar), and parsers.

    Every argv is built from `grammar.operations` (the table the policy also reads), so what an
    adapter can build is what the policy allows. An operation the manager does not declare is an
    UnsupportedError naming it.
    """

    name: ClassVar[str] = ""
    executable: ClassVar[str] = ""
    grammar: ClassVar[Grammar]
    # When `audit()` reports an unfinished run: the tool that left it, and the command that finishes it.
    unfinished: ClassVar[tuple[str, str]] = ("", "")

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    # -- pure ---------------------------------------------------------------------------------
    @property
    def supports_rollback(self) -> bool:
        return self.grammar.rollback

    def valid_name(self, name: str) -> bool:
        """True when `name` is a package name (or a version pin) of this manager: no options, no shell."""
        return self.grammar.valid_operand(name)

    def supports(self, operation: str) -> bool:
        return operation in self.grammar.operations

    def check_names(self, names: Sequence[str], kind: str = NAMES) -> list[str]:
        """The names, or a UsageError naming the first one that does not fit the grammar of `kind`."""
        names = list(names)
        if not names:
            raise UsageError("No package names given.")
        fits = self.grammar.valid_name if kind in (NAMES, ANY_NAME) else self.grammar.valid_operand
        for n in names:
            if not fits(n):
                raise UsageError(
                    f"{n!r} is not a valid {self.name} package name.",
                    hint="Package names are letters, digits and + . - only.",
                )
        return names

    def argv(self, operation: str, operands: Sequence[str] = ()) -> list[str]:
        """The argv of one declared operation: its fixed head, then the checked operands."""
        op = self.grammar.operations.get(operation)
        if op is None:
            raise UnsupportedError(
                f"cortex cannot {operation.replace('_', ' ')} with {self.name} yet.",
                hint=f"Use {self.executable} directly for that.",
            )
        if op.operands == NONE:
            if operands:
                raise UsageError(f"{self.name} {operation} takes no package names.")
            return list(op.argv)
        if op.operands == PINS:
            names = [n for n in self.check_names(operands, PINS) if self.grammar.split_pin(n) is None]
            if names:
                raise UsageError(
                    f"{names[0]!r} is not a {self.name} version pin (name{self.grammar.pin_separator}version)."
                )
            return [*op.argv, *operands]
        if op.operands == CHANGES:
            return [*op.argv, *self._check_changes(operands)]
        return [*op.argv, *self.check_names(operands, op.operands)]

    def _check_changes(self, operands: Sequence[str]) -> list[str]:
        suffix = self.grammar.removal_suffix
        out = list(operands)
        if not out:
            raise UsageError("No package names given.")
        for o in out:
            removal = bool(suffix) and o.endswith(suffix) and self.grammar.valid_name(o[: -len(suffix)])
            if not removal and self.grammar.split_pin(o) is None:
                raise UsageError(f"{o!r} is neither a version pin nor a removal for {self.name}.")
        return out

    def install_argv(self, names: Sequence[str]) -> list[str]:
        """The exact argv that installs `names` non-interactively."""
        return self.argv("install", names)

    def simulate_argv(self, names: Sequence[str]) -> list[str]:
        """The argv of the manager's own dry run of installing `names` (no root needed where possible)."""
        return self.argv("simulate", names)

    def install_pinned_argv(self, pins: Sequence[str]) -> list[str]:
        """Install exactly the versions `pins` (`name=version`, as a lock records them)."""
        return self.argv("install_pinned", pins)

    def remove_argv(self, names: Sequence[str]) -> list[str]:
        """The exact argv that removes `names` non-interactively (configuration files kept)."""
        return self.argv("remove", names)

    def purge_argv(self, names: Sequence[str]) -> list[str]:
        """Remove `names` with their configuration files (managers without purge: UnsupportedError)."""
        return self.argv("purge", names)

    def restore_argv(self, pins: Sequence[tuple[str, str]], *, downgrade: bool = False) -> list[str]:
        """Install the exact versions `pins` ((name, version)); `downgrade` when some is older than now."""
        return self.argv("downgrade" if downgrade else "restore", [self.grammar.pin(n, v) for n, v in pins])

    def mark_argv(self, names: Sequence[str], *, auto: bool) -> list[str]:
        """Mark `names` as automatically (auto) or manually installed."""
        return self.argv("mark_auto" if auto else "mark_manual", names)

    def simulate_change_argv(self, pins: Sequence[tuple[str, str]], remove: Sequence[str]) -> list[str]:
        """One dry run of installing exact versions and removing packages together."""
        ops = [self.grammar.pin(n, v) for n, v in pins] + [f"{n}{self.grammar.removal_suffix}" for n in remove]
        return self.argv("simulate_change", ops)

    def query_argv(self, name: str) -> list[str]:
        """The argv that prints the installed version of `name` (exit status non-zero when absent)."""
        return self.argv("query", [name])

    @abstractmethod
    def parse_simulation(self, text: str, returncode: int = 0) -> Simulation:
        """Pure: the manager's dry-run output -> Simulation."""

    def parse_query(self, text: str, returncode: int) -> str | None:
        """Pure: query output -> installed version, or None. Default: first token of the output."""
        out = text.strip()
        if returncode != 0 or not out:
            return None
        return out.split()[0]

    # -- I/O ----------------------------------------------------------------------------------
    def available(self) -> bool:
        return shutil.which(self.executable) is not None

    def _run(self, argv: list[str], *, timeout: float = SIMULATE_TIMEOUT_S) -> subprocess.CompletedProcess[str]:
        try:
            return subprocess.run(
                argv,
                capture_output=True,
                text=True,
                timeout=timeout,
                env=c_locale_env(),
                check=False,
            )
        except FileNotFoundError:
            raise CortexError(
                f"{argv[0]} is not installed.", hint=f"cortex needs {self.name} ({self.executable}) on PATH."
            ) from None
        except subprocess.TimeoutExpired:
            raise InstallError(
                f"{' '.join(argv[:3])} did not finish within {timeout:.0f} s.",
                hint="Another package manager may hold the lock; try again later.",
            ) from None

    def simulate(self, names: Sequence[str]) -> Simulation:
        """Run the manager's own simulation of installing `names`."""
        return self._simulation(self.simulate_argv(names))

    def simulate_pinned(self, pins: Sequence[str]) -> Simulation:
        """The manager's own simulation of installing exactly the versions `pins`."""
        return self._simulation(self.argv("simulate_pinned", pins))

    def installed_version(self, name: str) -> str | None:
        """The installed version of `name`, or None when it is not installed."""
        if not self.valid_name(name):
            return None
        proc = self._run(self.query_argv(name), timeout=60)
        return self.parse_query(proc.stdout, proc.returncode)

    def simulate_change(self, pins: Sequence[tuple[str, str]], remove: Sequence[str]) -> Simulation:
        """The manager's own dry run of a change (a rollback's restores and removals)."""
        return self._simulation(self.simulate_change_argv(pins, remove))

    def _simulation(self, argv: list[str]) -> Simulation:
        proc = self._run(argv)
        return self.parse_simulation(proc.stdout + ("\n" + proc.stderr if proc.stderr else ""), proc.returncode)

    def available_versions(self, names: Sequence[str]) -> dict[str, set[str]]:
        """name -> the versions the archive can install now ({} where the manager cannot say)."""
        return {}

    def installed_files(self, name: str) -> list[str]:
        """The files an installed package owns ([] where the manager cannot say)."""
        if not self.supports("files") or not self.grammar.valid_name(name):
            return []
        proc = self._run(self.argv("files", [name]), timeout=60)
        return proc.stdout.splitlines() if proc.returncode == 0 else []

    def package_state(self) -> dict[str, Package]:
        """Every installed package now, keyed by name (name:arch for a foreign architecture).

        The before/after snapshots of a history transaction; only a manager cortex can roll back reports it.
        """
        raise UnsupportedError(
            f"cortex cannot read {self.name}'s package state yet: it records it only on apt systems.",
            hint=f"Ask {self.executable} directly which packages are installed.",
        )

    def native_arch(self) -> str:
        """This machine's architecture in the manager's words (the kernel's name where it cannot say)."""
        import platform

        return platform.machine()

    def audit(self) -> str:
        """What the manager reports as left unfinished (an interrupted run); empty when consistent."""
        return ""

    def iter_rows(self) -> list[tuple]:
        """Every available package in the index's row form (records.ROW_FIELDS): the fast path."""
        raise CortexError(
            f"The package index is not supported for {self.name} yet.",
            hint="Name the packages exactly; described needs work with apt, pacman and dnf for now.",
        )

    def lists_fingerprint(self) -> str:
        """A cheap string that changes when the available-package lists change."""
        return ""

    def _query_all(self, argv: list[str]) -> str:
        """Output of a command that lists every available package (for the index), or a CortexError."""
        proc = self._run(argv, timeout=300)
        if proc.returncode != 0 or not proc.stdout.strip():
            raise CortexError(
                f"{' '.join(argv)} failed: " + first_error_line(proc.stderr or proc.stdout or "no output"),
                hint=f"Refresh the package lists ({self.name}) and try again.",
            )
        return proc.stdout


def stat_fingerprint(*dirs: Path) -> str:
    """Names, sizes and mtimes of the files directly in `dirs`: changes when package lists are refreshed."""
    import hashlib  # here, not at import: only the index's freshness check hashes

    h = hashlib.sha256()
    for d in dirs:
        try:
            entries = sorted(os.scandir(d), key=lambda e: e.name)
        except OSError:
            continue
        for e in entries:
            if e.is_file(follow_symlinks=False) and e.name != "lock":
                st = e.stat(follow_symlinks=False)
                h.update(f"{d}/{e.name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:32]


def c_locale_env() -> dict[str, str]:
    """The environment for parsed commands: C locale, so that outputs are the documented English ones."""
    env = dict(os.environ)
    env.update(LC_ALL="C.UTF-8", LANG="C.UTF-8", LANGUAGE="")
    return env


def first_error_line(text: str, prefixes: Sequence[str] = ("E:", "Error:", "error:")) -> str:
    """The first line of `text` that starts with one of `prefixes`, else its last non-empty line."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    for ln in lines:
        if ln.startswith(tuple(prefixes)):
            return ln
    return lines[-1] if lines else ""
