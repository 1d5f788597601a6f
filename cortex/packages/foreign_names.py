"""Other systems' names for a package, as names to try in this archive (pure; data:
cortex/data/foreign_names.yaml and the other managers' tables of cortex/data/aliases.yaml).

    readings("gcc-c++")            -> [Reading("g++", "Fedora's")]
    readings("python3-devel")      -> [Reading("python3-dev", ...), Reading("libpython3-dev", ...),
                                       Reading("python3", ..., source_dev=True)]
    readings("VideoLAN.VLC")       -> [Reading("vlc", "a winget id's")]
    readings("MozillaThunderbird") -> [Reading("thunderbird", ...), ...]

Read only when the typed name is not in the archive; a reading counts only when the archive has it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from cortex import data
from cortex.packages.aliases import manager_tables, normalize_term


@dataclass(frozen=True)
class Reading:
    name: str  # a name to try here (or, with source_dev, the source package whose -dev package is meant)
    system: str  # whose name the typed one is, for the plan's note ("Fedora's and openSUSE's")
    source_dev: bool = False


@dataclass(frozen=True)
class _Affix:
    affix: str
    system: str
    names: tuple[str, ...]
    source_dev: bool


@dataclass(frozen=True)
class _Rules:
    suffixes: tuple[_Affix, ...]
    prefixes: tuple[_Affix, ...]
    backwards: Mapping[str, tuple[str, str]]  # another manager's name -> (the well-known name, its system)
    vendors: frozenset[str]


def _affixes(entries: object) -> tuple[_Affix, ...]:
    assert isinstance(entries, list), "foreign_names.yaml: a list of affixes"
    return tuple(
        _Affix(str(e["affix"]), str(e["system"]), tuple(map(str, e["names"])), bool(e.get("source_dev")))
        for e in entries
    )


@lru_cache(maxsize=8)
def _rules(manager: str) -> _Rules:
    doc = data.load("foreign_names.yaml") or {}
    own = doc.get(manager) or {}
    systems = doc.get("systems") or {}
    backwards: dict[str, tuple[str, str]] = {}
    for other, entries in manager_tables().items():
        if other == manager:
            continue
        for key, targets in entries.items():
            for target in targets:
                backwards.setdefault(target.lower(), (key, str(systems.get(other, f"{other}'s"))))
    return _Rules(
        _affixes(own.get("suffixes") or []),
        _affixes(own.get("prefixes") or []),
        backwards,
        frozenset(str(v).lower() for v in doc.get("vendors") or ()),
    )


_WINGET_ID = re.compile(r"^[A-Za-z0-9][\w-]*(?:\.[A-Za-z][\w-]*)+$")
_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")


def readings(term: str, manager: str = "apt") -> list[Reading]:
    """What another system's name `term` may be called here, most likely first; [] for no such name."""
    rules = _rules(manager)
    key = normalize_term(term)
    if not key or " " in key:
        return []
    out: list[Reading] = []
    if key in rules.backwards:  # "gcc-c++" (dnf), "base-devel" (pacman), "build-base" (apk)
        name, system = rules.backwards[key]
        out.append(Reading(name, system))
    for rule in rules.suffixes:
        if key.endswith(rule.affix) and len(key) > len(rule.affix):
            stem = key[: -len(rule.affix)]
            out += [Reading(n.format(stem=stem), rule.system) for n in rule.names]
            if rule.source_dev:
                out.append(Reading(stem, rule.system, source_dev=True))
    for rule in rules.prefixes:
        if key.startswith(rule.affix) and len(key) > len(rule.affix):
            stem = key[len(rule.affix) :]
            out += [Reading(n.format(stem=stem), rule.system) for n in rule.names]
    out += _product_names(term.strip(), rules.vendors)
    first: dict[tuple[str, bool], Reading] = {}
    for r in out:  # one reading per name, the first (most specific) one's
        if r.name != key:
            first.setdefault((r.name, r.source_dev), r)
    return list(first.values())


def _product_names(term: str, vendors: frozenset[str]) -> list[Reading]:
    """ "VideoLAN.VLC" (a winget id: publisher, then package) -> vlc; "MozillaThunderbird" (a vendor's
    word, then the product's) -> thunderbird, mozilla-thunderbird. Names in lower case only are none."""
    if term.islower() or not term.isascii():
        return []
    if _WINGET_ID.match(term):
        publisher, *segments = term.split(".")
        words = [w.lower() for s in segments for w in _CAMEL.findall(s)]
        joined = [s.lower() for s in segments]
        # "Google.Chrome" is also said whole ("google chrome"), as the table of absent software says it
        names = [" ".join(joined), " ".join(words), " ".join([publisher.lower(), *words])]
        return [Reading(n, "a winget id's") for n in dict.fromkeys(names) if n]
    words = [w.lower() for w in _CAMEL.findall(term)]
    if len(words) < 2 or "".join(words) != term.lower():
        return []
    out = [Reading(" ".join(words), "a vendor's")]
    if words[0] in vendors:
        out.insert(0, Reading(" ".join(words[1:]), "a vendor's"))
    return out


@lru_cache(maxsize=1)
def _aside_tables() -> tuple[frozenset[str], frozenset[str]]:
    doc = data.load("foreign_names.yaml") or {}
    systems = frozenset(str(s).lower() for s in doc.get("aside_systems") or ())
    words = frozenset(str(w).lower() for w in doc.get("aside_words") or ()) | {w for s in systems for w in s.split()}
    return systems, words


def names_a_system(remark: str) -> bool:
    """A remark that only says which system a name is from ("fedora name", "but on debian", "the red
    hat name"): its words are all `aside_words` or `aside_systems`, one system at least."""
    systems, allowed = _aside_tables()
    ws = re.findall(r"[a-z][a-z'-]*", remark.lower())
    joined = f" {' '.join(ws)} "
    return bool(ws) and all(w in allowed for w in ws) and any(f" {s} " in joined for s in systems)
