"""apt (Debian, Ubuntu): argv builders, `apt-get -s` parser, and the records for the index.

The index is built from `apt-cache dumpavail` rather than from /var/lib/apt/lists, whose files may be
compressed (lz4, gz, xz) in ways that vary between systems; apt itself always knows how to read them.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO

from cortex.errors import CortexError
from cortex.packages.base import (
    PackageManager,
    Simulation,
    c_locale_env,
    first_error_line,
    parse_size,
    stat_fingerprint,
)
from cortex.packages.debian import dumpavail_rows

LISTS_DIR = Path("/var/lib/apt/lists")
LOCK_TIMEOUT_S = 120

# Debian policy 5.6.1: lower case, digits, + - . ; at least two characters; then optional =version / :arch.
_DEB_NAME = re.compile(r"^[a-z0-9][a-z0-9+.-]+(?::[a-z0-9][a-z0-9-]*)?(?:=[0-9][A-Za-z0-9.+~:-]*)?$")

_INST = re.compile(r"^Inst (\S+) (?:\[([^\]]+)\] )?\((\S+)")
_REMV = re.compile(r"^(?:Remv|Purg) (\S+)(?: \[([^\]]+)\])?")
_NEED = re.compile(r"Need to get ([\d.,]+) ?([kMGT]?B)(?:/([\d.,]+) ?([kMGT]?B))? of archives")
_AFTER = re.compile(
    r"After this operation, ([\d.,]+) ?([kMGT]?B) (?:of additional disk space will be used|disk space will be freed)"
)


class AptManager(PackageManager):
    """apt-get / apt-cache / dpkg-query."""

    name = "apt"
    executable = "apt-get"
    name_pattern = _DEB_NAME

    def install_argv(self, names: Sequence[str]) -> list[str]:
        return ["apt-get", "install", "-y", "-o", f"DPkg::Lock::Timeout={LOCK_TIMEOUT_S}", *self.check_names(names)]

    def simulate_argv(self, names: Sequence[str]) -> list[str]:
        return ["apt-get", "-s", "install", *self.check_names(names)]

    def remove_argv(self, names: Sequence[str]) -> list[str]:
        return ["apt-get", "remove", "-y", "-o", f"DPkg::Lock::Timeout={LOCK_TIMEOUT_S}", *self.check_names(names)]

    def query_argv(self, name: str) -> list[str]:
        return ["dpkg-query", "-W", "-f=${db:Status-Abbrev} ${Version}\n", name]

    def parse_query(self, text: str, returncode: int) -> str | None:
        if returncode != 0:
            return None
        for line in text.splitlines():
            parts = line.split()
            # "ii  1.2-3": wanted=install, status=installed. "un" / "rc" mean not installed.
            if len(parts) >= 2 and parts[0][1:2] == "i":
                return parts[-1]
        return None

    def parse_simulation(self, text: str, returncode: int = 0) -> Simulation:
        new: list[tuple[str, str]] = []
        upgraded: list[tuple[str, str, str]] = []
        removed: list[tuple[str, str]] = []
        download = disk = None
        essential: list[str] = []
        in_essential = False
        for line in text.splitlines():
            if line.startswith("WARNING: The following essential packages will be removed"):
                in_essential = True
                continue
            if in_essential:
                if line.startswith("  "):
                    essential += line.split()
                    continue
                if not line.startswith("This should NOT"):
                    in_essential = False
            if m := _INST.match(line):
                name, old, version = m.groups()
                if old:
                    upgraded.append((name, old, version))
                else:
                    new.append((name, version))
            elif m := _REMV.match(line):
                removed.append((m.group(1), m.group(2) or ""))
            elif m := _NEED.search(line):
                download = parse_size(m.group(1), m.group(2))
            elif m := _AFTER.search(line):
                disk = parse_size(m.group(1), m.group(2))
                if "freed" in line:
                    disk = -disk
        error = ""
        ok = returncode == 0
        if not ok or re.search(r"^E: ", text, re.M):
            ok = False
            error = first_error_line(text, ("E:",))
        return Simulation(ok, new, upgraded, removed, download, disk, error, text, essential)

    # -- the index ------------------------------------------------------------------------------
    def iter_rows(self) -> list[tuple]:
        """Every available package, read from `apt-cache dumpavail` while apt is still writing it.

        Tried twice: an `apt-get update` running at the same moment can make one read fail.
        """
        try:
            return self._dumpavail_rows()
        except CortexError:
            return self._dumpavail_rows()

    def _dumpavail_rows(self) -> list[tuple]:
        try:
            proc = subprocess.Popen(
                ["apt-cache", "dumpavail"],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=c_locale_env(),
            )
        except FileNotFoundError:
            raise CortexError("apt-cache is not installed.", hint="cortex needs apt on Debian/Ubuntu.") from None
        assert proc.stdout is not None and proc.stderr is not None
        with proc:
            rows = dumpavail_rows(_stanza_chunks(proc.stdout))
            err = proc.stderr.read().decode("utf-8", "replace")
        if proc.returncode != 0:
            raise CortexError(
                "apt-cache dumpavail failed: " + first_error_line(err), hint="Run `apt-get update` and try again."
            )
        if not rows:
            raise CortexError(
                "apt knows no packages (the package lists are empty).", hint="Run `apt-get update` first."
            )
        return rows

    def lists_fingerprint(self) -> str:
        return stat_fingerprint(LISTS_DIR)


def _stanza_chunks(stream: IO[bytes], size: int = 1 << 22) -> Iterator[str]:
    """Text from `stream` in pieces that end on a blank line, so that no stanza is split between two."""
    rest = b""
    while True:
        block = stream.read(size)
        if not block:
            break
        block = rest + block
        cut = block.rfind(b"\n\n")
        if cut < 0:
            rest = block
            continue
        rest = block[cut + 2 :]
        yield block[: cut + 1].decode("utf-8", "replace")
    if rest.strip():
        yield rest.decode("utf-8", "replace")
