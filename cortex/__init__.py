"""cortex: an AI-native system assistant for Linux.

Public API (imported lazily so that `import cortex` and `cortex --help` stay fast):

    from cortex import LLMRouter, TaskType, Message, Completion
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "LLMRouter": "cortex.llm.router",
    "TaskType": "cortex.llm.types",
    "Message": "cortex.llm.types",
    "Tool": "cortex.llm.types",
    "ToolCall": "cortex.llm.types",
    "Completion": "cortex.llm.types",
    "Usage": "cortex.llm.types",
    "Settings": "cortex.config",
    "CortexError": "cortex.errors",
    "ExitCode": "cortex.exit_codes",
}

__all__ = [*_EXPORTS, "__version__"]


def __getattr__(name: str) -> Any:
    module_name = _EXPORTS.get(name)
    if module_name is None:
        raise AttributeError(f"module 'cortex' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module_name), name)
    globals()[name] = value
    return value
