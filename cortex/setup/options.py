"""The wizard's inputs (flags) and outputs (per-step results, the report --json prints)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cortex.llm.spec import ollama_base_url


@dataclass(frozen=True)
class WizardOptions:
    interactive: bool = True
    model: str = "auto"  # an Ollama tag, or "auto" for the hardware-based recommendation
    base_url: str = field(default_factory=ollama_base_url)
    skip_install: bool = False
    skip_pull: bool = False
    skip_test: bool = False
    user_install: bool = False  # install under ~/.local without root or sudo
    assume_yes: bool = False  # answer yes to confirmations (non-interactive mode implies it)
    start_timeout: float = 30.0
    pull_attempts: int = 3  # a cut pull is resumed this many times in all
    json: bool = False


@dataclass(frozen=True)
class StepResult:
    name: str
    status: str  # ok | skipped | failed
    detail: str
    data: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"step": self.name, "status": self.status, "detail": self.detail, **self.data}


@dataclass
class WizardReport:
    """Filled in as steps run; printed as JSON with --json, success or not."""

    steps: list[StepResult] = field(default_factory=list)
    hardware: dict[str, Any] = field(default_factory=dict)
    ollama: dict[str, Any] = field(default_factory=dict)
    model: str | None = None
    recommendation: dict[str, Any] = field(default_factory=dict)
    test: dict[str, Any] = field(default_factory=dict)
    config_path: str | None = None
    config: dict[str, Any] = field(default_factory=dict)
    next_command: str | None = None
    error: dict[str, Any] | None = None

    def add(self, result: StepResult) -> StepResult:
        self.steps.append(result)
        return result

    @property
    def ok(self) -> bool:
        return self.error is None and all(s.status != "failed" for s in self.steps)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "steps": [s.to_dict() for s in self.steps],
            "hardware": self.hardware,
            "ollama": self.ollama,
            "model": self.model,
            "recommendation": self.recommendation,
            "test": self.test,
            "config_path": self.config_path,
            "config": self.config,
            "next": self.next_command,
            "error": self.error,
        }
