"""Command-line interface: one module per command; main.py maps errors to exit codes."""
