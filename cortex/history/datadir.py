"""The data directory that holds history.db: created, private, writable and not full (file-system checks only)."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from cortex.errors import StateError

MIN_FREE_BYTES = 16 * 1024 * 1024  # below this the data dir counts as full: refuse before installing


def create_private(path: Path) -> None:
    """Make `path`'s directory and, if missing, the file itself with mode 0600 (StateError when impossible).

    Created before SQLite opens it, so that its -wal and -shm files take the same mode.
    """
    directory = path.parent
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StateError(
            f"Cannot create the data directory {directory}: {exc.strerror}.",
            hint="Check its permissions, or set CORTEX_HOME / XDG_DATA_HOME to a writable place.",
        ) from None
    if path.exists():
        return
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    except OSError as exc:
        raise StateError(
            f"Cannot create the history database {path}: {exc.strerror}.",
            hint="Check the data directory's permissions and free space, or set CORTEX_HOME.",
        ) from None


def check_writable(directory: Path) -> None:
    """StateError unless `directory` has room and takes a real write and fsync."""
    try:
        free = shutil.disk_usage(directory).free
    except OSError as exc:
        raise StateError(f"Cannot use the data directory {directory}: {exc.strerror}.") from None
    if free < MIN_FREE_BYTES:
        raise StateError(
            f"The disk holding {directory} is full ({free // 1024} KiB free); "
            "cortex would not be able to record what it installs.",
            hint="Free some disk space, then run the command again. Nothing was installed.",
        )
    try:
        with tempfile.TemporaryFile(dir=directory) as fh:
            fh.write(b"\0" * 65536)
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as exc:
        raise StateError(
            f"Cannot write to the data directory {directory}: {exc.strerror}.",
            hint="Make it writable (or set CORTEX_HOME / XDG_DATA_HOME), then retry. Nothing was installed.",
        ) from None
