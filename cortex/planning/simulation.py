"""The package manager's own simulation of a plan, and the removal check on it.

Simulation is the one I/O step of planning (`apt-get -s install ...`); the decisions about its result
(`check_removals`, `with_index_sizes`) are pure.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cortex import plan as P


def check_removals(simulation: Any, requested: Sequence[str], index: Any, allow_removals: bool) -> str:
    """Pure: why a simulated install must be refused ('' when it may go ahead).

    Removing packages the user did not ask about, or an essential/required one, needs --allow-removals.
    """
    removed = [name for name, _version in getattr(simulation, "removed", ()) or ()]
    if not removed or allow_removals:
        return ""
    essential = []
    for name in removed:
        info = index.get(name) if index is not None else None
        if info is not None and (getattr(info, "essential", False) or getattr(info, "priority", "") == "required"):
            essential.append(name)
    others = [n for n in removed if n not in requested]
    if essential:
        return f"The install would remove essential packages: {', '.join(essential)}."
    if others:
        return f"The install would remove packages you did not ask about: {', '.join(others)}."
    return ""


def simulate(
    plan: P.Plan, manager: Any, index: Any = None, *, allow_removals: bool = False, simulation: Any = None
) -> P.Plan:
    """Attach the package manager's own simulation (run now unless given); refuse removals unless allowed."""
    if plan.status != P.PLANNED:
        return plan
    sim = simulation if simulation is not None else manager.simulate(list(plan.packages))
    doc = sim.to_dict()
    if not sim.ok:
        return plan.with_(
            status=P.UNRESOLVED,
            simulation=doc,
            reason=f"The package manager cannot install this: {sim.error or 'simulation failed'}.",
            suggestions=("Run `apt-get update` if the package lists are old, then try again.",),
        )
    if index is not None:
        doc = with_index_sizes(doc, index)
    why = check_removals(sim, plan.packages, index, allow_removals)
    if why:
        return plan.with_(
            status=P.REFUSED,
            simulation=doc,
            reason=why,
            rule="removals",
            suggestions=("Review the simulation; pass --allow-removals to accept the removals.",),
        )
    return plan.with_(simulation=doc)


def with_index_sizes(doc: dict[str, Any], index: Any) -> dict[str, Any]:
    """Fill download and disk sizes from the index when the dry run does not print them (apt-get -s)."""
    if doc.get("download_bytes") is not None and doc.get("disk_bytes") is not None:
        return doc
    infos = [index.get(item["name"]) for item in doc.get("new", [])]
    infos = [i for i in infos if i is not None]
    if not infos:
        return doc
    out = dict(doc)
    if out.get("download_bytes") is None:
        out["download_bytes"] = sum(int(getattr(i, "download_size", 0) or 0) for i in infos)
    if out.get("disk_bytes") is None:
        out["disk_bytes"] = sum(int(getattr(i, "installed_size", 0) or 0) for i in infos)
    out["sizes_from"] = "index"
    return out
