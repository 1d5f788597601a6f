"""The embedded local model: model sources, GGUF headers, memory and CPU checks, prompt formats.

Nothing here imports llama.cpp (xllamacpp) at import time; only cortex.local_models.engine does,
when a model is first loaded.
"""

from __future__ import annotations

from cortex.llm.types import TaskType

# Tasks the bundled 270M base model does badly: free-form text rather than a choice under a schema.
FREE_FORM_TASKS = frozenset(
    {TaskType.USER_CHAT, TaskType.CODE_GENERATION, TaskType.ERROR_DEBUGGING, TaskType.SYSTEM_OPERATION}
)

BIGGER_MODEL_ADVICE = (
    "The embedded model (Gemma 3 270M) is small and weak at free-form answers; "
    "a bigger model is recommended: run `cortex setup ollama` for a local one, "
    "or set ANTHROPIC_API_KEY or MOONSHOT_API_KEY for a cloud one."
)


def advice_for(task: TaskType | str, provider: str = "local", model: str | None = None) -> str | None:
    """What to tell the user after `provider`/`model` answered `task`; None when nothing needs saying.

    Only the bundled model earns the advice: a user who chose another local GGUF chose its size.
    """
    from cortex.local_models.bundled import BUNDLED_NAME

    if provider != "local" or (model and model != BUNDLED_NAME):
        return None
    return BIGGER_MODEL_ADVICE if TaskType.parse(task) in FREE_FORM_TASKS else None
