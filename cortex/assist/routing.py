"""Whether `cortex ask` should answer from the machine instead of a model (pure, given a router)."""

from __future__ import annotations

from typing import Any


def offline_reason(router: Any, task: Any, provider: str | None = None) -> str | None:
    """Why the question is answered offline, or None when a capable model would answer.

    Offline when no provider is configured for the task, or when the first one that would answer is
    the bundled base model on a free-form task (it cannot follow instructions; its text is noise).
    """
    from cortex.local_models import advice_for

    try:
        chain = router.chain(task, provider=provider)
    except Exception:  # a broken provider config: the forced provider reports itself when asked
        return None if provider else "no model is configured"
    if not chain:
        return None if provider else "no model is configured"
    name, model = chain[0]
    if advice_for(task, name, model) is not None:
        return "only the small embedded model is configured, and it cannot answer questions"
    return None
