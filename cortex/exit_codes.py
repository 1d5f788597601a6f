"""Documented exit codes. One place (cortex.cli.main) maps exceptions to them."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0  # planned, installed, healthy
    ERROR = 1  # an unexpected internal error (a bug: run again with --debug)
    DRIFT = 1  # `cortex apply --check`: the machine differs from the lock (an alias of 1, like `diff`)
    USAGE = 2  # bad flags or arguments
    REFUSED = 3  # the request or a step was refused by the safety policy
    UNRESOLVED = 4  # nothing in the package index fits the request
    INSTALL_FAILED = 5  # the package manager failed, or verification failed
    PROVIDER = 6  # no model provider could answer (all failed, none configured)
    CONFIG = 7  # the configuration is invalid or cannot be written
    STATE = 8  # the history/stats database or the data dir cannot be used
    CONFLICT = 9  # a rollback conflicts with a later transaction (see --force)
    NOT_FOUND = 10  # a named thing (transaction, model) does not exist
    SETUP_FAILED = 11  # the Ollama setup wizard could not complete a step
    DOCTOR_WARNINGS = 12  # `cortex doctor`: usable, with warnings
    DOCTOR_FAILURES = 13  # `cortex doctor`: something is broken
    LOCK_INVALID = 14  # a lock file is malformed, of an unknown schema, or made for another system
    PIN_UNAVAILABLE = 15  # a lock's pinned version is no longer in the archive (see --allow-newer)
    INTERRUPTED = 130  # Ctrl-C (SIGINT)
