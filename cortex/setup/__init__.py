"""`cortex setup ollama`: the Ollama setup wizard.

options.py  flags as a frozen value; step results and the final report
steps.py    one small function per step (detect, install, start, choose, pull, test, configure)
ui.py       how the wizard talks: questionary + rich when interactive, plain stderr lines for CI
wizard.py   runs the steps in order; a failed step raises SetupError (exit 11)
"""
