"""What apt can still install: the versions the archive offers (`apt-cache madison`), and dry runs.

Parsers are pure; the two functions that run apt are the thin I/O around them.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence

from cortex.errors import InstallError
from cortex.packages.apt import parse_madison
from cortex.system.runner import RunResult, run

QUERY_TIMEOUT_S = 120


def _run(argv: Sequence[str]) -> RunResult:
    result = run(argv, timeout=QUERY_TIMEOUT_S)
    if result.timed_out:
        raise InstallError(
            f"{' '.join(argv[:3])} did not answer within {QUERY_TIMEOUT_S} s.",
            hint="Another package manager may hold the lock; try again later.",
        )
    return result


def available_versions(packages: Sequence[str]) -> dict[str, set[str]]:
    """package key -> the versions apt can download now (a foreign-arch key maps to its name's versions)."""
    if not packages or not shutil.which("apt-cache"):
        return {}
    names = sorted({p.split(":", 1)[0] for p in packages})
    found = parse_madison(_run(["apt-cache", "madison", *names]).output)
    return {p: found.get(p.split(":", 1)[0], set()) for p in packages}


def simulate(argv: Sequence[str]):
    """Run apt-get's own dry run (`argv` from RollbackPlan.simulate_argv) -> cortex.packages Simulation."""
    from cortex.packages.apt import AptManager

    result = _run(argv)
    return AptManager().parse_simulation(result.output, result.returncode)
