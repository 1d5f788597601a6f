"""Run the wizard's steps in order, recording each; a failure is recorded, then raised (exit 11)."""

from __future__ import annotations

from cortex.errors import CortexError
from cortex.setup.options import StepResult, WizardOptions, WizardReport
from cortex.setup.steps import STEPS, Machine, WizardState
from cortex.setup.ui import PlainUI


def run_wizard(
    options: WizardOptions, ui: PlainUI, machine: Machine | None = None, report: WizardReport | None = None
) -> WizardReport:
    """Every step in order, filling `report` (pass one in to keep it when a step raises).
    Re-running is safe: what is already there is detected and skipped."""
    state = WizardState(options=options, ui=ui, machine=machine or Machine.live(), report=report or WizardReport())
    for name, title, step in STEPS:
        ui.section(title)
        try:
            result = step(state)
        except CortexError as exc:
            state.report.add(StepResult(name, "failed", exc.message))
            state.report.error = exc.to_dict()
            raise
        state.report.add(result)
        if result.status == "skipped":
            ui.say(f"skipped: {result.detail}")
    return state.report
