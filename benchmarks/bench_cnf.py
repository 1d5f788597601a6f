"""The command-not-found hook: time per lookup inside a real bash, against starting Python for it.

    python benchmarks/bench_cnf.py [--rounds 200]

The hook (`cortex shell-init bash`) looks the command up in the index's sorted lookup file with
`look` (a binary search), or awk where `look` is missing. Baselines in the same run: starting a bare
Python (`python3 -S -c pass`) and `cortex provides NAME` (what a Python hook would cost at least).
Target: median <= 50 ms per lookup.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._timing import wall
from cortex.cli.shell_init import hook
from cortex.packages.contents import lookup_path
from cortex.packages.detect import detect_manager
from cortex.packages.index import PackageIndex, default_path

NAMES = ["dig", "convert", "vi", "mkfs.exfat", "nc", "zzq-nothing", "ncdu", "htop", "jq", "not-a-command-x"]


def hook_times(lookup: Path, rounds: int, path_env: str) -> list[float]:
    """Per-lookup seconds, timed by bash itself ($EPOCHREALTIME) around the hook function."""
    loops = rounds // len(NAMES) + 1
    script = hook("bash", str(lookup)) + (
        f"for i in $(seq {loops}); do for n in {' '.join(NAMES)}; do s=$EPOCHREALTIME;"
        ' command_not_found_handle "$n" 2>/dev/null; e=$EPOCHREALTIME; echo "$s $e"; done; done\n'
    )
    with tempfile.NamedTemporaryFile("w", suffix=".bash", delete=False) as fh:
        fh.write(script)
    try:
        out = subprocess.run(
            [shutil.which("bash") or "/bin/bash", fh.name],
            capture_output=True,
            text=True,
            env={**os.environ, "PATH": path_env},
            check=True,
        ).stdout
    finally:
        os.unlink(fh.name)
    pairs = [line.split() for line in out.splitlines() if line.strip()]
    return [float(e.replace(",", ".")) - float(s.replace(",", ".")) for s, e in pairs][:rounds]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=200)
    args = ap.parse_args()
    manager = detect_manager()
    PackageIndex.open(manager).close()  # built, with its lookup file
    lookup = lookup_path(default_path(manager.name))
    if not lookup.exists() or lookup.stat().st_size == 0:
        print("no lookup file: run `cortex index --contents` first", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        awk_only = Path(tmp)
        for tool in ("awk", "seq"):
            found = subprocess.run(["which", tool], capture_output=True, text=True).stdout.strip()
            os.symlink(found, awk_only / tool)
        look = hook_times(lookup, args.rounds, os.environ["PATH"])
        awk = hook_times(lookup, args.rounds // 4, str(awk_only))
    bare = wall([sys.executable, "-S", "-c", "pass"], 20)
    cli = wall([sys.executable, "-m", "cortex", "provides", "dig"], 10)
    med = statistics.median
    print(f"lookup file: {lookup} ({lookup.stat().st_size / 1e6:.1f} MB, {sum(1 for _ in lookup.open())} commands)")
    print(f"hook with look : median {med(look) * 1e3:6.2f} ms  p95 {sorted(look)[int(0.95 * len(look))] * 1e3:6.2f} ms")
    print(f"hook with awk  : median {med(awk) * 1e3:6.2f} ms  (where `look` is missing)")
    print(f"python3 -S -c pass          : median {med(bare) * 1e3:6.1f} ms  (hook/this = {med(look) / med(bare):.3f}x)")
    print(f"cortex provides dig (Python): median {med(cli) * 1e3:6.1f} ms  (hook/this = {med(look) / med(cli):.3f}x)")
    print(f"target median <= 50 ms: {'met' if med(look) <= 0.050 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
