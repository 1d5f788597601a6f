"""`cortex index [--contents]`: rebuild the package index; --contents first has apt fetch its Contents lists.

    cortex index               rebuild from apt's lists (Contents included when apt has them, e.g. after
                               `apt-file update`)
    cortex index --contents    `apt-get update` with apt's Contents-deb target and the English Translation
                               lists (long descriptions; root or sudo), then rebuild

Exit codes: 0 built, 2 usage, 5 apt could not fetch the lists, 8 the index could not be written.
"""

from __future__ import annotations

import argparse
from typing import Any

from cortex.exit_codes import ExitCode

HELP = (
    "rebuild the package index; --contents also fetches apt's Contents lists (which package ships a command)"
    " and its English long descriptions"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--contents", action="store_true", help="have apt fetch its Contents lists first (runs apt-get update)"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON document on stdout")


def run(args: argparse.Namespace, ctx: Any) -> int:
    from cortex.packages.detect import detect_manager

    manager = detect_manager()
    if args.contents:
        _fetch_contents(ctx, manager)
    summary = rebuild(manager)
    if ctx.json:
        ctx.print_json(summary)
        return ExitCode.OK
    out = ctx.console
    out.print(
        f"Package index: {summary['packages']} packages, {summary['size_mb']} MB, built in {summary['seconds']} s"
    )
    out.print(f"  {summary['path']}")
    if summary["commands"]:
        out.print(
            f"Contents: {summary['commands']} commands ({summary['contents_source']}, {summary['contents_seconds']} s);"
            " `cortex provides NAME` and the shell hook (`cortex shell-init bash`) use them."
        )
    else:
        out.print("Contents: none yet. `cortex index --contents` has apt fetch them (about 45 MB).")
    if summary["descriptions"]:
        out.print(f"Long descriptions: {summary['descriptions']} ({summary['descriptions_source']}).")
    else:
        out.print("Long descriptions: none (apt's Translation-en lists; `cortex index --contents` fetches them).")
    if summary["contents_error"]:
        ctx.err.print(f"[yellow]Contents could not be read: {summary['contents_error']}[/yellow]")
    return ExitCode.OK


def _fetch_contents(ctx: Any, manager: Any) -> None:
    from cortex.errors import UsageError
    from cortex.executor import Executor
    from cortex.packages import contents
    from cortex.plan import Step
    from cortex.policy import REFRESH, PolicyContext

    if manager.name != "apt":
        raise UsageError(f"Contents lists are apt's; this system uses {manager.name}.")
    step = Step(
        tuple(contents.refresh_argv()), "Fetch the package lists, apt's Contents and Translation lists", privileged=True
    )
    if not ctx.json:
        ctx.err.print("Fetching apt's package and Contents lists (apt-get update) ...")
    Executor(PolicyContext(manager=manager.name, purpose=REFRESH)).run([step])


def rebuild(manager: Any) -> dict[str, Any]:
    """Build the index now (under its build lock); what it holds, for text or JSON."""
    import time

    from cortex.packages import store
    from cortex.packages.index import PackageIndex, default_path

    path = default_path(manager.name)
    started = time.monotonic()
    with store.build_lock(path):
        PackageIndex.build(manager, path=path)
    seconds = time.monotonic() - started
    with PackageIndex.open(manager, path=path, refresh=False) as idx:
        meta = idx.meta
        return {
            "path": str(path),
            "packages": len(idx),
            "size_mb": round(path.stat().st_size / 1e6, 1),
            "seconds": round(seconds, 2),
            "commands": int(meta.get("contents_count", "0") or 0),
            "contents_source": meta.get("contents_source", "none"),
            "contents_seconds": float(meta.get("contents_seconds", "0") or 0),
            "contents_files": meta.get("contents_files", "").split(),
            "contents_error": meta.get("contents_error", ""),
            "descriptions": int(meta.get("descriptions_count", "0") or 0),
            "descriptions_source": meta.get("descriptions_source", "none"),
        }
