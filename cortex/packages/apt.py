"""apt (Debian, Ubuntu): argv builders, `apt-get -s` parser, and the records for the index.

The index is built from `apt-cache dumpavail` rather than from /var/lib/apt/lists, whose files may be
compressed (lz4, gz, xz) in ways that vary between systems; apt itself always knows how to read them.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO

from cortex.errors import CortexError
from cortex.packages import aptcache, dpkg
from cortex.packages.base import (
    SIMULATE_TIMEOUT_S,
    Changes,
    PackageManager,
    Simulation,
    c_locale_env,
    first_error_line,
    parse_size,
    stat_fingerprint,
)
from cortex.packages.grammar import (
    ANY_NAME,
    CHANGES,
    INSTALL,
    NONE,
    PINS,
    QUERY,
    REFRESH,
    ROLLBACK,
    Grammar,
    Operation,
    ToolOptions,
)
from cortex.packages.state import Package

LISTS_DIR = Path("/var/lib/apt/lists")
LOCK_TIMEOUT_S = 120
LOCK = ("-o", f"DPkg::Lock::Timeout={LOCK_TIMEOUT_S}")  # wait for another apt/dpkg instead of failing

# Debian policy 5.6.1: lower case, digits, + - . ; at least two characters; then an optional :arch.
# Not ending in "-": apt-get reads `name-` as "remove name" (the removal suffix below).
_DEB_NAME = re.compile(r"^[a-z0-9][a-z0-9+.-]*[a-z0-9+.](?::[a-z0-9]+(?:-[a-z0-9]+)*)?$")
# [epoch:]upstream[-revision], upstream starting with a digit (a pin is `name=version`).
_DEB_VERSION = re.compile(r"^(?:\d+:)?[0-9](?:[A-Za-z0-9.+~_:-]*[A-Za-z0-9.+~_])?$")
# One line per package of `dpkg-query -W` ("records"): what `cortex apply` compares with a lock.
RECORD_FORMAT = r"${Package}\t${Architecture}\t${Version}\t${db:Status-Abbrev}\n"
LOCK_MARKERS = ("Waiting for cache lock", "Could not get lock", "Unable to acquire the dpkg frontend lock")
TARGET = "Acquire::IndexTargets::deb::Contents-deb"
# The Contents-deb index target, as apt-file defines it's definition of the target (apt knows no Contents target by itself); DefaultEnabled turns
# it on for this one run even where a config file turned it off.
TARGET_SETTINGS = {
    "MetaKey": "$(COMPONENT)/Contents-$(ARCHITECTURE)",
    "ShortDescription": "Contents-$(ARCHITECTURE)",
    "Description": "$(RELEASE)/$(COMPONENT) $(ARCHITECTURE) Contents (deb)",
    "flatMetaKey": "Contents-$(ARCHITECTURE)",
    "flatDescription": "$(RELEASE) Contents (deb)",
    "KeepCompressed": "true",
    "DefaultEnabled": "true",
}
CONTENTS_OPTIONS = tuple(a for key, value in TARGET_SETTINGS.items() for a in ("-o", f"{TARGET}::{key}={value}"))
# The English Translation lists hold the long descriptions the Packages lists leave out; Debian's container
# images turn them off (Acquire::Languages "none"), this turns them on for one run (cortex/packages/translations.py).
LANGUAGE_OPTIONS = ("-o", "Acquire::Languages=en")
# `-o KEY=VALUE` settings cortex itself passes to apt; nothing else (no Dpkg::Options with arbitrary values).
SETTINGS = {
    "APT::Status-Fd": re.compile(r"^\d{1,3}$"),
    "DPkg::Lock::Timeout": re.compile(r"^\d{1,4}$"),
    "Dpkg::Use-Pty": re.compile(r"^[01]$"),
    "APT::Color": re.compile(r"^[01]$"),
    "quiet": re.compile(r"^[0-2]$"),
    "Dpkg::Options::": re.compile(r"^--force-conf(?:def|old)$"),
    "APT::Get::Show-Versions": re.compile(r"^[01]$"),
    "Acquire::Languages": re.compile(r"^en$"),
    # ... and the Contents-deb index target's definition, each key with exactly cortex's value.
    **{f"{TARGET}::{key}": re.compile("^" + re.escape(value) + "$") for key, value in TARGET_SETTINGS.items()},
}
_APT_GET_FLAGS = {"-y", "--yes", "--assume-yes", "-q", "-qq", "--quiet", "-s", "--simulate", "--dry-run",
                  "--no-install-recommends", "--no-remove", "-V", "--show-versions"}  # fmt: skip

GRAMMAR = Grammar(
    manager="apt",
    name=_DEB_NAME,
    version=_DEB_VERSION,
    removal_suffix="-",
    rollback=True,
    operations={
        "install": Operation(("apt-get", "install", "-y", *LOCK), "install", INSTALL),
        "simulate": Operation(("apt-get", "-s", "install"), "install", INSTALL),
        # A lock's exact versions (`cortex apply`); the policy admits only the pins its context lists.
        "install_pinned": Operation(("apt-get", "install", "-y", *LOCK), "install", INSTALL, PINS),
        "simulate_pinned": Operation(("apt-get", "-s", "install"), "install", INSTALL, PINS),
        "remove": Operation(("apt-get", "remove", "-y", *LOCK), "remove", ROLLBACK),
        "purge": Operation(("apt-get", "purge", "-y", *LOCK), "purge", ROLLBACK),
        "autoremove": Operation(("apt-get", "autoremove", "-y", *LOCK), "autoremove", ROLLBACK, NONE),
        "restore": Operation(("apt-get", "install", "-y", "--no-install-recommends", *LOCK), "install", ROLLBACK, PINS),
        "downgrade": Operation(
            ("apt-get", "install", "-y", "--no-install-recommends", "--allow-downgrades", *LOCK),
            "install",
            ROLLBACK,
            PINS,
        ),
        "simulate_change": Operation(("apt-get", "-s", "install"), "install", ROLLBACK, CHANGES),
        "refresh_contents": Operation(
            ("apt-get", "update", "-q", *CONTENTS_OPTIONS, *LANGUAGE_OPTIONS), "update", REFRESH, NONE
        ),
        "mark_auto": Operation(("apt-mark", "auto"), "auto", ROLLBACK),
        "mark_manual": Operation(("apt-mark", "manual"), "manual", ROLLBACK),
        "query": Operation(("dpkg-query", "-W", "-f=${db:Status-Abbrev} ${Version}\\n"), "-W", QUERY, ANY_NAME),
        "files": Operation(("dpkg-query", "-L"), "-L", QUERY, ANY_NAME),
        "versions": Operation(("apt-cache", "madison"), "madison", QUERY, ANY_NAME),
        "records": Operation(("dpkg-query", "-W", f"-f={RECORD_FORMAT}"), "-W", QUERY, ANY_NAME),
        "architecture": Operation(("dpkg", "--print-architecture"), "--print-architecture", QUERY, NONE),
        "audit": Operation(("dpkg", "--audit"), "--audit", QUERY, NONE),
    },
    tools={
        "apt-get": ToolOptions(flags={INSTALL: frozenset(_APT_GET_FLAGS)}, settings=SETTINGS),
        "dpkg-query": ToolOptions(
            valued=frozenset({"-f", "--showformat"}),
            verbs={QUERY: frozenset({"--show", "-s", "--status", "--listfiles"})},
        ),
        "apt-cache": ToolOptions(
            flags={QUERY: frozenset({"-q"})}, verbs={QUERY: frozenset({"policy", "show", "depends", "rdepends"})}
        ),
    },
    status_fd={"apt-get": ("-o", "APT::Status-Fd={fd}", "-o", "Dpkg::Use-Pty=0")},
    lock_markers=LOCK_MARKERS,
    failure_hints=(
        (
            ("Could not get lock", "Unable to acquire the dpkg frontend lock"),
            "Another package manager is running; wait for it to finish, then try again.",
        ),
        (
            ("dpkg was interrupted",),
            "Run `dpkg --configure -a` as root to finish the interrupted install, then try again.",
        ),
        (
            ("Unable to locate package", "has no installation candidate"),
            "The package lists may be stale: run `apt-get update`, then try again.",
        ),
        (
            ("Unmet dependencies", "held broken packages"),
            "The package's dependencies conflict with what is installed; see `apt-get -s install` output.",
        ),
    ),
)

_INST = re.compile(r"^Inst (\S+) (?:\[([^\]]+)\] )?\((\S+)")
_REMV = re.compile(r"^(?:Remv|Purg) (\S+)(?: \[([^\]]+)\])?")
_NEED = re.compile(r"Need to get ([\d.,]+) ?([kMGT]?B)(?:/([\d.,]+) ?([kMGT]?B))? of archives")
_AFTER = re.compile(
    r"After this operation, ([\d.,]+) ?([kMGT]?B) (?:of additional disk space will be used|disk space will be freed)"
)


_native_arch: str | None = None  # dpkg's answer does not change while cortex runs


class AptManager(PackageManager):
    """apt-get / apt-cache / dpkg-query."""

    name = "apt"
    executable = "apt-get"
    grammar = GRAMMAR
    unfinished = ("dpkg", "sudo dpkg --configure -a")

    def _run(self, argv: list[str], *, timeout: float = SIMULATE_TIMEOUT_S) -> subprocess.CompletedProcess[str]:
        """Every apt run; the read-only ones use a binary cache where apt's own is off (cortex/packages/aptcache.py)."""
        return super()._run(aptcache.for_run(argv), timeout=timeout)

    def package_state(self) -> dict[str, Package]:
        """dpkg's status and apt's auto marks, read from their files (a few milliseconds)."""
        return dpkg.read_state(self.native_arch())

    def native_arch(self) -> str:
        """`dpkg --print-architecture` (asked once per process); a guess from the machine without dpkg."""
        global _native_arch
        if _native_arch is None:
            _native_arch = self._dpkg_answer("architecture", timeout=10) or dpkg.guess_arch()
        return _native_arch

    def audit(self) -> str:
        """What `dpkg --audit` reports (empty when dpkg is consistent or absent)."""
        return self._dpkg_answer("audit", timeout=60)

    def _dpkg_answer(self, operation: str, *, timeout: float) -> str:
        if not shutil.which("dpkg"):
            return ""
        try:
            proc = self._run(self.argv(operation), timeout=timeout)
        except CortexError:
            return ""
        return proc.stdout.strip() if proc.returncode == 0 or operation == "audit" else ""

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
        c = Changes()
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
                    c.upgraded.append((name, old, version))
                else:
                    c.new.append((name, version))
            elif m := _REMV.match(line):
                c.removed.append((m.group(1), m.group(2) or ""))
            elif m := _NEED.search(line):
                c.download = parse_size(m.group(1), m.group(2))
            elif m := _AFTER.search(line):
                c.disk = parse_size(m.group(1), m.group(2))
                if "freed" in line:
                    c.disk = -c.disk
        error = ""
        ok = returncode == 0
        if not ok or re.search(r"^E: ", text, re.M):
            ok = False
            error = first_error_line(text, ("E:",))
        return c.simulation(ok, error, text, essential)

    def available_versions(self, names: Sequence[str]) -> dict[str, set[str]]:
        """name (a foreign-arch `name:arch` maps to its name's versions) -> what `apt-cache madison` offers."""
        if not names or not shutil.which("apt-cache"):
            return {}
        bare = sorted({n.split(":", 1)[0] for n in names})
        proc = self._run(self.argv("versions", bare), timeout=120)
        found = parse_madison(proc.stdout)
        return {n: found.get(n.split(":", 1)[0], set()) for n in names}

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
                aptcache.for_run(["apt-cache", "dumpavail"]),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=c_locale_env(),
            )
        except FileNotFoundError:
            raise CortexError("apt-cache is not installed.", hint="cortex needs apt on Debian/Ubuntu.") from None
        assert proc.stdout is not None and proc.stderr is not None
        with proc:
            from cortex.packages.debian import dumpavail_rows  # the index's parser: not for apply or install

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
        return stat_fingerprint(lists_dir())


