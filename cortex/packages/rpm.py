"""What RPM-based managers (dnf, zypper) share: the rpm name grammar and `rpm -q` for installed versions."""

from __future__ import annotations

import re

from cortex.packages.base import PackageManager

# rpm names: letters, digits and . _ + -, not starting with punctuation.
RPM_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]*$")


class RpmManager(PackageManager):
    """A manager whose installed packages are queried with rpm."""

    name_pattern = RPM_NAME

    def query_argv(self, name: str) -> list[str]:
        return ["rpm", "-q", "--queryformat", "%{VERSION}-%{RELEASE}\n", name]

    def parse_query(self, text: str, returncode: int) -> str | None:
        out = text.strip()
        if returncode != 0 or not out or "not installed" in out:
            return None
        return out.splitlines()[0].strip()
