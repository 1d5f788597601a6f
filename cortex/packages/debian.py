"""Pure parsing of Debian control data (`apt-cache dumpavail`, Packages files).

The index is rebuilt whenever apt's lists change and must build in a few seconds from ~60,000
records (50 MB), so the parser works in the index's row form (see records.ROW_FIELDS) and scans with
one regex instead of a Python loop over 1.5 million lines; `parse_dumpavail` gives PackageInfo values.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator

from cortex.packages.records import ROW_FIELDS, PackageInfo, row_to_info

_WANTED = (
    "Package", "Version", "Installed-Size", "Provides", "Depends", "Pre-Depends", "Recommends", "Suggests",
    "Source", "Description", "Section", "Priority", "Tag", "Size", "Essential", "Filename",
)  # fmt: skip
# One wanted field with its continuation lines.
_FIELD = re.compile(r"^(" + "|".join(_WANTED) + r"): ?([^\n]*(?:\n[ \t][^\n]*)*)", re.M)
_REL_NAME = re.compile(r"(?:^|[,|])\s*([a-z0-9][a-z0-9+.-]*)")
_RDEPENDS = ROW_FIELDS.index("rdepends_count")
_REFERENCES = ROW_FIELDS.index("references")


def relation_names(value: str) -> tuple[str, ...]:
    """'a (>= 1), b | c:any, d [amd64]' -> ('a', 'b', 'c', 'd'): every package name a relation mentions."""
    return tuple(_REL_NAME.findall(value)) if value else ()


def iter_stanzas(text: str) -> Iterator[dict[str, str]]:
    """deb822 paragraphs (each starting with Package:) -> {field: value} for the wanted fields.

    Continuation lines keep their newline and lose their one leading space.
    """
    current: dict[str, str] | None = None
    for key, value in _FIELD.findall(text):
        if key == "Package":
            if current is not None:
                yield current
            current = {}
        if current is not None:
            current[key] = value.replace("\n ", "\n") if "\n" in value else value
    if current is not None:
        yield current


def _row(f: dict[str, str], distro: str) -> tuple[list, list[str], list[str]]:
    """One stanza -> (row in ROW_FIELDS order, hard dependencies, weak references)."""
    name = f["Package"]
    summary, _, long = f.get("Description", "").partition("\n")
    long_text = "\n".join("" if ln.strip() == "." else ln for ln in long.split("\n")).strip() if long else ""
    component, _, section = f.get("Section", "").rpartition("/")
    origin = f"{distro}/{component or 'main'}"
    if f.get("Filename", "").startswith("pool/updates/"):
        origin += "/security"
    depends = _REL_NAME.findall(f.get("Depends", "") + "," + f.get("Pre-Depends", ""))
    recommends = _REL_NAME.findall(f.get("Recommends", ""))
    weak = recommends + _REL_NAME.findall(f.get("Suggests", ""))
    tags = f.get("Tag", "")
    row = [
        name,
        f.get("Version", ""),
        summary.strip(),
        long_text,
        section,
        f.get("Priority", ""),
        " ".join(_REL_NAME.findall(f.get("Provides", ""))),
        " ".join(tags.replace(",", " ").split()) if tags else "",
        origin,
        int(f.get("Installed-Size") or 0) * 1024,
        " ".join(dict.fromkeys(depends)),
        0,  # rdepends_count, filled in once every record is read
        " ".join(dict.fromkeys(recommends)),
        int(f.get("Size") or 0),
        int(f.get("Essential", "").lower() == "yes"),
        f.get("Source", name).split(" ", 1)[0],
        0,  # references, likewise
    ]
    return row, depends, weak


def dumpavail_rows(chunks: Iterable[str], distro: str = "debian") -> list[tuple]:
    """Rows (ROW_FIELDS order) for every package in `apt-cache dumpavail` output, given in chunks that
    end on stanza boundaries; one per name (the first record wins), with reverse-dependency counts."""
    rows: dict[str, list] = {}
    hard: Counter[str] = Counter()
    refs: Counter[str] = Counter()
    for chunk in chunks:
        for f in iter_stanzas(chunk):
            name = f.get("Package")
            if not name or name in rows:
                continue
            row, depends, weak = _row(f, distro)
            rows[name] = row
            unique = set(depends)
            hard.update(unique)
            refs.update(unique.union(weak) if weak else unique)
    out = []
    for name, row in rows.items():
        row[_RDEPENDS] = hard[name]
        row[_REFERENCES] = refs[name]
        out.append(tuple(row))
    return out


def parse_dumpavail(text: str, distro: str = "debian") -> list[PackageInfo]:
    """Every package in `apt-cache dumpavail` output as PackageInfo."""
    return [row_to_info(r) for r in dumpavail_rows([text], distro)]
