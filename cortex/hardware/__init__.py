"""Hardware detection for choosing a local model: CPU, RAM, disk, GPUs, container/WSL.

    detect() -> HardwareInfo      the live machine
    detect(root=..., nvml=..., runner=...)   recorded data (tests, bug reports)

No GPU is a normal result. Detection never raises for missing tools or unreadable files.
"""

from __future__ import annotations

import platform
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cortex.hardware.cpu import read_cpu, read_memory
from cortex.hardware.gpu import (
    Runner,
    load_nvml,
    merge,
    read_apple,
    read_nvidia,
    read_rocm_smi,
    read_sysfs,
    run_command,
)
from cortex.hardware.host import free_disk, models_dir, read_host
from cortex.hardware.model import CPUInfo, GPUInfo, HardwareInfo, HostInfo, gib

__all__ = ["CPUInfo", "GPUInfo", "HardwareInfo", "HostInfo", "detect", "gib"]

_LIVE = object()


def detect(
    root: Path = Path("/"),
    *,
    nvml: Any = _LIVE,
    runner: Runner | None = None,
    env: Mapping[str, str] | None = None,
    system: str | None = None,
    machine: str | None = None,
    disk_path: Path | None = None,
) -> HardwareInfo:
    """Everything the model recommendation needs. `nvml`: a pynvml-like object (default: the real one)."""
    live = root == Path("/")
    if nvml is _LIVE:
        nvml = load_nvml() if live else None
    if runner is None:
        runner = run_command if live else (lambda argv: None)
    system = system or platform.system()
    machine = machine or platform.machine()
    cpu = read_cpu(root)
    ram_total, ram_available = read_memory(root)
    where, free = free_disk(disk_path or models_dir(env))
    sysfs = read_sysfs(root) if system == "Linux" else []
    rocm = read_rocm_smi(runner) if any(g.vendor == "amd" for g in sysfs) else []
    gpus = merge(read_nvidia(nvml), sysfs, rocm) + read_apple(system, machine, ram_total, runner)
    return HardwareInfo(
        cpu=cpu,
        ram_total=ram_total,
        ram_available=ram_available,
        disk_path=where,
        disk_free=free,
        gpus=tuple(gpus),
        host=read_host(root, env, system),
    )
