#!/usr/bin/env python3
"""`cortex apply LOCK --check` on an in-sync machine against apt's own simulation of the same pins.

Two ratios, each against a baseline run alternately in this process (medians):

  check:   `cortex apply LOCK --check`  /  `apt-get -s install name=version ...`     target <= 1.00
  imports: a fresh interpreter importing everything `cortex apply` runs  /  `cortex --help`   target <= 1.10

The lock is built from packages installed here at a version the archive still has (so the machine is
in sync with it by construction, and apt's simulation of the pins succeeds); nothing is installed.

    python benchmarks/bench_apply.py [--runs 9] [--packages bash,coreutils,...]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT = "bash,coreutils,dpkg,apt,tar,gzip,grep,sed,findutils,perl-base,python3,libc6,util-linux,mount"
# Every module the apply path loads: the CLI entry, the command, the lock, the drift check, the
# executor and history it runs through, and the apt adapter.
APPLY_IMPORTS = (
    "import cortex.cli.main, cortex.cli.context, cortex.cli.apply, cortex.provisioning.apply, "
    "cortex.provisioning.lock, cortex.provisioning.state, cortex.provisioning.host, cortex.executor, "
    "cortex.history.store, cortex.packages.detect, cortex.packages.apt, yaml"
)


def timed(argv: list[str], ok: tuple[int, ...] = (0,)) -> float:
    started = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if proc.returncode not in ok:
        sys.exit(f"{' '.join(argv[:6])} ... failed ({proc.returncode}): {(proc.stderr or proc.stdout)[-500:]}")
    return elapsed


def in_sync_lock(names: list[str], path: Path) -> list[str]:
    """Write a lock of the installed packages whose installed version the archive still offers."""
    from cortex.provisioning import host, lock

    found = host.installed(names)
    offered = host.available(names)
    packages = [
        lock.LockedPackage(i.name, i.version, i.architecture, "", "benchmark", "installed here")
        for (name, _arch), i in sorted(found.items())
        if i.present and i.version in offered.get(name, set())
    ]
    if len(packages) < 3:
        sys.exit(f"only {len(packages)} of {names} are installed at a version the archive has")
    entry = lock.LockedRequest("benchmark", tuple(packages), locked_at=host.now(), source="benchmark")
    lock.save(path, lock.merge(None, entry, host.base_lock("apt")))
    return [f"{p.name}={p.version}" for p in packages]


def paired(first: list[str], second: list[str], runs: int, ok: tuple[int, ...] = (0,)) -> tuple[float, float]:
    timed(first, ok)  # warm-up: page cache, pyc files
    timed(second, ok)
    a, b = [], []
    for _ in range(runs):
        a.append(timed(first, ok))
        b.append(timed(second, ok))
    return statistics.median(a), statistics.median(b)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=9)
    ap.add_argument("--packages", default=DEFAULT, help="comma-separated installed packages to lock")
    a = ap.parse_args()
    if shutil.which("apt-get") is None or shutil.which("dpkg-query") is None:
        sys.exit("needs apt-get and dpkg-query (Debian/Ubuntu)")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.lock"
        pins = in_sync_lock(a.packages.split(","), path)
        check = [sys.executable, "-m", "cortex", "apply", str(path), "--check"]
        if subprocess.run(check, capture_output=True, check=False).returncode != 0:
            sys.exit("the benchmark lock is not in sync with this machine")
        apt, mine = paired(["apt-get", "-s", "install", *pins], check, a.runs)
        help_s, imports_s = paired(
            [sys.executable, "-m", "cortex", "--help"], [sys.executable, "-c", APPLY_IMPORTS], a.runs
        )
    print(f"{len(pins)} pinned packages, {a.runs} runs each, medians")
    print(f"apt-get -s install <pins>:          {apt:.3f} s")
    print(f"cortex apply LOCK --check:          {mine:.3f} s")
    print(f"ratio check / apt-get -s:           {mine / apt:.2f} (target <= 1.00)")
    print(f"cortex --help:                      {help_s:.3f} s")
    print(f"import of the apply path:           {imports_s:.3f} s")
    print(f"ratio apply imports / --help:       {imports_s / help_s:.2f} (target <= 1.10)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
