"""Install detection and install plans; `ollama serve` start-up with a fake `ollama` on PATH."""

from __future__ import annotations

import io
import os
import signal
import tarfile
from pathlib import Path

import pytest

from cortex.errors import SetupError
from cortex.ollama import installer, service
from cortex.ollama.client import OllamaClient
from tests.ollama_helpers import free_port  # noqa: F401 - pytest fixture
from tests.servers.base import FakeServer
from tests.servers.fake_ollama import make_fake_ollama

HOME = Path("/home/u")
CACHE = Path("/home/u/.cache/cortex")


def plan(**kw):
    args = dict(system="Linux", machine="x86_64", is_root=True, has_sudo=False, home=HOME, cache=CACHE)
    args.update(kw)
    return installer.plan_install(**args)


def test_root_uses_the_official_script_as_a_file_never_a_pipe():
    p = plan()
    assert p.method == "script"
    assert [s.kind for s in p.steps] == ["download", "run"]
    assert p.steps[0].url == "https://ollama.com/install.sh"
    assert p.steps[1].argv == ("sh", str(CACHE / "ollama-install.sh"))
    assert not any("|" in " ".join(s.argv) for s in p.steps)


def test_sudo_user_runs_script_with_sudo():
    assert plan(is_root=False, has_sudo=True).steps[1].argv[0] == "sudo"


def test_no_root_no_sudo_installs_under_home():
    p = plan(is_root=False, has_sudo=False, machine="aarch64")
    assert p.method == "tarball" and "no root" in p.reason
    assert p.steps[0].url.endswith("/download/ollama-linux-arm64.tgz")
    assert p.binary == str(HOME / ".local/bin/ollama")


def test_user_level_on_request():
    assert plan(user_level=True).method == "tarball"


def test_nvidia_without_driver_never_runs_the_driver_installing_script():
    p = plan(nvidia_without_driver=True)
    assert p.method == "tarball" and "never changes GPU drivers" in p.reason


def test_macos_uses_homebrew():
    assert plan(system="Darwin", has_brew=True).steps[0].argv == ("brew", "install", "ollama")
    with pytest.raises(SetupError):
        plan(system="Darwin", has_brew=False)


def test_unsupported_arch():
    with pytest.raises(SetupError):
        plan(machine="riscv64")


def test_parse_version():
    assert installer.parse_version("ollama version is 0.12.6\n") == "0.12.6"
    text = "Warning: could not connect to a running Ollama instance\nWarning: client version is 0.5.7\n"
    assert installer.parse_version(text) == "0.5.7"
    assert installer.parse_version("garbage") is None


class _Files(FakeServer):
    """Serves the install artifacts like ollama.com/download would."""

    def __init__(self, files: dict[str, bytes]) -> None:
        super().__init__()
        for path, data in files.items():
            self.route("GET", path, lambda ex, data=data: ex.send_bytes(200, data, "application/octet-stream"))


def _tgz() -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        data = b"#!/bin/sh\necho 'ollama version is 9.9.9'\n"
        info = tarfile.TarInfo("bin/ollama")
        info.size, info.mode = len(data), 0o755
        tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def test_execute_tarball_plan_for_real(tmp_path):
    with _Files({"/download/ollama-linux-amd64.tgz": _tgz()}) as files:
        p = plan(user_level=True, home=tmp_path, cache=tmp_path / "cache", download_base=files.url)
        lines: list[str] = []
        binary = installer.execute(p, echo=lines.append)
    assert len(lines) == 3 and lines[0].startswith("download ")
    status, out = installer.run_argv([binary, "--version"])
    assert status == 0 and installer.parse_version(out) == "9.9.9"
    assert installer.find_binary(tmp_path, which=lambda name: None) == binary


def test_execute_script_plan_runs_the_downloaded_file(tmp_path):
    marker = tmp_path / "ran"
    script = f"#!/bin/sh\necho installed > {marker}\n".encode()
    with _Files({"/install.sh": script}) as files:
        p = plan(home=tmp_path, cache=tmp_path / "cache", download_base=files.url)
        installer.execute(p, echo=lambda s: None, run=lambda argv: installer.run_argv(argv)[0])
    assert marker.read_text() == "installed\n"


def test_failed_step_is_a_setup_error(tmp_path):
    with _Files({"/install.sh": b"#!/bin/sh\nexit 3\n"}) as files:
        p = plan(home=tmp_path, cache=tmp_path / "cache", download_base=files.url)
        with pytest.raises(SetupError) as err:
            installer.execute(p, echo=lambda s: None, run=lambda argv: installer.run_argv(argv)[0])
    assert "exit status 3" in err.value.message


def test_download_failure(tmp_path):
    with _Files({}) as files, pytest.raises(SetupError):
        installer.download(files.url + "/missing", tmp_path / "x")
    assert not (tmp_path / "x").exists() and not (tmp_path / "x.part").exists()


def test_choose_method():
    assert service.choose_method(systemd=True, unit=True, is_root=True, has_sudo=False) == "systemd"
    assert service.choose_method(systemd=False, unit=True, is_root=True, has_sudo=False) == "serve"
    assert service.choose_method(systemd=True, unit=False, is_root=True, has_sudo=False) == "serve"
    assert service.choose_method(systemd=True, unit=True, is_root=False, has_sudo=False) == "serve"
    user_binary = "/home/u/.local/bin/ollama"
    assert service.choose_method(systemd=True, unit=True, is_root=True, has_sudo=False, binary=user_binary) == "serve"


def test_wait_for_api_is_bounded():
    t = [0.0]
    waited = service.wait_for_api(
        lambda: False, timeout=5, clock=lambda: t[0], sleep=lambda s: t.__setitem__(0, t[0] + s)
    )
    assert waited is None and t[0] >= 5


def test_detect_and_serve_with_fake_ollama(tmp_path, monkeypatch, free_port):  # noqa: F811
    exe = make_fake_ollama(tmp_path / "bin")
    monkeypatch.setenv("PATH", f"{exe.parent}{os.pathsep}{os.environ['PATH']}")
    url = f"http://127.0.0.1:{free_port}"
    client = OllamaClient(url)
    state = installer.detect_install(client, home=tmp_path)
    assert state.installed and state.version == "0.12.6" and not state.running
    pid, log = service.spawn_serve(state.binary, url)
    try:
        waited = service.wait_for_api(client.is_running, timeout=20, alive=lambda: service.process_alive(pid))
        assert waited is not None
        assert installer.detect_install(client, home=tmp_path).running
        assert "Listening on" in service.log_tail(log)
    finally:
        os.kill(pid, signal.SIGTERM)


def test_serve_that_dies_is_noticed(tmp_path, monkeypatch, free_port):  # noqa: F811
    exe = make_fake_ollama(tmp_path / "bin")
    monkeypatch.setenv("FAKE_OLLAMA_FAIL", "listen tcp: address already in use")
    url = f"http://127.0.0.1:{free_port}"
    pid, log = service.spawn_serve(str(exe), url)
    client = OllamaClient(url)
    assert service.wait_for_api(client.is_running, timeout=20, alive=lambda: service.process_alive(pid)) is None
    assert "address already in use" in service.log_tail(log)
