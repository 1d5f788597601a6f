"""`cortex rollback ID [--execute] [--yes] [--force] [--json]`: undo a recorded transaction.

Dry run by default: shows the inverse plan and apt's own simulation. --execute runs it (asking first
unless --yes; without a terminal, --yes is required) as a new "rollback" transaction, then checks that
the packages are as they were before the original transaction, or says exactly what differs.
"""

from __future__ import annotations

import argparse
import sys

from cortex.exit_codes import ExitCode

HELP = "undo a recorded transaction (dry run unless --execute)"
# apt/dpkg output lines worth showing live while a rollback runs
_SHOWN = ("Removing ", "Purging ", "Unpacking ", "Setting up ", "Preparing to unpack", "E: ", "W: ")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from cortex.cli.argtypes import transaction_id

    parser.add_argument("id", type=transaction_id, help="transaction id (see `cortex history`)")
    parser.add_argument("--execute", action="store_true", help="run the rollback (default: show it only)")
    parser.add_argument("--yes", "-y", action="store_true", help="do not ask for confirmation")
    parser.add_argument("--force", action="store_true", help="roll back even if later transactions touched it")
    parser.add_argument("--json", action="store_true", help="one JSON document")


def run(args: argparse.Namespace, ctx) -> ExitCode:
    from cortex.history import open_store, undo
    from cortex.termtext import clean

    store = open_store()
    try:
        preview = undo.prepare(store, args.id)
        if not ctx.json:
            sys.stdout.write(clean(render_preview(preview)))
        if preview.plan.empty:
            return _nothing_to_do(ctx, preview)
        undo.check_conflicts(preview, force=args.force)
        if not args.execute:
            if ctx.json:
                ctx.print_json({**preview.to_dict(), "executed": False, "status": "planned"})
            else:
                sys.stdout.write(f"\nDry run: nothing changed. Apply with: cortex rollback {args.id} --execute\n")
            return ExitCode.OK
        _confirm(ctx, args, preview)

        from cortex.termtext import markup as escape

        def progress(argv: list[str], what: str) -> None:
            if not ctx.json:
                ctx.err.print(f"[bold]→[/bold] {what}: {escape(' '.join(argv))}", soft_wrap=True)

        def output(line: str) -> None:
            if not ctx.json and line.startswith(_SHOWN):
                ctx.err.print(f"  [dim]{escape(line)}[/dim]")

        result = undo.execute(store, preview, on_step=progress, on_line=output)
        return _report(ctx, preview, result)
    finally:
        store.close()


def _nothing_to_do(ctx, preview) -> ExitCode:
    if ctx.json:
        ctx.print_json({**preview.to_dict(), "executed": False, "status": "nothing to do"})
    elif not preview.record.changes:
        sys.stdout.write(f"Transaction {preview.record.id} changed no packages: nothing to roll back.\n")
    else:
        sys.stdout.write("Nothing left to undo: the packages are already as before the transaction.\n")
    return ExitCode.OK


def _confirm(ctx, args: argparse.Namespace, preview) -> None:
    from cortex.cli.confirm import NO_TERMINAL, YES, confirm
    from cortex.errors import Interrupted, UsageError

    answer = confirm(ctx, f"Roll back transaction {preview.record.id}?", yes=args.yes)
    if answer == NO_TERMINAL:
        raise UsageError(
            "Refusing to change packages without confirmation: no terminal to ask on.",
            hint=f"Add --yes: cortex rollback {preview.record.id} --execute --yes",
        )
    if answer != YES:
        raise Interrupted("Rollback cancelled; nothing changed.")


def _report(ctx, preview, result) -> ExitCode:
    from cortex.errors import InstallError

    status = "rolled back" if result.exact else "differs"
    if ctx.json:
        ctx.print_json(
            {
                **preview.to_dict(),
                "executed": True,
                "status": status,
                "rollback_transaction": result.rollback_id,
                "differences": list(result.differences),
            }
        )
    if result.exact:
        if not ctx.json:
            sys.stdout.write(
                f"\nRolled back transaction {preview.record.id} (recorded as transaction {result.rollback_id}). "
                "The packages are as they were before it.\n"
            )
        return ExitCode.OK
    err = InstallError(
        f"Rollback {result.rollback_id} finished, but the packages differ from before transaction "
        f"{preview.record.id}: " + "; ".join(result.differences),
        hint=f"`cortex history show {result.rollback_id}` has the steps and their output.",
    )
    if ctx.json:
        return err.exit_code
    raise err


def render_preview(preview) -> str:
    plan, record = preview.plan, preview.record
    out = [f"Rollback of transaction {record.id} ({record.kind}, {record.status}): {record.request}\n"]
    for package, version in plan.restore:
        out.append(f"  install   {package}={version}\n")
    out += [f"  purge     {p}\n" for p in plan.purge]
    out += [f"  remove    {p} (keeping its earlier conffiles)\n" for p in plan.remove]
    out += [f"  mark auto {p}\n" for p in plan.mark_auto]
    out += [f"  mark manual {p}\n" for p in plan.mark_manual]
    if plan.already:
        out.append(f"  already as before: {', '.join(plan.already)}\n")
    for package, why in plan.cannot:
        out.append(f"  cannot restore {package}: {why}\n")
    for conflict in plan.conflicts:
        out.append(f"  conflict: {conflict.describe()}\n")
    sim = preview.simulation
    if sim is not None:
        if sim.ok:
            out.append(
                f"{plan.manager.name} simulation: {len(sim.new)} to install, {len(sim.upgraded)} to change "
                f"versions, {len(sim.removed)} to remove.\n"
            )
        else:
            out.append(f"{plan.manager.name} simulation failed: {sim.error}\n")
    out += [f"  warning: {line}\n" for line in preview.unexpected]
    if not plan.empty:
        out.append("Steps:\n")
        out += [f"  {' '.join(argv)}\n" for argv, _ in plan.steps()]
    return "".join(out)
