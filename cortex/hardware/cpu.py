"""CPU and memory readers. Each takes a root directory so recorded /proc trees can be tested."""

from __future__ import annotations

import os
import platform
from pathlib import Path

from cortex.hardware.model import CPUInfo

_MODEL_KEYS = ("model name", "Model", "Hardware", "cpu model", "Processor")


def parse_cpuinfo(text: str, arch: str = "") -> CPUInfo:
    """CPU model, physical cores, logical CPUs and instruction-set flags from /proc/cpuinfo text."""
    model = ""
    flags: set[str] = set()
    threads = 0
    cores: set[tuple[str, str]] = set()
    physical_id = core_id = ""
    for line in text.splitlines():
        key, sep, value = line.partition(":")
        if not sep:
            continue
        key, value = key.strip(), value.strip()
        if key == "processor":
            threads += 1
            physical_id = core_id = ""
        elif key in _MODEL_KEYS and not model:
            model = value
        elif key in ("flags", "Features") and not flags:
            flags = set(value.split())
        elif key == "physical id":
            physical_id = value
        elif key == "core id":
            core_id = value
            cores.add((physical_id, core_id))
    threads = threads or os.cpu_count() or 1
    return CPUInfo(
        model=model or "unknown CPU",
        arch=arch or platform.machine(),
        cores=len(cores) or threads,
        threads=threads,
        flags=frozenset(flags),
    )


def read_cpu(root: Path = Path("/")) -> CPUInfo:
    try:
        text = (root / "proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        text = ""
    info = parse_cpuinfo(text)
    if not text and platform.system() == "Darwin":
        info = CPUInfo(
            model=platform.processor() or "Apple CPU", arch=platform.machine(), cores=info.cores, threads=info.threads
        )
    return info


def parse_meminfo(text: str) -> tuple[int, int]:
    """(total, available) bytes from /proc/meminfo text."""
    values: dict[str, int] = {}
    for line in text.splitlines():
        key, _, rest = line.partition(":")
        parts = rest.split()
        if parts and parts[0].isdigit():
            values[key.strip()] = int(parts[0]) * (1024 if parts[1:2] == ["kB"] else 1)
    total = values.get("MemTotal", 0)
    return total, values.get("MemAvailable", values.get("MemFree", total))


def read_memory(root: Path = Path("/")) -> tuple[int, int]:
    """(total, available) RAM in bytes: psutil on the live system, /proc/meminfo under a recorded root."""
    if root == Path("/"):
        import psutil

        vm = psutil.virtual_memory()
        return int(vm.total), int(vm.available)
    try:
        return parse_meminfo((root / "proc/meminfo").read_text(encoding="utf-8"))
    except OSError:
        return 0, 0
