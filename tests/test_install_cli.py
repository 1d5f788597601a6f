"""`cortex install ... --json` through the real command line: the JSON contract, exit codes, dry run,
and the refusal to execute without a terminal or --yes. Uses the real apt index (built once)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

pytestmark = [
    pytest.mark.skipif(shutil.which("apt-get") is None, reason="needs apt (Debian/Ubuntu)"),
    pytest.mark.usefixtures("home"),
]
CONTRACT = {"request", "status", "packages", "steps", "simulation", "backend", "reason", "suggestions"}


def cortex(*args: str, stdin=subprocess.DEVNULL) -> tuple[int, str, str]:
    env = dict(os.environ)
    proc = subprocess.run(
        [sys.executable, "-m", "cortex", "install", *args],
        capture_output=True,
        text=True,
        env=env,
        stdin=stdin,
        timeout=120,
    )
    return proc.returncode, proc.stdout, proc.stderr


def doc_of(stdout: str) -> dict:
    doc = json.loads(stdout)  # exactly one JSON document and nothing else
    refused = doc.get("status") == "refused"  # a refused plan carries no packages and no steps
    assert set(doc) >= (CONTRACT - {"packages", "steps"} if refused else CONTRACT)
    return doc


def test_exact_name_is_planned_and_simulated():
    rc, out, _ = cortex("nginx", "--dry-run", "--json")
    doc = doc_of(out)
    assert rc == 0 and doc["status"] == "planned"
    assert doc["packages"] == ["nginx"] and doc["backend"] == "exact"
    assert doc["steps"][0]["argv"][:2] == ["apt-get", "install"] and "nginx" in doc["steps"][0]["argv"]
    new = [p["name"] for p in doc["simulation"]["new"]]
    assert "nginx" in new and "nginx-common" in new  # dependencies shown
    assert doc["chosen"][0]["version"] and doc["chosen"][0]["summary"]


def test_several_names_and_aliases():
    rc, out, _ = cortex("curl and wget", "--json")
    assert rc == 0 and doc_of(out)["packages"] == ["curl", "wget"]
    rc, out, _ = cortex("docker with compose", "--json")
    doc = doc_of(out)
    assert rc == 0 and doc["packages"][0] == "docker.io" and "docker-compose" in doc["packages"]


def test_refused_request_exit_3():
    rc, out, err = cortex("install htop && rm -rf ~", "--json")
    doc = doc_of(out)
    assert rc == 3 and doc["status"] == "refused" and doc["rule"]
    assert "packages" not in doc and "steps" not in doc  # a refused plan plans nothing
    assert "refused" in err


def test_absent_software_exit_4():
    rc, out, _ = cortex("sublime text", "--json")
    doc = doc_of(out)
    assert rc == 4 and doc["status"] == "unresolved" and doc["packages"] == []
    assert "Sublime" in doc["reason"] and doc["suggestions"]


def test_described_need_without_a_model_uses_the_ranking():
    rc, out, _ = cortex("a tool to take screenshots", "--json")
    doc = doc_of(out)
    assert rc == 0 and doc["status"] == "planned" and doc["backend"] == "ranking"
    assert 0 < doc["confidence"] <= 1 and len(doc["packages"]) <= 2


def test_execute_without_a_terminal_or_yes_is_refused_and_changes_nothing():
    rc, out, _ = cortex("hello", "--execute", "--json")
    doc = doc_of(out)
    assert rc == 3 and doc["status"] == "refused" and "--yes" in doc["reason"]
    probe = subprocess.run(["dpkg-query", "-W", "-f=${Status}", "hello"], capture_output=True, text=True)
    assert "install ok installed" not in probe.stdout


def test_usage_errors_exit_2():
    rc, _, err = cortex("nginx", "--dry-run", "--execute")
    assert rc == 2 and "not allowed with" in err
    rc, _, _ = cortex()
    assert rc == 2


def test_human_output_shows_plan_steps_and_simulation():
    rc, out, _ = cortex("nginx")
    assert rc == 0
    for text in ("nginx", "apt-get install", "simulation", "new: 2", "Dry run"):
        assert text in out


def test_execute_asks_on_a_terminal_and_no_changes_nothing():
    pexpect = pytest.importorskip("pexpect")
    child = pexpect.spawn(
        sys.executable, ["-m", "cortex", "install", "hello", "--execute"], env=dict(os.environ), timeout=120
    )
    child.expect(r"Run these steps\?")
    child.sendline("n")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 3
    assert b"Not confirmed" in child.before
