"""Run argv steps: policy-checked, never through a shell, with live progress and captured output.

    executor = Executor(PolicyContext.for_plan("apt", plan.packages), progress=bar, on_result=tx.record)
    result = executor.run(plan.steps)          # raises InstallError on the first failed step
    verification = executor.verify(manager, plan.packages)

The one place cortex runs a state-changing command: install, rollback and any later command hand it
Steps and a PolicyContext (whose purpose is the policy mode: install or rollback). Every step is
checked before the first one runs, and again in its final form (sudo, the manager's status fd added).
All steps share the same sudo handling, environment, lock wait, progress and output capture.
Decisions (the final argv, what a failure means, a package's main command) are pure functions here;
the I/O is the runner (`run=`, cortex.system.runner.run unless a caller passes a stand-in).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cortex.errors import InstallError
from cortex.packages.base import PackageManager
from cortex.packages.detect import grammar_of_executable
from cortex.packages.grammar import Grammar
from cortex.plan import Step
from cortex.policy import PolicyContext, check, check_all
from cortex.progress import ProgressEvent, lock_event, parse_status_line
from cortex.system import runner

STEP_TIMEOUT_S = 3600
BIN_DIRS = ("/usr/bin/", "/bin/", "/usr/sbin/", "/sbin/", "/usr/games/", "/usr/local/bin/")
_FAILURE_PREFIXES = ("E:", "Error:", "error:", "ERROR:", "dpkg: error")

Run = Callable[..., runner.RunResult]  # the shape of cortex.system.runner.run


@dataclass(frozen=True)
class StepResult:
    argv: tuple[str, ...]
    returncode: int
    output: str
    duration_s: float = 0.0
    timed_out: bool = False


@dataclass(frozen=True)
class Verification:
    """After an install: which packages are installed, their main commands, and what is missing."""

    installed: dict[str, str] = field(default_factory=dict)  # name -> version
    missing: tuple[str, ...] = ()
    commands: dict[str, str] = field(default_factory=dict)  # name -> path of its main command
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.missing

    def to_dict(self) -> dict[str, Any]:
        return {
            "installed": dict(self.installed),
            "missing": list(self.missing),
            "commands": dict(self.commands),
            "notes": list(self.notes),
        }


def _grammar(argv: Sequence[str]) -> Grammar | None:
    return grammar_of_executable(os.path.basename(argv[0])) if argv else None


def status_options(argv: Sequence[str]) -> tuple[str, ...]:
    """Pure: the options by which this step's tool reports progress on fd {fd} (apt-get's Status-Fd); () if none."""
    grammar = _grammar(argv)
    return grammar.status_fd.get(os.path.basename(argv[0]), ()) if grammar is not None else ()


def final_argv(
    step: Step, *, is_root: bool, status_fd: int | None = None, environ: Mapping[str, str] | None = None
) -> tuple[str, ...]:
    """Pure: the argv that actually runs: the manager's status-fd options added, `sudo -n` when not root
    (keeping the non-interactive variables, and the manager's configuration variable where `environ` sets it)."""
    argv = list(step.argv)
    options = status_options(argv)
    if status_fd is not None and options:
        argv[1:1] = [a.format(fd=status_fd) for a in options]
    if step.privileged and not is_root:
        kept = [*runner.NONINTERACTIVE, *(k for k in runner.MANAGER_CONFIG if k in (environ or {}))]
        argv = ["sudo", "-n", f"--preserve-env={','.join(kept)}", "--", *argv]
    return tuple(argv)


def failure(result: StepResult) -> InstallError:
    """Pure: a failed step -> the package manager's own error line and a hint for it (the manager's hints)."""
    lines = [ln.strip() for ln in result.output.splitlines() if ln.strip()]
    errors = [ln for ln in lines if ln.startswith(_FAILURE_PREFIXES)]
    first = errors[0] if errors else (lines[-1] if lines else f"exit status {result.returncode}")
    text = result.output
    if result.timed_out:
        return InstallError(
            f"{result.argv[0]} did not finish in time and was stopped.",
            hint="Nothing is reported as installed; check `cortex history` and try again.",
        )
    if "a password is required" in text or "a terminal is required" in text:
        return InstallError(
            "sudo needs a password, and cortex runs it without a terminal (sudo -n).",
            hint="Run `sudo -v` in this terminal first, or run cortex as root.",
        )
    if "preserve the environment" in text:
        return InstallError(
            "sudo does not allow preserving DEBIAN_FRONTEND for this user.",
            hint="Run cortex as root (e.g. `sudo cortex install ...`).",
        )
    grammar = _grammar(_unwrapped(result.argv))
    hints = (grammar.failure_hints if grammar is not None else ()) + _GENERIC_HINTS
    hint = next(
        (h for needles, h in hints if any(n in text for n in needles)), "Read the package manager's message above."
    )
    return InstallError(f"The package manager failed (exit {result.returncode}): {first}", hint=hint)


_GENERIC_HINTS = ((("No space left",), "Free some disk space, then try again."),)


def _unwrapped(argv: Sequence[str]) -> Sequence[str]:
    """The command behind `sudo -n [--preserve-env=...] --`."""
    if list(argv[:1]) == ["sudo"]:
        rest = list(argv[1:])
        while rest and rest[0].startswith("-"):
            if rest.pop(0) == "--":
                break
        return rest
    return argv


def main_command(package: str, files: Iterable[str]) -> str | None:
    """Pure: the package's main command among its files: the one named like the package, or the only one."""
    bins = [f for f in files if f.startswith(BIN_DIRS) and "/" not in f[len(_bin_dir(f)) :]]
    if not bins:
        return None
    by_name = {os.path.basename(b): b for b in bins}
    for candidate in (
        package,
        package.split("-")[0],
        package.removesuffix("-server"),
        package.removeprefix("python3-"),
    ):
        if candidate in by_name:
            return by_name[candidate]
    return bins[0] if len(bins) == 1 else None


def _bin_dir(path: str) -> str:
    return next(d for d in BIN_DIRS if path.startswith(d))


class Executor:
    """Runs Steps one after another under a PolicyContext; stops at the first failure.

    Callbacks, all optional: `progress(event)` (status-fd progress, lock waits, step starts),
    `on_start(step, n, total)` before each step, `on_line(line)` for the steps' output as it comes,
    `on_result(result)` after each step (history records it) and the older `on_step(argv, rc, output)`.
    """

    def __init__(
        self,
        policy: PolicyContext,
        *,
        progress: Callable[[ProgressEvent], None] | None = None,
        on_step: Callable[[Sequence[str], int, str], None] | None = None,
        is_root: bool | None = None,
        timeout: float = STEP_TIMEOUT_S,
        on_start: Callable[[Step, int, int], None] | None = None,
        on_line: Callable[[str], None] | None = None,
        on_result: Callable[[StepResult], None] | None = None,
        run: Run | None = None,
    ) -> None:
        self.policy = policy
        self.progress = progress or (lambda event: None)
        self.on_step = on_step
        self.on_start = on_start
        self.on_line = on_line
        self.on_result = on_result
        self.is_root = (os.geteuid() == 0) if is_root is None else is_root
        self.timeout = timeout
        self._run = run or runner.run

    def run(self, steps: Sequence[Step]) -> list[StepResult]:
        """Check every step, then run them in order. Raises RefusedError or InstallError."""
        check_all(steps, self.policy)
        results = []
        for i, step in enumerate(steps, 1):
            if self.on_start is not None:
                self.on_start(step, i, len(steps))
            self.progress(ProgressEvent("step", message=step.description or f"Step {i}/{len(steps)}"))
            results.append(self.run_step(step))
        return results

    def run_step(self, step: Step) -> StepResult:
        """One step in its final form (policy-checked again); records it; raises InstallError if it failed."""

        def build(fd: int | None) -> tuple[str, ...]:
            argv = final_argv(step, is_root=self.is_root, status_fd=fd, environ=os.environ)
            check(Step(argv, step.description, step.privileged), self.policy)
            return argv

        env = runner.sanitized_env(runner.NONINTERACTIVE)
        raw = self._run(
            build,
            env=env,
            timeout=self.timeout,
            status_fd=bool(status_options(step.argv)),
            on_status=self._status,
            on_line=self._line,
        )
        result = StepResult(raw.argv, raw.returncode, raw.output, raw.duration_s, raw.timed_out)
        if self.on_result is not None:
            self.on_result(result)
        if self.on_step is not None:
            self.on_step(list(result.argv), result.returncode if not result.timed_out else -1, result.output)
        if result.returncode != 0 or result.timed_out:
            raise failure(result)
        return result

    def verify(self, manager: PackageManager, packages: Sequence[str]) -> Verification:
        """Each package installed (the manager's query) and its main command present (and on PATH)."""
        installed: dict[str, str] = {}
        missing: list[str] = []
        commands: dict[str, str] = {}
        notes: list[str] = []
        for name in packages:
            version = manager.installed_version(name)
            if version is None:
                missing.append(name)
                continue
            installed[name] = version
            command = main_command(name, manager.installed_files(name))
            if command is None:
                continue
            commands[name] = command
            if not os.access(command, os.X_OK):
                missing.append(name)
                notes.append(f"{command} from {name} is not executable.")
            elif shutil.which(os.path.basename(command)) != command:
                notes.append(
                    f"{os.path.basename(command)} is in {os.path.dirname(command)}, which is not on your PATH."
                )
        return Verification(installed, tuple(missing), commands, tuple(notes))

    def _status(self, line: str) -> None:
        event = parse_status_line(line)
        if event is not None:
            self.progress(event)

    def _line(self, line: str) -> None:
        if self.on_line is not None:
            self.on_line(line)
        event = lock_event(line)
        if event is not None:
            self.progress(event)
