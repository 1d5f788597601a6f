"""Can this CPU run the installed llama.cpp build? Compare the build's features with /proc/cpuinfo.

xllamacpp reports the instruction sets its CPU backend was compiled for (`get_system_info()`:
"AVX = 1 | AVX2 = 1 | ..."). Running such a build on a CPU without one of them dies with SIGILL,
not with an exception, so cortex checks first and raises UnsupportedCPUError with a way out.
"""

from __future__ import annotations

import platform
from pathlib import Path

from cortex.local_models.errors import UnsupportedCPUError

# llama.cpp feature name -> the x86 flag Linux shows in /proc/cpuinfo.
X86_FLAGS: dict[str, str] = {
    "SSE3": "pni",
    "SSSE3": "ssse3",
    "AVX": "avx",
    "AVX2": "avx2",
    "AVX_VNNI": "avx_vnni",
    "F16C": "f16c",
    "FMA": "fma",
    "BMI2": "bmi2",
    "AVX512": "avx512f",
    "AVX512_VBMI": "avx512vbmi",
    "AVX512_VNNI": "avx512_vnni",
    "AVX512_BF16": "avx512_bf16",
    "AMX_INT8": "amx_int8",
}


def compiled_features(system_info: str) -> set[str]:
    """Pure: the features a llama.cpp system-info line reports as enabled ('AVX2 = 1')."""
    enabled: set[str] = set()
    for part in system_info.replace("\n", "|").split("|"):
        name, sep, value = part.partition("=")
        if sep and value.strip() == "1":
            enabled.add(name.strip().split(":")[-1].strip())
    return enabled


def missing_features(compiled: set[str], cpu_flags: set[str]) -> list[str]:
    """Pure: x86 features the build needs that the CPU lacks (empty when no flags are known)."""
    if not cpu_flags:
        return []
    return sorted(f for f in compiled if f in X86_FLAGS and X86_FLAGS[f] not in cpu_flags)


def cpu_flags(cpuinfo: Path = Path("/proc/cpuinfo")) -> set[str]:
    """The x86 feature flags of this CPU (empty on other architectures or when unreadable)."""
    if platform.machine() not in ("x86_64", "AMD64", "i686"):
        return set()
    try:
        for line in cpuinfo.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("flags"):
                return set(line.partition(":")[2].split())
    except OSError:
        pass
    return set()


def check(system_info: str) -> None:
    """Raise UnsupportedCPUError when the llama.cpp build needs instructions this CPU lacks."""
    missing = missing_features(compiled_features(system_info), cpu_flags())
    if missing:
        raise UnsupportedCPUError(
            f"This CPU lacks {', '.join(missing)}, which the installed llama.cpp build (xllamacpp) needs.",
            provider="local",
        )
