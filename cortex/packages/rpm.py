"""What RPM-based managers (dnf, zypper) share: the rpm name grammar and `rpm -q` for installed versions."""

from __future__ import annotations

import re

from cortex.packages.base import PackageManager
from cortex.packages.grammar import ANY_NAME, QUERY, Operation, ToolOptions

# rpm names: letters, digits and . _ + -, not starting with punctuation.
RPM_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]*$")
RPM_QUERY = Operation(("rpm", "-q", "--queryformat", "%{VERSION}-%{RELEASE}\\n"), "-q", QUERY, ANY_NAME)
RPM_TOOL = ToolOptions(valued=frozenset({"--qf", "--queryformat"}), verbs={QUERY: frozenset({"--query"})})


class RpmManager(PackageManager):
    """A manager whose installed packages are queried with rpm."""

    def parse_query(self, text: str, returncode: int) -> str | None:
        out = text.strip()
        if returncode != 0 or not out or "not installed" in out:
            return None
        return out.splitlines()[0].strip()
