"""Provider registry: name -> class, imported lazily. Built-ins register exactly like plugins.

Built-ins are the rows of cortex/data/providers.yaml (cortex.llm.spec), in their order. Third-party
providers register through the `cortex.providers` entry-point group (`myprov = mypkg.module:MyProvider`),
or at run time with `register("myprov", MyProvider)`; a plugin class may carry a `spec`
(ProviderSpec) declaring its environment variables, settings and doctor check like a built-in's row.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from cortex.errors import ConfigError
from cortex.llm.spec import ProviderSpec, builtin_specs

if TYPE_CHECKING:
    from cortex.llm.providers.base import Provider

_registered: dict[str, str | type[Provider]] = {name: spec.target for name, spec in builtin_specs().items()}
_plugins_loaded = False


def register(name: str, provider: str | type[Provider]) -> None:
    """Register a provider class, or a 'module:Class' path imported on first use."""
    _registered[name] = provider


def names() -> list[str]:
    _load_plugins()
    return list(_registered)


def exists(name: str) -> bool:
    """Whether `name` is a provider; plugins are looked up only for a name that is not registered."""
    if name not in _registered:
        _load_plugins()
    return name in _registered


def get(name: str) -> type[Provider]:
    if name not in _registered:
        _load_plugins()
    target = _registered.get(name)
    if target is None:
        raise ConfigError(f"Unknown provider {name!r}.", hint=f"Known providers: {', '.join(names())}.")
    if isinstance(target, str):
        module_name, _, attr = target.partition(":")
        module = importlib.import_module(module_name)
        target = getattr(module, attr)
        _registered[name] = target
    return target


def spec(name: str) -> ProviderSpec:
    """What provider `name` declares: a built-in's row, a plugin class's `spec`, or a bare spec."""
    builtin = builtin_specs().get(name)
    if builtin is not None:
        return builtin
    declared = getattr(get(name), "spec", None)
    return declared if isinstance(declared, ProviderSpec) else ProviderSpec(name=name, target="")


def specs() -> list[ProviderSpec]:
    """Every registered provider's spec, built-ins first (imports plugin classes, not built-in ones)."""
    return [spec(name) for name in names()]


def _load_plugins() -> None:
    global _plugins_loaded
    if _plugins_loaded:
        return
    _plugins_loaded = True
    from importlib.metadata import entry_points

    for ep in entry_points(group="cortex.providers"):
        _registered.setdefault(ep.name, ep.value)
