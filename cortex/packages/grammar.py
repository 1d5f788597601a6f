"""What a package manager's commands look like, declared once per manager and read by two sides.

    adapter  builds every argv from its `Grammar.operations` (the fixed head, then package operands)
    policy   allows a step only when it fits the same Grammar (cortex.policy reads `Grammar.rules`)

A `Grammar` names the manager's package-name grammar (and its version pins), its operations
(install, simulate, remove, purge, restore, mark, query, ...), each with the purpose that allows it,
and per tool the options it accepts beyond those its operations use. Nothing here runs anything.

Purposes nest: a `rollback` may do what an `install` may, plus its own operations (remove, purge,
version pins, --allow-downgrades, marks). `query` operations are read-only and allowed in both.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

INSTALL = "install"
ROLLBACK = "rollback"
QUERY = "query"
REFRESH = "refresh"  # `cortex index --contents`: the package lists and apt's Contents lists, nothing else
PURPOSES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {INSTALL: (QUERY, INSTALL), ROLLBACK: (QUERY, INSTALL, ROLLBACK), REFRESH: (QUERY, REFRESH)}
)

# What follows an operation's fixed head.
NAMES = "names"  # package names of the plan (one or more)
PINS = "pins"  # name=version, one or more (a rollback's restore)
CHANGES = "changes"  # pins and removals (`name-`, apt) in one dry run
NONE = "none"  # nothing (apt-get autoremove)
ANY_NAME = "any-name"  # read-only queries: any name of the grammar, not only the plan's
LOCAL_FILE_SUFFIXES = (".deb", ".rpm", ".apk")  # a local package file is never a package name


@dataclass(frozen=True)
class Operation:
    """One thing the manager can do: the argv's fixed head, which element is the verb, what follows."""

    argv: tuple[str, ...]
    verb: str
    purpose: str
    operands: str = NAMES

    @property
    def executable(self) -> str:
        return self.argv[0]


@dataclass(frozen=True)
class ToolOptions:
    """Options a tool accepts besides those in its operations (steps written by hand, e.g. `-q`)."""

    flags: Mapping[str, frozenset[str]] = field(default_factory=dict)  # purpose -> options without a value
    settings: Mapping[str, re.Pattern[str]] = field(default_factory=dict)  # `-o KEY=VALUE` (apt): KEY -> VALUE
    valued: frozenset[str] = frozenset()  # options followed by a value (read-only format strings)
    verbs: Mapping[str, frozenset[str]] = field(default_factory=dict)  # purpose -> extra verbs (ANY_NAME)


@dataclass(frozen=True)
class ToolRules:
    """What the policy allows one executable to do in one purpose (derived from a Grammar)."""

    executable: str
    verbs: Mapping[str, frozenset[str]]  # verb -> the operand kinds it may take
    flags: frozenset[str]
    settings: Mapping[str, re.Pattern[str]]
    valued: frozenset[str]
    other_verbs: frozenset[str]  # verbs of other purposes: named in a refusal


@dataclass(frozen=True)
class Grammar:
    """One package manager's command language: names, pins, operations and the options of each tool."""

    manager: str
    name: re.Pattern[str]  # a bare package name (apt: with an optional `:arch`; dnf: `@group`)
    operations: Mapping[str, Operation]
    tools: Mapping[str, ToolOptions] = field(default_factory=dict)
    version: re.Pattern[str] | None = None  # a pin's version; None: this manager has no pins here
    pin_separator: str = "="
    removal_suffix: str = ""  # apt: `name-` in an install dry run means "remove"
    status_fd: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # tool -> options: progress to fd {fd}
    lock_markers: tuple[str, ...] = ()  # output lines that mean "waiting for another manager's lock"
    failure_hints: tuple[tuple[tuple[str, ...], str], ...] = ()  # output needles -> what to do
    rollback: bool = False  # cortex can record and undo this manager's transactions

    # -- names ----------------------------------------------------------------------------------
    def valid_name(self, name: str) -> bool:
        """A bare package name of this manager (never an option, path or shell word)."""
        return (
            bool(name)
            and not name.startswith("-")
            and not name.endswith(LOCAL_FILE_SUFFIXES)
            and self.name.match(name) is not None
        )

    def split_pin(self, operand: str) -> tuple[str, str] | None:
        """`name=version` -> (name, version) when this manager has pins and both parts fit; else None."""
        if self.version is None:
            return None
        name, sep, version = operand.partition(self.pin_separator)
        if not sep or not self.valid_name(name) or not self.version.match(version):
            return None
        return name, version

    def valid_operand(self, operand: str) -> bool:
        """A name or a pin: what the adapter's builders accept as one package operand."""
        return self.valid_name(operand) or self.split_pin(operand) is not None

    def pin(self, name: str, version: str) -> str:
        return f"{name}{self.pin_separator}{version}"

    # -- what the policy reads ------------------------------------------------------------------
    def executables(self) -> frozenset[str]:
        return frozenset(op.executable for op in self.operations.values()) | frozenset(self.tools)

    def rules(self, executable: str, purpose: str) -> ToolRules | None:
        """The verbs, operand kinds and options `executable` may use in `purpose`; None: not this manager's."""
        if executable not in self.executables() or purpose not in PURPOSES:
            return None
        allowed = PURPOSES[purpose]
        options = self.tools.get(executable, ToolOptions())
        verbs: dict[str, set[str]] = {}
        flags: set[str] = set()
        other: set[str] = set()
        for op in self.operations.values():
            if op.executable != executable:
                continue
            if op.purpose not in allowed:
                other.add(op.verb)
                continue
            verbs.setdefault(op.verb, set()).add(op.operands)
            flags |= set(_flags(op.argv[1:], options)) - {op.verb}
        for p in allowed:
            flags |= options.flags.get(p, frozenset())
            for v in options.verbs.get(p, ()):
                verbs.setdefault(v, set()).add(ANY_NAME if p == QUERY else NAMES)
        for p, extra in options.verbs.items():
            other |= {v for v in extra if p not in allowed}
        return ToolRules(
            executable,
            {v: frozenset(kinds) for v, kinds in verbs.items()},
            frozenset(flags),
            options.settings,
            options.valued,
            frozenset(other - set(verbs)),
        )


def _flags(args: Iterable[str], options: ToolOptions) -> Iterable[str]:
    """The valueless options among an operation's arguments (apt `-o` settings are checked on their own)."""
    skip = False
    for arg in args:
        if skip:
            skip = False
            continue
        if arg == "-o" or arg in options.valued:
            skip = True
            continue
        if arg.split("=", 1)[0] in options.valued:
            continue  # --queryformat=... carries its value
        if arg.startswith("-"):
            yield arg
