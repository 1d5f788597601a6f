"""Well-known names -> real package names, per package manager (data: cortex/data/aliases.yaml)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from cortex import data


def normalize_term(term: str) -> str:
    """'  Node.JS ' -> 'node.js': lower case, single spaces, no surrounding punctuation."""
    return re.sub(r"\s+", " ", term.strip().lower()).strip(" '\"`,;")


@lru_cache(maxsize=1)
def manager_tables() -> Mapping[str, Mapping[str, tuple[str, ...]]]:
    """Every manager's table: manager -> well-known name -> that manager's names for it."""
    doc = data.load("aliases.yaml") or {}
    return {
        manager: {normalize_term(str(k)): tuple(str(n) for n in (v or ())) for k, v in (entries or {}).items()}
        for manager, entries in doc.items()
    }


def alias_targets(term: str, manager: str = "apt") -> tuple[str, ...]:
    """The real names `term` stands for on `manager`, in order of preference; () when it is no alias."""
    table = manager_tables().get(manager, {})
    key = normalize_term(term)
    return table.get(key) or table.get(key.replace("_", "-")) or ()
