"""The one confirmation prompt before cortex changes packages (install --execute, rollback --execute)."""

from __future__ import annotations

import sys
from typing import Any

YES = "yes"
NO = "no"
NO_TERMINAL = "no terminal"


def confirm(ctx: Any, question: str, *, yes: bool) -> str:
    """YES when `--yes` was given or the user agrees; NO when they decline; NO_TERMINAL with none to ask on.

    The question goes to stderr (stdout stays the result, one JSON document with --json); the default
    answer is no.
    """
    if yes:
        return YES
    if not sys.stdin.isatty():
        return NO_TERMINAL
    from rich.prompt import Confirm

    return YES if Confirm.ask(question, console=ctx.err, default=False) else NO
