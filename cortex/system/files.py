"""Crash-safe file writes: a config or state file is either the old one or the new one, never half."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from cortex.errors import ConfigError


def write_atomic(path: Path, text: str, *, mode: int = 0o644) -> None:
    """Write `text` to `path` through a temp file in the same dir, fsync, then rename over it."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as exc:
        raise ConfigError(
            f"Cannot write {path}: {exc.strerror}.", hint="Check the directory's permissions and free space."
        ) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise ConfigError(
            f"Cannot write {path}: {exc.strerror}.", hint="Check free disk space and permissions."
        ) from None
