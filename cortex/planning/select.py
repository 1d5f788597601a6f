"""Ask a model to pick one package from the index's candidates, through a JSON schema.

The schema's enum is exactly the candidate names plus "none", so a model cannot invent a package;
the request is placed *after* the candidate list (small models otherwise copy the first candidate).
The answer is checked against the candidates again and re-asked once when it does not fit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cortex.errors import ProviderError

NONE = "none"
SYSTEM = (
    "You choose software packages from a Linux distribution's archive. You are given numbered candidate "
    "packages with their descriptions, then a user's request. Pick the one candidate that best does what "
    "the user asked for: prefer the main program over its libraries, plugins, documentation or data "
    'packages. If no candidate fits the request, answer "none". Answer only with JSON.'
)


@dataclass(frozen=True)
class ModelChoice:
    name: str | None  # None: the model said nothing fits
    provider: str
    model: str
    reason: str = ""


def selection_schema(names: Sequence[str], *, with_reason: bool = True) -> dict[str, Any]:
    properties: dict[str, Any] = {"package": {"type": "string", "enum": [*names, NONE]}}
    if with_reason:
        properties["reason"] = {"type": "string"}
    return {"type": "object", "properties": properties, "required": ["package"], "additionalProperties": False}


def selection_prompt(request: str, candidates: Sequence[Any]) -> str:
    """Candidates first, one line each, then the request last (the order matters for small models)."""
    lines = ["Candidate packages:"]
    for i, cand in enumerate(candidates, 1):
        info = cand.info
        lines.append(f"{i}. {info.name}: {info.summary}")
    lines.append("")
    lines.append('Pick the one package that best fits the request below (answer "none" only if none of them fits).')
    lines.append(f"User request: {request}")
    return "\n".join(lines)


def choose_with_model(
    router: Any, task: Any, request: str, candidates: Sequence[Any], *, brief: bool = False
) -> ModelChoice:
    """One model pick among `candidates` (re-asked once if the answer is not one of them).

    Raises ProviderError when no provider answers; the caller falls back to the ranking.
    """
    names = [c.info.name for c in candidates]
    # `brief`: no free-text reason (a small local model spends most of its time writing it).
    schema = selection_schema(names, with_reason=not brief)
    prompt = selection_prompt(request, candidates)
    last = ""
    for attempt in range(2):
        text = prompt if attempt == 0 else f"{prompt}\n\n{last!r} is not one of the candidates; pick from the list."
        completion = router.complete(
            text,
            task=task,
            schema=schema,
            system=SYSTEM,
            temperature=0.0,
            max_tokens=40 if brief else 200,
            schema_name="package_choice",
        )
        data = completion.data if isinstance(completion.data, dict) else {}
        picked = str(data.get("package", "")).strip()
        if picked == NONE:
            return ModelChoice(None, completion.provider, completion.model, str(data.get("reason", "")))
        if picked in names:
            return ModelChoice(picked, completion.provider, completion.model, str(data.get("reason", "")))
        last = picked
    raise ProviderError(f"The model's answer {last!r} is not one of the candidates.", provider=completion.provider)


PROPOSE_SYSTEM = (
    "You know the packages of Linux distributions' archives (Debian, Ubuntu, Fedora, Arch). Given a "
    "user's need, name the packages you would install for it: the main program first, at most five, "
    "real package names only. Answer only with JSON."
)
MAX_PROPOSALS = 5


@dataclass(frozen=True)
class Proposal:
    names: tuple[str, ...]  # as the model wrote them; the planner verifies each against the index
    provider: str
    model: str


def proposal_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            "packages": {"type": "array", "items": {"type": "string"}, "maxItems": MAX_PROPOSALS},
        },
        "required": ["packages"],
        "additionalProperties": False,
    }


def proposal_prompt(need: str, manager: str) -> str:
    return f"Package manager: {manager}\nUser need: {need}\nWhich packages would you install for it?"


def propose_with_model(router: Any, task: Any, need: str, manager: str = "apt") -> Proposal:
    """The packages a model would use for `need`, unverified (names may be wrong or invented).

    Raises ProviderError when no provider answers; the caller goes on with the index's candidates.
    """
    completion = router.complete(
        proposal_prompt(need, manager),
        task=task,
        schema=proposal_schema(),
        system=PROPOSE_SYSTEM,
        temperature=0.0,
        max_tokens=120,
        schema_name="package_proposal",
    )
    data = completion.data if isinstance(completion.data, dict) else {}
    listed = data.get("packages")
    raw: list[Any] = listed if isinstance(listed, list) else []
    names = tuple(dict.fromkeys(str(n).strip().lower() for n in raw if isinstance(n, str) and n.strip()))
    return Proposal(names[:MAX_PROPOSALS], completion.provider, completion.model)
