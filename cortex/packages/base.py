"""The package-manager port: argv builders, name grammar, and the manager's own simulation.

A `PackageManager` never runs a shell: every command is an argv list. Parsing a simulation is a pure
method (`parse_simulation(text)`), unit-tested on recorded outputs for every manager; `simulate()`
is the thin I/O shell around it.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from cortex.errors import CortexError, InstallError, UsageError
from cortex.packages.records import PackageInfo

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
    """One distribution's package manager: argv for install/simulate/remove/query, and parsers."""

    name: ClassVar[str] = ""
    executable: ClassVar[str] = ""
    name_pattern: ClassVar[re.Pattern[str]] = re.compile(r"^[a-z0-9][a-z0-9+._-]*$")

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    # -- pure ---------------------------------------------------------------------------------
    def valid_name(self, name: str) -> bool:
        """True when `name` fits this manager's package-name grammar (no options, no shell)."""
        return bool(name) and not name.startswith("-") and bool(self.name_pattern.match(name))

    def check_names(self, names: Sequence[str]) -> list[str]:
        """The names, or a UsageError naming the first one that does not fit the grammar."""
        names = list(names)
        if not names:
            raise UsageError("No package names given.")
        for n in names:
            if not self.valid_name(n):
                raise UsageError(
                    f"{n!r} is not a valid {self.name} package name.",
                    hint="Package names are letters, digits and + . - only.",
                )
        return names

    @abstractmethod
    def install_argv(self, names: Sequence[str]) -> list[str]:
        """The exact argv that installs `names` non-interactively."""

    @abstractmethod
    def simulate_argv(self, names: Sequence[str]) -> list[str]:
        """The argv of the manager's own dry run of installing `names` (no root needed where possible)."""

    @abstractmethod
    def remove_argv(self, names: Sequence[str]) -> list[str]:
        """The exact argv that removes `names` non-interactively."""

    @abstractmethod
    def query_argv(self, name: str) -> list[str]:
        """The argv that prints the installed version of `name` (exit status non-zero when absent)."""

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
        proc = self._run(self.simulate_argv(names))
        return self.parse_simulation(proc.stdout + ("\n" + proc.stderr if proc.stderr else ""), proc.returncode)

    def installed_version(self, name: str) -> str | None:
        """The installed version of `name`, or None when it is not installed."""
        if not self.valid_name(name):
            return None
        proc = self._run(self.query_argv(name), timeout=60)
        return self.parse_query(proc.stdout, proc.returncode)

    def iter_records(self) -> Iterable[PackageInfo]:
        """Every available package (apt, pacman and dnf; see iter_rows)."""
        from cortex.packages.records import row_to_info

        return [row_to_info(r) for r in self.iter_rows()]

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
