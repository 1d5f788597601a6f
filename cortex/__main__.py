"""`python -m cortex`."""

from cortex.cli.main import entry

entry()
