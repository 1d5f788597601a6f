"""No module imports from a layer above its own (docs/DEVELOPING.md, ../ARCHITECTURE.md):

    cli  ->  core  ->  llm / packages / ollama / local_models / config  ->  system (runner, paths, hardware)

config sits beside llm: it reads the providers' declarations (cortex/data/providers.yaml through
cortex.llm.spec) to know their keys and defaults, and the router reads the settings it resolves.

errors, exit_codes and the package's __init__ sit below everything: any module may use them. Imports
inside functions count too (a lazy import is still a dependency).
"""

from __future__ import annotations

import ast
from pathlib import Path

import cortex

ROOT = Path(cortex.__file__).parent
CLI, CORE, LOWER, SYSTEM, BASE = 4, 3, 2, 1, 0
NAMES = {CLI: "cli", CORE: "core", LOWER: "llm/packages", SYSTEM: "system", BASE: "base"}
# First dotted part after `cortex.` -> its layer; anything not named here is core.
LAYERS = {
    "cli": CLI,
    "llm": LOWER,
    "packages": LOWER,
    "ollama": LOWER,
    "local_models": LOWER,
    "system": SYSTEM,
    "config": LOWER,
    "config_schema": LOWER,
    "paths": SYSTEM,
    "hardware": SYSTEM,
    "data": SYSTEM,
    "errors": BASE,
    "exit_codes": BASE,
    "__main__": CLI,
}


def module_name(path: Path) -> str:
    parts = ["cortex", *path.relative_to(ROOT).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(module: str) -> int:
    parts = module.split(".")
    if len(parts) == 1:
        return BASE  # cortex/__init__.py: the version and lazy re-exports
    return LAYERS.get(parts[1], CORE)


def imports(path: Path) -> set[str]:
    """Every cortex module `path` imports (`from cortex import x` counts as cortex.x)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "cortex"}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "cortex":
                found |= {f"cortex.{a.name}" for a in node.names}
            elif node.module.startswith("cortex."):
                found.add(node.module)
    return found


def violations() -> list[str]:
    out = []
    for path in sorted(ROOT.rglob("*.py")):
        module = module_name(path)
        if module == "cortex":
            continue  # the package's lazy public API re-exports from every layer by design
        for target in sorted(imports(path)):
            if layer(target) > layer(module):
                out.append(f"{module} ({NAMES[layer(module)]}) imports {target} ({NAMES[layer(target)]})")
    return out


def test_no_module_imports_from_a_layer_above_it():
    assert violations() == []


def test_the_check_sees_an_upward_import(tmp_path):
    """The rule can fail: an llm module importing the CLI is reported."""
    bad = tmp_path / "bad.py"
    bad.write_text("from cortex.cli.main import main\nimport cortex.policy\n")
    assert imports(bad) == {"cortex.cli.main", "cortex.policy"}
    assert layer("cortex.llm.router") < layer("cortex.policy") < layer("cortex.cli.main")
    assert layer("cortex.system.runner") < layer("cortex.packages.apt") and layer("cortex.errors") == BASE
