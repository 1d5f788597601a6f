"""`cortex install REQUEST`: plan (dry run by default), show, and with --execute run the install.

    intake -> index (rebuilt only when the package lists changed) -> planner -> apt's own simulation
    -> render (rich, or one JSON document with --json) -> [confirm -> history transaction -> executor]

Exit codes: 0 planned or installed, 2 usage, 3 refused, 4 unresolved, 5 install failed, 130 interrupted.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

HELP = "plan the install of software named or described in plain words; --execute runs it"

EXIT = {"planned": 0, "installed": 0, "refused": 3, "unresolved": 4, "failed": 5}


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


class _LazyRouter:
    """The context's router, built only if a described need actually asks a model (exact names never do).

    The embedded local model is left out of package selection unless asked for (`install.local_model`,
    `--provider local`, or a package_selection route naming it): measured, it picks worse than the
    index ranking it would replace.
    """

    def __init__(self, ctx: Any) -> None:
        self._ctx = ctx

    def chain(self, task: Any) -> list[tuple[str, str]]:
        chain = self._ctx.router().chain(task)
        if not local_model_wanted(self._ctx.settings):
            chain = [(name, model) for name, model in chain if name != "local"]
        return chain

    def complete(self, *args: Any, **kw: Any) -> Any:
        return self._ctx.router().complete(*args, **kw)


def local_model_wanted(settings: Any) -> bool:
    """Whether the embedded model may choose packages (see `install.local_model` in defaults.yaml)."""
    if settings.get("install.local_model") or settings.get("provider") == "local":
        return True
    routes = settings.get("routing.tasks") or {}
    return "local" in (routes.get("package_selection") or []) if isinstance(routes, dict) else False


def run(args: argparse.Namespace, ctx: Any) -> int:
    from cortex import plan as P
    from cortex.intake import check_request, refusal_hint

    request = " ".join(args.request).strip()
    if not request:
        from cortex.errors import UsageError

        raise UsageError("Say what to install, e.g. `cortex install nginx`.")
    decision = check_request(request)
    if not decision.allowed:
        return _finish(ctx, args, P.refused(request, decision.reason, decision.rule, refusal_hint()))

    plan, manager, index = _plan(request, args, ctx)
    if plan.status == P.UNRESOLVED:
        from cortex.cli.choose import offer

        picked = offer(plan, args)  # in a terminal: one of the closest candidates, or none
        if picked:
            plan, manager, index = _plan(picked, args, ctx)
    if plan.status != P.PLANNED or not args.execute:
        if plan.status == P.PLANNED:
            _record_dry_run(ctx, plan)
        return _finish(ctx, args, plan)
    return _execute(ctx, args, plan, manager, index)


def _plan(request: str, args: argparse.Namespace, ctx: Any):
    from cortex.packages.detect import detect_manager
    from cortex.packages.index import PackageIndex
    from cortex.planner import Planner, simulate
    from cortex.planning.split import split_request

    manager = detect_manager()
    speculative = _speculate(manager, split_request(request))
    index = PackageIndex.open(manager)
    planner = Planner(index, manager, None if args.no_model else _LazyRouter(ctx), use_model=not args.no_model)
    plan = planner.plan(request)
    if speculative is not None:
        _preload(ctx)  # while apt's dry run is still running
    simulation = speculative.result(plan.packages) if speculative else None
    plan = simulate(plan, manager, index, allow_removals=args.allow_removals, simulation=simulation)
    return plan, manager, index


def _preload(ctx: Any) -> None:
    """Import what rendering and recording need, overlapping the package manager's dry run."""
    import importlib

    importlib.import_module("cortex.history.store")
    if not ctx.json:
        importlib.import_module("cortex.cli.install_view")
        importlib.import_module("rich.table")
        _ = ctx.console  # built now rather than after the dry run


class _Speculation:
    """`apt-get -s install NAME` started before the index is opened, for a request that is one name.

    The dry run is the slowest part of planning an exact name; starting it early overlaps it with
    loading the index. Its result is used only if the plan turns out to be exactly that package.
    """

    def __init__(self, manager: Any, name: str) -> None:
        import threading

        self.name = name
        self._value: Any = None
        self._thread = threading.Thread(target=self._work, args=(manager,), daemon=True)
        self._thread.start()

    def _work(self, manager: Any) -> None:
        try:
            self._value = manager.simulate([self.name])
        except Exception:  # the real simulation runs again and reports it properly
            self._value = None

    def result(self, packages: tuple[str, ...]) -> Any:
        if packages != (self.name,):
            return None
        self._thread.join()
        return self._value


