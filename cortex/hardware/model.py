"""What hardware detection reports: frozen values, serialisable with to_dict() for `--json`."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

GIB = 1024**3


@dataclass(frozen=True)
class CPUInfo:
    model: str
    arch: str
    cores: int  # physical cores
    threads: int  # logical CPUs
    flags: frozenset[str] = field(default_factory=frozenset)

    @property
    def avx(self) -> bool:
        return "avx" in self.flags

    @property
    def avx2(self) -> bool:
        return "avx2" in self.flags

    @property
    def avx512(self) -> bool:
        return "avx512f" in self.flags

    def to_dict(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "arch": self.arch,
            "cores": self.cores,
            "threads": self.threads,
            "avx": self.avx,
            "avx2": self.avx2,
            "avx512": self.avx512,
        }


@dataclass(frozen=True)
class GPUInfo:
    """One GPU. Memory in bytes; None where the source does not say (e.g. a card without a driver)."""

    vendor: str  # nvidia | amd | intel | apple
    name: str
    vram_total: int | None = None
    vram_free: int | None = None
    driver: str | None = None
    compute_capability: str | None = None  # NVIDIA CUDA compute capability, e.g. "8.6"
    unified_memory: bool = False  # integrated GPUs and Apple Silicon share system RAM
    source: str = ""  # pynvml | sysfs | rocm-smi | sysctl

    @property
    def usable(self) -> bool:
        """A discrete card (or Apple Silicon) with a working driver and known memory can hold a model."""
        shared_ok = not self.unified_memory or self.vendor == "apple"
        return bool(self.vram_total) and self.driver is not None and shared_ok

    def to_dict(self) -> dict[str, Any]:
        return asdict(self) | {"usable": self.usable}


@dataclass(frozen=True)
class HostInfo:
    os: str  # platform.system(): Linux | Darwin
    container: str | None = None  # docker | podman | kubernetes | lxc | containerd | another runtime name
    wsl: bool = False
    systemd: bool = False  # systemd is PID 1 and running


@dataclass(frozen=True)
class HardwareInfo:
    cpu: CPUInfo
    ram_total: int
    ram_available: int
    disk_path: str
    disk_free: int
    gpus: tuple[GPUInfo, ...] = ()
    host: HostInfo = field(default_factory=lambda: HostInfo(os="Linux"))

    @property
    def best_gpu(self) -> GPUInfo | None:
        """The usable GPU with the most VRAM (None: run on the CPU, a normal result)."""
        usable = [g for g in self.gpus if g.usable]
        return max(usable, key=lambda g: g.vram_total or 0) if usable else None

    def to_dict(self) -> dict[str, Any]:
        best = self.best_gpu
        return {
            "cpu": self.cpu.to_dict(),
            "ram_total": self.ram_total,
            "ram_available": self.ram_available,
            "disk_path": self.disk_path,
            "disk_free": self.disk_free,
            "gpus": [g.to_dict() for g in self.gpus],
            "best_gpu": best.name if best else None,
            "os": self.host.os,
            "container": self.host.container,
            "wsl": self.host.wsl,
            "systemd": self.host.systemd,
        }


def gib(n: int | None) -> str:
    """Bytes as a short human figure: '7.6 GiB'."""
    if n is None:
        return "?"
    return f"{n / GIB:.1f} GiB"
