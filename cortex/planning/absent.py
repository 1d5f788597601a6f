"""Software that is not in the archive: recognise it and say where it comes from instead.

Two signals, both pure:
- a knowledge file (cortex/data/not_in_archive.yaml) of well-known programs that Debian does not
  ship (Discord, Visual Studio Code, ...) with their vendor's source and archive alternatives;
- for any other named program: whether some candidate's *name* is built from the request's words
  ("redis" -> redis-server) and is a program rather than a library or plugin. A name nothing in the
  archive is called, matched only by weak description hits, is reported as absent, never replaced by
  a lookalike (`discord` must not become purple-discord).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

# Name parts that make a package a program's variant: redis-server, vim-nox, transmission-gtk.
PROGRAM_SUFFIXES = frozenset(
    [
        "server",
        "client",
        "desktop",
        "cli",
        "bin",
        "utils",
        "tools",
        "tool",
        "gtk",
        "gtk3",
        "qt",
        "qt5",
        "qt6",
        "gui",
        "nox",
        "full",
        "light",
        "daemon",
        "core",
        "go",
    ]
)
# Words that some programs' package names run together with the program's name: borgbackup.
RUN_TOGETHER_SUFFIXES = ("backup", "server", "client", "d")
# A version as typed after a name: 17, 3.11, 8.2.
_VERSION = re.compile(r"^\d+(?:\.\d+)*$")
# Packages that are parts of something else, not the program a user names.
_LIBRARY = re.compile(
    r"^(?:lib|python3?-|ruby-|node-|golang-|librust-|php-|r-cran-|r-bioc-|perl-|lua-|haskell-|ocaml-|"
    r"elpa-|purple-|pidgin-|gnome-shell-extension-|fonts-|texlive-)|-(?:dev|doc|dbg|dbgsym|data|perl|java|plugin)$"
)


@dataclass(frozen=True)
class KnownAbsent:
    product: str
    source: str
    alternatives: tuple[str, ...] = ()
    shadowed: bool = False  # the archive has a different program under this name


@lru_cache(maxsize=1)
def _knowledge() -> dict[str, KnownAbsent]:
    from cortex import data

    table: dict[str, KnownAbsent] = {}
    for entry in data.load("not_in_archive.yaml") or []:
        item = KnownAbsent(
            product=str(entry["product"]),
            source=str(entry["source"]),
            alternatives=tuple(entry.get("alternatives") or ()),
            shadowed=bool(entry.get("shadowed", False)),
        )
        for name in entry["names"]:
            table[_key(str(name))] = item
    return table


_ARTICLE = re.compile(r"^(?:the|a|an)\s+")
# What follows a named program in "obsidian for my notes", "zoom for video meetings".
_PURPOSE = re.compile(r"\s+(?:for|to|so|that|which|from|on|in|as|because)\s+", re.IGNORECASE)


def _key(text: str) -> str:
    return _ARTICLE.sub("", " ".join(text.lower().replace("-", " ").split()))


def known_absent_lead(text: str) -> KnownAbsent | None:
    """The knowledge entry for a described part that opens with an absent program's name
    ("obsidian for my notes", "the epic games launcher for my games")."""
    head = _PURPOSE.split(text, maxsplit=1)[0]
    return known_absent(head) if head != text else None


def known_absent(term: str) -> KnownAbsent | None:
    """The knowledge entry for a named program the archive does not ship, if there is one; its words
    in any order ("the nvidia proprietary driver" is the proprietary nvidia driver)."""
    key = _key(term)
    return _knowledge().get(key) or _unordered().get(_sorted_words(key))


@lru_cache(maxsize=1)
def _unordered() -> dict[str, KnownAbsent]:
    """The knowledge file's names of two words or more, by their words in alphabetical order."""
    return {_sorted_words(name): item for name, item in _knowledge().items() if " " in name}


def _sorted_words(key: str) -> str:
    return " ".join(sorted(key.split()))


def is_program_package(name: str) -> bool:
    """False for libraries, plugins, -dev/-doc packages and fonts: what nobody means by a program's name."""
    return not _LIBRARY.search(name)


def name_matches(term: str, name: str) -> bool:
    """True when a package name is built from the requested name: `redis` -> redis-server, vim-nox.

    The name must equal the term (spaces as hyphens or run together), be the term plus one of the
    program-variant suffixes, or (for several words) be exactly those words as name parts, version
    digits aside; anything else (purple-discord, sublime-music) is a different thing.
    """
    ws = _key(term).split()
    if not ws:
        return False
    joined = ["-".join(ws), "".join(ws)]
    if name in joined:
        return True
    if len(ws) > 1 and sorted(_stem(w) for w in ws) == sorted(_stem(c) for c in name.split("-")):
        return True  # "python pandas" -> python3-pandas
    if len(ws) > 1 and sorted(_singular(_stem(w)) for w in ws) == sorted(_singular(_stem(c)) for c in name.split("-")):
        return True  # "jupyter notebooks" -> jupyter-notebook
    head, _, rest = name.partition("-")
    if _stem(head) in joined and head != _stem(head) and (not rest or rest in PROGRAM_SUFFIXES):
        return True  # "tomcat" -> tomcat10
    if head in joined and rest.isdigit():
        return True  # "postgresql" -> postgresql-15
    if len(ws) > 1 and _VERSION.match(ws[-1]) and name.startswith(joined[0] + "-"):
        # "openjdk 17" -> openjdk-17-jdk: a versioned name whose package adds one word (not -doc, -dbg).
        rest = name[len(joined[0]) + 1 :]
        return "-" not in rest and is_program_package(name)
    if any(name == j + suffix for j in joined for suffix in RUN_TOGETHER_SUFFIXES):
        return True  # "borg" -> borgbackup
    return any(name.startswith(j + "-") and name[len(j) + 1 :] in PROGRAM_SUFFIXES for j in joined)


def _stem(component: str) -> str:
    return component.rstrip("0123456789") or component


def _singular(word: str) -> str:
    """A plural's singular, plainly: "notebooks" -> notebook ("ss" and short words kept)."""
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _sentence(text: str) -> str:
    """`text` to open a sentence: its first letter upper-cased unless the word is spelled with a capital
    inside it (pgAdmin, iTunes)."""
    first = text.split(" ", 1)[0]
    return text if any(c.isupper() for c in first[1:]) else text[:1].upper() + text[1:]


def absent_suggestions(term: str, entry: KnownAbsent | None, alternatives: list[Any]) -> list[str]:
    """Plain-language lines for an absent program (the first one is the reason); `alternatives` are
    verified PackageInfos."""
    out: list[str] = []
    if entry is not None:
        product = _sentence(entry.product)  # "the .NET SDK", "that HashiCorp tool"; "pgAdmin" as it is spelled
        out.append(f"{product} is not in the distribution's archive. {_sentence(entry.source)}")
        if entry.shadowed:
            out.append(f"The archive's `{_key(term)}` package is a different program, not {entry.product}.")
    else:
        out.append(f"No package called {term!r} is in the distribution's archive.")
    for info in alternatives:
        out.append(f"Similar software in the archive: {info.name} ({info.summary}): `cortex install {info.name}`")
    if len(out) == 1:
        out.append('Describe what you need it for (e.g. `cortex install "a chat client"`) to find alternatives.')
    return out
