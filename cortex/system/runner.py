"""Run one command: an argv list (never a shell), a sanitised environment, bounded captured output.

    result = run(["apt-get", "-s", "install", "nginx"], timeout=300)
    result.returncode, result.output (the last `max_output` bytes), result.truncated, result.timed_out

`status_fd=True` opens a pipe for machine-readable progress (apt's `-o APT::Status-Fd=N`): the
caller's argv builder gets the fd number, and `on_status(line)` receives its lines as they come.
`on_line(line)` receives the command's own output lines (e.g. apt's "Waiting for cache lock").
"""

from __future__ import annotations

import os
import selectors
import signal
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from cortex.errors import InstallError

MAX_OUTPUT = 256 * 1024
SAFE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
# Kept from the caller's environment; everything else (LD_PRELOAD, PYTHONPATH, proxies for the model...) is dropped.
# The package managers' own configuration variables: cortex's reads (index, simulation) honour them, so the
# steps that change the system must too, or a plan simulated against one configuration runs against another.
MANAGER_CONFIG = ("APT_CONFIG",)
_KEEP = (
    "HOME", "USER", "LOGNAME", "TERM", "http_proxy", "https_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY",
    *MANAGER_CONFIG,
)  # fmt: skip
NONINTERACTIVE = {
    "DEBIAN_FRONTEND": "noninteractive",
    "APT_LISTCHANGES_FRONTEND": "none",
    "NEEDRESTART_MODE": "a",
}


@dataclass(frozen=True)
class RunResult:
    argv: tuple[str, ...]
    returncode: int
    output: str
    truncated: bool = False
    timed_out: bool = False
    duration_s: float = 0.0

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out


def sanitized_env(extra: Mapping[str, str] | None = None, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """A minimal, predictable environment: safe PATH, C.UTF-8 locale, no preload or interpreter hooks."""
    base = os.environ if base is None else base
    env = {k: base[k] for k in _KEEP if k in base}
    env.update(PATH=SAFE_PATH, LANG="C.UTF-8", LC_ALL="C.UTF-8")
    env.update(extra or {})
    return env


class _Tail:
    """The last `limit` bytes of a stream, and whether anything was dropped."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.buf = bytearray()
        self.truncated = False

    def add(self, data: bytes) -> None:
        self.buf += data
        if len(self.buf) > self.limit:
            del self.buf[: len(self.buf) - self.limit]
            self.truncated = True

    def text(self) -> str:
        return self.buf.decode("utf-8", "replace")


def run(
    argv: Sequence[str] | Callable[[int | None], Sequence[str]],
    *,
    env: Mapping[str, str] | None = None,
    timeout: float | None = None,
    max_output: int = MAX_OUTPUT,
    status_fd: bool = False,
    on_status: Callable[[str], None] | None = None,
    on_line: Callable[[str], None] | None = None,
) -> RunResult:
    """Run `argv` (or `argv(status_fd_number)` when status_fd) and capture its output, stderr included.

    Ctrl-C reaches the child too (same process group); the child is waited for, then KeyboardInterrupt
    is re-raised so that the caller records the interruption.
    """
    read_fd = write_fd = None
    if status_fd:
        read_fd, write_fd = os.pipe()
    args = tuple(argv(write_fd) if callable(argv) else argv)
    if not args:
        raise InstallError("Nothing to run.")
    started = time.monotonic()
    try:
        proc = subprocess.Popen(
            list(args),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=dict(env) if env is not None else sanitized_env(NONINTERACTIVE),
            pass_fds=(write_fd,) if write_fd is not None else (),
            close_fds=True,
        )
    except FileNotFoundError:
        _close(read_fd, write_fd)
        raise InstallError(f"{args[0]} is not installed or not on PATH.", hint="Install it, or check PATH.") from None
    except OSError as exc:
        _close(read_fd, write_fd)
        raise InstallError(f"Cannot run {args[0]}: {exc.strerror}.") from None
    _close(write_fd)
    tail = _Tail(max_output)
    timed_out = False
    try:
        timed_out = _pump(proc, read_fd, tail, timeout, started, on_status, on_line)
    except KeyboardInterrupt:
        _stop(proc, signal.SIGINT)
        raise
    finally:
        _close(read_fd)
        if proc.stdout:
            proc.stdout.close()
    returncode = proc.wait()
    return RunResult(args, returncode, tail.text(), tail.truncated, timed_out, time.monotonic() - started)


def _pump(proc, read_fd, tail: _Tail, timeout, started, on_status, on_line) -> bool:
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ, "out")
    if read_fd is not None:
        sel.register(read_fd, selectors.EVENT_READ, "status")
    partial = {"out": b"", "status": b""}
    open_streams = len(sel.get_map())
    try:
        while open_streams:
            wait = None if timeout is None else max(0.0, timeout - (time.monotonic() - started))
            if wait == 0.0:
                _stop(proc, signal.SIGTERM)
                return True
            events = sel.select(timeout=wait if wait is None else min(wait, 1.0))
            for key, _ in events:
                fd = key.fileobj if isinstance(key.fileobj, int) else key.fileobj.fileno()
                data = os.read(fd, 65536)
                if not data:
                    sel.unregister(key.fileobj)
                    open_streams -= 1
                    continue
                if key.data == "out":
                    tail.add(data)
                callback = on_line if key.data == "out" else on_status
                lines = (partial[key.data] + data).split(b"\n")
                partial[key.data] = lines.pop()[-65536:]
                if callback:
                    for raw in lines:
                        callback(raw.decode("utf-8", "replace").rstrip("\r"))
    finally:
        sel.close()
    return False


def _stop(proc: subprocess.Popen, sig: int) -> None:
    """Ask the child to stop, then make sure it has (bounded)."""
    try:
        proc.send_signal(sig)
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    except OSError:
        pass


def _close(*fds: int | None) -> None:
    for fd in fds:
        if fd is not None:
            try:
                os.close(fd)
            except OSError:
                pass
