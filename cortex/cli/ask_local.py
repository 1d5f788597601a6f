"""`cortex ask`'s local help (cortex.assist): offline answers, and local facts as a model's context."""

from __future__ import annotations

import argparse
import time
from typing import Any


def _help(question: str) -> Any:
    from cortex.assist import answer

    index = None
    try:
        from cortex.packages.detect import detect_manager
        from cortex.packages.index import PackageIndex

        index = PackageIndex.open(detect_manager(), refresh=False)
    except Exception:  # no package manager or no index yet: the man pages still answer
        index = None
    try:
        return answer(question, index)
    finally:
        if index is not None:
            index.close()


def answer_offline(ctx: Any, args: argparse.Namespace, router: Any, task: Any, question: str) -> int | None:
    """Answer from the machine when no capable model would; None when a model should answer."""
    from cortex.assist import MODEL_HINT, offline_reason, render
    from cortex.exit_codes import ExitCode

    reason = offline_reason(router, task, args.provider)
    if reason is None:
        return None
    if not question.strip():
        from cortex.errors import UsageError

        raise UsageError("The question is empty.", hint='Ask something, e.g. `cortex ask "how do I list open ports?"`.')
    started = time.monotonic()
    help = _help(question)
    took = time.monotonic() - started
    code = ExitCode.OK if help.findings else ExitCode.UNRESOLVED
    if args.json:
        ctx.print_json({"source": "offline", "reason": reason, **help.to_dict(), "hint": MODEL_HINT})
        return code
    print(render(help, reason), end="")
    ctx.err.print(f"[dim]— offline: {', '.join(help.sources) or 'nothing found'} · {took:.2f} s[/dim]")
    return code


def local_system_prompt(ctx: Any, args: argparse.Namespace, task: Any, question: str) -> str | None:
    """The user's system prompt plus this machine's facts about the question, for a capable model."""
    from cortex.assist import model_context
    from cortex.local_models import FREE_FORM_TASKS

    if task not in FREE_FORM_TASKS:
        return args.system
    context = model_context(_help(question))
    if not context:
        return args.system
    return f"{args.system}\n\n{context}" if args.system else context
