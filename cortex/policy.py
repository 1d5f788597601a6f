"""The safety policy: a pure, deterministic check of every step before it runs.

    check(step, context) -> None, or raises RefusedError(rule=...)

What each package manager may run is declared once, by its adapter (`Grammar` in
cortex/packages/grammar.py, one table per manager): its tools, their verbs per purpose, options,
`-o` settings and name grammar. The policy reads that table; it never keeps a second copy.

A step is allowed only when its executable is one of the manager's tools, its verb is one the
current purpose allows, every option is declared, and every operand fits the manager's name grammar
and was chosen by the plan. Purposes are policy modes, in increasing order of what they allow:

    install   install, simulate and read-only queries; version pins only the exact `name=version`
              operands its context lists (a lock applied by `cortex apply`)
    rollback  additionally remove/purge, `name=version` pins (with --allow-downgrades), apt-mark

No paths, URLs or local package files. `systemctl enable/start` is allowed only for a service that
the plan installs. Anything else, from a model or anywhere, is refused with the rule that refused it.
See docs/SAFETY.md (the table of gates).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from cortex.errors import RefusedError
from cortex.packages.detect import grammar as manager_grammar
from cortex.packages.grammar import (
    ANY_NAME,
    CHANGES,
    INSTALL,
    LOCAL_FILE_SUFFIXES,
    NONE,
    PINS,
    REFRESH,
    ROLLBACK,
    Grammar,
    ToolRules,
)
from cortex.plan import Step
from cortex.system.runner import MANAGER_CONFIG, NONINTERACTIVE

__all__ = ["INSTALL", "REFRESH", "ROLLBACK", "PolicyContext", "check", "check_all", "valid_name"]

SAFE_DIRS = ("/usr/bin/", "/bin/", "/usr/sbin/", "/sbin/", "/usr/local/bin/")
SYSTEMCTL_VERBS = frozenset({"enable", "start"})
# The environment cortex passes through `sudo --preserve-env`: the runner's non-interactive variables and
# the package manager's configuration variable when the caller set one.
SUDO_ENV = frozenset(NONINTERACTIVE) | frozenset(MANAGER_CONFIG)


@dataclass(frozen=True)
class PolicyContext:
    """What a plan is allowed to touch: its manager, purpose, packages and the services they bring."""

    manager: str = "apt"
    purpose: str = INSTALL
    packages: frozenset[str] = field(default_factory=frozenset)  # names the plan chose (install/remove)
    services: frozenset[str] = field(default_factory=frozenset)  # units the plan's packages install
    # exact `name=version` operands an install may carry (`cortex apply` installs a lock's versions)
    pinned: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def for_plan(
        cls,
        manager: str,
        packages: Iterable[str],
        services: Iterable[str] = (),
        purpose: str = INSTALL,
        pinned: Iterable[str] = (),
    ):
        return cls(manager, purpose, frozenset(packages), frozenset(services), frozenset(pinned))


def _refuse(rule: str, message: str) -> RefusedError:
    return RefusedError(
        f"Step refused by policy ({rule}): {message}",
        rule=rule,
        hint="cortex runs only the package manager's own install/simulate/query commands.",
    )


def check(step: Step, ctx: PolicyContext) -> None:
    """Raise RefusedError naming the rule when `step` is not allowed in `ctx`; return None when it is."""
    argv = list(step.argv)
    if not argv or not all(isinstance(a, str) and a for a in argv):
        raise _refuse("empty-argument", "empty command or argument")
    for arg in argv:
        if any(ord(c) < 32 for c in arg):
            raise _refuse("control-characters", f"control character in {arg!r}")
    if argv[0] in ("sudo", "/usr/bin/sudo"):
        argv = _strip_sudo(argv)
    exe = _executable(argv[0])
    if exe == "systemctl":
        return _check_systemctl(argv, ctx)
    grammar = manager_grammar(ctx.manager)
    if grammar is None:
        raise _refuse("unknown-manager", f"unknown package manager {ctx.manager!r}")
    rules = grammar.rules(exe, ctx.purpose)
    if rules is None:
        if exe in grammar.executables():
            raise _refuse("purpose", f"unknown purpose {ctx.purpose!r}")
        raise _refuse("executable", f"{argv[0]!r} is not an allowed command")
    _check_tool(argv[1:], rules, grammar, ctx)


def _strip_sudo(argv: list[str]) -> list[str]:
    """`sudo -n [--preserve-env=<cortex's noninteractive variables>] [--] CMD...` -> CMD...; else refused."""
    rest = argv[1:]
    if rest[:1] != ["-n"]:
        raise _refuse("sudo-form", "sudo only as `sudo -n` in front of the package manager")
    rest = rest[1:]
    if rest[:1] and rest[0].startswith("--preserve-env="):
        names = set(rest[0].split("=", 1)[1].split(","))
        if not names <= SUDO_ENV:
            raise _refuse("sudo-form", f"sudo may preserve only {', '.join(sorted(SUDO_ENV))}")
        rest = rest[1:]
    if rest[:1] == ["--"]:
        rest = rest[1:]
    if not rest:
        raise _refuse("empty-argument", "sudo without a command")
    if rest[0] in ("sudo", "/usr/bin/sudo"):
        raise _refuse("sudo-form", "nested sudo")
    return rest


def check_all(steps: Iterable[Step], ctx: PolicyContext) -> None:
    """Check every step before any runs: one refused step refuses the plan."""
    for step in steps:
        check(step, ctx)


def valid_name(manager: str, name: str) -> bool:
    """True when `name` is a bare package name of `manager`'s grammar."""
    grammar = manager_grammar(manager)
    return grammar is not None and grammar.valid_name(name)


