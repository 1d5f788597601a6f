"""dpkg's package state, read for the apt adapter: which packages are installed, at which versions, which are automatic.

Read straight from /var/lib/dpkg/status and /var/lib/apt/extended_states (a few milliseconds, versus a
`dpkg-query` process per snapshot). Without the status file the state is empty. The parsers are pure;
`AptManager.package_state()` is the one caller of `read_state`.
"""

from __future__ import annotations

import os
from pathlib import Path

from cortex.packages.state import Package, package_key

DPKG_STATUS = Path("/var/lib/dpkg/status")
APT_EXTENDED_STATES = Path("/var/lib/apt/extended_states")
_MACHINE_ARCH = {"x86_64": "amd64", "aarch64": "arm64", "i686": "i386"}


def guess_arch() -> str:
    """dpkg's name for this machine's architecture, guessed from the kernel's (when dpkg cannot say)."""
    import platform  # only without dpkg (its import costs more than the dpkg call's set-up)

    machine = platform.machine()
    return _MACHINE_ARCH.get(machine, machine)


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


def read_state(native: str, status_path: Path | None = None, extended_path: Path | None = None) -> dict[str, Package]:
    """Snapshot the package state now (empty without dpkg's status file)."""
    status_path = status_path or Path(os.environ.get("CORTEX_DPKG_STATUS", DPKG_STATUS))
    extended_path = extended_path or Path(os.environ.get("CORTEX_APT_EXTENDED_STATES", APT_EXTENDED_STATES))
    text = _read(status_path)
    if not text:
        return {}
    auto = parse_extended_states(_read(extended_path), native=native)
    return parse_status(text, native=native, auto=auto)
