"""Package managers (apt first-class; dnf, pacman, zypper, apk), the package index, and ranking.

from cortex.packages import detect_manager, PackageManager, Simulation
from cortex.packages.index import PackageIndex, PackageInfo, Candidate
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cortex.packages.base import PackageManager, Simulation
    from cortex.packages.detect import detect_manager, manager_class
    from cortex.packages.records import Candidate, PackageInfo

__all__ = ["Candidate", "PackageInfo", "PackageManager", "Simulation", "detect_manager", "manager_class"]
_HOME = {
    "PackageManager": "base", "Simulation": "base", "detect_manager": "detect", "manager_class": "detect",
    "Candidate": "records", "PackageInfo": "records",
}  # fmt: skip


def __getattr__(name: str) -> Any:
    """Re-exports imported on first use: reading os-release must not load every adapter and hashlib."""
    if name in _HOME:
        return getattr(importlib.import_module(f"cortex.packages.{_HOME[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
