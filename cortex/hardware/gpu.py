"""GPU readers: NVIDIA through NVML, AMD and Intel through sysfs (and rocm-smi), Apple Silicon.

Every reader takes its data source as an argument (a pynvml-like object, a sysfs root, a command
runner) so recorded data from real machines can be replayed in tests. No GPU is a normal result:
readers return an empty list, never raise.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from cortex.hardware.model import GPUInfo

VENDOR_IDS = {"0x10de": "nvidia", "0x1002": "amd", "0x8086": "intel"}

Runner = Callable[[Sequence[str]], "str | None"]


def _text(value: Any) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def load_nvml() -> Any | None:
    """The pynvml module (from nvidia-ml-py), or None when it is not installed."""
    import warnings

    try:
        with warnings.catch_warnings():
            # The deprecated `pynvml` PyPI wrapper warns on import and forwards to nvidia-ml-py's module.
            warnings.simplefilter("ignore", FutureWarning)
            import pynvml
    except ImportError:
        return None
    return pynvml


def read_nvidia(nvml: Any | None) -> list[GPUInfo]:
    """NVIDIA GPUs through NVML. No library, no driver or no device -> []."""
    if nvml is None:
        return []
    try:
        nvml.nvmlInit()
    except Exception:  # NVMLError_LibraryNotFound / DriverNotLoaded: no usable NVIDIA driver
        return []
    gpus: list[GPUInfo] = []
    try:
        driver = _text(nvml.nvmlSystemGetDriverVersion())
        for index in range(int(nvml.nvmlDeviceGetCount())):
            try:
                handle = nvml.nvmlDeviceGetHandleByIndex(index)
                memory = nvml.nvmlDeviceGetMemoryInfo(handle)
                try:
                    major, minor = nvml.nvmlDeviceGetCudaComputeCapability(handle)
                    capability: str | None = f"{major}.{minor}"
                except Exception:
                    capability = None
                gpus.append(
                    GPUInfo(
                        vendor="nvidia",
                        name=_text(nvml.nvmlDeviceGetName(handle)),
                        vram_total=int(memory.total),
                        vram_free=int(memory.free),
                        driver=driver,
                        compute_capability=capability,
                        source="pynvml",
                    )
                )
            except Exception:  # one broken device (e.g. fallen off the bus) must not hide the others
                continue
    except Exception:
        pass
    finally:
        try:
            nvml.nvmlShutdown()
        except Exception:
            pass
    return gpus


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return ""


def _int(text: str) -> int | None:
    return int(text) if text.isdigit() else None


def _drm_cards(root: Path) -> list[Path]:
    drm = root / "sys/class/drm"
    try:
        names = sorted(p.name for p in drm.iterdir())
    except OSError:
        return []
    # card0, card1 ...; connectors such as card0-DP-1 are not devices.
    return [drm / n for n in names if n.startswith("card") and n[4:].isdigit()]


def read_sysfs(root: Path = Path("/")) -> list[GPUInfo]:
    """GPUs listed in /sys/class/drm: AMD VRAM from mem_info_vram_*, Intel as shared memory,
    and NVIDIA cards seen on the bus (reported without driver or VRAM: NVML is the source for those)."""
    gpus: list[GPUInfo] = []
    for card in _drm_cards(root):
        device = card / "device"
        vendor = VENDOR_IDS.get(_read(device / "vendor").lower())
        if vendor is None:
            continue
        pci_id = _read(device / "device")
        driver_link = device / "driver"
        driver = driver_link.resolve().name if driver_link.exists() else None
        name = _read(device / "product_name") or f"{vendor.upper() if vendor == 'amd' else vendor.title()} GPU {pci_id}"
        if vendor == "amd":
            total = _int(_read(device / "mem_info_vram_total"))
            used = _int(_read(device / "mem_info_vram_used"))
            free = total - used if total is not None and used is not None else None
            # APUs report a small carve-out as VRAM and share system RAM.
            unified = total is not None and total < 1024**3
            gpus.append(GPUInfo("amd", name, total, free, driver, None, unified, "sysfs"))
        elif vendor == "intel":
            total = _int(_read(device / "mem_info_vram_total"))  # discrete Arc cards (xe driver) have it
            gpus.append(GPUInfo("intel", name, total, None, driver, None, total is None, "sysfs"))
        else:
            gpus.append(GPUInfo("nvidia", name, None, None, None, None, False, "sysfs"))
    return gpus


def run_command(argv: Sequence[str]) -> str | None:
    """Run a read-only tool (argv, no shell) with a short timeout; None when it is absent or fails."""
    if shutil.which(argv[0]) is None:
        return None
    try:
        done = subprocess.run(list(argv), capture_output=True, text=True, timeout=5, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


def read_rocm_smi(runner: Runner = run_command) -> list[GPUInfo]:
    """AMD GPUs from `rocm-smi --showproductname --showmeminfo vram --json` when ROCm is installed."""
    out = runner(["rocm-smi", "--showproductname", "--showmeminfo", "vram", "--json"])
    if not out:
        return []
    try:
        doc = json.loads(out)
    except ValueError:
        return []
    gpus: list[GPUInfo] = []
    for key, card in sorted(doc.items()):
        if not key.startswith("card") or not isinstance(card, dict):
            continue
        name = card.get("Card Series") or card.get("Card series") or card.get("Card model") or "AMD GPU"
        total = _int(str(card.get("VRAM Total Memory (B)", "")))
        used = _int(str(card.get("VRAM Total Used Memory (B)", "")))
        free = total - used if total is not None and used is not None else None
        gpus.append(GPUInfo("amd", str(name), total, free, "amdgpu", None, False, "rocm-smi"))
    return gpus


def read_apple(system: str, machine: str, ram_total: int, runner: Runner = run_command) -> list[GPUInfo]:
    """Apple Silicon: one GPU sharing unified memory with the CPU."""
    if system != "Darwin" or machine != "arm64":
        return []
    name = (runner(["sysctl", "-n", "machdep.cpu.brand_string"]) or "Apple Silicon").strip()
    # Metal lets the GPU wire about 75% of unified memory by default.
    return [GPUInfo("apple", f"{name} GPU", int(ram_total * 0.75), None, "metal", None, True, "sysctl")]


def merge(nvidia: list[GPUInfo], sysfs: list[GPUInfo], rocm: list[GPUInfo]) -> list[GPUInfo]:
    """One list without duplicates: NVML replaces sysfs NVIDIA entries, rocm-smi names AMD ones."""
    out = list(nvidia)
    if not nvidia:
        out += [g for g in sysfs if g.vendor == "nvidia"]  # on the bus, but no driver
    amd_sysfs = [g for g in sysfs if g.vendor == "amd"]
    if rocm:
        for i, g in enumerate(rocm):
            base = amd_sysfs[i] if i < len(amd_sysfs) else None
            out.append(
                g
                if base is None
                else GPUInfo(
                    "amd",
                    g.name,
                    g.vram_total or base.vram_total,
                    g.vram_free if g.vram_free is not None else base.vram_free,
                    base.driver or g.driver,
                    None,
                    base.unified_memory,
                    "rocm-smi",
                )
            )
    else:
        out += amd_sysfs
    out += [g for g in sysfs if g.vendor == "intel"]
    return out
