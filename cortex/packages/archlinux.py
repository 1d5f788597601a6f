"""Pure parsing of `pacman -Si` (every package in the sync databases) into PackageInfo values."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from cortex.packages.base import parse_size
from cortex.packages.records import PackageInfo

_FIELD = re.compile(r"^([A-Z][A-Za-z ]+?)\s*: (.*)$")
_NAME = re.compile(r"^([a-z0-9@._+-]+)")


def _names(value: str) -> tuple[str, ...]:
    """'glibc  pcre2>=10  zlib' -> ('glibc', 'pcre2', 'zlib'); 'None' -> ()."""
    if value.strip() == "None":
        return ()
    return tuple(m.group(1) for part in value.split("  ") if (m := _NAME.match(part.strip())))


def _size(value: str) -> int:
    number, _, unit = value.strip().partition(" ")
    try:
        return parse_size(number, unit)
    except ValueError:
        return 0


def _records(text: str) -> list[dict[str, str]]:
    records: list[dict[str, str]] = []
    current: dict[str, str] = {}
    key = ""
    for line in text.splitlines():
        if not line.strip():
            if current:
                records.append(current)
            current, key = {}, ""
            continue
        m = _FIELD.match(line)
        if m and not line.startswith(" "):
            key = m.group(1).strip()
            current[key] = m.group(2).strip()
        elif key:  # a wrapped value, or one more optional dependency per line
            current[key] += "  " + line.strip()
    if current:
        records.append(current)
    return records


def parse_sync_info(text: str) -> list[PackageInfo]:
    """Every package in `pacman -Si` output (C locale), one per name, with reverse-dependency counts."""
    infos: dict[str, PackageInfo] = {}
    optional: dict[str, tuple[str, ...]] = {}
    for r in _records(text):
        name = r.get("Name")
        if not name or name in infos:
            continue
        groups = _names(r.get("Groups", "None"))
        infos[name] = PackageInfo(
            name=name,
            version=r.get("Version", ""),
            summary=r.get("Description", ""),
            section=groups[0] if groups else "",
            provides=_names(r.get("Provides", "None")),
            origin=f"arch/{r.get('Repository', '')}",
            installed_size=_size(r.get("Installed Size", "0 B")),
            depends=_names(r.get("Depends On", "None")),
            download_size=_size(r.get("Download Size", "0 B")),
        )
        optional[name] = _names(r.get("Optional Deps", "None"))
    hard: Counter[str] = Counter()
    refs: Counter[str] = Counter()
    for name, info in infos.items():
        hard.update(set(info.depends))
        refs.update(set(info.depends) | set(optional[name]))
    return [replace(i, rdepends_count=hard[n], references=refs[n]) for n, i in infos.items()]
