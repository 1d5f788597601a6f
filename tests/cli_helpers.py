"""Running `python -m cortex` as a user would, from the repository root, for the CLI tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def cortex(*args: str, env: dict, timeout: float = 60) -> subprocess.CompletedProcess:
    """One `cortex ARGS...` to completion (no stdin), its output captured as text."""
    return subprocess.run(
        [sys.executable, "-m", "cortex", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def start_cortex(*args: str, env: dict) -> subprocess.Popen:
    """`cortex ARGS...` running in the background (no stdin), its output on pipes as text."""
    return subprocess.Popen(
        [sys.executable, "-m", "cortex", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env=env,
        cwd=ROOT,
        text=True,
    )
