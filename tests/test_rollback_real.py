"""Real installs and rollbacks with apt-get on this machine (root, Debian). The machine is left as it was."""

from __future__ import annotations

import functools
import json
import shutil
import subprocess
import sys

import pytest

from cortex.cli.main import main
from cortex.history import open_store
from cortex.history.debversion import compare
from cortex.packages.apt import AptManager
from cortex.packages.base import Simulation
from cortex.packages.state import present
from cortex.system.runner import run
from tests.conftest import is_root

pytestmark = [
    pytest.mark.slow,
    pytest.mark.root,
    pytest.mark.skipif(not (is_root() and shutil.which("apt-get") and shutil.which("dpkg")), reason="root + apt"),
]


def installed() -> dict[str, str]:
    return present(AptManager().package_state())


def dpkg_version(name: str) -> str | None:
    out = subprocess.run(
        ["dpkg-query", "-W", "-f=${db:Status-Abbrev} ${Version}", name], capture_output=True, text=True
    )
    parts = out.stdout.split()
    return parts[1] if out.returncode == 0 and len(parts) == 2 and parts[0] == "ii" else None


def apt(*args: str) -> None:
    result = run(["apt-get", "-y", *args], timeout=600)
    assert result.ok, result.output[-2000:]


def recorded(request: str, *args: str) -> int:
    """Run `apt-get -y ARGS` inside a real history transaction; return its id."""
    store = open_store()
    store.check_writable()
    argv = ["apt-get", "-y", *args]
    with store.transaction(request=request, plan={"argv": argv}, backend="test") as tx:
        result = run(argv, timeout=600)
        tx.step(argv, result.returncode, result.output)
        assert result.ok, result.output[-2000:]
    store.close()
    return tx.id


def available_versions(names: list[str]) -> dict[str, set[str]]:
    return AptManager().available_versions(names)


def touched_by(sim: Simulation) -> set[str]:
    """The packages apt's dry run says it would install, change or remove."""
    assert sim.ok, sim.error
    return {n for n, *_ in (*sim.new, *sim.upgraded, *sim.removed)}


@pytest.fixture
def restore_machine():
    """Whatever a test installs is purged again, even when it fails."""
    start = installed()
    yield start
    extra = sorted(set(installed()) - set(start))
    if extra:
        run(["apt-get", "purge", "-y", *extra], timeout=600)


def cortex(*args: str) -> tuple[int, str]:
    """The real command line, as a user runs it (no terminal: --yes is required to execute)."""
    proc = subprocess.run(
        [sys.executable, "-m", "cortex", *args],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=900,
    )
    return proc.returncode, proc.stdout + proc.stderr


def test_install_cowsay_then_rollback_restores_the_package_set(restore_machine):
    if dpkg_version("cowsay") or not available_versions(["cowsay"])["cowsay"]:
        pytest.skip("cowsay is installed already, or not in the archive")
    before = installed()
    rc, out = cortex("install", "cowsay", "--execute", "--yes")
    assert rc == 0, out
    rc, out = cortex("history", "--limit", "1", "--json")
    tx_id = json.loads(out)["transactions"][0]["id"]

    rec = open_store().get(tx_id)
    after = installed()
    assert rec.status == "installed"
    assert {c.package for c in rec.changes} == set(after) - set(before)
    assert {c.action for c in rec.changes} == {"installed"} and len(rec.changes) >= 2  # cowsay pulls dependencies
    for c in rec.changes:
        assert dpkg_version(c.package.split(":")[0]) == c.new_version
    assert any(c.new_auto for c in rec.changes)  # the dependencies are marked automatic

    rc, out = cortex("rollback", str(tx_id), "--execute", "--yes")
    assert rc == 0, out
    assert "as they were before" in out
    assert installed() == before
    store = open_store()
    assert store.get(tx_id).status == "rolled back"
    rollback = store.get(store.get(tx_id).rolled_back_by)
    assert {c.package for c in rollback.changes} == {c.package for c in rec.changes}


def _two_versions(name: str) -> tuple[str, str] | None:
    versions = sorted(available_versions([name])[name], key=functools.cmp_to_key(compare))
    return (versions[0], versions[-1]) if len(versions) >= 2 else None


def test_upgrade_and_removal_rollbacks_restore_the_recorded_version(restore_machine, capsys):
    name = "expat"  # small, depends only on libexpat1 and libc6; bookworm and bookworm-security differ
    pair = _two_versions(name)
    if dpkg_version(name) or pair is None:
        pytest.skip(f"{name} is installed already, or the archive has one version of it")
    old, new = pair
    # Only this one package may change: never upgrade a library of the machine that cannot be put back.
    if touched_by(AptManager().simulate_change([(name, old)], [])) != {name}:
        pytest.skip(f"installing {name}={old} would change other packages")
    apt("install", f"{name}={old}")  # the starting point, outside the history
    if touched_by(AptManager().simulate([name])) != {name}:
        pytest.skip(f"upgrading {name} would change other packages")
    base = installed()

    upgrade = recorded(f"upgrade {name}", "install", name)
    rec = open_store().get(upgrade)
    assert [(c.package, c.action, c.old_version, c.new_version) for c in rec.changes] == [(name, "upgraded", old, new)]
    assert main(["rollback", str(upgrade), "--execute", "--yes"]) == 0
    assert dpkg_version(name) == old
    assert installed() == base

    removal = recorded(f"remove {name}", "remove", name)
    rec = open_store().get(removal)
    assert [(c.package, c.action, c.old_version) for c in rec.changes] == [(name, "removed", old)]
    assert main(["rollback", str(removal), "--execute", "--yes"]) == 0
    assert installed() == base
    capsys.readouterr()
