"""Hardware detection: this machine for real (the CPU path) and recorded GPU machines."""

from __future__ import annotations

import json
from pathlib import Path

from cortex.hardware import GPUInfo, detect
from cortex.hardware.cpu import parse_cpuinfo, parse_meminfo
from cortex.hardware.gpu import read_nvidia, read_rocm_smi
from tests.hardware_fakes import FIXTURES, RecordedNVML


def test_this_machine_detects_cpu_ram_and_disk():
    hw = detect()
    assert hw.cpu.threads >= 1 and hw.cpu.cores >= 1
    assert hw.ram_total > 0 and 0 < hw.ram_available <= hw.ram_total
    assert Path(hw.disk_path).exists() and hw.disk_free > 0
    doc = hw.to_dict()
    json.dumps(doc)  # serialisable for --json
    assert set(doc) >= {"cpu", "gpus", "container", "wsl", "ram_total", "disk_free"}
    text = Path("/proc/cpuinfo").read_text()
    assert hw.cpu.avx2 == (" avx2" in text)


def test_no_gpu_is_a_normal_result(tmp_path):
    hw = detect(tmp_path, nvml=RecordedNVML(init_error=True), system="Linux", disk_path=tmp_path)
    assert hw.gpus == () and hw.best_gpu is None


def test_cpuinfo_counts_physical_cores_and_flags():
    cpu = parse_cpuinfo((FIXTURES / "amd_workstation/proc/cpuinfo").read_text(), arch="x86_64")
    assert cpu.model == "AMD Ryzen 9 7950X 16-Core Processor"
    assert (cpu.cores, cpu.threads) == (16, 32)
    assert cpu.avx and cpu.avx2 and cpu.avx512


def test_meminfo_parses_kib():
    total, available = parse_meminfo("MemTotal: 1000 kB\nMemAvailable: 500 kB\n")
    assert (total, available) == (1024000, 512000)


def test_nvidia_from_recorded_pynvml(tmp_path):
    nvml = RecordedNVML.from_file("nvml_rtx4090.json")
    hw = detect(FIXTURES / "nvidia_workstation", nvml=nvml, system="Linux", disk_path=tmp_path)
    names = [g.name for g in hw.gpus]
    assert names == ["NVIDIA GeForce RTX 4090", "NVIDIA GeForce RTX 3060"]  # sysfs duplicates dropped
    best = hw.best_gpu
    assert best is not None and best.name == "NVIDIA GeForce RTX 4090"
    assert best.compute_capability == "8.9" and best.driver == "550.54.14"
    assert best.vram_total == 25757220864 and best.vram_free == 25217466368
    assert hw.host.systemd and hw.host.container is None
    assert nvml.shutdown_calls == 1


def test_nvml_without_driver_returns_nothing():
    assert read_nvidia(RecordedNVML(init_error=True)) == []
    assert read_nvidia(None) == []


def test_nvidia_card_without_driver_is_seen_but_not_usable(tmp_path):
    hw = detect(
        FIXTURES / "nvidia_no_driver", nvml=RecordedNVML(init_error=True), system="Linux", disk_path=tmp_path, env={}
    )
    assert [(g.vendor, g.driver, g.usable) for g in hw.gpus] == [("nvidia", None, False)]
    assert hw.host.container == "podman"
    assert not hw.cpu.avx and hw.cpu.cores == 2


def test_amd_from_sysfs_with_rocm_smi(tmp_path):
    recorded = (FIXTURES / "amd_workstation/rocm-smi.json").read_text()
    calls = []

    def runner(argv):
        calls.append(list(argv))
        return recorded

    hw = detect(FIXTURES / "amd_workstation", nvml=None, runner=runner, system="Linux", disk_path=tmp_path)
    assert calls and calls[0][0] == "rocm-smi"
    (gpu,) = hw.gpus
    assert gpu.vendor == "amd" and gpu.name == "Radeon RX 7900 XTX" and gpu.driver == "amdgpu"
    assert gpu.vram_total == 25753026560 and gpu.vram_free == 25753026560 - 1073741824
    assert gpu.usable and hw.best_gpu == gpu
    assert hw.ram_total == 65536000 * 1024


def test_amd_from_sysfs_alone(tmp_path):
    hw = detect(FIXTURES / "amd_workstation", nvml=None, system="Linux", disk_path=tmp_path)
    (gpu,) = hw.gpus
    assert gpu.source == "sysfs" and gpu.vram_total == 25753026560 and gpu.usable


def test_rocm_smi_garbage_is_ignored():
    assert read_rocm_smi(lambda argv: "not json") == []
    assert read_rocm_smi(lambda argv: None) == []


def test_intel_integrated_gpu_on_wsl(tmp_path):
    hw = detect(FIXTURES / "intel_wsl_laptop", nvml=None, system="Linux", disk_path=tmp_path, env={})
    (gpu,) = hw.gpus
    assert gpu.vendor == "intel" and gpu.unified_memory and not gpu.usable
    assert hw.host.wsl and hw.best_gpu is None
    assert (hw.cpu.cores, hw.cpu.threads) == (4, 8)


def test_apple_silicon_unified_memory(tmp_path):
    hw = detect(
        tmp_path, nvml=None, system="Darwin", machine="arm64", runner=lambda argv: "Apple M2 Max\n", disk_path=tmp_path
    )
    # No /proc/meminfo under the recorded root: memory is unknown, so unified VRAM is 0 -> not usable.
    assert [g.vendor for g in hw.gpus] == ["apple"]
    gpu = GPUInfo("apple", "Apple M2 Max GPU", 48 * 1024**3, None, "metal", None, True, "sysctl")
    assert gpu.usable


def test_container_from_cgroup_and_env(tmp_path):
    from cortex.hardware.host import detect_container

    (tmp_path / "proc/1").mkdir(parents=True)
    (tmp_path / "proc/1/cgroup").write_text("0::/kubepods/besteffort/pod1\n")
    assert detect_container(tmp_path, env={}) == "kubernetes"
    (tmp_path / "proc/1/cgroup").write_text("0::/\n")
    assert detect_container(tmp_path, env={"container": "systemd-nspawn"}) == "systemd-nspawn"
    assert detect_container(tmp_path, env={}) is None


def test_hardware_command_json(capsys):
    from cortex.cli.main import main

    assert main(["hardware", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["cpu"]["threads"] >= 1 and doc["recommendation"]["model"]


def test_hardware_command_text(capsys):
    from cortex.cli.main import main

    assert main(["hardware"]) == 0
    out = capsys.readouterr().out
    assert "CPU" in out and "local model" in out
