"""How one part of a request was resolved (a value the planner and its composition steps share)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cortex import plan as P


@dataclass(frozen=True)
class PartResult:
    """How one part of the request was resolved: packages chosen, or why not."""

    part: str
    choices: tuple[P.PackageChoice, ...] = ()
    backend: str = ""
    model: str = ""
    reason: str = ""
    suggestions: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    candidates: tuple[Any, ...] = ()  # an unresolved need's best candidates, for a choice

    @property
    def ok(self) -> bool:
        return bool(self.choices)
