"""Pure pricing: a Usage and a (provider, model) -> USD, from cortex/data/prices.yaml."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from cortex import data
from cortex.llm.types import Usage


@lru_cache(maxsize=1)
def load_prices() -> dict[str, Any]:
    return data.load("prices.yaml") or {}


def cost_usd(
    provider: str, model: str, usage: Usage, *, paid: bool = True, table: Mapping[str, Any] | None = None
) -> float:
    """Cost of one answer. Unpaid providers (local servers) and unknown providers cost 0."""
    if not paid:
        return 0.0
    table = load_prices() if table is None else table
    entry = table.get(provider) or {}
    if entry.get("free"):
        return 0.0
    price = entry.get(model) or _prefix_match(entry, model) or entry.get("default")
    if not price:
        return 0.0
    per_million = 1_000_000
    return round(
        usage.input_tokens * float(price["input"]) / per_million
        + usage.output_tokens * float(price["output"]) / per_million,
        8,
    )


def _prefix_match(entry: Mapping[str, Any], model: str) -> Any:
    """Dated model ids (claude-sonnet-4-5-20250929) price like their family (claude-sonnet-4-5)."""
    best = None
    for name, price in entry.items():
        fits = name != "default" and isinstance(price, Mapping) and model.startswith(name)
        if fits and (best is None or len(name) > len(best[0])):
            best = (name, price)
    return best[1] if best else None
