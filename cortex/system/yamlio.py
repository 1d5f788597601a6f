"""YAML reading with libyaml's C loader when PyYAML was built with it (several times faster than the
pure-Python SafeLoader, which matters for start-up: defaults, routing and price tables load on every run).

Files a user (or anyone who can write them) controls are read with `untrusted=True`: aliases are
bounded (a "billion laughs" file of nested aliases expands to billions of values from a few lines,
and whatever walks the result afterwards runs out of memory or time), and so are nesting depth and
recursive aliases. The limits are far above what a configuration file needs; a caller whose documents
are legitimately larger (a lock file pins thousands of packages) passes its own `max_nodes`.
"""

from __future__ import annotations

from typing import Any

MAX_ALIASES = 64  # alias uses (`*name`) per document
MAX_NODES = 20_000  # values in the document once every alias is expanded
MAX_DEPTH = 64  # nesting of mappings and lists


class TooComplex(ValueError):
    """An untrusted document past the alias, size or depth limits; str() says which, as a phrase."""


def load(text: str, *, untrusted: bool = False, max_nodes: int = MAX_NODES) -> Any:
    """yaml.safe_load, through the C SafeLoader when available (same safe subset of YAML).

    With `untrusted`, raise TooComplex for documents past the limits above, or past `max_nodes` values
    (before anything is built).
    """
    import yaml

    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    if not untrusted:
        return yaml.load(text, Loader=loader_class)
    loader = loader_class(text)
    try:
        try:
            node = loader.get_single_node()
        except RecursionError:
            raise TooComplex(f"nests deeper than {MAX_DEPTH} levels") from None
        if node is None:
            return None
        _check(node, max_nodes)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _check(root: Any, max_nodes: int) -> None:
    """Count aliases and the expanded size without expanding anything (each node's size is memoized)."""
    import yaml

    sizes: dict[int, int] = {}
    aliases = 0

    def size(node: Any, depth: int, active: set[int]) -> int:
        nonlocal aliases
        key = id(node)
        if key in active:
            raise TooComplex("has a recursive alias")
        if key in sizes:
            aliases += 1
            if aliases > MAX_ALIASES:
                raise TooComplex(f"uses more than {MAX_ALIASES} aliases")
            return sizes[key]
        if depth > MAX_DEPTH:
            raise TooComplex(f"nests deeper than {MAX_DEPTH} levels")
        total = 1
        if isinstance(node, (yaml.SequenceNode, yaml.MappingNode)):
            active.add(key)
            children = node.value if isinstance(node, yaml.SequenceNode) else [n for pair in node.value for n in pair]
            for child in children:
                total += size(child, depth + 1, active)
                if total > max_nodes:
                    raise TooComplex(f"expands to more than {max_nodes} values")
            active.discard(key)
        sizes[key] = total
        return total

    size(root, 0, set())
