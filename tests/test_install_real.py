"""Real installs on this Debian machine (root): `cortex install hello|cowsay --execute --yes`, checked
with dpkg and recorded in the history, then purged so the machine is left as it was."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.root,
    pytest.mark.skipif(shutil.which("apt-get") is None or os.geteuid() != 0, reason="needs root and apt"),
    pytest.mark.usefixtures("home"),
]


def installed() -> set[str]:
    out = subprocess.run(
        ["dpkg-query", "-W", "-f=${Package}\t${db:Status-Abbrev}\n"], capture_output=True, text=True, check=True
    ).stdout
    return {line.split("\t")[0] for line in out.splitlines() if "\t" in line and line.split("\t")[1].startswith("ii")}


def cortex(*args: str) -> tuple[int, dict, str]:
    proc = subprocess.run(
        [sys.executable, "-m", "cortex", "install", *args, "--json"],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=900,
    )
    return proc.returncode, json.loads(proc.stdout), proc.stderr


@pytest.fixture
def restore_packages():
    """Purge exactly what a test's install added (the simulation's new packages that were not there before)."""
    state = {"before": installed(), "new": set()}
    yield state
    added = sorted((installed() - state["before"]) & state["new"])
    if added:
        subprocess.run(["apt-get", "purge", "-y", *added], capture_output=True, text=True, check=False, timeout=600)
    assert not (installed() & set(added))


def test_plan_and_simulate_nginx_from_the_real_index():
    rc, doc, _ = cortex("nginx", "--dry-run")
    assert rc == 0 and doc["status"] == "planned" and doc["packages"] == ["nginx"]
    assert {"nginx", "nginx-common"} <= {p["name"] for p in doc["simulation"]["new"]}


@pytest.mark.parametrize(("package", "extra_new"), [("hello", set()), ("cowsay", {"libtext-charwidth-perl"})])
def test_execute_installs_verifies_and_records(restore_packages, package, extra_new):
    before = restore_packages["before"]
    if package in before:
        pytest.skip(f"{package} is already installed here")
    rc, doc, err = cortex(package, "--execute", "--yes")
    restore_packages["new"] = {p["name"] for p in doc.get("simulation", {}).get("new", [])}
    assert rc == 0, err
    assert doc["status"] == "installed" and doc["packages"] == [package]
    now = installed()
    assert package in now
    added = now - before
    assert extra_new <= added  # its dependencies came with it
    assert doc["simulation"]["verified"]["installed"][package]
    assert package in doc["simulation"]["verified"]["commands"]

    from cortex.history import open_store

    with open_store() as store:
        latest = store.list(limit=1)[0]
    assert latest.status == "installed" and latest.request == package
