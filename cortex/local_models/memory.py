"""Will this model fit? Estimate its memory from the GGUF header and compare with what is available.

The estimate is deliberately an upper bound: llama.cpp maps the whole file and touches every page
on a CPU, keeps a K and a V cache entry per layer per context position (f16), and needs compute
buffers. The decision is a pure function so it can be tested without a machine that is short of RAM.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cortex.local_models.errors import InsufficientMemoryError
from cortex.local_models.gguf import GGUFInfo

MiB = 1 << 20
COMPUTE_OVERHEAD = 128 * MiB  # llama.cpp compute buffers and runtime for a small model on CPU
RESERVE = 256 * MiB  # what the rest of the system keeps after the model is loaded
KV_BYTES = 2  # f16 cache entries


@dataclass(frozen=True)
class MemoryEstimate:
    weights: int
    kv_cache: int
    overhead: int

    @property
    def total(self) -> int:
        return self.weights + self.kv_cache + self.overhead


@dataclass(frozen=True)
class MemoryDecision:
    ok: bool
    required: int
    available: int
    message: str


def estimate(info: GGUFInfo, n_ctx: int) -> MemoryEstimate:
    """Upper-bound memory of running `info` with a context of `n_ctx` tokens."""
    ctx = min(n_ctx, info.context_length) if info.context_length and n_ctx else n_ctx or info.context_length
    per_token = info.block_count * info.head_count_kv * (info.key_length + info.value_length) * KV_BYTES
    return MemoryEstimate(weights=info.file_size, kv_cache=ctx * per_token, overhead=COMPUTE_OVERHEAD)


def decide(required: int, available: int, *, reserve: int = RESERVE) -> MemoryDecision:
    """Pure: may a model that needs `required` bytes load when `available` bytes are free?"""
    ok = required + reserve <= available
    need, have = required / MiB, available / MiB
    if ok:
        return MemoryDecision(True, required, available, f"needs about {need:.0f} MiB, {have:.0f} MiB available")
    return MemoryDecision(
        False,
        required,
        available,
        f"needs about {need:.0f} MiB (plus {reserve / MiB:.0f} MiB to spare) but only {have:.0f} MiB is available",
    )


def _cgroup_available(root: Path = Path("/sys/fs/cgroup")) -> int | None:
    """Memory left under this process's cgroup v2 limit, if there is one (containers, systemd slices)."""
    try:
        limit = (root / "memory.max").read_text().strip()
        if limit == "max":
            return None
        current = int((root / "memory.current").read_text().strip())
        return max(int(limit) - current, 0)
    except (OSError, ValueError):
        return None


def available_memory() -> int:
    """Bytes this process could still use: the machine's available RAM, capped by a cgroup limit."""
    import psutil

    available = int(psutil.virtual_memory().available)
    cgroup = _cgroup_available()
    return min(available, cgroup) if cgroup is not None else available


def check(info: GGUFInfo, n_ctx: int, *, available: int | None = None) -> MemoryEstimate:
    """Raise InsufficientMemoryError before loading a model that would not fit."""
    est = estimate(info, n_ctx)
    decision = decide(est.total, available_memory() if available is None else available)
    if not decision.ok:
        raise InsufficientMemoryError(
            f"Not enough memory for {Path(info.path).name}: {decision.message}.", provider="local", model=info.path
        )
    return est
