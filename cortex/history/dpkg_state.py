"""The dpkg package state: which packages are installed, at which versions, and which are automatic.

Read straight from /var/lib/dpkg/status and /var/lib/apt/extended_states (a few milliseconds, versus a
`dpkg-query` process per snapshot). On a system without dpkg the state is empty: history still records
requests and steps, but there is no diff to roll back.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DPKG_STATUS = Path("/var/lib/dpkg/status")
APT_EXTENDED_STATES = Path("/var/lib/apt/extended_states")

# dpkg's package states that count as "installed" (files on disk); config-files and not-installed do not.
PRESENT_STATES = frozenset(
    {"installed", "half-configured", "unpacked", "half-installed", "triggers-awaited", "triggers-pending"}
)


@dataclass(frozen=True)
class Package:
    """One installed package as dpkg records it."""

    name: str
    arch: str
    version: str
    status: str = "installed"  # dpkg's state word: installed, unpacked, half-configured, config-files, ...
    auto: bool = False  # apt's Auto-Installed mark

    @property
    def present(self) -> bool:
        return self.status in PRESENT_STATES


PackageState = Mapping[str, Package]  # key: "name", or "name:arch" for a foreign architecture


@functools.lru_cache(maxsize=1)
def native_arch() -> str:
    """dpkg's native architecture (amd64, arm64, ...); a guess from the machine when dpkg is absent."""
    if shutil.which("dpkg"):
        try:
            out = subprocess.run(
                ["dpkg", "--print-architecture"], capture_output=True, text=True, timeout=10, check=False
            )
            if out.returncode == 0 and out.stdout.strip():
                return out.stdout.strip()
        except (OSError, subprocess.SubprocessError):
            pass
    import platform  # only without dpkg (its import costs more than the dpkg call's set-up)

    machine = platform.machine()
    return {"x86_64": "amd64", "aarch64": "arm64", "i686": "i386"}.get(machine, machine)


def package_key(name: str, arch: str, native: str) -> str:
    """Key a package by name; only a foreign-architecture package carries its arch (libc6:i386)."""
    return name if arch in (native, "all", "") else f"{name}:{arch}"


def parse_status(text: str, *, native: str, auto: frozenset[str] = frozenset()) -> dict[str, Package]:
    """Parse dpkg's status file. Packages in state not-installed are left out; config-files are kept."""
    state: dict[str, Package] = {}
    name = arch = version = status = ""
    for line in (*text.splitlines(), ""):
        if not line:
            if name and status and status != "not-installed":
                key = package_key(name, arch, native)
                state[key] = Package(name, arch, version, status, key in auto)
            name = arch = version = status = ""
            continue
        first = line[0]
        if first == " " or first == "\t":
            continue
        if first == "P" and line.startswith("Package:"):
            name = line[8:].strip()
        elif first == "S" and line.startswith("Status:"):
            status = line.rsplit(None, 1)[-1]
        elif first == "A" and line.startswith("Architecture:"):
            arch = line[13:].strip()
        elif first == "V" and line.startswith("Version:"):
            version = line[8:].strip()
    return state


def parse_extended_states(text: str, *, native: str) -> frozenset[str]:
    """The keys of packages apt marked Auto-Installed: 1."""
    marked: set[str] = set()
    name = arch = ""
    is_auto = False
    for line in (*text.splitlines(), ""):
        if not line.strip():
            if name and is_auto:
                marked.add(package_key(name, arch, native))
            name = arch = ""
            is_auto = False
        elif line.startswith("Package:"):
            name = line[8:].strip()
        elif line.startswith("Architecture:"):
            arch = line[13:].strip()
        elif line.startswith("Auto-Installed:"):
            is_auto = line[15:].strip() == "1"
    return frozenset(marked)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return ""


def read_state(status_path: Path | None = None, extended_path: Path | None = None) -> dict[str, Package]:
    """Snapshot the package state now (empty on a system without dpkg)."""
    status_path = status_path or Path(os.environ.get("CORTEX_DPKG_STATUS", DPKG_STATUS))
    extended_path = extended_path or Path(os.environ.get("CORTEX_APT_EXTENDED_STATES", APT_EXTENDED_STATES))
    text = _read(status_path)
    if not text:
        return {}
    native = native_arch()
    auto = parse_extended_states(_read(extended_path), native=native)
    return parse_status(text, native=native, auto=auto)


def present(state: PackageState) -> dict[str, str]:
    """key -> version of the packages whose files are on disk: the set rollback must restore."""
    return {key: pkg.version for key, pkg in state.items() if pkg.present}


def encode_state(state: PackageState) -> bytes:
    """Compact, compressed form for the store (a few tens of kB for a full system)."""
    rows = [[p.name, p.arch, p.version, p.status, int(p.auto)] for p in state.values()]
    return zlib.compress(json.dumps(rows, separators=(",", ":")).encode(), 6)


def decode_state(blob: bytes) -> dict[str, Package]:
    native = native_arch()
    rows = json.loads(zlib.decompress(blob))
    return {
        package_key(name, arch, native): Package(name, arch, version, status, bool(auto))
        for name, arch, version, status, auto in rows
    }


def dpkg_audit() -> str:
    """What `dpkg --audit` reports (empty when dpkg is consistent or absent)."""
    if not shutil.which("dpkg"):
        return ""
    try:
        out = subprocess.run(["dpkg", "--audit"], capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    return out.stdout.strip()
