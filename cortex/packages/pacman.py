"""pacman (Arch, Manjaro, EndeavourOS): argv builders, the `--print` target-list parser, and the
records for the index (`pacman -Si`).

pacman's dry run is `pacman -S --needed --print --print-format '%n %v %s'`: one line per package that
would be installed or upgraded (dependencies included) with its version and download size; it
changes nothing and needs no root.
"""

from __future__ import annotations

import re
from pathlib import Path

from cortex.packages.archlinux import parse_sync_info
from cortex.packages.base import PackageManager, Simulation, first_error_line, stat_fingerprint
from cortex.packages.grammar import ANY_NAME, INSTALL, QUERY, ROLLBACK, Grammar, Operation, ToolOptions
from cortex.packages.records import info_to_row

# Arch: lower case, digits, @ . _ + -; not starting with a hyphen or a dot.
_ARCH_NAME = re.compile(r"^[a-z0-9@_+][a-z0-9@._+-]*$")
SYNC_DIR = Path("/var/lib/pacman/sync")
_TARGET = re.compile(r"^([a-z0-9@_+][a-z0-9@._+-]*) (\S+)(?: (\d+))?$")

GRAMMAR = Grammar(
    manager="pacman",
    name=_ARCH_NAME,
    operations={
        "install": Operation(("pacman", "-S", "--needed", "--noconfirm"), "-S", INSTALL),
        "simulate": Operation(("pacman", "-S", "--needed", "--print", "--print-format", "%n %v %s"), "-S", INSTALL),
        "remove": Operation(("pacman", "-R", "--noconfirm"), "-R", ROLLBACK),
        "query": Operation(("pacman", "-Q"), "-Q", QUERY, ANY_NAME),
    },
    tools={"pacman": ToolOptions(flags={INSTALL: frozenset({"-p"})}, valued=frozenset({"--print-format"}))},
)


class PacmanManager(PackageManager):
    name = "pacman"
    executable = "pacman"
    grammar = GRAMMAR

    def parse_query(self, text: str, returncode: int) -> str | None:
        parts = text.split()
        if returncode != 0 or len(parts) < 2:
            return None
        return parts[1]

    def parse_simulation(self, text: str, returncode: int = 0) -> Simulation:
        new: list[tuple[str, str]] = []
        total = 0
        sized = False
        for line in text.splitlines():
            if m := _TARGET.match(line.strip()):
                new.append((m.group(1), m.group(2)))
                if m.group(3) is not None:
                    total += int(m.group(3))
                    sized = True
        failed = returncode != 0 or re.search(r"^error:", text, re.M) is not None
        error = first_error_line(text, ("error:",)) if failed else ""
        # --print cannot tell upgrades from new installs; both are listed as new.
        return Simulation(not failed, new if not failed else [], [], [], total if sized else None, None, error, text)

    def iter_rows(self) -> list[tuple]:
        return [info_to_row(i) for i in parse_sync_info(self._query_all(["pacman", "-Si"]))]

    def lists_fingerprint(self) -> str:
        return stat_fingerprint(SYNC_DIR)
