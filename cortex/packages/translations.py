"""apt's Translation-en lists -> the long descriptions that Debian's Packages lists leave out.

Debian's Packages lists carry only a package's summary line (and `Description-md5`); the long
description lives in the `i18n/Translation-en` lists, which apt fetches unless `Acquire::Languages` is
"none", as Debian's container images set it (/etc/apt/apt.conf.d/docker-no-languages). Without them
the index knows one line per package, and the ranking's description signal is absent.

    list_files()                       the Translation-en lists apt has on disk (`apt-get indextargets`)
    read_descriptions(files)           {package: long description}, read with `apt-helper cat-file`
    parse(text)                        the same, from the lists' text (pure)
    fill(rows, descriptions)           index rows with the long descriptions they lack
    previous_descriptions(index_path)  the descriptions of the index being replaced

cortex never downloads them itself: `cortex index --contents` runs apt's own `apt-get update` with
`-o Acquire::Languages=en` (cortex/packages/apt.py LANGUAGE_OPTIONS) beside the Contents target. A
later plain `apt-get update` drops the lists again; the index build then keeps the previous build's
descriptions, as the Contents step keeps its commands.
"""

from __future__ import annotations

import re
import sqlite3
import subprocess
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

from cortex.packages.apt import LANGUAGE_OPTIONS, index_target_files
from cortex.packages.base import c_locale_env
from cortex.packages.records import ROW_FIELDS

APT_HELPER = "/usr/lib/apt/apt-helper"
READ_TIMEOUT_S = 120
_DESCRIPTION = ROW_FIELDS.index("description")
_NAME = ROW_FIELDS.index("name")
# One paragraph's package and its description's continuation lines (the first line is the summary).
_PARAGRAPH = re.compile(r"^Package: (\S+)\n(?:(?!Package: )[^\n]*\n)*?Description-en: [^\n]*((?:\n [^\n]*)*)", re.M)


def list_files(run: Callable[..., subprocess.CompletedProcess] = subprocess.run) -> list[str]:
    """The Translation-en lists apt has downloaded; [] when there are none (or no apt)."""
    return index_target_files("Translations", LANGUAGE_OPTIONS, run)


def parse(text: str) -> dict[str, str]:
    """Translation-en text -> {package: long description} (the first record of a name wins; the
    summary line and the '.' paragraph separators are left out)."""
    out: dict[str, str] = {}
    for name, body in _PARAGRAPH.findall(text):
        if name in out or not body:
            continue
        lines = ("" if ln.strip() == "." else ln[1:] for ln in body.split("\n")[1:])
        out[name] = "\n".join(lines).strip()
    return out


def read_descriptions(files: Sequence[str]) -> dict[str, str]:
    """The long descriptions in apt's Translation-en lists, whatever compression apt kept; {} when
    they cannot be read (the index is still good without them)."""
    if not files:
        return {}
    try:
        proc = subprocess.run(
            [APT_HELPER, "cat-file", *files],
            capture_output=True,
            timeout=READ_TIMEOUT_S,
            env=c_locale_env(),
            check=False,
        )
    except (FileNotFoundError, subprocess.TimeoutExpired):
        return {}
    if proc.returncode != 0:
        return {}
    return parse(proc.stdout.decode("utf-8", "replace"))


def fill(rows: Iterable[tuple], descriptions: Mapping[str, str]) -> list[tuple]:
    """Rows (records.ROW_FIELDS order) with the long description filled in where they have none."""
    out = []
    for row in rows:
        long = descriptions.get(row[_NAME], "") if not row[_DESCRIPTION] else ""
        out.append((*row[:_DESCRIPTION], long, *row[_DESCRIPTION + 1 :]) if long else tuple(row))
    return out


def previous_descriptions(index_path: Path) -> dict[str, str]:
    """The long descriptions stored in the index at `index_path` ({} when there is none)."""
    if not index_path.exists():
        return {}
    try:
        conn = sqlite3.connect(f"file:{index_path}?mode=ro", uri=True)
    except sqlite3.Error:
        return {}
    try:
        return dict(conn.execute("SELECT name, description FROM packages WHERE description != ''").fetchall())
    except sqlite3.Error:
        return {}
    finally:
        conn.close()


def descriptions_for(manager: object, previous: Path) -> tuple[dict[str, str], str]:
    """The long descriptions for a build, and where they came from: apt's lists, the previous build, or none."""
    files = list_files() if getattr(manager, "name", "") == "apt" else []
    found = read_descriptions(files)
    if found:
        return found, "apt"
    kept = previous_descriptions(previous)
    return kept, ("previous build" if kept else "none")
