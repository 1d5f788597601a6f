"""dnf (Fedora, RHEL, CentOS Stream, Rocky, Alma): argv builders and the transaction-table parser.

dnf has no separate simulation mode; `dnf install --assumeno` resolves the transaction, prints the
table and the sizes, and stops before changing anything ("Operation aborted.", exit status 1).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from cortex.packages.base import Simulation, first_error_line, parse_size
from cortex.packages.rpm import RpmManager

# rpm names: letters, digits and . _ + -; "@group" selects a comps group.
_DNF_NAME = re.compile(r"^@?[A-Za-z0-9][A-Za-z0-9._+-]*$")
_SECTION = re.compile(r"^(Installing|Upgrading|Reinstalling|Downgrading|Removing|Installing dependencies|"
                      r"Installing weak dependencies|Removing dependent packages|Removing unused dependencies|"
                      r"Installing group/module packages)\s*:\s*$")  # fmt: skip
_SIZE = re.compile(r"^(Total download size|Total size|Installed size|Freed space)\s*:\s*([\d.,]+)\s*([kMGT]?)\s*$")
_ROW = re.compile(r"^\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+([\d.,]+\s*[kMGT]?)\s*$")
_IEC_UNIT = {"": "b", "k": "kib", "M": "mib", "G": "gib", "T": "tib"}


class DnfManager(RpmManager):
    name = "dnf"
    executable = "dnf"
    name_pattern = _DNF_NAME

    def install_argv(self, names: Sequence[str]) -> list[str]:
        return ["dnf", "install", "-y", *self.check_names(names)]

    def simulate_argv(self, names: Sequence[str]) -> list[str]:
        return ["dnf", "install", "--assumeno", *self.check_names(names)]

    def remove_argv(self, names: Sequence[str]) -> list[str]:
        return ["dnf", "remove", "-y", *self.check_names(names)]

    def parse_simulation(self, text: str, returncode: int = 0) -> Simulation:
        new: list[tuple[str, str]] = []
        upgraded: list[tuple[str, str, str]] = []
        removed: list[tuple[str, str]] = []
        download = disk = None
        section = ""
        pending = ""  # dnf wraps a long package name onto its own line
        for line in text.splitlines():
            if m := _SECTION.match(line.strip()):
                section, pending = m.group(1), ""
                continue
            if m := _SIZE.match(line.strip()):
                value = parse_size(m.group(2), _IEC_UNIT[m.group(3)])
                if m.group(1) in ("Total download size", "Total size"):
                    download = value
                elif m.group(1) == "Installed size":
                    disk = value
                else:
                    disk = -value
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
                    new.append((name, version))
                elif section in ("Upgrading", "Downgrading"):
                    upgraded.append((name, "", version))
                elif section.startswith("Removing"):
                    removed.append((name, version))
        aborted = "Operation aborted" in text
        failed = re.search(r"^(Error|No match for argument)", text, re.M) is not None
        ok = not failed and (returncode == 0 or aborted or "Nothing to do" in text)
        error = "" if ok else first_error_line(text, ("Error:", "No match for argument"))
        return Simulation(ok, new, upgraded, removed, download, disk, error, text)
