"""Values the index hands out: one real package (`PackageInfo`) and one ranked search hit (`Candidate`)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any


@dataclass(frozen=True)
class PackageInfo:
    """One real, installable package as the distribution's package manager describes it."""

    name: str
    version: str
    summary: str
    description: str = ""
    section: str = ""
    priority: str = ""
    provides: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    origin: str = ""
    installed_size: int = 0  # bytes
    depends: tuple[str, ...] = ()
    rdepends_count: int = 0
    recommends: tuple[str, ...] = ()
    download_size: int = 0  # bytes
    essential: bool = False
    source: str = ""  # the source package; a binary named like its source is the project's main package
    references: int = 0  # packages that depend on, recommend or suggest this one (a popularity proxy)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for key in ("provides", "tags", "depends", "recommends"):
            d[key] = list(d[key])
        return d


@dataclass(frozen=True)
class Candidate:
    """A package proposed for a described need, with its score and the signals behind it."""

    info: PackageInfo
    score: float
    reasons: tuple[str, ...] = ()
    ships: str = ""  # the command the need named that this package ships, per Contents

    @property
    def name(self) -> str:
        return self.info.name

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.info.name, "score": round(self.score, 3), "reasons": list(self.reasons)}


# The "row form" of a PackageInfo, as the index stores it: the fields in declaration order, tuples as
# space-separated strings (package names and debtags never contain spaces), booleans as 0/1.
_TUPLE_FIELDS = frozenset(("provides", "tags", "depends", "recommends"))
ROW_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(PackageInfo))


def info_to_row(info: PackageInfo) -> tuple:
    return tuple(
        " ".join(dict.fromkeys(getattr(info, f))) if f in _TUPLE_FIELDS else getattr(info, f) for f in ROW_FIELDS
    )


def row_to_info(row: tuple) -> PackageInfo:
    values = list(row)
    for i in _TUPLE_INDEXES:
        values[i] = tuple(values[i].split())
    values[_ESSENTIAL_INDEX] = bool(values[_ESSENTIAL_INDEX])
    return PackageInfo(*values)


_TUPLE_INDEXES = tuple(i for i, f in enumerate(ROW_FIELDS) if f in _TUPLE_FIELDS)
_ESSENTIAL_INDEX = ROW_FIELDS.index("essential")
