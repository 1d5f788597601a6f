"""Provisioning for real on this Debian machine (root): lock -> apply -> in sync -> drift -> apply restores
-> rollback; the Ansible playbook and the shell script exports run against localhost. Each test purges
what it installed. Run under the shared apt lock: `flock /tmp/cortex-apt.lock pytest -q tests/test_provisioning_real.py`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.test_install_real import installed

pytestmark = [
    pytest.mark.slow,
    pytest.mark.root,
    pytest.mark.skipif(shutil.which("apt-get") is None or os.geteuid() != 0, reason="needs root and apt"),
    pytest.mark.usefixtures("home"),
]


def cortex(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cortex", *args], capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=900
    )


def doc(proc: subprocess.CompletedProcess[str]) -> dict:
    return json.loads(proc.stdout)


def version_of(name: str) -> str | None:
    out = subprocess.run(
        ["dpkg-query", "-W", "-f=${db:Status-Abbrev}\t${Version}", name], capture_output=True, text=True
    )
    status, _, version = out.stdout.partition("\t")
    return version if out.returncode == 0 and status.startswith("ii") else None


@pytest.fixture
def cleanup():
    """Purge the named packages that a test installed (never ones that were there before it)."""
    before = installed()
    names: set[str] = set()
    yield names
    added = sorted((installed() - before) & names)
    if added:
        subprocess.run(["apt-get", "purge", "-y", *added], capture_output=True, text=True, timeout=600, check=False)
    assert not installed() & set(added)


def lock_request(path: Path, request: str) -> dict:
    proc = cortex("install", request, "--lock", str(path), "--no-model", "--json")
    assert proc.returncode == 0, proc.stderr
    return yaml.safe_load(path.read_text())


def test_lock_apply_check_drift_restore_and_rollback(tmp_path, cleanup):
    if version_of("hello"):
        pytest.skip("hello is already installed here")
    cleanup.add("hello")
    path = tmp_path / "cortex.lock"
    locked = lock_request(path, "hello")
    pkg = locked["requests"][0]["packages"][0]
    assert (pkg["name"], pkg["origin"], pkg["backend"]) == ("hello", "debian/main", "exact") and pkg["architecture"]
    version = pkg["version"]
    assert locked["distribution"]["id"] == "debian" and locked["manager"] == "apt"

    check = cortex("apply", str(path), "--check", "--json")
    assert check.returncode == 1 and doc(check)["drift"]["packages"][0]["state"] == "missing"

    dry = cortex("apply", str(path), "--json")
    assert dry.returncode == 0 and doc(dry)["status"] == "planned", dry.stderr
    assert doc(dry)["pins"] == [f"hello={version}"]
    assert doc(dry)["simulation"]["new"] == [{"name": "hello", "version": version}]
    assert version_of("hello") is None  # a dry run installs nothing

    applied = cortex("apply", str(path), "--execute", "--yes", "--json")
    assert applied.returncode == 0, applied.stderr
    tx = doc(applied)["transaction"]
    assert doc(applied)["status"] == "applied" and version_of("hello") == version

    again = cortex("apply", str(path), "--execute", "--yes")
    assert again.returncode == 0 and "In sync: nothing to do." in again.stdout
    check = cortex("apply", str(path), "--check", "--json")
    assert check.returncode == 0 and doc(check)["status"] == "in sync"

    from cortex.history import open_store

    with open_store() as store:
        latest = store.list(limit=5)
        record = store.get(tx)
    assert latest[0].id == tx  # the in-sync run recorded nothing
    assert record.kind == "apply" and record.status == "completed"
    assert [s.argv[-1] for s in record.steps] == [f"hello={version}"]
    assert [(c.package, c.action, c.new_version) for c in record.changes] == [("hello", "installed", version)]

    subprocess.run(["apt-get", "remove", "-y", "hello"], capture_output=True, check=True, timeout=600)
    drift = cortex("apply", str(path), "--check")
    assert drift.returncode == 1 and re.search(r"missing\s+hello", drift.stdout)
    restored = cortex("apply", str(path), "--execute", "--yes", "--json")
    assert restored.returncode == 0 and version_of("hello") == version, restored.stderr
    second_tx = doc(restored)["transaction"]

    relock = tmp_path / "from-history.lock"
    shown = cortex("history", "show", str(second_tx), "--lock", str(relock), "--json")
    assert shown.returncode == 0, shown.stderr
    again_locked = yaml.safe_load(relock.read_text())["requests"][0]
    assert [(p["name"], p["version"]) for p in again_locked["packages"]] == [("hello", version)]
    assert again_locked["source"] == f"history {second_tx}"

    undo = cortex("rollback", str(second_tx), "--execute", "--yes", "--json")
    assert undo.returncode == 0, undo.stderr
    assert version_of("hello") is None  # rollback works on an apply transaction


def test_gone_versions_and_unknown_packages_install_nothing(tmp_path):
    path = tmp_path / "cortex.lock"
    locked = lock_request(path, "sl")
    if version_of("sl"):
        pytest.skip("sl is already installed here")
    real = locked["requests"][0]["packages"][0]["version"]
    locked["requests"][0]["packages"][0]["version"] = "0.1-1"
    path.write_text(yaml.safe_dump(locked))
    gone = cortex("apply", str(path), "--execute", "--yes", "--json")
    assert gone.returncode == 15 and f"it has {real}" in gone.stderr
    assert doc(gone)["available"] == [real] and version_of("sl") is None
    newer = cortex("apply", str(path), "--allow-newer", "--json")
    assert newer.returncode == 0 and doc(newer)["pins"] == [f"sl={real}"]

    locked["requests"][0]["packages"][0].update(name="cortex-no-such-package", version="1.0")
    path.write_text(yaml.safe_dump(locked))
    unknown = cortex("apply", str(path), "--execute", "--yes")
    assert unknown.returncode == 14 and "cortex-no-such-package is not a package" in unknown.stderr


def _ansible(*args: str) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("ansible-playbook") or str(Path(sys.executable).parent / "ansible-playbook")
    if not os.path.exists(exe):
        pytest.skip("ansible-core is not installed (pip install -e '.[dev]')")
    # As root, without sudo on the machine: the playbook's `become` is for fleets; here it is not needed.
    extra = ("-e", "ansible_python_interpreter=/usr/bin/python3", "-e", "ansible_become=false")
    return subprocess.run([exe, *args, *extra], capture_output=True, text=True, timeout=900)


def test_ansible_export_installs_then_reports_nothing_changed(tmp_path, cleanup):
    if version_of("sl"):
        pytest.skip("sl is already installed here")
    cleanup.add("sl")
    path = tmp_path / "cortex.lock"
    version = lock_request(path, "sl")["requests"][0]["packages"][0]["version"]
    playbook = tmp_path / "site.yml"
    proc = cortex("export", "ansible", str(path), "-o", str(playbook))
    assert proc.returncode == 0, proc.stderr
    syntax = _ansible("--syntax-check", "-i", "localhost,", str(playbook))
    assert syntax.returncode == 0, syntax.stdout + syntax.stderr
    first = _ansible("-i", "localhost,", "-c", "local", str(playbook))
    assert first.returncode == 0, first.stdout + first.stderr
    assert re.search(r"localhost\s+: ok=\d+\s+changed=[1-9]", first.stdout) and version_of("sl") == version
    second = _ansible("-i", "localhost,", "-c", "local", str(playbook))
    assert second.returncode == 0 and re.search(r"localhost\s+: ok=\d+\s+changed=0\s", second.stdout), second.stdout
    assert cortex("apply", str(path), "--check").returncode == 0


def test_shell_export_runs_with_sh(tmp_path, cleanup):
    if version_of("cowsay"):
        pytest.skip("cowsay is already installed here")
    cleanup.update({"cowsay", "libtext-charwidth-perl"})
    path = tmp_path / "cortex.lock"
    version = lock_request(path, "cowsay")["requests"][0]["packages"][0]["version"]
    script = tmp_path / "provision.sh"
    assert cortex("export", "shell", str(path), "-o", str(script)).returncode == 0
    for _ in range(2):  # the second run finds everything installed and still succeeds
        run = subprocess.run(["sh", str(script)], capture_output=True, text=True, timeout=900)
        assert run.returncode == 0, run.stdout + run.stderr
        assert version_of("cowsay") == version
    assert "0 newly installed" in run.stdout
    assert cortex("apply", str(path), "--check").returncode == 0
