"""Provider registry: name -> class, imported lazily. Built-ins register exactly like plugins.

Third-party providers register through the `cortex.providers` entry-point group
(`myprov = mypkg.module:MyProvider`), or at run time with `register("myprov", MyProvider)`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from cortex.errors import ConfigError

if TYPE_CHECKING:
    from cortex.llm.providers.base import Provider

_BUILTINS: dict[str, str] = {
    "claude": "cortex.llm.providers.claude:ClaudeProvider",
    "kimi": "cortex.llm.providers.kimi:KimiProvider",
    "openai": "cortex.llm.providers.openai_compat:OpenAIProvider",
    "ollama": "cortex.llm.providers.ollama:OllamaProvider",
    "local": "cortex.llm.providers.local:LocalProvider",
}
_registered: dict[str, str | type[Provider]] = dict(_BUILTINS)
_plugins_loaded = False


def register(name: str, provider: str | type[Provider]) -> None:
    """Register a provider class, or a 'module:Class' path imported on first use."""
    _registered[name] = provider


def names() -> list[str]:
    _load_plugins()
    return list(_registered)


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


def _load_plugins() -> None:
    global _plugins_loaded
    if _plugins_loaded:
        return
    _plugins_loaded = True
    from importlib.metadata import entry_points

    for ep in entry_points(group="cortex.providers"):
        _registered.setdefault(ep.name, ep.value)
