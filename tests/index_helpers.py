"""A real PackageIndex built from a few package records, for ranking and planning tests."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from cortex.packages.index import PackageIndex
from cortex.packages.records import PackageInfo


@contextmanager
def index_of(records: Sequence[PackageInfo], directory: Path) -> Iterator[PackageIndex]:
    """An index of `records` in `directory`, closed afterwards."""
    idx = PackageIndex.from_records(records, path=directory / "idx.sqlite3")
    try:
        yield idx
    finally:
        idx.close()
