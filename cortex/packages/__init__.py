"""Package managers (apt first-class; dnf, pacman, zypper, apk), the package index, and ranking.

from cortex.packages import detect_manager, PackageManager, Simulation
from cortex.packages.index import PackageIndex, PackageInfo, Candidate
"""

from __future__ import annotations

from cortex.packages.base import PackageManager, Simulation
from cortex.packages.detect import detect_manager, manager_class
from cortex.packages.records import Candidate, PackageInfo

__all__ = ["Candidate", "PackageInfo", "PackageManager", "Simulation", "detect_manager", "manager_class"]
