"""Commands in install requests: `cortex install dig`, "the convert command", "I need mkfs.exfat".

When no package has the name asked for, the index's Contents (which package ships which executable)
answer: backend `contents`. Several packages may ship a command (`vi`, `convert`): the choice is
deterministic and explained (exact program name on PATH before alternatives, then Debian priority,
then popularity), and the others are named in a note.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from cortex.packages.commands import EXACT, CommandProvider

if TYPE_CHECKING:
    from cortex.planner import PartResult
    from cortex.planning.split import Part

__all__ = ["choose", "command_named", "installed_packages", "reference_packages", "resolve_part"]

_PRIORITY_ORDER = {"required": 0, "important": 1, "standard": 2, "optional": 3, "extra": 4}
_TOKEN = r"`?(?P<{}>[A-Za-z0-9][A-Za-z0-9._+-]*)`?"
# "the convert command", "command convert", "the `dig` binary": a command named outright. "program"
# and "tool" are left out on purpose: "the editor program" is a described need, not a command.
_PHRASE = re.compile(
    r"^(?:(?:the|a|an)\s+)?(?:(?:command|binary|executable)\s+"
    + _TOKEN.format("a")
    + r"|"
    + _TOKEN.format("b")
    + r"\s+(?:command|binary|executable))$",
    re.I,
)
_BARE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]*$")


def command_named(text: str, name_like: bool) -> str | None:
    """The command a request part names: 'the convert command' -> 'convert'; a bare name -> itself."""
    text = text.strip()
    m = _PHRASE.match(text)
    if m:
        return m.group("a") or m.group("b")
    if name_like and _BARE.match(text):
        return text
    return None


def choose(
    providers: Sequence[CommandProvider], infos: dict[str, Any], source_refs: dict[str, int] | None = None
) -> list[CommandProvider]:
    """The providers an install may pick from, best first: on PATH only, then Debian priority, then
    popularity; the exact program name wins a tie.

    Popularity is the package's references or those of its project's main package (the binary named
    like its source): imagemagick-6.q16 is referred to through `imagemagick`.
    """
    known = [p for p in providers if p.package in infos]
    # A program outside PATH (postgresql's pg_ctl in usr/lib/postgresql/15/bin) counts only when
    # nothing ships it on PATH.
    usable = [p for p in known if p.on_path] or known
    source_refs = source_refs or {}

    def key(p: CommandProvider) -> tuple:
        info = infos[p.package]
        popularity = max(info.references, source_refs.get(info.source, 0))
        return (_PRIORITY_ORDER.get(info.priority, 5), -popularity, p.match != EXACT, p.package)

    return sorted(usable, key=key)


def resolve_part(planner: Any, part: Part) -> PartResult | None:
    """The package that ships the command `part` names, or None (not a command, or no Contents)."""
    from cortex.planner import PartResult

    name = command_named(part.text, part.name_like)
    if not name:
        return None
    ranked, infos = _providers(planner, name)
    if not ranked:
        return _named_like(planner, part, name)
    best = ranked[0]
    how = f"ships {best.path}" + ("" if best.match == EXACT else f" ({best.command}, an alternative for {name})")
    if not best.on_path:
        how += " (not on PATH)"
    choice = planner._choice(infos[best.package], part.text, "contents", how, 0.9 if len(ranked) == 1 else 0.8)
    notes: tuple[str, ...] = ()
    if len(ranked) > 1:
        others = ", ".join(p.package for p in ranked[1:5])
        notes = (f"{name!r} is also shipped by {others}; see `cortex provides {name}`.",)
    return PartResult(part.text, (choice,), "contents", notes=notes)


def _named_like(planner: Any, part: Part, name: str) -> PartResult | None:
    """Without Contents, "the at command" is the package named `at` when there is one, and "the dig
    command" the package a well-known name means (aliases.yaml: bind9-dnsutils); a bare name was already
    tried as a package name."""
    from cortex.planner import PartResult
    from cortex.planning.split import Part

    found = planner._exact(Part(name, True)) if name != part.text.strip() else None
    if found is None or found.backend == "provides":  # a virtual package ("editor") is no command's package
        return None
    why = f"package named like the command {name!r}"
    choice = replace(found.choices[0], part=part.text, why=why, confidence=0.9)
    return PartResult(part.text, (choice,), found.backend)


def _providers(planner: Any, name: str) -> tuple[list[CommandProvider], dict[str, Any]]:
    """The usable providers of command `name`, best first (see `choose`), and their packages by name."""
    if not hasattr(planner.index, "command_providers"):
        return [], {}
    providers = planner.index.command_providers(name)
    if not providers:
        return [], {}
    infos = planner.index.get_many([p.package for p in providers])
    infos = {n: i for n, i in infos.items() if planner.manager.valid_name(n)}
    sources = planner.index.get_many([i.source for i in infos.values() if i.source])
    return choose(providers, infos, {n: i.references for n, i in sources.items()}), infos


# Words around a command in a "like X" that are not part of it ("like the convert command").
_REFERENCE_MARKERS = frozenset(("the", "a", "an", "command", "commands", "tool", "utility", "program", "binary"))


def reference_packages(planner: Any, ref: str) -> list[Any]:
    """The package that ships the command a "like X" points at when X is no package ("something like
    pdftotext for PDF files", "like the convert command"); [] when it names none or there are no Contents."""
    from cortex.packages.query import named_commands

    names = named_commands("like " + ref)  # the same reading as the ranking's: "like the one" names nothing
    # The command must be the whole reference: "like time machine" names no `time`.
    if not names or [w for w in ref.lower().split() if w not in _REFERENCE_MARKERS] != [names[0]]:
        return []
    ranked, infos = _providers(planner, names[0])
    return [infos[ranked[0].package]] if ranked else []


def installed_packages(names: Sequence[str]) -> dict[str, str]:
    """name -> installed version, for those of `names` dpkg has installed (the package manager's state)."""
    from cortex.history.system import SystemPackages

    wanted = set(names)
    out: dict[str, str] = {}
    for pkg in SystemPackages().state().values():
        if pkg.name in wanted and pkg.present:
            out.setdefault(pkg.name, pkg.version)
    return out
