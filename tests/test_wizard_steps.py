"""Wizard runs in process: a fresh user-level install from a local download server, a pull cut
mid-way and resumed, a full disk, an empty answer. The UI is the non-interactive one."""

from __future__ import annotations

import io
import os
import tarfile

import pytest
from rich.console import Console

from cortex.errors import SetupError
from cortex.setup.options import WizardOptions, WizardReport
from cortex.setup.steps import Machine
from cortex.setup.ui import PlainUI
from cortex.setup.wizard import run_wizard
from tests.ollama_helpers import fake_ollama, free_port, kill_served  # noqa: F401 - pytest fixtures
from tests.servers.base import FakeServer
from tests.servers.ollama_server import OllamaModel, OllamaServer


def quiet() -> tuple[PlainUI, io.StringIO]:
    out = io.StringIO()
    return PlainUI(Console(file=out, width=200)), out


def machine(tmp_path, **kw) -> Machine:
    args = dict(is_root=False, has_sudo=False, home=tmp_path / "home", system="Linux", machine="x86_64")
    args.update(kw)
    return Machine(**args)


def launcher_tgz(launcher: bytes) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        info = tarfile.TarInfo("bin/ollama")
        info.size, info.mode = len(launcher), 0o755
        tar.addfile(info, io.BytesIO(launcher))
    return buf.getvalue()


def test_fresh_machine_user_install_start_pull_test(tmp_path, monkeypatch, free_port):  # noqa: F811
    from tests.servers.fake_ollama import make_fake_ollama

    launcher = make_fake_ollama(tmp_path / "build").read_bytes()
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    monkeypatch.setenv("FAKE_OLLAMA_LIBRARY", '[{"name": "gemma3:1b", "size": 2000000}]')
    files = FakeServer()
    data = launcher_tgz(launcher)
    files.route("GET", "/download/ollama-linux-amd64.tgz", lambda ex: ex.send_bytes(200, data, "application/gzip"))
    ui, out = quiet()
    options = WizardOptions(interactive=False, model="gemma3:1b", base_url=f"http://127.0.0.1:{free_port}")
    try:
        with files:
            report = run_wizard(options, ui, machine(tmp_path, download_base=files.url))
    finally:
        kill_served()
    statuses = {s.name: s.status for s in report.steps}
    assert statuses["install"] == statuses["start"] == statuses["pull"] == statuses["test"] == "ok"
    assert report.ollama["installed_by"] == "tarball" and report.ollama["version"] == "0.12.6"
    assert report.ollama["binary"] == str(tmp_path / "home/.local/bin/ollama")
    assert "no root or sudo" in out.getvalue()


def test_pull_cut_midway_is_resumed(tmp_path):
    model = OllamaModel("gemma3:1b", size=40_000_000)
    with OllamaServer(library=[model]) as server:
        server.inject(path="/api/pull", pull_cut_after=20_000_000)
        ui, out = quiet()
        options = WizardOptions(interactive=False, model="gemma3:1b", base_url=server.url)
        report = run_wizard(options, ui, machine(tmp_path))
        pull = next(s for s in report.steps if s.name == "pull")
        assert pull.status == "ok" and pull.data["attempts"] == 2
        assert max(server.pull_starts[-1].values()) >= 10_000_000  # resumed, not restarted
    assert "resuming" in out.getvalue()


def test_disk_full_during_pull(tmp_path):
    with OllamaServer(library=[OllamaModel("gemma3:1b")]) as server:
        server.inject(path="/api/pull", pull_error="write /models/blobs/x: no space left on device")
        report = WizardReport()
        options = WizardOptions(interactive=False, model="gemma3:1b", base_url=server.url)
        with pytest.raises(SetupError) as err:
            run_wizard(options, quiet()[0], machine(tmp_path), report=report)
    assert "no space left" in err.value.message and "Free disk space" in err.value.hint
    assert report.steps[-1].status == "failed" and report.error["exit_code"] == 11


def test_empty_answer_is_a_failure(tmp_path):
    with OllamaServer([OllamaModel("gemma3:1b")]) as server:
        for _ in range(6):
            server.reply("")
        options = WizardOptions(interactive=False, model="gemma3:1b", base_url=server.url)
        with pytest.raises(SetupError) as err:
            run_wizard(options, quiet()[0], machine(tmp_path))
    assert "answered the test prompt with nothing" in err.value.message


def test_remote_ollama_that_is_down_is_not_started(tmp_path, fake_ollama):  # noqa: F811
    options = WizardOptions(interactive=False, base_url=f"http://127.0.0.2:{fake_ollama['url'].rsplit(':', 1)[1]}")
    with pytest.raises(SetupError) as err:
        run_wizard(options, quiet()[0], machine(tmp_path))
    assert "only starts a local Ollama" in err.value.message


def test_skip_flags(tmp_path):
    with OllamaServer([OllamaModel("gemma3:1b")]) as server:
        options = WizardOptions(
            interactive=False, model="qwen2.5:7b", base_url=server.url, skip_pull=True, skip_test=True
        )
        report = run_wizard(options, quiet()[0], machine(tmp_path))
    statuses = {s.name: s.status for s in report.steps}
    assert statuses["pull"] == statuses["test"] == "skipped" and report.config["providers.ollama.model"] == "qwen2.5:7b"
    assert os.path.exists(report.config_path)
