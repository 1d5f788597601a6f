"""apk (Alpine, postmarketOS): argv builders and the `apk add --simulate` parser."""

from __future__ import annotations

import re
from collections.abc import Sequence

from cortex.packages.base import PackageManager, Simulation, first_error_line

_APK_NAME = re.compile(r"^[a-z0-9][a-z0-9._+-]*$")
_STEP = re.compile(r"^\(\d+/\d+\) (Installing|Upgrading|Downgrading|Replacing|Purging|Reinstalling) (\S+) \(([^)]*)\)")


class ApkManager(PackageManager):
    name = "apk"
    executable = "apk"
    name_pattern = _APK_NAME

    def install_argv(self, names: Sequence[str]) -> list[str]:
        return ["apk", "add", "--no-progress", *self.check_names(names)]

    def simulate_argv(self, names: Sequence[str]) -> list[str]:
        return ["apk", "add", "--simulate", "--no-progress", *self.check_names(names)]

    def remove_argv(self, names: Sequence[str]) -> list[str]:
        return ["apk", "del", "--no-progress", *self.check_names(names)]

    def query_argv(self, name: str) -> list[str]:
        return ["apk", "info", "--installed", "--verbose", name]

    def parse_query(self, text: str, returncode: int) -> str | None:
        # `apk info -e -v nginx` prints "nginx-1.24.0-r15": the version is the last two dash-parts.
        out = text.strip().splitlines()
        if returncode != 0 or not out:
            return None
        parts = out[0].strip().rsplit("-", 2)
        return "-".join(parts[1:]) if len(parts) == 3 else None

    def parse_simulation(self, text: str, returncode: int = 0) -> Simulation:
        new: list[tuple[str, str]] = []
        upgraded: list[tuple[str, str, str]] = []
        removed: list[tuple[str, str]] = []
        for line in text.splitlines():
            m = _STEP.match(line.strip())
            if not m:
                continue
            verb, name, version = m.groups()
            if verb in ("Installing", "Reinstalling"):
                new.append((name, version))
            elif verb in ("Upgrading", "Downgrading", "Replacing"):
                old, _, newv = version.partition(" -> ")
                upgraded.append((name, old, newv or old))
            elif verb == "Purging":
                removed.append((name, version))
        failed = returncode != 0 or re.search(r"^ERROR:", text, re.M) is not None
        error = first_error_line(text, ("ERROR:",)) if failed else ""
        return Simulation(not failed, new, upgraded, removed, None, None, error, text)
