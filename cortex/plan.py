"""The values a plan is made of: frozen Steps and a frozen Plan whose to_dict() is the `--json` contract.

    {"request", "status", "packages", "steps": [{"argv", "description"}], "simulation", "backend",
     "reason", "suggestions", "confidence", "model", "chosen": [{name, version, summary, origin, why, ...}]}

A Plan is data only: the planner builds it, the policy checks its steps, the executor runs them and
the CLI renders it. Nothing here does I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

# Plan.status values (the --json contract).
PLANNED = "planned"
REFUSED = "refused"
UNRESOLVED = "unresolved"
INSTALLED = "installed"
FAILED = "failed"
STATUSES = (PLANNED, REFUSED, UNRESOLVED, INSTALLED, FAILED)


@dataclass(frozen=True)
class Step:
    """One command to run, as an argv list (never a shell string), with a line saying what it does."""

    argv: tuple[str, ...]
    description: str = ""
    # Steps that need root (the package manager's install/remove); the executor adds `sudo -n` for non-root.
    privileged: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"argv": list(self.argv), "description": self.description}


@dataclass(frozen=True)
class PackageChoice:
    """A chosen package with what the index says about it and why it was chosen."""

    name: str
    part: str = ""  # the part of the request it answers ("curl" in "curl and wget")
    version: str = ""
    summary: str = ""
    origin: str = ""
    section: str = ""
    backend: str = ""  # exact | alias | provides | ranking | <provider name>
    why: str = ""
    confidence: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "part": self.part,
            "version": self.version,
            "summary": self.summary,
            "origin": self.origin,
            "section": self.section,
            "backend": self.backend,
            "why": self.why,
            "confidence": round(self.confidence, 3),
        }


@dataclass(frozen=True)
class Plan:
    """What cortex intends to do for one request, and (after execution) what happened."""

    request: str
    status: str
    packages: tuple[str, ...] = ()
    steps: tuple[Step, ...] = ()
    simulation: dict[str, Any] = field(default_factory=dict)
    backend: str = ""
    model: str = ""
    confidence: float = 0.0
    reason: str = ""  # why refused / unresolved / failed
    suggestions: tuple[str, ...] = ()  # an unresolved plan's candidates and what to do instead
    chosen: tuple[PackageChoice, ...] = ()
    rule: str = ""  # the intake/policy rule that refused the request
    manager: str = ""
    notes: tuple[str, ...] = ()  # plain-language caveats, e.g. low confidence
    candidates: tuple[PackageChoice, ...] = ()  # unresolved: the closest packages, to offer as a choice

    def with_(self, **changes: Any) -> Plan:
        """A copy with some fields changed (plans are immutable)."""
        return replace(self, **changes)

    @property
    def ok(self) -> bool:
        return self.status in (PLANNED, INSTALLED)

    def to_dict(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "request": self.request,
            "status": self.status,
            "packages": list(self.packages),
            "steps": [s.to_dict() for s in self.steps],
            "simulation": dict(self.simulation),
            "backend": self.backend,
            "reason": self.reason,
            "suggestions": list(self.suggestions),
            "confidence": round(self.confidence, 3),
            "model": self.model,
            "manager": self.manager,
            "chosen": [c.to_dict() for c in self.chosen],
        }
        if self.status == REFUSED:  # a refused plan plans nothing: no steps, no packages to read as a plan
            del doc["packages"], doc["steps"]
        if self.rule:
            doc["rule"] = self.rule
        if self.notes:
            doc["notes"] = list(self.notes)
        if self.candidates:
            doc["candidates"] = [c.to_dict() for c in self.candidates]
        return doc


def refused(request: str, reason: str, rule: str, hint: str = "") -> Plan:
    """A refused plan: nothing planned, the rule that fired named."""
    suggestions = (hint,) if hint else ()
    return Plan(request=request, status=REFUSED, reason=reason, rule=rule, suggestions=suggestions, backend="intake")


def unresolved(request: str, reason: str, suggestions: tuple[str, ...] = (), backend: str = "") -> Plan:
    """An unresolved plan: nothing clearly fits; suggestions say what to do instead (exit 4)."""
    return Plan(request=request, status=UNRESOLVED, reason=reason, suggestions=suggestions, backend=backend)
