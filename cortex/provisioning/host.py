"""What this machine is and has, read with the package manager's own query tools (never a simulation).

    distribution()                      /etc/os-release -> Distribution
    base_lock("apt")                    an empty Lock stamped with this machine and the time
    installed(names)                    one `dpkg-query -W` for the lock's names -> {(name, arch): Installed}
    architectures(pins)                 one `apt-cache show name=version ...` -> {(name, version): arch}
    available(names)                    `apt-cache madison` -> {name: versions the archive offers}

Parsers are pure (unit-tested on recorded output); each query is one short subprocess.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from cortex.errors import CortexError
from cortex.provisioning.lock import Distribution, Lock

QUERY_TIMEOUT_S = 120


@dataclass(frozen=True)
class Installed:
    """One package as dpkg knows it: version, architecture, and its Status-Abbrev letters."""

    name: str
    architecture: str
    version: str
    abbrev: str = "ii "

    @property
    def present(self) -> bool:
        """Unpacked and configured (`ii`, or `hi` when held): anything else needs the package manager."""
        return self.abbrev[1:2] == "i"

    @property
    def held(self) -> bool:
        return self.abbrev[:1] == "h"


def now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def distribution(os_release: Mapping[str, str] | None = None) -> Distribution:
    """ID, VERSION_ID (or the codename on a rolling release), VERSION_CODENAME from os-release."""
    if os_release is None:
        from cortex.packages.detect import read_os_release

        os_release = read_os_release()
    codename = os_release.get("VERSION_CODENAME", "")
    return Distribution(
        os_release.get("ID", "linux") or "linux", os_release.get("VERSION_ID", "") or codename or "unknown", codename
    )


def native_architecture() -> str:
    from cortex.packages.apt import AptManager

    return AptManager().native_arch()


def base_lock(manager: str) -> Lock:
    """A lock with no requests yet, for this machine, stamped now."""
    from cortex import __version__

    return Lock(
        distribution=distribution(),
        manager=manager,
        architecture=native_architecture(),
        generated_by=f"cortex {__version__}",
        updated_at=now(),
    )


def _query(argv: list[str]) -> str:
    """stdout of a read-only query (stderr apart: "no packages found" lines must not split its lines)."""
    import subprocess

    from cortex.packages.aptcache import for_run
    from cortex.system.runner import sanitized_env

    try:
        proc = subprocess.run(
            for_run(argv), capture_output=True, text=True, timeout=QUERY_TIMEOUT_S, env=sanitized_env(), check=False
        )
    except FileNotFoundError:
        raise CortexError(f"{argv[0]} is not installed.", hint="cortex apply needs dpkg and apt.") from None
    except subprocess.TimeoutExpired:
        raise CortexError(
            f"{argv[0]} did not answer within {QUERY_TIMEOUT_S} s.", hint="Another package manager may hold the lock."
        ) from None
    return proc.stdout


# -- dpkg-query ------------------------------------------------------------------------------------------


def parse_dpkg_query(text: str) -> dict[tuple[str, str], Installed]:
    """Pure: lines of apt's RECORD_FORMAT -> {(name, architecture): Installed}; dpkg-query's complaints are skipped."""
    out: dict[tuple[str, str], Installed] = {}
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) != 4 or not parts[0] or not parts[2]:
            continue
        name, arch, version, abbrev = parts
        out[(name, arch)] = Installed(name, arch, version, abbrev.ljust(3))
    return out


def installed(names: Sequence[str]) -> dict[tuple[str, str], Installed]:
    """The dpkg records of `names` (name or name:arch): one dpkg-query, a few milliseconds."""
    if not names:
        return {}
    from cortex.packages.apt import AptManager

    return parse_dpkg_query(_query(AptManager().argv("records", names)))


# -- apt-cache -------------------------------------------------------------------------------------------


def parse_show(text: str) -> dict[tuple[str, str], str]:
    """Pure: `apt-cache show` stanzas -> {(package, version): architecture}."""
    out: dict[tuple[str, str], str] = {}
    for stanza in text.split("\n\n"):
        fields: dict[str, str] = {}
        for line in stanza.splitlines():
            key, sep, value = line.partition(": ")
            if sep and key in ("Package", "Version", "Architecture"):
                fields[key] = value.strip()
        if len(fields) == 3:
            out.setdefault((fields["Package"], fields["Version"]), fields["Architecture"])
    return out


def architectures(pins: Sequence[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """{(name, version): architecture} for the pins the archive has (one apt-cache call)."""
    if not pins:
        return {}
    argv = ["apt-cache", "show", "--no-all-versions", *(f"{n}={v}" for n, v in pins)]
    return parse_show(_query(argv))


def available(names: Sequence[str]) -> dict[str, set[str]]:
    """name -> the versions apt can install now (apt-cache madison; empty set: the archive lacks it)."""
    from cortex.packages.apt import AptManager

    return AptManager().available_versions(list(names))
