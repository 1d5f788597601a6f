"""The data files shipped with cortex (cortex/data/*.yaml): routing, prices, aliases, defaults, catalogs.

    from cortex import data
    doc = data.load("aliases.yaml")      # parsed YAML (libyaml's C loader when available)

The one loader for these files; callers keep their own derived, cached forms.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

DIR = Path(__file__).resolve().parent  # a plain directory: cortex is never imported from a zip


def text(name: str) -> str:
    """The text of cortex/data/NAME."""
    return (DIR / name).read_text(encoding="utf-8")


def load(name: str) -> Any:
    """The parsed YAML of cortex/data/NAME (safe subset of YAML)."""
    from cortex.system import yamlio

    return yamlio.load(text(name))
