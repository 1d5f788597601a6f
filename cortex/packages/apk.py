"""apk (Alpine, postmarketOS): argv builders and the `apk add --simulate` parser."""

from __future__ import annotations

import re

from cortex.packages.base import Changes, PackageManager, Simulation, first_error_line
from cortex.packages.grammar import ANY_NAME, INSTALL, QUERY, ROLLBACK, Grammar, Operation, ToolOptions

_APK_NAME = re.compile(r"^[a-z0-9][a-z0-9._+-]*$")
_STEP = re.compile(r"^\(\d+/\d+\) (Installing|Upgrading|Downgrading|Replacing|Purging|Reinstalling) (\S+) \(([^)]*)\)")

GRAMMAR = Grammar(
    manager="apk",
    name=_APK_NAME,
    operations={
        "install": Operation(("apk", "add", "--no-progress"), "add", INSTALL),
        "simulate": Operation(("apk", "add", "--simulate", "--no-progress"), "add", INSTALL),
        "remove": Operation(("apk", "del", "--no-progress"), "del", ROLLBACK),
        "query": Operation(("apk", "info", "--installed", "--verbose"), "info", QUERY, ANY_NAME),
    },
    tools={"apk": ToolOptions(flags={INSTALL: frozenset({"-s", "-q", "--quiet"})})},
)


class ApkManager(PackageManager):
    name = "apk"
    executable = "apk"
    grammar = GRAMMAR

    def parse_query(self, text: str, returncode: int) -> str | None:
        # `apk info -e -v nginx` prints "nginx-1.24.0-r15": the version is the last two dash-parts.
        out = text.strip().splitlines()
        if returncode != 0 or not out:
            return None
        parts = out[0].strip().rsplit("-", 2)
        return "-".join(parts[1:]) if len(parts) == 3 else None

    def parse_simulation(self, text: str, returncode: int = 0) -> Simulation:
        c = Changes()
        for line in text.splitlines():
            m = _STEP.match(line.strip())
            if not m:
                continue
            verb, name, version = m.groups()
            if verb in ("Installing", "Reinstalling"):
                c.new.append((name, version))
            elif verb in ("Upgrading", "Downgrading", "Replacing"):
                old, _, newv = version.partition(" -> ")
                c.upgraded.append((name, old, newv or old))
            elif verb == "Purging":
                c.removed.append((name, version))
        failed = returncode != 0 or re.search(r"^ERROR:", text, re.M) is not None
        error = first_error_line(text, ("ERROR:",)) if failed else ""
        return c.simulation(not failed, error, text)