def lists_dir() -> Path:
    """Where apt keeps its package lists: /var/lib/apt/lists, or what the configuration APT_CONFIG names
    says, so that the index notices a refresh of the lists it was built from."""
    if not os.environ.get("APT_CONFIG"):
        return LISTS_DIR
    return Path(aptcache.apt_config_value("Dir::State::Lists/d") or LISTS_DIR)


def index_target_files(
    identifier: str, options: Sequence[str], run: Callable[..., subprocess.CompletedProcess] = subprocess.run
) -> list[str]:
    """The files apt has downloaded for an index target (`apt-get indextargets`, with the `-o` options
    that define or enable it); [] when there are none, or no apt."""
    argv = ["apt-get", "indextargets", "--format", "$(FILENAME)", *options, f"Identifier: {identifier}"]
    try:
        proc = run(argv, capture_output=True, text=True, timeout=60, env=c_locale_env(), check=False)
    except (FileNotFoundError, subprocess.TimeoutExpired):
        return []
    if proc.returncode != 0:
        return []
    return [f for f in dict.fromkeys(proc.stdout.split()) if os.path.isfile(f)]


def parse_madison(text: str) -> dict[str, set[str]]:
    """`apt-cache madison` lines (` pkg | version | source Packages`) -> package -> versions; Sources skipped."""
    out: dict[str, set[str]] = {}
    for line in text.splitlines():
        parts = [p.strip() for p in line.split("|")]
        if len(parts) < 3 or not parts[0] or not parts[1]:
            continue
        if parts[2].endswith("Sources"):
            continue
        out.setdefault(parts[0], set()).add(parts[1])
    return out


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
