#!/usr/bin/env python3
"""`cortex apply LOCK --check` on an in-sync machine against apt's own simulation of the same pins.

Two ratios, each against a baseline run alternately in this process (best of N: the machine's
noise only ever adds time):

  check:   `cortex apply LOCK --check`  /  `apt-get -s install name=version ...`     target <= 1.00
  imports: a fresh interpreter importing what `cortex apply --check` loads  /  `cortex --help`'s imports
           and parser                                                               target <= 1.10

The lock is built from packages installed here at a version the archive still has (so the machine is
in sync with it by construction, and apt's simulation of the pins succeeds); nothing is installed.

    python benchmarks/bench_apply.py [--runs 9] [--packages bash,coreutils,...]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT = "bash,coreutils,dpkg,apt,tar,gzip,grep,sed,findutils,perl-base,python3,libc6,util-linux,mount"
# What `cortex apply LOCK --check` (and its dry run) loads beyond `cortex --help`: the command, the lock,
# the drift check, the pins, the policy's grammar, the os-release reader, PyYAML. Both then run
# `cortex --help` itself, so the difference is the apply path's imports and nothing else.
HELP = "import sys; from cortex.cli.main import main; sys.exit(main(['--help']))"
CHECK_IMPORTS = (
    "import cortex.cli.apply, cortex.provisioning.apply, cortex.provisioning.lock, cortex.policy, "
    "cortex.packages.detect, cortex.packages.apt, subprocess, yaml; "
) + HELP
# --execute adds the executor, the history store (sqlite3) and the apt adapter, as `cortex install` does.
EXECUTE_IMPORTS = "import cortex.executor, cortex.history.store, cortex.packages.apt; " + CHECK_IMPORTS


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
    return min(a), min(b)


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
        help_s, check_s = paired([sys.executable, "-c", HELP], [sys.executable, "-c", CHECK_IMPORTS], a.runs)
        _, execute_s = paired([sys.executable, "-c", HELP], [sys.executable, "-c", EXECUTE_IMPORTS], a.runs)
        probe = [
            sys.executable,
            "-c",
            f"import sys\nfrom cortex.cli.main import main\nmain(['apply', {str(path)!r}, '--check'])"
            "\nprint(','.join(sys.modules))",
        ]
        loaded = subprocess.run(probe, capture_output=True, text=True, check=True).stdout.splitlines()[-1].split(",")
    print(f"{len(pins)} pinned packages, {a.runs} runs each, best of each")
    print(f"apt-get -s install <pins>:          {apt:.3f} s")
    print(f"cortex apply LOCK --check:          {mine:.3f} s")
    print(f"ratio check / apt-get -s:           {mine / apt:.2f} (target <= 1.00)")
    print(f"cortex --help:                      {help_s:.3f} s")
    print(f"+ the apply --check path:           {check_s:.3f} s")
    print(f"+ the apply --execute path:         {execute_s:.3f} s")
    print(f"ratio check-path imports / --help:  {check_s / help_s:.2f} (target <= 1.10)")
    print(f"ratio execute-path / --help:        {execute_s / help_s:.2f}")
    heavy = [m for m in loaded if m.split(".")[0] in ("anthropic", "openai", "xllamacpp", "httpx")]
    print(f"model SDKs or cortex.llm loaded:    {heavy + [m for m in loaded if m.startswith('cortex.llm')] or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
