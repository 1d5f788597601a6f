"""Start Ollama and wait for its API, with a bound: a timeout is a failure showing the log's tail.

choose_method() is pure: systemd when systemd is running and the `ollama` unit exists (the
official script installs one), otherwise a detached `ollama serve` writing to a log file.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from cortex import paths
from cortex.errors import SetupError

UNIT_PATHS = (
    "etc/systemd/system/ollama.service",
    "usr/lib/systemd/system/ollama.service",
    "lib/systemd/system/ollama.service",
)


def unit_exists(root: Path = Path("/")) -> bool:
    return any((root / p).exists() for p in UNIT_PATHS)


SYSTEM_BINARIES = ("/usr/local/bin/ollama", "/usr/bin/ollama")  # what the official unit runs


def choose_method(*, systemd: bool, unit: bool, is_root: bool, has_sudo: bool, binary: str = SYSTEM_BINARIES[0]) -> str:
    """systemd when it runs, has the unit, runs the binary we found, and we may start it;
    otherwise `ollama serve` ourselves (a user-level install, a container, no privileges)."""
    system_binary = binary in SYSTEM_BINARIES
    return "systemd" if systemd and unit and system_binary and (is_root or has_sudo) else "serve"


def serve_dir() -> Path:
    return paths.data_dir() / "ollama"


def log_path() -> Path:
    return serve_dir() / "serve.log"


def pid_path() -> Path:
    return serve_dir() / "serve.pid"


def host_env(base_url: str) -> str:
    """OLLAMA_HOST for `ollama serve` so it listens where the base URL points."""
    from cortex.llm.spec import ollama_base_url

    parts = urlsplit(base_url)
    return f"{parts.hostname or '127.0.0.1'}:{parts.port or urlsplit(ollama_base_url()).port}"


def log_tail(path: Path, lines: int = 15) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:]) or "(empty log)"


def spawn_serve(binary: str, base_url: str) -> tuple[int, Path]:
    """Start a detached `ollama serve` (own session, survives cortex) logging to a file."""
    serve_dir().mkdir(parents=True, exist_ok=True)
    log = log_path()
    env = dict(os.environ, OLLAMA_HOST=host_env(base_url))
    with open(log, "ab") as out:
        try:
            proc = subprocess.Popen(
                [binary, "serve"],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,
                close_fds=True,
            )
        except OSError as exc:
            raise SetupError(
                f"Cannot run `{binary} serve`: {exc.strerror}.", hint="Check the Ollama install (`ollama --version`)."
            ) from None
    pid_path().write_text(f"{proc.pid}\n", encoding="utf-8")
    return proc.pid, log


def start_systemd(is_root: bool, run: Callable[[list[str]], tuple[int, str]]) -> None:
    argv = ["systemctl", "start", "ollama"] if is_root else ["sudo", "systemctl", "start", "ollama"]
    status, out = run(argv)
    if status != 0:
        raise SetupError(f"`{' '.join(argv)}` failed: {out.strip()[-300:]}", hint="See `journalctl -u ollama -n 50`.")


def wait_for_api(
    is_up: Callable[[], bool],
    *,
    timeout: float,
    alive: Callable[[], bool] = lambda: True,
    poll: float = 0.1,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> float | None:
    """Poll until the API answers; the seconds waited, or None on timeout or when the process died."""
    start = clock()
    while True:
        if is_up():
            return clock() - start
        if not alive() or clock() - start >= timeout:
            return None
        sleep(poll)


def process_alive(pid: int) -> bool:
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)  # reap it if it was our child and exited
        if done == pid:
            return False
    except ChildProcessError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
