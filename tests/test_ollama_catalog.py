"""The model catalog and the pure recommendation across hardware profiles."""

from __future__ import annotations

import pytest

from cortex.errors import NotFoundError
from cortex.hardware import CPUInfo, GPUInfo, HardwareInfo
from cortex.ollama.catalog import load_catalog, recommend

GIB = 1024**3
AVX = frozenset({"avx", "avx2"})


def machine(*, cores=8, ram=32, avail=None, disk=200, gpus=(), flags=AVX) -> HardwareInfo:
    return HardwareInfo(
        cpu=CPUInfo("test CPU", "x86_64", cores, cores * 2, flags),
        ram_total=int(ram * GIB),
        ram_available=int((avail if avail is not None else ram * 0.8) * GIB),
        disk_path="/",
        disk_free=int(disk * GIB),
        gpus=tuple(gpus),
    )


def nvidia(vram_gib: float, name="NVIDIA GeForce RTX") -> GPUInfo:
    return GPUInfo("nvidia", name, int(vram_gib * GIB), int(vram_gib * GIB), "550.54", "8.6", False, "pynvml")


def test_catalog_covers_the_required_families():
    tags = {m.tag for m in load_catalog().models}
    for tag in (
        "llama3.2:1b",
        "llama3.2:3b",
        "llama3.1:8b",
        "gemma3:1b",
        "gemma3:4b",
        "gemma3:12b",
        "qwen2.5-coder:7b",
        "phi4-mini:3.8b",
        "mistral:7b",
        "codellama:7b",
    ):
        assert tag in tags
    for m in load_catalog().models:
        assert m.memory_gb > m.size_gb > 0 and m.context >= 2048 and m.good_for and m.quantization


@pytest.mark.parametrize(
    ("hw", "tag", "device"),
    [
        (machine(gpus=[nvidia(24)]), "gemma3:27b", "gpu"),
        (machine(gpus=[nvidia(12)]), "llama3.1:8b", "gpu"),
        (machine(gpus=[nvidia(16)]), "gemma3:12b", "gpu"),
        (machine(gpus=[nvidia(8)]), "llama3.1:8b", "gpu"),
        (machine(gpus=[nvidia(6)]), "gemma3:4b", "gpu"),
        (machine(cores=2, ram=24), "llama3.2:3b", "cpu"),
        (machine(cores=8, ram=32), "llama3.1:8b", "cpu"),
        (machine(cores=6, ram=16), "gemma3:4b", "cpu"),
        (machine(cores=4, ram=6, avail=4.5), "gemma3:1b", "cpu"),
        (machine(cores=2, ram=8, flags=frozenset()), "gemma3:1b", "cpu"),
        (machine(cores=16, ram=64, gpus=[nvidia(4)]), "llama3.2:3b", "gpu"),
        (machine(cores=16, ram=64), "gemma3:12b", "cpu"),
    ],
)
def test_recommend(hw, tag, device):
    rec = recommend(hw)
    assert (rec.model.tag, rec.device, rec.fits) == (tag, device, True)
    assert rec.model.tag in rec.reason and "\n" not in rec.reason


def test_gpu_reason_names_the_card():
    rec = recommend(machine(gpus=[nvidia(24, "NVIDIA GeForce RTX 4090")]))
    assert "RTX 4090" in rec.reason and "24.0 GiB" in rec.reason


def test_gpu_too_small_falls_back_to_ram_and_says_so():
    rec = recommend(machine(cores=16, ram=64, gpus=[nvidia(1)]))
    assert rec.device == "cpu" and "larger than" in rec.reason


def test_disk_too_small_picks_a_smaller_model():
    rec = recommend(machine(gpus=[nvidia(24)], disk=5))
    assert rec.model.size_bytes + 2 * GIB <= 5 * GIB and rec.device == "gpu"


def test_nothing_fits_returns_smallest_and_says_it_may_not_fit():
    rec = recommend(machine(cores=2, ram=1, avail=0.5))
    assert not rec.fits and rec.model.tag == "gemma3:1b" and "may not fit" in rec.reason


def test_code_purpose():
    assert recommend(machine(gpus=[nvidia(8)]), purpose="code").model.tag == "qwen2.5-coder:7b"


def test_find_and_get():
    cat = load_catalog()
    assert cat.find("gemma3:4b").name == "Gemma 3 4B"
    assert cat.find("no-such") is None
    with pytest.raises(NotFoundError):
        cat.get("no-such")
