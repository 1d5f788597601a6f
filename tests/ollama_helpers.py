"""Fixtures for the Ollama setup tests: a free port, and a fake `ollama` executable on PATH."""

from __future__ import annotations

import json
import os
import signal
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from cortex.ollama import service
from tests.servers.fake_ollama import make_fake_ollama


@pytest.fixture
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def kill_served() -> None:
    """Stop a detached `ollama serve` the wizard started (its pid file is in the temp cortex home)."""
    try:
        pid = int(service.pid_path().read_text())
    except (OSError, ValueError):
        return
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        pass


@pytest.fixture
def fake_ollama(tmp_path, monkeypatch, free_port) -> Iterator[dict]:
    """A fake `ollama` binary first on PATH, not running yet, at a free port; models are set via env."""
    exe = make_fake_ollama(tmp_path / "bin")
    monkeypatch.setenv("PATH", f"{exe.parent}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    Path(tmp_path / "home").mkdir()
    env = {"url": f"http://127.0.0.1:{free_port}", "exe": exe, "bin": exe.parent}

    def models(installed=(), library=()) -> None:
        monkeypatch.setenv("FAKE_OLLAMA_MODELS", json.dumps([{"name": n, "size": s} for n, s in installed]))
        monkeypatch.setenv("FAKE_OLLAMA_LIBRARY", json.dumps([{"name": n, "size": s} for n, s in library]))

    env["models"] = models
    yield env
    kill_served()
