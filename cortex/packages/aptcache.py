"""apt's binary cache for cortex's own read-only runs of apt (`apt-get -s`, `apt-cache`).

apt keeps the package lists it parsed in a binary cache (pkgcache.bin, srcpkgcache.bin) and reuses it
while the lists and dpkg's status are unchanged. Debian's container images switch that cache off
(`Dir::Cache::pkgcache ""` in /etc/apt/apt.conf.d/docker-clean), so every `apt-get -s install` parses
all the lists again: about twice the time of a run that reads the cache. Where apt's own cache is off,
cortex points the runs that change nothing at a cache of its own under cortex's cache dir. apt checks
that cache against the lists and the status file on every run, rebuilds it when either changed,
writes it to a temporary file and renames it into place (so concurrent runs never read half a file),
and runs without it where the directory cannot be written. Real installs keep apt's configuration.

Those runs also leave apt's planner log alone: a simulation would otherwise overwrite
/var/log/apt/eipp.log.xz, the record of the last real install's plan.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from cortex import paths
from cortex.packages.base import c_locale_env

CACHE_SETTING = "Dir::Cache::pkgcache"
CACHE_FILES = {"Dir::Cache::pkgcache": "pkgcache.bin", "Dir::Cache::srcpkgcache": "srcpkgcache.bin"}
NO_PLANNER_LOG = ("-o", "Dir::Log::Planner=")


def read_only(argv: Sequence[str]) -> bool:
    """Pure: True for an apt run that changes nothing (`apt-cache ...`, `apt-get -s ...`)."""
    if not argv:
        return False
    return argv[0] == "apt-cache" or (argv[0] == "apt-get" and ("-s" in argv or "--simulate" in argv))


def options(apt_cache_setting: str | None, directory: Path | None) -> tuple[str, ...]:
    """Pure: the `-o` settings for a read-only run, given apt's own `Dir::Cache::pkgcache` value.

    None (unknown: no apt-config) or a set value: apt's cache is on, nothing to add but the log.
    An empty value: apt's cache is off; cortex's own cache in `directory` (None: none usable).
    """
    if apt_cache_setting != "" or directory is None:
        return NO_PLANNER_LOG
    cache = tuple(a for key, name in CACHE_FILES.items() for a in ("-o", f"{key}={directory / name}"))
    return (*cache, *NO_PLANNER_LOG)


def with_options(argv: Sequence[str], extra: Sequence[str]) -> list[str]:
    """Pure: `argv` with `extra` right after the executable, when it is a read-only apt run."""
    if not extra or not read_only(argv):
        return list(argv)
    return [argv[0], *extra, *argv[1:]]


_setting: list[str | None] = []  # apt's configuration does not change while cortex runs


def apt_cache_setting() -> str | None:
    """apt's `Dir::Cache::pkgcache` ('' when switched off); None when apt-config cannot say."""
    if not _setting:
        _setting.append(apt_config_value(CACHE_SETTING))
    return _setting[0]


def apt_config_value(key: str) -> str | None:
    """One setting as apt's configuration has it (`apt-config shell`; `KEY/d` for a directory); None
    when the key is unset or apt-config cannot say."""
    if shutil.which("apt-config") is None:
        return None
    try:
        proc = subprocess.run(
            ["apt-config", "shell", "VALUE", key],
            capture_output=True,
            text=True,
            timeout=10,
            env=c_locale_env(),
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if proc.returncode != 0:
        return None
    line = proc.stdout.strip()  # VALUE='...' ; nothing at all when the key is unset
    if not line.startswith("VALUE="):
        return None
    return line[len("VALUE=") :].strip("'")


def usable_dir(directory: Path) -> Path | None:
    """`directory`, created if needed; None where it cannot be (apt then runs without a cache)."""
    try:
        directory.mkdir(parents=True, exist_ok=True, mode=0o755)
    except OSError:
        return None
    return directory


def for_run(argv: Sequence[str]) -> list[str]:
    """`argv` as cortex runs it: a read-only apt run gets the settings above, anything else is unchanged."""
    if not read_only(argv):
        return list(argv)
    setting = apt_cache_setting()
    directory = usable_dir(paths.cache_dir() / "apt") if setting == "" else None
    return with_options(argv, options(setting, directory))
