"""What apt can still install: the versions the archive offers (`apt-cache madison`), and dry runs.

Parsers are pure; the two functions that run apt are the thin I/O around them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Sequence

from cortex.errors import InstallError

QUERY_TIMEOUT_S = 120


def parse_madison(text: str) -> dict[str, set[str]]:
    """`apt-cache madison` lines (` pkg | version | source Packages`) -> package -> versions; Sources skipped."""
    out: dict[str, set[str]] = {}
    for line in text.splitlines():
        parts = [p.strip() for p in line.split("|")]
        if len(parts) < 3 or not parts[0] or not parts[1]:
            continue
        if parts[2].endswith("Sources"):
            continue
        out.setdefault(parts[0], set()).add(parts[1])
    return out


def apt_env() -> dict[str, str]:
    """C locale (parsed output is the documented English), no debconf questions."""
    env = dict(os.environ)
    env.update(LC_ALL="C.UTF-8", LANG="C.UTF-8", LANGUAGE="", DEBIAN_FRONTEND="noninteractive")
    return env


def _run(argv: Sequence[str]) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            list(argv), capture_output=True, text=True, env=apt_env(), timeout=QUERY_TIMEOUT_S, check=False
        )
    except FileNotFoundError:
        raise InstallError(f"{argv[0]} is not installed.", hint="Rollback needs apt (Debian, Ubuntu).") from None
    except subprocess.TimeoutExpired:
        raise InstallError(
            f"{' '.join(argv[:3])} did not answer within {QUERY_TIMEOUT_S} s.",
            hint="Another package manager may hold the lock; try again later.",
        ) from None


def available_versions(packages: Sequence[str]) -> dict[str, set[str]]:
    """package key -> the versions apt can download now (a foreign-arch key maps to its name's versions)."""
    if not packages or not shutil.which("apt-cache"):
        return {}
    names = sorted({p.split(":", 1)[0] for p in packages})
    found = parse_madison(_run(["apt-cache", "madison", *names]).stdout)
    return {p: found.get(p.split(":", 1)[0], set()) for p in packages}


def simulate(argv: Sequence[str]):
    """Run apt-get's own dry run (`argv` from RollbackPlan.simulate_argv) -> cortex.packages Simulation."""
    from cortex.packages.apt import AptManager

    proc = _run(argv)
    return AptManager().parse_simulation(proc.stdout + ("\n" + proc.stderr if proc.stderr else ""), proc.returncode)
