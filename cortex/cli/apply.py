"""`cortex apply FILE [--check] [--execute [--yes]] [--allow-newer] [--json]`: reach a lock's versions.

    lock (validated, for this system) -> drift (dpkg-query) -> [--check: report, exit 0/1]
    -> pins checked against the archive -> apt-get -s install name=version -> [--execute: confirm ->
    one "apply" history transaction through the install Executor and policy -> drift again]

Never asks a model: nothing on this path imports cortex.llm or a provider SDK.
Exit codes: 0 in sync / planned / applied, 1 drift (--check), 2 usage, 3 refused (hold, downgrade,
removals), 5 install failed, 10 no such file, 14 invalid lock or another system, 15 pinned version gone.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

HELP = "bring this machine to a lock file's exact versions, without a model (dry run unless --execute)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("lock", help="the lock file (written by `cortex install REQUEST --lock FILE`)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="only report drift: exit 0 in sync, 1 when it differs")
    mode.add_argument("--execute", action="store_true", help="install the lock's versions (asks first)")
    parser.add_argument("-y", "--yes", action="store_true", help="with --execute: do not ask for confirmation")
    parser.add_argument(
        "--allow-newer",
        action="store_true",
        help="accept newer versions than the lock's: installed ones, and the archive's when a pin is gone",
    )
    parser.add_argument("--json", action="store_true", help="one JSON document on stdout")


def run(args: argparse.Namespace, ctx: Any) -> int:
    from cortex.exit_codes import ExitCode
    from cortex.provisioning import apply

    lock = apply.read(args.lock, _manager_name())
    drift = apply.check(lock, allow_newer=args.allow_newer)
    if args.check:
        status = "in sync" if drift.in_sync else "drift"
        _emit(ctx, {"lock": args.lock, "status": status, "drift": drift.to_dict()}, _drift_text(args.lock, lock, drift))
        return ExitCode.OK if drift.in_sync else ExitCode.DRIFT
    from cortex.packages.detect import detect_manager

    manager = detect_manager()
    plan = apply.prepare(lock, drift, manager, args.lock, allow_newer=args.allow_newer)
    if plan.in_sync:
        _emit(
            ctx,
            {**plan.to_dict(), "status": "in sync"},
            _drift_text(args.lock, lock, drift) + "In sync: nothing to do.\n",
        )
        return ExitCode.OK
    if not args.execute:
        text = _drift_text(args.lock, lock, drift) + _plan_text(plan)
        text += f"Dry run: nothing changed. Apply with: cortex apply {args.lock} --execute\n"
        _emit(ctx, {**plan.to_dict(), "status": "planned"}, text)
        return ExitCode.OK
    if not ctx.json:
        sys.stdout.write(_drift_text(args.lock, lock, drift) + _plan_text(plan))
        sys.stdout.flush()
    _confirm(args, plan)
    tx_id, after = _execute(ctx, args, plan, lock, manager)
    doc = {**plan.to_dict(), "status": "applied", "transaction": tx_id, "after": after.to_dict()}
    _emit(
        ctx, doc, f"Applied {args.lock}: {', '.join(plan.pins)} (transaction {tx_id}; undo: cortex rollback {tx_id}).\n"
    )
    return ExitCode.OK


def _manager_name() -> str:
    """This machine's package manager, by name only: the check needs no adapter (nor all five imported)."""
    import shutil

    from cortex.packages.detect import choose_manager, read_os_release

    return choose_manager(read_os_release(), lambda exe: shutil.which(exe) is not None) or "none"


def _execute(ctx: Any, args: argparse.Namespace, plan: Any, lock: Any, manager: Any):
    from contextlib import nullcontext

    from cortex.history import open_store
    from cortex.provisioning import apply

    store = open_store()
    store.check_writable()
    progress: Any = nullcontext(None)
    if not ctx.json and ctx.err.is_terminal:
        from cortex.progress import RichProgress

        progress = RichProgress(ctx.err)
    with store, progress as bar:
        return apply.execute(plan, lock, manager, store, allow_newer=args.allow_newer, progress=bar)


def _confirm(args: argparse.Namespace, plan: Any) -> None:
    from cortex.errors import Interrupted, UsageError

    if args.yes:
        return
    if not sys.stdin.isatty():
        raise UsageError(
            "Refusing to change packages without confirmation: there is no terminal to ask on.",
            hint=f"Add --yes: cortex apply {args.lock} --execute --yes",
        )
    sys.stderr.write(f"Install {', '.join(plan.pins)}? [y/N] ")
    sys.stderr.flush()
    if sys.stdin.readline().strip().lower() not in ("y", "yes"):
        raise Interrupted("Not confirmed; nothing was changed.")


def _emit(ctx: Any, doc: dict[str, Any], text: str) -> None:
    if ctx.json:
        ctx.print_json(doc)
    else:
        sys.stdout.write(text)


def _drift_text(path: str, lock: Any, drift: Any) -> str:
    out = [
        f"{path}: {lock.distribution.describe()}, {lock.manager}; "
        f"{len(lock.requests)} request(s), {len(drift.packages)} package(s)\n"
    ]
    out += [f"  {p.describe()}\n" for p in drift.packages]
    counts = drift.counts()
    if drift.in_sync:
        out.append("In sync with the lock.\n")
    else:
        out.append(
            f"Drift: {counts['missing']} missing, {counts['other version']} at another version, "
            f"{counts['held']} held.\n"
        )
    return "".join(out)


def _plan_text(plan: Any) -> str:
    out = ["Steps (run without a shell):\n"]
    out += [f"  $ {' '.join(step.argv)}\n" for step in plan.steps]
    sim = plan.simulation or {}
    if sim:
        new = [f"{d['name']} {d['version']}" for d in sim.get("new", [])]
        upgraded = [f"{d['name']} {d['old']} -> {d['new']}" for d in sim.get("upgraded", [])]
        out.append(f"apt-get simulation: {len(new)} new, {len(upgraded)} upgraded, 0 removed\n")
        out += [f"  new       {line}\n" for line in new]
        out += [f"  upgraded  {line}\n" for line in upgraded]
    out += [f"note: {note}\n" for note in plan.notes]
    return "".join(out)
