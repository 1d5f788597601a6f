"""`cortex history [--limit N] [--status S] [--json]` and `cortex history show ID [--json] [--lock FILE]`."""

from __future__ import annotations

import argparse
import sys
import time

from cortex.exit_codes import ExitCode

HELP = "list recorded transactions, or show one with its package diff and output"

_STATUSES = ("planned", "running", "installed", "completed", "failed", "interrupted", "rolled back")
TAIL_LINES = 20


def _status(value: str) -> str:
    status = value.replace("-", " ").replace("_", " ").strip().lower()
    if status not in _STATUSES:
        raise argparse.ArgumentTypeError(f"unknown status {value!r} (one of: {', '.join(_STATUSES)})")
    return status


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from cortex.cli.argtypes import count, transaction_id

    parser.add_argument("--limit", type=count, default=20, help="at most N transactions, newest first (0: all)")
    parser.add_argument("--status", type=_status, help="only this status (planned, installed, failed, ...)")
    parser.add_argument("--json", action="store_true", help="one JSON document")
    sub = parser.add_subparsers(dest="action", metavar="ACTION")
    show = sub.add_parser("show", help="one transaction: request, plan, package diff, steps and output")
    show.add_argument("id", type=transaction_id, help="transaction id (see `cortex history`)")
    show.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="one JSON document")
    show.add_argument("--lock", metavar="FILE", help="write what the transaction installed into this lock file")


def run(args: argparse.Namespace, ctx) -> int:
    from cortex.history import open_store
    from cortex.termtext import clean

    store = open_store()
    try:
        if args.action == "show":
            record = store.get(args.id)
            if getattr(args, "lock", None):
                return _lock(ctx, record, args.lock)
            if ctx.json:
                ctx.print_json(record.to_dict())
            else:
                sys.stdout.write(clean(render_record(record)))
            return ExitCode.OK
        rows = store.list(limit=args.limit if args.limit > 0 else None, status=args.status)
        if ctx.json:
            ctx.print_json({"transactions": [r.to_dict() for r in rows]})
        else:
            sys.stdout.write(clean(render_list(rows)))
        return ExitCode.OK
    finally:
        store.close()


def _lock(ctx, record, path: str) -> int:
    """`history show ID --lock FILE`: merge what the transaction actually installed into a lock file."""
    from cortex.errors import NotFoundError
    from cortex.packages.detect import detect_manager
    from cortex.provisioning.entries import check_target, lock_transaction
    from cortex.provisioning.entries import record as record_entry

    manager = detect_manager().name
    check_target(path, manager)
    found = lock_transaction(record)
    if found.entry is None:
        raise NotFoundError(
            f"Transaction {record.id} ({record.status}) installed no packages: nothing to lock.",
            hint="`cortex history --status installed` lists the transactions that installed packages.",
        )
    summary = record_entry(path, found.entry, manager)
    doc = {**summary.to_dict(), "transaction": record.id, "skipped": list(found.skipped)}
    if ctx.json:
        ctx.print_json(doc)
        return ExitCode.OK
    verb = "Replaced" if summary.replaced else "Added"
    sys.stdout.write(f"{verb} {summary.request!r} in {path}: {', '.join(summary.packages)}\n")
    if found.skipped:
        sys.stdout.write(f"  not installed by transaction {record.id} (already there): {', '.join(found.skipped)}\n")
    return ExitCode.OK


def _when(ts: float | None) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(ts)) if ts else "-"


def _clip(text: str, width: int) -> str:
    if len(text) <= width and text.isprintable():
        return text
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def render_list(rows) -> str:
    """Plain aligned columns (fast for thousands of rows; no table layout pass)."""
    if not rows:
        return "No transactions recorded yet.\n"
    head = f"{'ID':>6}  {'WHEN':<16}  {'STATUS':<11}  {'KIND':<8}  {'BACKEND':<22}  {'CHANGES':<24}  REQUEST\n"
    lines = [head]
    for r in rows:
        backend = r.backend or "-"
        if r.model:
            backend = f"{backend}/{r.model}"
        lines.append(
            f"{r.id:>6}  {_when(r.started_at):<16}  {r.status:<11}  {r.kind:<8}  {_clip(backend, 22):<22}  "
            f"{_clip(r.summary or '-', 24):<24}  {_clip(r.request, 60)}\n"
        )
    return "".join(lines)


def render_record(r) -> str:
    out = [f"Transaction {r.id}: {r.kind}, {r.status}\n"]
    out.append(f"  request:  {r.request}\n")
    if r.backend or r.model:
        out.append(f"  backend:  {r.backend or '-'}" + (f" (model {r.model})" if r.model else "") + "\n")
    took = f", took {r.duration_s:.1f} s" if r.duration_s is not None else ""
    out.append(f"  started:  {time.strftime('%Y-%m-%d %H:%M:%S', time.localtime(r.started_at))}{took}\n")
    packages = r.plan.get("packages") if isinstance(r.plan, dict) else None
    if packages:
        out.append(f"  planned:  {', '.join(map(str, packages))}\n")
    if r.rollback_of:
        out.append(f"  rollback of transaction {r.rollback_of}\n")
    if r.rolled_back_by:
        out.append(f"  rolled back by transaction {r.rolled_back_by}\n")
    if r.error:
        out.append(f"  error:    {r.error}\n")
    if r.hint:
        out.append(f"  hint:     {r.hint}\n")
    if r.status == "planned":
        out.append("  (a dry run: nothing was installed)\n")
    out.append(f"\nPackage changes ({len(r.changes)}):\n")
    out += [f"  {c.describe()}\n" for c in r.changes] or ["  none\n"]
    if r.steps:
        out.append("\nSteps:\n")
    for s in r.steps:
        rc = "not finished" if s.returncode is None else f"exit {s.returncode}"
        out.append(f"  {s.seq}. {' '.join(s.argv)}  ({rc})\n")
        tail = s.output.rstrip().splitlines()[-TAIL_LINES:]
        out += [f"     | {line}\n" for line in tail]
    if r.changes:
        out.append(f"\nUndo with: cortex rollback {r.id}\n" if r.status not in ("rolled back", "planned") else "")
    return "".join(out)
