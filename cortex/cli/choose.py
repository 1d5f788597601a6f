"""An unresolved need's closest candidates offered as a choice, in a terminal only.

    cortex install "something for my thing"   (a TTY, no --json, no --yes)
    ? Nothing clearly fits 'something for my thing'. Did you mean one of these?
      > foo: the summary of foo
        bar: the summary of bar
        none of these

Anywhere else (pipes, --json, --yes) the plan stays `unresolved`, exit 4, with the same candidates in
its suggestions. The choice is pure data in, name out; install.py re-plans the chosen name.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import Any

NONE_OF_THESE = "none of these"


def interactive(args: Any) -> bool:
    """A person at a terminal who has not asked for JSON or for no questions."""
    if getattr(args, "json", False) or getattr(args, "yes", False):
        return False
    return sys.stdin.isatty() and sys.stdout.isatty()


def choice_labels(candidates: Sequence[Any]) -> list[tuple[str, str]]:
    """(label, package name) per distinct candidate, then "none of these" (name '')."""
    seen: set[str] = set()
    out: list[tuple[str, str]] = []
    for c in candidates:
        if c.name in seen:
            continue
        seen.add(c.name)
        out.append((f"{c.name}: {c.summary}" if c.summary else c.name, c.name))
    out.append((NONE_OF_THESE, ""))
    return out


def ask_questionary(question: str, labels: list[str]) -> str | None:
    import questionary

    return questionary.select(question, choices=labels).unsafe_ask()


def offer(plan: Any, args: Any, ask: Callable[[str, list[str]], str | None] = ask_questionary) -> str:
    """The package the user picked among an unresolved plan's candidates ('' for none, or no terminal)."""
    if plan.status != "unresolved" or not plan.candidates or not interactive(args):
        return ""
    options = choice_labels(plan.candidates)
    question = f"{plan.reason} Did you mean one of these?"
    answer = ask(question, [label for label, _ in options])
    return dict(options).get(answer or "", "")
