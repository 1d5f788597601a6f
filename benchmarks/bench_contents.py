"""Contents in the index: build time and extra size, and `cortex provides` against apt-file.

    python benchmarks/bench_contents.py [--rounds 10]

Needs apt's Contents lists on disk (`cortex index --contents`, or `apt-file update`). Measured:
the Contents step of the index build (apt-helper cat-file | grep, parse, table, lookup file) and the
index's extra size (the same file with the commands table dropped and vacuumed), against the size of
apt's own Contents lists; `cortex provides dig` (the whole CLI) and a PackageIndex lookup against
`apt-file search -x '/dig$'` when apt-file is installed. Target: provides <= 1.0x apt-file search.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._timing import wall
from cortex.packages import contents
from cortex.packages.detect import detect_manager
from cortex.packages.index import PackageIndex


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=10)
    args = ap.parse_args()
    files = contents.list_files()
    if not files:
        print("apt has no Contents lists: run `cortex index --contents` (root) first", file=sys.stderr)
        return 1
    manager = detect_manager()
    med = statistics.median
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "packages-apt.sqlite3"
        t = time.perf_counter()
        PackageIndex.build(manager, path=path)
        build = time.perf_counter() - t
        with PackageIndex.open(manager, path=path, refresh=False) as idx:
            step = float(idx.meta["contents_seconds"])
            count = int(idx.meta["contents_count"])
            lookups = []
            for _ in range(args.rounds * 10):
                t = time.perf_counter()
                idx.command_providers("dig")
                lookups.append(time.perf_counter() - t)
        size = path.stat().st_size
        bare = Path(tmp) / "bare.sqlite3"
        shutil.copy(path, bare)
        conn = sqlite3.connect(bare)
        conn.execute("DROP TABLE commands")
        conn.execute("VACUUM")
        conn.close()
        extra = size - bare.stat().st_size
        lookup_size = contents.lookup_path(path).stat().st_size
    apt_size = sum(os.path.getsize(f) for f in files)
    print(f"Contents lists (apt's, compressed): {len(files)} files, {apt_size / 1e6:.1f} MB")
    print(f"index build: {build:.2f} s in all, of which the Contents step {step:.2f} s ({count} commands)")
    print(
        f"index size: {size / 1e6:.1f} MB, of which Contents {extra / 1e6:.1f} MB; lookup file {lookup_size / 1e6:.1f} MB"
    )
    print(f"PackageIndex.command_providers('dig'): median {med(lookups) * 1e3:.2f} ms")
    cli = wall([sys.executable, "-m", "cortex", "provides", "dig"], args.rounds)
    print(f"cortex provides dig (CLI): median {med(cli) * 1e3:.0f} ms")
    if shutil.which("apt-file"):
        af = wall(["apt-file", "search", "-x", "/dig$"], args.rounds)
        print(f"apt-file search -x '/dig$': median {med(af) * 1e3:.0f} ms")
        print(f"provides / apt-file search = {med(cli) / med(af):.3f}x (target <= 1.0x)")
    else:
        print("apt-file is not installed: no apt-file baseline (install it to compare)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
