"""Where cortex keeps things.

Precedence: CORTEX_HOME (tests and portable installs: config/, data/, cache/ below it) >
XDG base directories > the defaults below. Root keeps its data in /var/lib/cortex and its cache in
/var/cache/cortex, so that the history of a server does not depend on whose HOME was set.
"""

from __future__ import annotations

import os
from pathlib import Path

SYSTEM_CONFIG_FILE = Path("/etc/cortex/config.yaml")


def _home() -> Path | None:
    value = os.environ.get("CORTEX_HOME")
    return Path(value).expanduser() if value else None


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _xdg(var: str, fallback: str) -> Path:
    value = os.environ.get(var)
    if value and os.path.isabs(value):
        return Path(value) / "cortex"
    return Path.home() / fallback / "cortex"


def config_dir() -> Path:
    home = _home()
    return home / "config" if home else _xdg("XDG_CONFIG_HOME", ".config")


def config_file() -> Path:
    return config_dir() / "config.yaml"


def env_file() -> Path:
    """The `.env` that cortex reads: its own, never the current directory's unless asked for."""
    return config_dir() / ".env"


def system_config_file() -> Path:
    home = _home()
    return home / "etc" / "config.yaml" if home else SYSTEM_CONFIG_FILE


def data_dir() -> Path:
    home = _home()
    if home:
        return home / "data"
    if _is_root() and not os.environ.get("XDG_DATA_HOME"):
        return Path("/var/lib/cortex")
    return _xdg("XDG_DATA_HOME", ".local/share")


def cache_dir() -> Path:
    home = _home()
    if home:
        return home / "cache"
    if _is_root() and not os.environ.get("XDG_CACHE_HOME"):
        return Path("/var/cache/cortex")
    return _xdg("XDG_CACHE_HOME", ".cache")


def ensure_dir(path: Path, mode: int = 0o755) -> Path:
    path.mkdir(parents=True, exist_ok=True, mode=mode)
    return path