def _speculate(manager: Any, parts: list[Any]) -> _Speculation | None:
    if len(parts) != 1 or not parts[0].name_like:
        return None
    name = parts[0].text.lower()
    return _Speculation(manager, name) if manager.valid_name(name) else None


def _record_dry_run(ctx: Any, plan: Any) -> None:
    """Dry runs are recorded as plans (never as installs); a broken history must not block a dry run."""
    from cortex.errors import CortexError

    try:
        from cortex.history import open_store

        with open_store() as store:
            store.record_plan(request=plan.request, plan=plan.to_dict(), backend=plan.backend, model=plan.model or None)
    except CortexError as exc:
        ctx.err.print(f"[yellow]warning:[/] the plan was not recorded in the history: {exc.message}")


def _confirm(ctx: Any, args: argparse.Namespace, plan: Any) -> str:
    """'' when execution may go ahead; otherwise why not."""
    if args.yes:
        return ""
    if not sys.stdin.isatty():
        return "Refusing to execute without confirmation: there is no terminal to ask on. Pass --yes to confirm."
    from rich.prompt import Confirm

    ask = f"Install {', '.join(plan.packages)}?" if ctx.json else "Run these steps?"
    if Confirm.ask(ask, console=ctx.err, default=False):
        return ""
    return "Not confirmed; nothing was changed."


def _execute(ctx: Any, args: argparse.Namespace, plan: Any, manager: Any, index: Any) -> int:
    from cortex import plan as P
    from cortex.errors import InstallError

    if not ctx.json:
        from cortex.cli.install_view import render_plan

        render_plan(ctx.console, plan)
    why_not = _confirm(ctx, args, plan)
    if why_not:
        refused = plan.with_(status=P.REFUSED, reason=why_not, rule="confirmation")
        return _finish(ctx, args, refused, shown=True)

    from contextlib import nullcontext

    from cortex.executor import Executor
    from cortex.history import open_store
    from cortex.policy import PolicyContext

    store = open_store()
    store.check_writable()
    progress = nullcontext(None)
    if ctx.err.is_terminal:
        from cortex.progress import RichProgress

        progress = RichProgress(ctx.err)
    try:
        with (
            store,
            progress as bar,
            store.transaction(
                kind="install",
                request=plan.request,
                plan=plan.to_dict(),
                backend=plan.backend,
                model=plan.model or None,
            ) as tx,
        ):
            executor = Executor(PolicyContext.for_plan(manager.name, plan.packages), progress=bar, on_step=tx.step)
            executor.run(plan.steps)
            verification = executor.verify(manager, plan.packages)
            if not verification.ok:
                raise InstallError(
                    f"Installed, but verification failed for: {', '.join(verification.missing)}.",
                    hint="Check `dpkg -l` and the package manager's output in `cortex history`.",
                )
    except InstallError as exc:
        failed = plan.with_(status=P.FAILED, reason=exc.message, suggestions=(exc.hint,) if exc.hint else ())
        return _finish(ctx, args, failed, shown=True)
    notes = tuple(plan.notes) + verification.notes
    done = plan.with_(
        status=P.INSTALLED, notes=notes, simulation={**plan.simulation, "verified": verification.to_dict()}
    )
    return _finish(ctx, args, done, shown=True)


def _finish(ctx: Any, args: argparse.Namespace, plan: Any, *, shown: bool = False) -> int:
    """Print the result (one JSON document, or rich text) and return its exit code."""
    if ctx.json:
        ctx.print_json(plan.to_dict())
        if plan.status in ("refused", "unresolved", "failed") and plan.reason:
            sys.stderr.write(f"cortex: {plan.reason}\n")
    else:
        from cortex.cli.install_view import render_outcome, render_plan

        if not shown:
            render_plan(ctx.console, plan, dry_run=not args.execute)
        render_outcome(ctx.console, ctx.err, plan)
    return EXIT.get(plan.status, 1)
