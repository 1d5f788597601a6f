"""`cortex doctor`: check providers, the embedded model, the package index and the history database.

Exit codes: 0 healthy, 12 usable with warnings, 13 something is broken.
"""

from __future__ import annotations

import argparse

HELP = "check that cortex can work here, and say what to fix (exit 0 / 12 warnings / 13 failures)"

_MARK = {
    "ok": "[green]ok[/green]  ",
    "warn": "[yellow]warn[/yellow]",
    "fail": "[red]FAIL[/red]",
    "off": "[dim]off[/dim] ",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="one JSON document")


def run(args: argparse.Namespace, ctx) -> int:
    from cortex.doctor import run_checks, verdict
    from cortex.termtext import clean, markup

    checks = run_checks(lambda: ctx.settings)  # flags and --env-file count, as for every command
    status, code = verdict(checks)
    if args.json:
        ctx.print_json({"status": status, "exit_code": int(code), "checks": [c.to_dict() for c in checks]})
        return int(code)
    for c in checks:
        ctx.console.print(f"{_MARK[c.status]}  [bold]{markup(c.name)}[/bold]: {markup(c.detail)}", soft_wrap=True)
        if c.fix and c.status in ("warn", "fail"):
            ctx.console.print(f"        fix: {clean(c.fix)}", markup=False, soft_wrap=True)
    ctx.console.print(
        {
            "healthy": "cortex is healthy.",
            "warnings": "cortex works, with warnings.",
            "failures": "cortex has problems; fix the FAIL lines above.",
        }[status]
    )
    return int(code)
