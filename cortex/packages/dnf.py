"""dnf (Fedora, RHEL, CentOS Stream, Rocky, Alma): argv builders, the transaction-table parser, and
the records for the index (`dnf repoquery`; no dependencies, so no popularity signal).

dnf has no separate simulation mode; `dnf install --assumeno` resolves the transaction, prints the
table and the sizes, and stops before changing anything ("Operation aborted.", exit status 1).
"""

from __future__ import annotations

import re
from pathlib import Path

from cortex.packages.base import Changes, Simulation, first_error_line, parse_size, stat_fingerprint
from cortex.packages.grammar import INSTALL, ROLLBACK, Grammar, Operation, ToolOptions
from cortex.packages.records import PackageInfo, info_to_row
from cortex.packages.rpm import RPM_QUERY, RPM_TOOL, RpmManager

# rpm names: letters, digits and . _ + -; "@group" selects a comps group.
_DNF_NAME = re.compile(r"^@?[A-Za-z0-9][A-Za-z0-9._+-]*$")
_SECTION = re.compile(r"^(Installing|Upgrading|Reinstalling|Downgrading|Removing|Installing dependencies|"
                      r"Installing weak dependencies|Removing dependent packages|Removing unused dependencies|"
                      r"Installing group/module packages)\s*:\s*$")  # fmt: skip
_SIZE = re.compile(r"^(Total download size|Total size|Installed size|Freed space)\s*:\s*([\d.,]+)\s*([kMGT]?)\s*$")
_ROW = re.compile(r"^\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+([\d.,]+\s*[kMGT]?)\s*$")
_IEC_UNIT = {"": "b", "k": "kib", "M": "mib", "G": "gib", "T": "tib"}


GRAMMAR = Grammar(
    manager="dnf",
    name=_DNF_NAME,
    operations={
        "install": Operation(("dnf", "install", "-y"), "install", INSTALL),
        "simulate": Operation(("dnf", "install", "--assumeno"), "install", INSTALL),
        "remove": Operation(("dnf", "remove", "-y"), "remove", ROLLBACK),
        "query": RPM_QUERY,
    },
    tools={
        "dnf": ToolOptions(flags={INSTALL: frozenset({"--assumeyes", "-q", "--quiet", "--setopt=tsflags=test"})}),
        "rpm": RPM_TOOL,
    },
)

CACHE_DIRS = (Path("/var/cache/dnf"), Path("/var/cache/libdnf5"))
# One line per available package; tabs cannot occur in these fields.
QUERY_FORMAT = "%{name}\t%{evr}\t%{installsize}\t%{downloadsize}\t%{reponame}\t%{summary}\n"


def parse_repoquery(text: str) -> list[PackageInfo]:
    """Pure: `dnf repoquery --queryformat QUERY_FORMAT` output -> PackageInfo (first of each name)."""
    infos: dict[str, PackageInfo] = {}
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) != 6 or not _DNF_NAME.match(parts[0]) or parts[0] in infos:
            continue
        name, evr, isize, dsize, repo, summary = parts
        infos[name] = PackageInfo(
            name=name,
            version=evr,
            summary=summary.strip(),
            origin=f"rpm/{repo}",
            installed_size=int(isize) if isize.isdigit() else 0,
            download_size=int(dsize) if dsize.isdigit() else 0,
        )
    return list(infos.values())


class DnfManager(RpmManager):
    name = "dnf"
    executable = "dnf"
    grammar = GRAMMAR

    def parse_simulation(self, text: str, returncode: int = 0) -> Simulation:
        c = Changes()
        section = ""
        pending = ""  # dnf wraps a long package name onto its own line
        for line in text.splitlines():
            if m := _SECTION.match(line.strip()):
                section, pending = m.group(1), ""
                continue
            if m := _SIZE.match(line.strip()):
                value = parse_size(m.group(2), _IEC_UNIT[m.group(3)])
                if m.group(1) in ("Total download size", "Total size"):
                    c.download = value
                elif m.group(1) == "Installed size":
                    c.disk = value
                else:
                    c.disk = -value
                continue
            if not section:
                continue
            if not line.strip() or line.startswith(("Transaction Summary", "=")):
                section = "" if line.startswith("Transaction Summary") else section
                continue
            if pending:
                line = " " + pending + " " + line.strip()
                pending = ""
            elif line.startswith(" ") and len(line.split()) == 1:
                pending = line.strip()
                continue
            if m := _ROW.match(line):
                name, _arch, version = m.group(1), m.group(2), m.group(3)
                if section.startswith(("Installing", "Reinstalling")):
                    c.new.append((name, version))
                elif section in ("Upgrading", "Downgrading"):
                    c.upgraded.append((name, "", version))
                elif section.startswith("Removing"):
                    c.removed.append((name, version))
        aborted = "Operation aborted" in text
        failed = re.search(r"^(Error|No match for argument)", text, re.M) is not None
        ok = not failed and (returncode == 0 or aborted or "Nothing to do" in text)
        error = "" if ok else first_error_line(text, ("Error:", "No match for argument"))
        return c.simulation(ok, error, text)

    def iter_rows(self) -> list[tuple]:
        argv = ["dnf", "repoquery", "--quiet", "--available", "--latest-limit=1", "--queryformat", QUERY_FORMAT]
        return [info_to_row(i) for i in parse_repoquery(self._query_all(argv))]

    def lists_fingerprint(self) -> str:
        return stat_fingerprint(*CACHE_DIRS)
