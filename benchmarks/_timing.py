"""Wall-clock timing of a command, shared by the benchmarks that time a process from start to exit."""

from __future__ import annotations

import subprocess
import time


def wall(argv: list[str], rounds: int) -> list[float]:
    """Seconds each of `rounds` runs of `argv` took, start to exit (output discarded)."""
    out = []
    for _ in range(rounds):
        t = time.perf_counter()
        subprocess.run(argv, capture_output=True, check=False)
        out.append(time.perf_counter() - t)
    return out
