"""The core of `cortex install`: decide, plan, simulate, execute, verify. The CLI only parses and renders.

    result = plan_install(request, settings=..., router=ctx.router, use_model=True, allow_removals=False)
    result.plan                                   # refused | unresolved | planned (simulated)
    done = execute_install(result.plan, result.manager, store, progress=bar)   # installed | failed

Decisions made here, not in the CLI: whether a model may choose packages (and which: the embedded model
only when asked for), starting the package manager's dry run early for a one-name request, and what a
failed verification means (an InstallError, so the transaction is recorded as failed).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cortex import plan as P
from cortex.errors import CortexError, InstallError

if TYPE_CHECKING:  # a dry run never imports the executor
    from cortex.executor import Verification
    from cortex.packages.base import PackageManager, Simulation


def local_model_wanted(settings: Any) -> bool:
    """Whether the embedded model may choose packages (see `install.local_model` in defaults.yaml)."""
    if settings.get("install.local_model") or settings.get("provider") == "local":
        return True
    routes = settings.get("routing.tasks") or {}
    return "local" in (routes.get("package_selection") or []) if isinstance(routes, dict) else False


class SelectionRouter:
    """The router for package selection, built only if a described need actually asks a model.

    Exact names never build it. The embedded local model is left out of package selection unless asked
    for (`install.local_model`, `--provider local`, or a package_selection route naming it): measured,
    it picks worse than the index ranking it would replace.
    """

    def __init__(self, router: Callable[[], Any], settings: Callable[[], Any]) -> None:
        self._router = router
        self._settings = settings

    def chain(self, task: Any) -> list[tuple[str, str]]:
        chain = self._router().chain(task)
        if not local_model_wanted(self._settings()):
            chain = [(name, model) for name, model in chain if name != "local"]
        return chain

    def complete(self, *args: Any, **kw: Any) -> Any:
        return self._router().complete(*args, **kw)


class Speculation:
    """The manager's dry run of NAME started before the index is opened, for a request that is one name.

    The dry run is the slowest part of planning an exact name; starting it early overlaps it with
    loading the index. Its result is used only if the plan turns out to be exactly that package.
    """

    def __init__(self, manager: PackageManager, name: str) -> None:
        self.name = name
        self._value: Simulation | None = None
        self._thread = threading.Thread(target=self._work, args=(manager,), daemon=True)
        self._thread.start()

    def _work(self, manager: PackageManager) -> None:
        try:
            self._value = manager.simulate([self.name])
        except Exception:  # the real simulation runs again and reports it properly
            self._value = None

    def result(self, packages: tuple[str, ...]) -> Simulation | None:
        if packages != (self.name,):
            return None
        self._thread.join()
        return self._value


def speculate(manager: PackageManager, request: str) -> Speculation | None:
    """A Speculation when `request` is one name-like word that fits the manager's grammar; else None."""
    from cortex.planning.split import split_request

    parts = split_request(request)
    if len(parts) != 1 or not parts[0].name_like:
        return None
    name = parts[0].text.lower()
    return Speculation(manager, name) if manager.valid_name(name) else None


@dataclass(frozen=True)
class Planned:
    """A plan and what made it (the manager runs it; None when intake refused the request first)."""

    plan: P.Plan
    manager: PackageManager | None = None


def plan_install(
    request: str,
    *,
    settings: Callable[[], Any],
    router: Callable[[], Any],
    use_model: bool = True,
    allow_removals: bool = False,
    while_simulating: Callable[[], None] | None = None,
) -> Planned:
    """Intake, then the index, the planner and the manager's own dry run -> a refused/unresolved/planned Plan.

    `settings` and `router` are called only when needed (a model is asked only for a described need);
    `while_simulating` runs while a speculative dry run is still under way (the CLI preloads rendering).
    """
    from cortex.intake import check_request, refusal_hint

    decision = check_request(request)
    if not decision.allowed:
        return Planned(P.refused(request, decision.reason, decision.rule, refusal_hint()))

    from cortex.packages.detect import detect_manager
    from cortex.packages.index import PackageIndex
    from cortex.planner import Planner, simulate

    manager = detect_manager()
    speculative = speculate(manager, request)
    index = PackageIndex.open(manager)
    selection = SelectionRouter(router, settings) if use_model else None
    plan = Planner(index, manager, selection, use_model=use_model).plan(request)
    if speculative is not None and while_simulating is not None:
        while_simulating()
    simulation = speculative.result(plan.packages) if speculative else None
    plan = simulate(plan, manager, index, allow_removals=allow_removals, simulation=simulation)
    return Planned(plan, manager)


def record_dry_run(plan: P.Plan) -> str:
    """Record a dry run as a plan (never as an install); '' or why it could not be recorded.

    A broken history must not block a dry run: the caller shows the reason as a warning.
    """
    try:
        from cortex.history import open_store

        with open_store() as store:
            store.record_plan(request=plan.request, plan=plan.to_dict(), backend=plan.backend, model=plan.model or None)
    except CortexError as exc:
        return exc.message
    return ""


def verification_error(verification: Verification) -> InstallError | None:
    """Pure: a verification that found packages missing is an install failure."""
    if verification.ok:
        return None
    return InstallError(
        f"Installed, but verification failed for: {', '.join(verification.missing)}.",
        hint="Check the package manager's state and its output in `cortex history`.",
    )


def execute_install(
    plan: P.Plan, manager: PackageManager, store: Any, *, progress: Callable[[Any], None] | None = None
) -> P.Plan:
    """Run a planned install as a history transaction; the plan back as installed, or failed (with the hint).

    Raises RefusedError (a step the policy refuses) and StateError (history); Ctrl-C propagates after
    the transaction is recorded as interrupted.
    """
    from cortex.executor import Executor
    from cortex.policy import PolicyContext

    store.check_writable()
    try:
        with store.transaction(
            kind="install", request=plan.request, plan=plan.to_dict(), backend=plan.backend, model=plan.model or None
        ) as tx:
            executor = Executor(
                PolicyContext.for_plan(manager.name, plan.packages), progress=progress, on_result=tx.record
            )
            executor.run(plan.steps)
            verification = executor.verify(manager, plan.packages)
            error = verification_error(verification)
            if error is not None:
                raise error
    except InstallError as exc:
        return plan.with_(status=P.FAILED, reason=exc.message, suggestions=(exc.hint,) if exc.hint else ())
    return plan.with_(
        status=P.INSTALLED,
        notes=tuple(plan.notes) + verification.notes,
        simulation={**plan.simulation, "verified": verification.to_dict()},
    )
