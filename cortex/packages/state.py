"""The installed-package state a manager reports: one `Package` per installed package, keyed by name.

A value module (no I/O): the history store diffs two states and keeps them compressed; a manager that
can report its state (`PackageManager.package_state()`, apt so far) fills it.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Mapping
from dataclasses import dataclass

# The states that count as "installed" (files on disk); config-files and not-installed do not (dpkg's words).
PRESENT_STATES = frozenset(
    {"installed", "half-configured", "unpacked", "half-installed", "triggers-awaited", "triggers-pending"}
)


@dataclass(frozen=True)
class Package:
    """One installed package as its manager records it."""

    name: str
    arch: str
    version: str
    status: str = "installed"  # the manager's state word: installed, unpacked, half-configured, config-files, ...
    auto: bool = False  # installed automatically (as a dependency), not asked for

    @property
    def present(self) -> bool:
        return self.status in PRESENT_STATES


PackageState = Mapping[str, Package]  # key: "name", or "name:arch" for a foreign architecture


def package_key(name: str, arch: str, native: str) -> str:
    """Key a package by name; only a foreign-architecture package carries its arch (libc6:i386)."""
    return name if arch in (native, "all", "") else f"{name}:{arch}"


def present(state: PackageState) -> dict[str, str]:
    """key -> version of the packages whose files are on disk: the set rollback must restore."""
    return {key: pkg.version for key, pkg in state.items() if pkg.present}


def encode_state(state: PackageState) -> bytes:
    """Compact, compressed form for the store (a few tens of kB for a full system)."""
    rows = [[p.name, p.arch, p.version, p.status, int(p.auto)] for p in state.values()]
    return zlib.compress(json.dumps(rows, separators=(",", ":")).encode(), 6)


def decode_state(blob: bytes, *, native: str) -> dict[str, Package]:
    """The inverse of encode_state; `native` is the machine's architecture (it decides the keys)."""
    rows = json.loads(zlib.decompress(blob))
    return {
        package_key(name, arch, native): Package(name, arch, version, status, bool(auto))
        for name, arch, version, status, auto in rows
    }
