"""A stand-in `ollama` executable for tests: `--version`, and `serve` running the fake Ollama server.

Tests put a tiny launcher named `ollama` on PATH (see make_fake_ollama) so install detection and a
detached `ollama serve` are exercised for real. Behaviour comes from the environment:

    OLLAMA_HOST            host:port to listen on (as the real `ollama serve` reads it)
    FAKE_OLLAMA_MODELS     JSON list of installed models [{"name": ..., "size": ...}]
    FAKE_OLLAMA_LIBRARY    JSON list of pullable models
    FAKE_OLLAMA_DELAY      seconds before the port accepts connections (a slow start)
    FAKE_OLLAMA_FAIL       exit at once with this message (a server that cannot start)
    FAKE_OLLAMA_VERSION    the version to report (default 0.12.6)
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
from pathlib import Path


def serve_on(server, port: int, delay: float = 0.0) -> None:
    """Run `server` (an OllamaServer) on a chosen port instead of an ephemeral one."""
    from tests.servers.base import _HTTPServer

    class _FixedPort(_HTTPServer):
        def server_bind(self) -> None:
            self.server_address = ("127.0.0.1", port)
            super().server_bind()

    server._httpd = _FixedPort(server)
    if delay:
        time.sleep(delay)
    server._activate()


def _models(var: str) -> list:
    from tests.servers.ollama_server import OllamaModel

    return [OllamaModel(m["name"], size=int(m.get("size", 1_000_000))) for m in json.loads(os.environ.get(var) or "[]")]


def main(argv: list[str]) -> int:
    version = os.environ.get("FAKE_OLLAMA_VERSION", "0.12.6")
    if argv[:1] in (["--version"], ["-v"]):
        print(f"ollama version is {version}")
        return 0
    if argv[:1] != ["serve"]:
        print(f"fake ollama: unsupported command {argv}", file=sys.stderr)
        return 2
    if os.environ.get("FAKE_OLLAMA_FAIL"):
        print(f"Error: {os.environ['FAKE_OLLAMA_FAIL']}", file=sys.stderr)
        return 1
    from tests.servers.ollama_server import OllamaServer

    host = os.environ.get("OLLAMA_HOST", "127.0.0.1:11434")
    port = int(host.rsplit(":", 1)[1])
    server = OllamaServer(_models("FAKE_OLLAMA_MODELS"), library=_models("FAKE_OLLAMA_LIBRARY"), version=version)
    print(f'time=now level=INFO msg="Listening on {host} (version {version})"', flush=True)
    signal.signal(signal.SIGTERM, _terminate)  # also ends a slow start that is still sleeping
    try:
        serve_on(server, port, float(os.environ.get("FAKE_OLLAMA_DELAY") or 0))
        threading.Event().wait()
    except SystemExit:
        pass
    finally:
        server.stop()
    return 0


def _terminate(signum: int, frame: object) -> None:
    raise SystemExit(0)


def make_fake_ollama(bin_dir: Path) -> Path:
    """Write an `ollama` launcher into bin_dir that runs this module with the current interpreter."""
    repo = Path(__file__).resolve().parents[2]
    bin_dir.mkdir(parents=True, exist_ok=True)
    exe = bin_dir / "ollama"
    exe.write_text(
        f"#!{sys.executable}\nimport sys\nsys.path.insert(0, {str(repo)!r})\n"
        "from tests.servers.fake_ollama import main\nsys.exit(main(sys.argv[1:]))\n"
    )
    exe.chmod(0o755)
    return exe


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
