"""`cortex install REQUEST`: plan (dry run by default), show, and with --execute run the install.

    flags -> cortex.installation.plan_install (intake, index, planner, the manager's own dry run)
    -> render (rich, or one JSON document with --json) -> [confirm -> cortex.installation.execute_install]

Exit codes: 0 planned or installed, 2 usage, 3 refused, 4 unresolved, 5 install failed, 130 interrupted.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from cortex.exit_codes import ExitCode

HELP = "plan the install of software named or described in plain words; --execute runs it"

EXIT = {
    "planned": ExitCode.OK,
    "installed": ExitCode.OK,
    "refused": ExitCode.REFUSED,
    "unresolved": ExitCode.UNRESOLVED,
    "failed": ExitCode.INSTALL_FAILED,
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("request", nargs="+", help='a package name or a described need, e.g. "something to edit PDFs"')
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--dry-run", action="store_true", help="only show the plan (the default)")
    mode.add_argument("--execute", action="store_true", help="run the plan after a confirmation prompt")
    parser.add_argument("-y", "--yes", action="store_true", help="with --execute: do not ask for confirmation")
    parser.add_argument(
        "--allow-removals", action="store_true", help="accept a plan that removes packages (or an essential one)"
    )
    parser.add_argument("--no-model", action="store_true", help="choose from the index ranking only, never ask a model")
    parser.add_argument("--json", action="store_true", help="print one JSON document on stdout and nothing else")
    parser.add_argument(
        "--lock", metavar="FILE", help="also write the resolved plan into this lock file (see `cortex apply`)"
    )


def run(args: argparse.Namespace, ctx: Any) -> int:
    from cortex import plan as P
    from cortex.installation import plan_install, record_dry_run

    _ = ctx.settings  # a broken config file is an error (exit 7) here too, never silently ignored
    request = " ".join(args.request).strip()
    if not request:
        from cortex.errors import UsageError

        raise UsageError("Say what to install, e.g. `cortex install nginx`.")
    if args.lock:
        from cortex.packages.detect import detect_manager
        from cortex.provisioning.entries import check_target

        check_target(args.lock, detect_manager().name)  # a broken lock stops us before anything happens

    def plan_for(text: str) -> Any:
        return plan_install(
            text,
            settings=lambda: ctx.settings,
            router=ctx.router,
            use_model=not args.no_model,
            allow_removals=args.allow_removals,
            while_simulating=lambda: _preload(ctx),
        )

    planned = plan_for(request)
    plan = planned.plan
    if plan.status == P.UNRESOLVED:
        from cortex.cli.choose import offer

        picked = offer(plan, args)  # in a terminal: one of the closest candidates, or none
        if picked:
            planned = plan_for(picked)
            plan = planned.plan
    if plan.status != P.PLANNED or not args.execute or planned.manager is None:
        if plan.status == P.PLANNED:
            warning = record_dry_run(plan)
            if warning:
                from cortex.termtext import markup

                ctx.err.print(f"[yellow]warning:[/] the plan was not recorded in the history: {markup(warning)}")
            if planned.manager is not None:
                _write_lock(args, plan, planned.manager)
        return _finish(ctx, args, plan)
    return _execute(ctx, args, plan, planned.manager)


def _preload(ctx: Any) -> None:
    """Import what rendering and recording need, overlapping the package manager's dry run."""
    import importlib

    importlib.import_module("cortex.history.store")
    if not ctx.json:
        importlib.import_module("cortex.cli.install_view")
        importlib.import_module("rich.table")
        _ = ctx.console  # built now rather than after the dry run


def _execute(ctx: Any, args: argparse.Namespace, plan: Any, manager: Any) -> int:
    from cortex import plan as P
    from cortex.cli.confirm import NO_TERMINAL, YES, confirm

    if not ctx.json:
        from cortex.cli.install_view import render_plan

        render_plan(ctx.console, plan)
    from cortex.termtext import markup

    ask = f"Install {markup(', '.join(plan.packages))}?" if ctx.json else "Run these steps?"
    answer = confirm(ctx, ask, yes=args.yes)
    if answer != YES:
        why_not = (
            "Refusing to execute without confirmation: there is no terminal to ask on. Pass --yes to confirm."
            if answer == NO_TERMINAL
            else "Not confirmed; nothing was changed."
        )
        refused = plan.with_(status=P.REFUSED, reason=why_not, rule="confirmation")
        return _finish(ctx, args, refused, shown=True)

    from contextlib import AbstractContextManager, nullcontext

    from cortex.history import open_store
    from cortex.installation import execute_install

    progress: AbstractContextManager[Any] = nullcontext(None)
    if ctx.err.is_terminal:
        from cortex.progress import RichProgress

        progress = RichProgress(ctx.err)
    with open_store(manager=manager) as store, progress as bar:
        outcome = execute_install(plan, manager, store, progress=bar)
    if outcome.status == P.INSTALLED:
        _write_lock(args, outcome, manager, outcome.simulation.get("verified", {}).get("installed"))
    return _finish(ctx, args, outcome, shown=True)


def _finish(ctx: Any, args: argparse.Namespace, plan: Any, *, shown: bool = False) -> int:
    """Print the result (one JSON document, or rich text) and return its exit code."""
    if ctx.json:
        ctx.print_json(plan.to_dict())
        if plan.status in ("refused", "unresolved", "failed") and plan.reason:
            from cortex.termtext import clean

            sys.stderr.write(f"cortex: {clean(plan.reason)}\n")
    else:
        from cortex.cli.install_view import render_outcome, render_plan

        if not shown:
            render_plan(ctx.console, plan, dry_run=not args.execute)
        render_outcome(ctx.console, ctx.err, plan)
    return int(EXIT.get(plan.status, ExitCode.ERROR))


def _write_lock(args: argparse.Namespace, plan: Any, manager: Any, verified: Any = None) -> None:
    """--lock FILE: merge this request's resolved packages into the lock (atomically); say so on stderr."""
    if not args.lock:
        return
    from cortex.provisioning.entries import lock_plan, record

    summary = record(args.lock, lock_plan(plan, verified), manager.name)
    verb = "Replaced" if summary.replaced else "Added"
    sys.stderr.write(f"{verb} {summary.request!r} in {summary.path}: {', '.join(summary.packages)}\n")
