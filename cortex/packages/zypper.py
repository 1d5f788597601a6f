"""zypper (openSUSE, SLES): argv builders and the `install --dry-run` summary parser."""

from __future__ import annotations

import re

from cortex.packages.base import Changes, Simulation, first_error_line, parse_size
from cortex.packages.grammar import INSTALL, ROLLBACK, Grammar, Operation, ToolOptions
from cortex.packages.rpm import RPM_NAME, RPM_QUERY, RPM_TOOL, RpmManager

_HEADING = re.compile(r"^The following (?:\d+ )?(NEW |)(?:packages?|patterns?) (?:is|are) going to be "
                      r"(installed|upgraded|REMOVED|downgraded|reinstalled)")  # fmt: skip
_DOWNLOAD = re.compile(r"Overall download size: ([\d.,]+) (\w+)\.")
_AFTER = re.compile(r"After the operation, (?:additional )?([\d.,]+) (\w+) will be (used|freed)\.")
_ZYPPER_OK_CODES = {0, 100, 101, 102, 103, 106, 107}  # ZYPPER_EXIT_INF_*: informational, not failures

GRAMMAR = Grammar(
    manager="zypper",
    name=RPM_NAME,
    operations={
        # Licenses are agreed to by the confirmation cortex asks for; zypper would otherwise stop and ask.
        "install": Operation(
            ("zypper", "--non-interactive", "install", "--auto-agree-with-licenses"), "install", INSTALL
        ),
        "simulate": Operation(("zypper", "--non-interactive", "install", "--dry-run"), "install", INSTALL),
        "remove": Operation(("zypper", "--non-interactive", "remove"), "remove", ROLLBACK),
        "query": RPM_QUERY,
    },
    tools={
        "zypper": ToolOptions(
            flags={INSTALL: frozenset({"-n", "-D", "--no-recommends", "-y"})},
            verbs={INSTALL: frozenset({"in"}), ROLLBACK: frozenset({"rm"})},
        ),
        "rpm": RPM_TOOL,
    },
)


class ZypperManager(RpmManager):
    name = "zypper"
    executable = "zypper"
    grammar = GRAMMAR

    def parse_simulation(self, text: str, returncode: int = 0) -> Simulation:
        c = Changes()
        kind = ""
        for line in text.splitlines():
            if m := _HEADING.match(line.strip()):
                kind = m.group(2).lower()
                continue
            if kind and line.startswith(" ") and line.strip():
                for name in line.split():  # the summary lists names only (no versions without --details)
                    if kind in ("installed", "reinstalled"):
                        c.new.append((name, ""))
                    elif kind in ("upgraded", "downgraded"):
                        c.upgraded.append((name, "", ""))
                    elif kind == "removed":
                        c.removed.append((name, ""))
                continue
            kind = ""
            if m := _DOWNLOAD.search(line):
                c.download = parse_size(m.group(1), m.group(2))
            if m := _AFTER.search(line):
                c.disk = parse_size(m.group(1), m.group(2)) * (-1 if m.group(3) == "freed" else 1)
        failed = returncode not in _ZYPPER_OK_CODES or re.search(
            r"^(No provider of|Problem:|Package '.*' not found)", text, re.M
        )
        error = first_error_line(text, ("No provider of", "Problem:", "Package '")) if failed else ""
        return c.simulation(not failed, error, text)
