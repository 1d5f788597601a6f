"""The safety policy: a pure, deterministic check of every step before it runs.

    check(step, context) -> None, or raises RefusedError(rule=...)

A step is allowed only when its executable is a known package-manager or query tool, its verb is one
the current purpose allows (install/simulate/query; rollback additionally remove/purge and
`name=version` installs), every option is whitelisted (cortex's own `-o` settings only, never
--allow-unauthenticated, --force-*, a config file or a root dir), and every operand is a package name
in the manager's grammar that the plan itself chose. No paths, URLs or local package files.
`systemctl enable/start` is allowed only for a service that the plan installs. Anything else, from a
model or anywhere, is refused with the rule that refused it. See docs/SAFETY.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from cortex.errors import RefusedError
from cortex.packages.contents import TARGET, TARGET_SETTINGS
from cortex.plan import Step

INSTALL = "install"
ROLLBACK = "rollback"
REFRESH = "refresh"  # `cortex index --contents`: apt-get update with apt's Contents-deb target

# Debian policy §5.6.1 names; rpm, pacman, apk are close relatives (upper case and _ allowed in rpm).
NAME_GRAMMAR: dict[str, re.Pattern[str]] = {
    "apt": re.compile(r"^[a-z0-9][a-z0-9+.-]+(?::[a-z0-9-]+)?$"),
    "dnf": re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._+-]*$"),
    "zypper": re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._+-]*$"),
    "pacman": re.compile(r"^[a-z0-9@_+][a-z0-9@._+-]*$"),
    "apk": re.compile(r"^[a-z0-9][a-z0-9._+-]*$"),
}
VERSION_GRAMMAR = re.compile(r"^(?:\d+:)?[A-Za-z0-9.+~_-]+$")

# `-o KEY=VALUE` settings cortex itself passes to apt; nothing else (no Dpkg::Options with arbitrary values).
APT_SETTINGS = {
    "APT::Status-Fd": re.compile(r"^\d{1,3}$"),
    "DPkg::Lock::Timeout": re.compile(r"^\d{1,4}$"),
    "Dpkg::Use-Pty": re.compile(r"^[01]$"),
    "APT::Color": re.compile(r"^[01]$"),
    "quiet": re.compile(r"^[0-2]$"),
    "Dpkg::Options::": re.compile(r"^--force-conf(?:def|old)$"),
    "APT::Get::Show-Versions": re.compile(r"^[01]$"),
}
# ... and the Contents-deb index target's definition, each key with exactly cortex's value.
APT_SETTINGS.update(
    {f"{TARGET}::{key}": re.compile("^" + re.escape(value) + "$") for key, value in TARGET_SETTINGS.items()}
)


@dataclass(frozen=True)
class ToolRules:
    """What one executable may do: verbs per purpose and the options it may carry."""

    verbs: dict[str, frozenset[str]]  # purpose -> allowed verbs
    flags: frozenset[str]  # options without a value
    takes_packages: bool = True  # operands are package names of the plan
    query: bool = False  # read-only tool: operands are package names, any of the manager's grammar


def _verbs(install: Iterable[str], rollback: Iterable[str] = ()) -> dict[str, frozenset[str]]:
    install = frozenset(install)
    return {INSTALL: install, ROLLBACK: install | frozenset(rollback)}


TOOLS: dict[str, dict[str, ToolRules]] = {
    "apt": {
        "apt-get": ToolRules(
            {**_verbs({"install"}, {"remove", "purge", "autoremove"}), REFRESH: frozenset({"update"})},
            frozenset(
                {
                    "-y",
                    "--yes",
                    "--assume-yes",
                    "-q",
                    "-qq",
                    "--quiet",
                    "-s",
                    "--simulate",
                    "--dry-run",
                    "--no-install-recommends",
                    "--no-remove",
                    "-V",
                    "--show-versions",
                }
            ),
        ),
        "apt": ToolRules(
            _verbs({"install"}, {"remove", "purge"}), frozenset({"-y", "--yes", "-s", "--simulate", "-q"})
        ),
        "dpkg-query": ToolRules(
            _verbs({"-W", "--show", "-s", "--status", "-L", "--listfiles"}),
            frozenset({"-f", "--showformat"}),
            query=True,
        ),
        "apt-cache": ToolRules(_verbs({"policy", "show", "depends", "rdepends"}), frozenset({"-q"}), query=True),
    },
    "dnf": {
        "dnf": ToolRules(
            _verbs({"install"}, {"remove", "downgrade"}),
            frozenset({"-y", "--assumeyes", "--assumeno", "-q", "--quiet", "--setopt=tsflags=test"}),
        ),
        "rpm": ToolRules(_verbs({"-q", "--query"}), frozenset({"--qf", "--queryformat"}), query=True),
    },
    "pacman": {
        "pacman": ToolRules(
            _verbs({"-S"}, {"-R", "-Rs", "-U"}),
            frozenset({"--noconfirm", "--needed", "-p", "--print", "--print-format"}),
        ),
    },
    "zypper": {
        "zypper": ToolRules(
            _verbs({"install", "in"}, {"remove", "rm"}),
            frozenset({"--non-interactive", "-n", "--dry-run", "-D", "--no-recommends", "-y"}),
        ),
        "rpm": ToolRules(_verbs({"-q", "--query"}), frozenset({"--qf", "--queryformat"}), query=True),
    },
    "apk": {
        "apk": ToolRules(_verbs({"add"}, {"del"}), frozenset({"--simulate", "-s", "--no-progress", "-q", "--quiet"})),
    },
}
_FORMAT_FLAGS = frozenset({"-f", "--showformat", "--qf", "--queryformat"})
SAFE_DIRS = ("/usr/bin/", "/bin/", "/usr/sbin/", "/sbin/", "/usr/local/bin/")
SYSTEMCTL_VERBS = frozenset({"enable", "start"})
# The environment cortex passes through `sudo --preserve-env` (see cortex.system.runner.NONINTERACTIVE).
SUDO_ENV = frozenset({"DEBIAN_FRONTEND", "APT_LISTCHANGES_FRONTEND", "NEEDRESTART_MODE"})


@dataclass(frozen=True)
class PolicyContext:
    """What a plan is allowed to touch: its manager, purpose, packages and the services they bring."""

    manager: str = "apt"
    purpose: str = INSTALL
    packages: frozenset[str] = field(default_factory=frozenset)  # names the plan chose (install/remove)
    services: frozenset[str] = field(default_factory=frozenset)  # units the plan's packages install

    @classmethod
    def for_plan(cls, manager: str, packages: Iterable[str], services: Iterable[str] = (), purpose: str = INSTALL):
        return cls(manager, purpose, frozenset(packages), frozenset(services))


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
    tools = TOOLS.get(ctx.manager)
    if tools is None:
        raise _refuse("unknown-manager", f"unknown package manager {ctx.manager!r}")
    rules = tools.get(exe)
    if rules is None:
        raise _refuse("executable", f"{argv[0]!r} is not an allowed command")
    _check_tool(exe, argv[1:], rules, ctx)


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
    grammar = NAME_GRAMMAR.get(manager)
    return bool(grammar and grammar.match(name)) and not name.startswith("-")


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


def _check_tool(exe: str, args: list[str], rules: ToolRules, ctx: PolicyContext) -> None:
    allowed_verbs = rules.verbs.get(ctx.purpose)
    if allowed_verbs is None:
        raise _refuse("purpose", f"unknown purpose {ctx.purpose!r}")
    verb = ""
    operands: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if exe in ("apt-get", "apt") and arg == "-o":
            if i + 1 >= len(args):
                raise _refuse("option", "-o without a value")
            _check_apt_setting(args[i + 1])
            i += 2
            continue
        if exe in ("apt-get", "apt") and arg.startswith("-o") and len(arg) > 2:
            _check_apt_setting(arg[2:])
        elif not verb and arg in allowed_verbs:
            verb = arg
        elif rules.query and arg in _FORMAT_FLAGS and i + 1 < len(args):
            i += 2  # a format string for a read-only query
            continue
        elif rules.query and arg.split("=", 1)[0] in _FORMAT_FLAGS and "=" in arg:
            pass  # --showformat=... / -f=...
        elif arg.startswith("-") and arg in rules.flags:
            pass
        elif arg.startswith("-"):
            if any(arg.startswith(v) for v in _verbs_all(rules)) and arg not in allowed_verbs:
                raise _refuse("verb", f"{exe} {arg} is not allowed for {ctx.purpose}")
            raise _refuse("option", f"option {arg!r} is not allowed")
        elif not verb:
            raise _refuse("verb", f"{exe} {arg!r} is not allowed for {ctx.purpose}")
        else:
            operands.append(arg)
        i += 1
    if not verb:
        raise _refuse("verb", f"{exe} without an allowed verb")
    if exe == "apt-get" and verb in ("autoremove", "update"):
        if operands:
            raise _refuse("operand", f"{verb} takes no package names")
        return
    if not operands:
        raise _refuse("operand", f"{exe} {verb} without package names")
    for op in operands:
        _check_operand(op, rules, ctx)


def _verbs_all(rules: ToolRules) -> set[str]:
    out: set[str] = set()
    for verbs in rules.verbs.values():
        out |= {v for v in verbs if v.startswith("-")}
    return out


def _check_apt_setting(setting: str) -> None:
    key, sep, value = setting.partition("=")
    if setting.startswith("Dpkg::Options::="):
        key, value = "Dpkg::Options::", setting.split("=", 1)[1]
    grammar = APT_SETTINGS.get(key)
    if not sep or grammar is None or not grammar.match(value):
        raise _refuse("apt-option", f"apt setting {setting!r} is not one cortex sets")


def _check_operand(op: str, rules: ToolRules, ctx: PolicyContext) -> None:
    if "/" in op or "://" in op or op.endswith((".deb", ".rpm", ".apk")) or op.startswith("~"):
        raise _refuse("operand-path", f"{op!r} is a path, URL or local file, not a package name")
    name, eq, version = op.partition("=")
    if eq:
        if ctx.purpose != ROLLBACK or rules.query:
            raise _refuse("pinned-version", f"{op!r}: version pins only in a rollback")
        if not VERSION_GRAMMAR.match(version):
            raise _refuse("package-version", f"{version!r} is not a valid version")
    if not valid_name(ctx.manager, name):
        raise _refuse("package-name", f"{name!r} is not a valid {ctx.manager} package name")
    if not rules.query and name.split(":")[0] not in ctx.packages and name not in ctx.packages:
        raise _refuse("package-not-planned", f"{name!r} is not one of the plan's packages")
