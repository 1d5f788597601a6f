"""`cortex provides NAME|PATH`: the packages that ship a command or file, best first, from the local index.

Exact program name first, then the programs Debian's alternatives put behind the name; each with its
summary and whether it is installed. Exit codes: 0 found, 4 nothing ships it (or no Contents yet).
"""

from __future__ import annotations

import argparse
from typing import Any

from cortex.exit_codes import ExitCode

HELP = "which packages ship a command or file (`cortex provides dig`), from apt's Contents"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", help="a command name (dig) or a path (/usr/sbin/mkfs.exfat)")
    parser.add_argument("--json", action="store_true", help="print one JSON document on stdout")


def run(args: argparse.Namespace, ctx: Any) -> int:
    from cortex.packages.detect import detect_manager
    from cortex.packages.index import PackageIndex
    from cortex.planning.commands import installed_packages

    manager = detect_manager()
    with PackageIndex.open(manager) as idx:
        found = idx.command_providers(args.name)
        infos = idx.get_many([p.package for p in found])
        has_contents = idx.has_contents
    installed = installed_packages([p.package for p in found])
    rows = [
        {
            **p.to_dict(),
            "summary": infos[p.package].summary if p.package in infos else "",
            "installed": installed.get(p.package),
        }
        for p in found
    ]
    if not rows:
        return _nothing(ctx, args.name, has_contents)
    if ctx.json:
        ctx.print_json({"query": args.name, "status": "found", "providers": rows})
        return ExitCode.OK
    out = ctx.console
    out.print(f"[bold]{args.name}[/bold] is shipped by:")
    for r in rows:
        state = f"[green]installed {r['installed']}[/green]" if r["installed"] else "not installed"
        how = "" if r["match"] == "exact" else f" (as {r['command']})"
        out.print(f"  [bold]{r['package']}[/bold]  {r['path']}{how} · {state}")
        if r["summary"]:
            out.print(f"      {r['summary']}")
    if len(rows) > 1:
        out.print(f"[dim]{len(rows)} packages; the first is the usual choice for that name.[/dim]")
    return ExitCode.OK


def _nothing(ctx: Any, name: str, has_contents: bool) -> int:
    from cortex.exit_codes import ExitCode

    reason = f"No package in the index ships {name!r}."
    hint = (
        "cortex keeps the executables of apt's Contents (bin/, sbin/, usr/games/, usr/lib/*/bin); "
        "for other files use `apt-file search`."
        if has_contents
        else "The index has no Contents yet: run `cortex index --contents` (as root) first."
    )
    if ctx.json:
        ctx.print_json({"query": name, "status": "unresolved", "reason": reason, "hint": hint, "providers": []})
    else:
        ctx.err.print(f"cortex: {reason}")
        ctx.err.print(f"hint: {hint}")
    return ExitCode.UNRESOLVED
