"""argparse types for numbers that end up in SQLite or in a count: bounded, so that a huge or negative
value is a usage error (exit 2) and never an OverflowError deep inside a query."""

from __future__ import annotations

import argparse

SQLITE_MAX = 2**63 - 1  # SQLite's INTEGER range


def transaction_id(value: str) -> int:
    """A transaction id as `cortex history` lists them: 1, 2, ..."""
    number = _int(value)
    if not 1 <= number <= SQLITE_MAX:
        raise argparse.ArgumentTypeError(f"{value!r} is not a transaction id (see `cortex history`)")
    return number


def count(value: str) -> int:
    """A count of 0 or more (0: no limit)."""
    number = _int(value)
    if not 0 <= number <= SQLITE_MAX:
        raise argparse.ArgumentTypeError(f"{value!r} is not a count of 0 or more")
    return number


def _int(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
