"""How the wizard talks to the user. Decisions never live here.

PlainUI: non-interactive (CI): every line goes to stderr, confirmations take the flag-given answer,
the model is the one chosen by flags, pull progress is a line per layer.
InteractiveUI: questionary prompts (arrow keys + Enter) and a rich progress bar per layer.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from cortex.termtext import clean, markup

if TYPE_CHECKING:
    from rich.console import Console

    from cortex.ollama.client import PullProgress

OTHER = "__other__"


def _size(n: float) -> str:
    for unit in ("B", "KiB", "MiB"):
        if n < 1024:
            return f"{n:,.0f} {unit}"
        n /= 1024
    return f"{n:,.1f} GiB"


class PlainUI:
    def __init__(self, console: Console, *, assume_yes: bool = True) -> None:
        self.console = console
        self.assume_yes = assume_yes

    def section(self, title: str) -> None:
        self.console.print(f"[bold]==> {markup(title)}[/bold]")

    def say(self, text: str) -> None:
        self.console.print(f"    {clean(text)}", markup=False, highlight=False, soft_wrap=True)

    def warn(self, text: str) -> None:
        self.console.print(f"    warning: {clean(text)}", markup=False, highlight=False, soft_wrap=True)

    def confirm(self, question: str, default: bool = True) -> bool:
        answer = self.assume_yes or default
        self.say(f"{question} {'yes' if answer else 'no'} (non-interactive)")
        return answer

    def choose_model(self, choices: Sequence[tuple[str, str]], default: str) -> str:
        return default

    @contextmanager
    def pull_progress(self, model: str) -> Iterator[Callable[[PullProgress], None]]:
        started: dict[str, float] = {}
        reported: set[str] = set()

        def on_progress(p: PullProgress) -> None:
            if not p.digest:
                self.say(p.status)
                return
            started.setdefault(p.digest, time.monotonic())
            if p.total and p.completed >= p.total and p.digest not in reported:
                reported.add(p.digest)
                elapsed = max(time.monotonic() - started[p.digest], 1e-6)
                self.say(f"{p.digest[7:19]}: {_size(p.total)} done ({_size(int(p.total / elapsed))}/s)")

        yield on_progress


class InteractiveUI(PlainUI):
    """questionary prompts; raises KeyboardInterrupt on Ctrl-C (exit 130) instead of returning None."""

    def confirm(self, question: str, default: bool = True) -> bool:
        import questionary

        return bool(questionary.confirm(question, default=default).unsafe_ask())

    def choose_model(self, choices: Sequence[tuple[str, str]], default: str) -> str:
        import questionary

        options = [questionary.Choice(title=label, value=tag) for tag, label in choices]
        options.append(questionary.Choice(title="another Ollama model (type its tag)", value=OTHER))
        picked = questionary.select("Which model?", choices=options, default=default).unsafe_ask()
        if picked == OTHER:
            picked = questionary.text("Ollama tag (e.g. qwen2.5:7b):").unsafe_ask().strip() or default
        return str(picked)

    @contextmanager
    def pull_progress(self, model: str) -> Iterator[Callable[[PullProgress], None]]:
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            Progress,
            TaskID,
            TextColumn,
            TimeRemainingColumn,
            TransferSpeedColumn,
        )

        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TimeRemainingColumn(),
        )
        with Progress(*columns, console=self.console, transient=False) as progress:
            tasks: dict[str, TaskID] = {}

            def on_progress(p: PullProgress) -> None:
                if not p.digest:
                    progress.console.print(f"    {clean(p.status)}", markup=False)
                    return
                if p.digest not in tasks:
                    tasks[p.digest] = progress.add_task(f"    {markup(p.digest[7:19])}", total=p.total or None)
                progress.update(tasks[p.digest], total=p.total or None, completed=p.completed)

            yield on_progress
