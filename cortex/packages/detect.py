"""Which package manager this system uses: /etc/os-release (ID, ID_LIKE), confirmed by what is on PATH."""

from __future__ import annotations

import importlib
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from cortex.errors import CortexError

if TYPE_CHECKING:  # the adapters are imported when one is built, not to read os-release
    from cortex.packages.base import PackageManager
    from cortex.packages.grammar import Grammar

OS_RELEASE_FILES = (Path("/etc/os-release"), Path("/usr/lib/os-release"))

# os-release ID / ID_LIKE word -> manager name. Data, not branches.
FAMILY: dict[str, str] = {
    "debian": "apt", "ubuntu": "apt", "linuxmint": "apt", "pop": "apt", "raspbian": "apt", "kali": "apt",
    "elementary": "apt", "zorin": "apt", "neon": "apt", "devuan": "apt",
    "fedora": "dnf", "rhel": "dnf", "centos": "dnf", "rocky": "dnf", "almalinux": "dnf", "ol": "dnf",
    "amzn": "dnf", "nobara": "dnf",
    "arch": "pacman", "manjaro": "pacman", "endeavouros": "pacman", "garuda": "pacman", "artix": "pacman",
    "opensuse": "zypper", "opensuse-leap": "zypper", "opensuse-tumbleweed": "zypper", "suse": "zypper",
    "sles": "zypper", "sled": "zypper",
    "alpine": "apk", "postmarketos": "apk",
}  # fmt: skip


def parse_os_release(text: str) -> dict[str, str]:
    """KEY=value lines (values optionally quoted) -> dict."""
    out: dict[str, str] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        out[key.strip()] = value
    return out


def read_os_release() -> dict[str, str]:
    for path in OS_RELEASE_FILES:
        try:
            return parse_os_release(path.read_text(encoding="utf-8"))
        except OSError:
            continue
    return {}


def choose_manager(os_release: Mapping[str, str], on_path: Callable[[str], bool]) -> str | None:
    """Pure: the manager name for this system, or None. The distro family decides, PATH confirms;
    an unknown distro falls back to the first manager found on PATH.

    Only the family's adapter is imported to read its executable (all of them only for the fallback)."""
    words = [os_release.get("ID", ""), *os_release.get("ID_LIKE", "").split()]
    for word in words:
        name = FAMILY.get(word.lower())
        if name and on_path(manager_class(name).executable):
            return name
    for name, cls in manager_classes().items():
        if on_path(cls.executable):
            return name
    return None


# manager name -> the module and class of its adapter; the order is the fallback order of detection.
ADAPTERS: Mapping[str, tuple[str, str]] = {
    "apt": ("cortex.packages.apt", "AptManager"),
    "dnf": ("cortex.packages.dnf", "DnfManager"),
    "pacman": ("cortex.packages.pacman", "PacmanManager"),
    "zypper": ("cortex.packages.zypper", "ZypperManager"),
    "apk": ("cortex.packages.apk", "ApkManager"),
}


def manager_names() -> tuple[str, ...]:
    """Every manager cortex has an adapter for (nothing imported)."""
    return tuple(ADAPTERS)


def manager_classes() -> dict[str, type[PackageManager]]:
    """Every adapter cortex has, by manager name; the order is the fallback order of detection.

    Each class says which executable must be on PATH for it to be usable (`executable`)."""
    return {name: manager_class(name) for name in ADAPTERS}


def manager_class(name: str) -> type[PackageManager]:
    """The adapter class of manager `name`; only its module is imported."""
    try:
        module, attr = ADAPTERS[name]
    except KeyError:
        raise CortexError(f"Unknown package manager {name!r}.", hint="Known: " + ", ".join(ADAPTERS)) from None
    cls: type[PackageManager] = getattr(importlib.import_module(module), attr)
    return cls


def grammar(name: str) -> Grammar | None:
    """The declared command grammar of manager `name`, or None for a name cortex does not know."""
    return manager_class(name).grammar if name in ADAPTERS else None


def grammar_of_executable(executable: str) -> Grammar | None:
    """The grammar of the manager whose tool `executable` (a bare name) is; None for any other program."""
    for cls in manager_classes().values():
        if executable in cls.grammar.executables():
            return cls.grammar
    return None


def detect_manager() -> PackageManager:
    """The package manager of this system, or a CortexError saying none was found."""
    os_release = read_os_release()
    name = choose_manager(os_release, lambda exe: shutil.which(exe) is not None)
    if name is None:
        distro = os_release.get("PRETTY_NAME") or os_release.get("ID") or "this system"
        raise CortexError(
            f"No supported package manager found on {distro}.",
            hint="cortex supports apt (Debian/Ubuntu), dnf, pacman, zypper and apk.",
        )
    return manager_class(name)()