def _executable(arg0: str) -> str:
    if "/" not in arg0:
        return arg0
    directory, _, name = arg0.rpartition("/")
    if directory + "/" not in SAFE_DIRS or not name:
        raise _refuse("executable-path", f"{arg0!r} is not in a system directory")
    return name


def _check_systemctl(argv: list[str], ctx: PolicyContext) -> None:
    args = [a for a in argv[1:] if a != "--now"]
    if len(args) < 2 or args[0] not in SYSTEMCTL_VERBS:
        raise _refuse("systemctl-verb", "systemctl only to enable or start a service")
    for unit in args[1:]:
        if unit.startswith("-") or unit.removesuffix(".service") not in ctx.services:
            raise _refuse("systemctl-unit", f"{unit!r} is not a service this plan installs")


def _check_tool(args: list[str], rules: ToolRules, grammar: Grammar, ctx: PolicyContext) -> None:
    verb, operands = _parse_args(args, rules, ctx)
    kinds = rules.verbs[verb]
    if not operands:
        if NONE in kinds:
            return
        raise _refuse("operand", f"{rules.executable} {verb} without package names")
    if kinds == {NONE}:
        raise _refuse("operand", f"{verb} takes no package names")
    for op in operands:
        _check_operand(op, kinds, grammar, ctx)


def _parse_args(args: list[str], rules: ToolRules, ctx: PolicyContext) -> tuple[str, list[str]]:
    """The verb and the operands of a tool's arguments; every option must be declared for the purpose."""
    verb = ""
    operands: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if rules.settings and arg == "-o":
            if i + 1 >= len(args):
                raise _refuse("option", "-o without a value")
            _check_setting(args[i + 1], rules)
            i += 2
            continue
        if rules.settings and arg.startswith("-o") and len(arg) > 2:
            _check_setting(arg[2:], rules)
        elif not verb and arg in rules.verbs:
            verb = arg
        elif arg in rules.valued and i + 1 < len(args):
            i += 2  # a format string (read-only queries, pacman's --print-format)
            continue
        elif "=" in arg and arg.split("=", 1)[0] in rules.valued:
            pass  # --showformat=... / -f=...
        elif arg.startswith("-"):
            _refuse_option(arg, rules, ctx)
        elif not verb:
            raise _refuse("verb", f"{rules.executable} {arg!r} is not allowed for {ctx.purpose}")
        else:
            operands.append(arg)
        i += 1
    if not verb:
        raise _refuse("verb", f"{rules.executable} without an allowed verb")
    return verb, operands


def _refuse_option(arg: str, rules: ToolRules, ctx: PolicyContext) -> None:
    if arg in rules.flags:
        return
    if arg in rules.other_verbs:
        raise _refuse("verb", f"{rules.executable} {arg} is not allowed for {ctx.purpose}")
    raise _refuse("option", f"option {arg!r} is not allowed for {ctx.purpose}")


def _check_setting(setting: str, rules: ToolRules) -> None:
    key, sep, value = setting.partition("=")
    if setting.startswith("Dpkg::Options::="):
        key, value = "Dpkg::Options::", setting.split("=", 1)[1]
    grammar = rules.settings.get(key)
    if not sep or grammar is None or not grammar.match(value):
        raise _refuse("apt-option", f"apt setting {setting!r} is not one cortex sets")


def _check_operand(op: str, kinds: frozenset[str], grammar: Grammar, ctx: PolicyContext) -> None:
    if "/" in op or "://" in op or op.endswith(LOCAL_FILE_SUFFIXES) or op.startswith("~"):
        raise _refuse("operand-path", f"{op!r} is a path, URL or local file, not a package name")
    name = op
    if grammar.version is not None and grammar.pin_separator in op:
        name, _, version = op.partition(grammar.pin_separator)
        if not kinds & {PINS, CHANGES} or (ctx.purpose != ROLLBACK and op not in ctx.pinned):
            raise _refuse("pinned-version", f"{op!r}: version pins only in a rollback or as the plan pinned them")
        if not grammar.version.match(version):
            raise _refuse("package-version", f"{version!r} is not a valid version")
    elif grammar.removal_suffix and op.endswith(grammar.removal_suffix) and CHANGES in kinds:
        name = op[: -len(grammar.removal_suffix)]
    if not grammar.valid_name(name):
        raise _refuse("package-name", f"{name!r} is not a valid {ctx.manager} package name")
    if ANY_NAME not in kinds and name.split(":")[0] not in ctx.packages and name not in ctx.packages:
        raise _refuse("package-not-planned", f"{name!r} is not one of the plan's packages")
