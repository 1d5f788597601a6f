"""Pure routing: task type -> ordered (provider, model) chain, from data (cortex/data/routing.yaml).

No I/O beyond reading the packaged table once; which providers are *configured* is decided by the
router, which filters this chain. An entry `...` stands for every provider the chain has not named
yet, in the registry's order (cortex/data/providers.yaml, then plugins): a profile that should try
every provider says so once, and a new provider joins it without an edit here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cortex import data
from cortex.errors import ConfigError
from cortex.llm.types import TaskType


@dataclass(frozen=True)
class Route:
    provider: str
    model: str | None = None  # None: the provider's configured default

    def __str__(self) -> str:
        return f"{self.provider}:{self.model}" if self.model else self.provider


def parse_entry(entry: Any) -> Route:
    """`claude`, `ollama:llama3.2:3b` or {provider: ollama, model: llama3.2:3b}."""
    if isinstance(entry, Mapping):
        provider = entry.get("provider")
        if not provider:
            raise ConfigError(f"Routing entry {dict(entry)!r} has no provider.")
        return Route(str(provider), str(entry["model"]) if entry.get("model") else None)
    if isinstance(entry, str) and entry.strip():
        provider, _, model = entry.strip().partition(":")
        return Route(provider, model or None)
    raise ConfigError(f"Invalid routing entry {entry!r}.", hint="Use `provider` or `provider:model`.")


@lru_cache(maxsize=1)
def load_table() -> dict[str, Any]:
    return data.load("routing.yaml")


def profile_names(table: Mapping[str, Any] | None = None) -> list[str]:
    table = table or load_table()
    return [*table["profiles"], *table.get("aliases", {})]


REST = "..."  # every provider not named before it, in registry order


def chain_for(
    task: TaskType,
    *,
    profile: str = "auto",
    overrides: Mapping[str, Sequence[Any]] | None = None,
    forced: str | None = None,
    table: Mapping[str, Any] | None = None,
    providers: Sequence[str] | None = None,
) -> list[Route]:
    """The ordered chain for a task: forced provider > per-task override > profile task > profile default.

    `providers` (default: the registry's names) is what `...` expands to.
    """
    if forced:
        return [parse_entry(forced)]
    if overrides:
        for key, entries in overrides.items():
            if TaskType.parse(key) is task:
                if not isinstance(entries, (list, tuple)):
                    entries = [entries]
                return _expand(entries, providers)
    table = table or load_table()
    name = table.get("aliases", {}).get(profile, profile)
    spec = table["profiles"].get(name)
    if spec is None:
        raise ConfigError(
            f"Unknown routing profile {profile!r}.", hint=f"Use one of: {', '.join(profile_names(table))}."
        )
    entries = (spec.get("tasks") or {}).get(task.value) or spec["default"]
    return _expand(entries, providers)


def _expand(entries: Sequence[Any], providers: Sequence[str] | None) -> list[Route]:
    routes: list[Route] = []
    for entry in entries:
        if entry == REST:
            if providers is None:
                from cortex.llm import registry

                providers = registry.names()
            routes += [Route(name) for name in providers]
        else:
            routes.append(parse_entry(entry))
    return _dedupe(routes)


def _dedupe(routes: list[Route]) -> list[Route]:
    """Each provider at most once per call: the first entry for a provider wins."""
    seen: set[str] = set()
    out: list[Route] = []
    for route in routes:
        if route.provider not in seen:
            seen.add(route.provider)
            out.append(route)
    return out
