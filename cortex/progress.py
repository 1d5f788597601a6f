"""Package-manager progress: parse apt's status-fd lines (pure) and show them as a rich progress bar.

apt writes `pmstatus:PKG:PERCENT:TEXT` (dpkg phase), `dlstatus:PKG:PERCENT:TEXT` (downloads),
`pmerror:PKG:PERCENT:TEXT` and `pmconffile:...` on the fd named by `-o APT::Status-Fd=N`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cortex.packages.apt import LOCK_MARKERS  # the one manager whose lock waits cortex recognises so far


@dataclass(frozen=True)
class ProgressEvent:
    kind: str  # download | install | error | conffile | lock | step
    package: str = ""
    percent: float = 0.0
    message: str = ""


def parse_status_line(line: str) -> ProgressEvent | None:
    """One apt status-fd line -> a ProgressEvent, or None for anything unrecognised."""
    head, sep, rest = line.partition(":")
    kinds = {"dlstatus": "download", "pmstatus": "install", "pmerror": "error", "pmconffile": "conffile"}
    if not sep or head not in kinds:
        return None
    if head == "pmconffile":
        return ProgressEvent("conffile", message=rest)
    parts = rest.split(":", 2)
    if len(parts) < 3:
        return None
    package, percent, message = parts
    try:
        value = float(percent)
    except ValueError:
        value = 0.0
    return ProgressEvent(kinds[head], package, max(0.0, min(100.0, value)), message.strip())


def lock_event(line: str) -> ProgressEvent | None:
    """apt's own "waiting for the lock" output line -> an event the user should see."""
    if any(marker in line for marker in LOCK_MARKERS):
        return ProgressEvent("lock", message=line.strip().removeprefix("E: ").removeprefix("W: "))
    return None


if TYPE_CHECKING:
    from rich.progress import Progress, TaskID


class RichProgress:
    """A progress bar on stderr (rich), driven by ProgressEvents. A context manager."""

    def __init__(self, console: Any) -> None:
        self.console = console
        self._progress: Progress | None = None
        self._task: TaskID | None = None
        self._lock_shown = False

    def __enter__(self) -> RichProgress:
        from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

        self._progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            TaskProgressColumn(),
            TimeElapsedColumn(),
            console=self.console,
            transient=True,
        )
        self._progress.__enter__()
        self._task = self._progress.add_task("Preparing", total=100)
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._progress is not None:
            self._progress.__exit__(*exc)

    def __call__(self, event: ProgressEvent) -> None:
        from cortex.termtext import markup as escape  # package-manager output is external text, never markup

        if self._progress is None or self._task is None:
            return
        if event.kind == "lock":
            if not self._lock_shown:
                self.console.print(f"[yellow]Waiting for the package manager lock:[/] {escape(event.message)}")
                self._lock_shown = True
            return
        if event.kind == "step":
            self._progress.update(self._task, description=escape(event.message), completed=0)
            return
        if event.kind in ("download", "install"):
            label = "Downloading" if event.kind == "download" else event.message or "Installing"
            self._progress.update(self._task, completed=event.percent, description=escape(label[:60]))
        elif event.kind == "error":
            self.console.print(f"[red]{escape(event.package)}: {escape(event.message)}[/]")
