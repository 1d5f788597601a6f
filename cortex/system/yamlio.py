"""YAML reading with libyaml's C loader when PyYAML was built with it (several times faster than the
pure-Python SafeLoader, which matters for start-up: defaults, routing and price tables load on every run)."""

from __future__ import annotations

from typing import Any


def load(text: str) -> Any:
    """yaml.safe_load, through the C SafeLoader when available (same safe subset of YAML)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader)
