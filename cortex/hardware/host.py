"""Where cortex runs: container runtime, WSL, systemd, and the free disk where models are stored."""

from __future__ import annotations

import os
import platform
import shutil
from collections.abc import Mapping
from pathlib import Path

from cortex.hardware.model import HostInfo

_CGROUP_MARKERS = (
    ("kubepods", "kubernetes"),
    ("docker", "docker"),
    ("libpod", "podman"),
    ("containerd", "containerd"),
    ("lxc", "lxc"),
)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def detect_container(root: Path = Path("/"), env: Mapping[str, str] | None = None) -> str | None:
    """The container runtime we run in, or None on a plain host or VM."""
    env = os.environ if env is None else env
    if (root / ".dockerenv").exists():
        return "docker"
    if (root / "run/.containerenv").exists():
        return "podman"
    cgroup = _read(root / "proc/1/cgroup")
    for marker, name in _CGROUP_MARKERS:
        if marker in cgroup:
            return name
    runtime = env.get("container", "").strip()
    return runtime or None


def detect_wsl(root: Path = Path("/")) -> bool:
    text = (_read(root / "proc/sys/kernel/osrelease") + _read(root / "proc/version")).lower()
    return "microsoft" in text or "wsl" in text


def detect_systemd(root: Path = Path("/")) -> bool:
    """systemd is running (not merely installed): the documented sd_booted() test."""
    return (root / "run/systemd/system").is_dir()


def read_host(root: Path = Path("/"), env: Mapping[str, str] | None = None, system: str | None = None) -> HostInfo:
    return HostInfo(
        os=system or platform.system(),
        container=detect_container(root, env),
        wsl=detect_wsl(root),
        systemd=detect_systemd(root),
    )


def models_dir(env: Mapping[str, str] | None = None) -> Path:
    """Where Ollama keeps models: $OLLAMA_MODELS, the system service's home, else ~/.ollama/models."""
    env = os.environ if env is None else env
    if env.get("OLLAMA_MODELS"):
        return Path(env["OLLAMA_MODELS"]).expanduser()
    service_dir = Path("/usr/share/ollama/.ollama/models")
    if service_dir.exists():
        return service_dir
    return Path.home() / ".ollama" / "models"


def free_disk(path: Path) -> tuple[str, int]:
    """(existing path measured, free bytes) for `path` or its nearest existing parent."""
    probe = Path(path)
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    try:
        return str(probe), shutil.disk_usage(probe).free
    except OSError:
        return str(probe), 0
