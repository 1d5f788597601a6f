"""The loaded model: llama.cpp's server running in-process through xllamacpp, one per model file.

xllamacpp starts llama.cpp's own server inside this process and answers its handler calls
directly (`handle_completions(dict[, callback])`, blocking; the callback receives each streamed
chunk on the calling thread, and raising from it stops generation). The server also always opens
a listening socket; cortex binds it to a unix socket in a private 0700 directory and sets a random
API key, so no other user or process can reach the model through it.

Engines are created lazily and kept for the life of the process; `get_engine` is thread-safe and
loads each file once. Requests to one engine are queued by llama.cpp itself (one slot).
"""

from __future__ import annotations

import atexit
import os
import secrets
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cortex.errors import BadRequestError, NotConfiguredError, ServerError
from cortex.local_models import cpu
from cortex.local_models.errors import INSTALL_HINT, ModelFileError


def import_xllamacpp() -> Any:
    """Import xllamacpp (only here: importing cortex must not load llama.cpp)."""
    try:
        import xllamacpp
    except ImportError as exc:
        raise NotConfiguredError(
            f"The embedded model runtime is not installed ({exc.name or 'xllamacpp'}).",
            provider="local",
            hint=INSTALL_HINT,
        ) from None
    return xllamacpp


def choose_threads(cores: int, load: float) -> int:
    """Pure: llama.cpp threads for `cores` usable cores when `load` of them are busy already.

    llama.cpp's threads meet at a barrier after every step, so one thread that waits for a busy core
    stalls them all: measured on 2 cores with a load of 6, 2 threads generated 1 token/s and 1 thread
    10. So: every core on an idle machine, only the idle ones on a busy machine, at least one
    (a core counts as busy once more than three quarters of it is in use).
    """
    return max(1, min(cores, int(cores - load + 0.75)))


def default_threads() -> int:
    """The idle cores this process may run on (taskset and cgroup cpusets respected)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except OSError:
        load = 0.0
    return choose_threads(max(1, cores), load)


@dataclass(frozen=True)
class EngineConfig:
    path: Path
    n_ctx: int
    threads: int


class Engine:
    """One model file loaded into an in-process llama.cpp server."""

    def __init__(self, config: EngineConfig) -> None:
        self.config = config
        self.load_s = 0.0
        self._server: Any = None
        self._sock_dir: str | None = None

    def load(self) -> None:
        x = import_xllamacpp()
        cpu.check(x.get_system_info())
        params = x.CommonParams()
        params.model.path = str(self.config.path)
        params.n_ctx = self.config.n_ctx
        params.n_parallel = 1
        params.cpuparams.n_threads = self.config.threads
        params.cpuparams_batch.n_threads = self.config.threads
        params.verbosity = 0
        params.warmup = False
        self._sock_dir = tempfile.mkdtemp(prefix="cortex-llm-")  # mode 0700
        params.hostnames = [os.path.join(self._sock_dir, "llama.sock")]
        params.api_keys = [secrets.token_hex(16)]
        started = time.perf_counter()
        try:
            with _in_flight:
                self._server = x.Server(params)
        except RuntimeError as exc:
            self.close()
            raise ModelFileError(
                f"llama.cpp could not load {self.config.path.name}: {exc}",
                provider="local",
                model=str(self.config.path),
                hint="The file may be corrupt or of an architecture this llama.cpp build does not know; "
                "run `cortex models test` to check it.",
            ) from None
        self.load_s = time.perf_counter() - started

    def stream(self, payload: dict[str, Any], on_chunk: Callable[[dict[str, Any]], None]) -> None:
        """One blocking streamed completion; `on_chunk` gets each chunk (raise in it to stop)."""
        errors: list[dict[str, Any]] = []

        def callback(chunk: Any) -> None:
            if _exiting.is_set():
                raise _Exiting
            if isinstance(chunk, dict) and "error" in chunk:
                errors.append(chunk)
                return
            on_chunk(chunk)

        with _in_flight:
            result = self._server.handle_completions(dict(payload, stream=True), callback)
        if isinstance(result, dict) and "error" in result:
            errors.append(result)
        if errors:
            _checked(errors[0])

    def close(self) -> None:
        self._server = None
        if self._sock_dir:
            shutil.rmtree(self._sock_dir, ignore_errors=True)
            self._sock_dir = None


def _checked(doc: Any) -> dict[str, Any]:
    """Map llama.cpp's error documents onto typed provider errors."""
    if not isinstance(doc, dict):
        raise ServerError(f"llama.cpp returned {type(doc).__name__}, not a response.", provider="local")
    error = doc.get("error")
    if not error:
        return doc
    message = str(error.get("message") if isinstance(error, dict) else error)
    code = int(error.get("code") or 500) if isinstance(error, dict) else 500
    if 400 <= code < 500:
        raise BadRequestError(f"llama.cpp refused the request: {message}", provider="local", status=code)
    raise ServerError(f"llama.cpp failed: {message}", provider="local", status=code)


class _Exiting(Exception):
    """Raised in the token callback when the process exits: llama.cpp stops generating."""


class _InFlight:
    """Counts generations running in llama.cpp, so that exit can wait for them to stop.

    A thread still inside llama.cpp when the interpreter finalizes is ended by forced unwinding,
    which llama.cpp's C++ handlers swallow: glibc then aborts the process ("FATAL: exception not
    rethrown"). So exit stops every generation at its next token and waits for it to return.
    """

    def __init__(self) -> None:
        self._count = 0
        self._cond = threading.Condition()

    def __enter__(self) -> None:
        with self._cond:
            self._count += 1

    def __exit__(self, *exc: object) -> None:
        with self._cond:
            self._count -= 1
            self._cond.notify_all()

    def wait_idle(self, timeout: float) -> bool:
        with self._cond:
            return self._cond.wait_for(lambda: self._count == 0, timeout)


_in_flight = _InFlight()
_exiting = threading.Event()
EXIT_WAIT_S = 10.0  # a model still loading or a long prompt still being read

_engines: dict[Path, Engine] = {}
_engines_lock = threading.Lock()
_loading: dict[Path, threading.Lock] = {}


def get_engine(config: EngineConfig, before_load: Callable[[], None] | None = None) -> tuple[Engine, bool]:
    """(the engine for this file, whether this call loaded it). The first config for a file wins.

    `before_load` runs only when the file is about to be loaded (the memory check).
    """
    key = config.path.resolve()
    with _engines_lock:
        engine = _engines.get(key)
        if engine is not None:
            return engine, False
        file_lock = _loading.setdefault(key, threading.Lock())
    with file_lock:  # one loader per file; other files load in parallel
        with _engines_lock:
            engine = _engines.get(key)
        if engine is not None:
            return engine, False
        if before_load is not None:
            before_load()
        engine = Engine(config)
        engine.load()
        with _engines_lock:
            _engines[key] = engine
        return engine, True


def loaded() -> list[Engine]:
    with _engines_lock:
        return list(_engines.values())


@atexit.register
def _close_all() -> None:
    _exiting.set()
    _in_flight.wait_idle(EXIT_WAIT_S)
    with _engines_lock:
        engines = list(_engines.values())
        _engines.clear()
    for engine in engines:
        engine.close()
