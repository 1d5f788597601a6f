"""The curated model catalog (cortex/data/ollama_models.yaml) and the pure recommendation.

recommend(hardware) picks the best-ranked model that fits with headroom: in VRAM when a usable
GPU can hold it, otherwise in available RAM (capped by what the CPU can run at a useful speed),
and on disk. The reason is one line a user can read.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cortex import data
from cortex.errors import NotFoundError
from cortex.hardware.model import GIB, HardwareInfo, gib

GPU_HEADROOM = 0.9  # use at most 90% of VRAM: the desktop and CUDA context need the rest
RAM_RESERVE = int(2 * GIB)  # leave this much RAM to the system
RAM_SHARE = 0.8  # and use at most 80% of what is available
DISK_RESERVE = int(2 * GIB)


@dataclass(frozen=True)
class CatalogModel:
    name: str
    tag: str
    family: str
    params_b: float
    quantization: str
    size_gb: float
    memory_gb: float
    context: int
    purpose: str
    rank: int
    good_for: str

    @property
    def size_bytes(self) -> int:
        return int(self.size_gb * 1e9)

    @property
    def memory_bytes(self) -> int:
        return int(self.memory_gb * GIB)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Catalog:
    models: tuple[CatalogModel, ...]
    cpu_limits: tuple[tuple[int, float], ...]  # (max_cores, max_params_b), ascending
    no_avx_max_params_b: float

    def find(self, tag: str) -> CatalogModel | None:
        """A catalog entry by Ollama tag; `llama3.2` matches `llama3.2:latest`-style short names too."""
        for model in self.models:
            if model.tag == tag or model.tag.split(":")[0] == tag:
                return model
        return None

    def get(self, tag: str) -> CatalogModel:
        model = self.find(tag)
        if model is None:
            raise NotFoundError(
                f"{tag!r} is not in the model catalog.",
                hint="Run `cortex setup ollama --list-models`, or give any Ollama tag with --model.",
            )
        return model

    def cpu_param_limit(self, cores: int, avx: bool) -> float:
        limit = next((p for c, p in self.cpu_limits if cores <= c), self.cpu_limits[-1][1])
        return min(limit, self.no_avx_max_params_b) if not avx else limit


@dataclass(frozen=True)
class Recommendation:
    model: CatalogModel
    reason: str
    device: str  # gpu | cpu
    fits: bool = True


def parse_catalog(doc: dict[str, Any]) -> Catalog:
    models = tuple(CatalogModel(**m) for m in doc["models"])
    limits = tuple(sorted((int(x["max_cores"]), float(x["max_params_b"])) for x in doc["cpu_limits"]))
    return Catalog(models, limits, float(doc.get("no_avx_max_params_b", 1.3)))


@lru_cache(maxsize=1)
def load_catalog() -> Catalog:

    return parse_catalog(data.load("ollama_models.yaml"))


def _disk_ok(model: CatalogModel, hw: HardwareInfo) -> bool:
    return model.size_bytes + DISK_RESERVE <= hw.disk_free


def recommend(hw: HardwareInfo, catalog: Catalog | None = None, purpose: str = "general") -> Recommendation:
    """The best model of `purpose` for this machine, and why, in one line."""
    catalog = catalog or load_catalog()
    candidates = sorted((m for m in catalog.models if m.purpose == purpose), key=lambda m: -m.rank)
    if not candidates:
        raise NotFoundError(f"No {purpose!r} models in the catalog.")
    gpu = hw.best_gpu
    if gpu is not None and gpu.vram_total:
        budget = int(gpu.vram_total * GPU_HEADROOM)
        for m in candidates:
            if m.memory_bytes <= budget and _disk_ok(m, hw):
                return Recommendation(
                    m,
                    (
                        f"{m.tag}: the best model that fits the {gib(gpu.vram_total)} of {gpu.name} with headroom "
                        f"(needs ~{m.memory_gb:g} GiB)."
                    ),
                    "gpu",
                )
    ram_budget = int(min(max(hw.ram_available - RAM_RESERVE, 0), hw.ram_available * RAM_SHARE))
    max_params = catalog.cpu_param_limit(hw.cpu.cores, hw.cpu.avx)
    why_cpu = "no usable GPU" if gpu is None else f"larger than {gpu.name} can hold"
    for m in candidates:
        if m.params_b <= max_params and m.memory_bytes <= ram_budget and _disk_ok(m, hw):
            return Recommendation(
                m,
                (
                    f"{m.tag}: {why_cpu}; the best model that runs at a useful speed on {hw.cpu.cores} CPU cores"
                    f"{'' if hw.cpu.avx else ' without AVX'} and fits in {gib(hw.ram_available)} of free RAM "
                    f"(needs ~{m.memory_gb:g} GiB)."
                ),
                "cpu",
            )
    smallest = min(candidates, key=lambda m: m.memory_gb)
    return Recommendation(
        smallest,
        (
            f"{smallest.tag}: the smallest model; it may not fit ({gib(hw.ram_available)} RAM free, "
            f"{gib(hw.disk_free)} disk free, needs ~{smallest.memory_gb:g} GiB)."
        ),
        "cpu",
        fits=False,
    )
