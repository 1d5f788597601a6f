"""Help from the machine itself: man pages, the package index and apt's Contents (see offline.py).

`cortex ask` uses it when no model that follows instructions is configured, and gives the same
material to a capable model as context, so that answers match this machine's versions.
"""

from __future__ import annotations

from cortex.assist.offline import Finding, Help, answer
from cortex.assist.routing import offline_reason
from cortex.assist.text import MODEL_HINT, model_context, render

__all__ = ["MODEL_HINT", "Finding", "Help", "answer", "model_context", "offline_reason", "render"]
