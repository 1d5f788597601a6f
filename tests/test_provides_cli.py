"""`cortex provides`, and commands in install requests, end to end through the CLI on a Contents index."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.contents_helpers import install_for_cli

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def env(cortex_home, tmp_path):
    install_for_cli(cortex_home)
    status = tmp_path / "status"
    status.write_text("Package: iproute2\nStatus: install ok installed\nArchitecture: amd64\nVersion: 6.1.0-3\n\n")
    return {**os.environ, "CORTEX_DPKG_STATUS": str(status), "CORTEX_APT_EXTENDED_STATES": str(tmp_path / "none")}


def cortex(env, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cortex", *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=60
    )


def test_provides_json_lists_exact_match_with_summary_and_installed_state(env):
    proc = cortex(env, "provides", "ss", "--json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["status"] == "found"
    (row,) = doc["providers"]
    assert row["package"] == "iproute2" and row["path"] == "/bin/ss" and row["match"] == "exact"
    assert row["installed"] == "6.1.0-3" and row["summary"] == "networking and traffic control tools"


def test_provides_vi_lists_every_provider_in_order(env):
    proc = cortex(env, "provides", "vi")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert out.index("vim-tiny") < out.index("vim.basic") < out.index("nvi")
    assert "not installed" in out and "3 packages" in out


def test_provides_nothing_exits_4_with_a_hint(env):
    proc = cortex(env, "provides", "no-such-command")
    assert proc.returncode == 4
    assert "No package in the index ships 'no-such-command'" in proc.stderr
    doc = json.loads(cortex(env, "provides", "no-such-command", "--json").stdout)
    assert doc["status"] == "unresolved" and doc["providers"] == []


@pytest.mark.parametrize(
    ("request_text", "package", "path"),
    [
        ("mkfs.exfat", "exfatprogs", "/usr/sbin/mkfs.exfat"),
        ("I need mkfs.exfat", "exfatprogs", "/usr/sbin/mkfs.exfat"),
        ("the convert command", "imagemagick-6.q16", "/usr/bin/convert-im6.q16"),
        ("the nslookup command", "bind9-dnsutils", "/usr/bin/nslookup"),
    ],
)
def test_install_resolves_commands_through_contents(env, request_text, package, path):
    proc = cortex(env, "install", "--no-model", "--json", request_text)
    doc = json.loads(proc.stdout)
    assert doc["backend"] == "contents", doc
    assert [c["name"] for c in doc["chosen"]] == [package]
    assert path in doc["chosen"][0]["why"]


def test_install_names_the_other_providers(env):
    doc = json.loads(cortex(env, "install", "--no-model", "--json", "the convert command").stdout)
    assert any("graphicsmagick-imagemagick-compat" in n and "cortex provides convert" in n for n in doc["notes"])


def test_a_destructive_mkfs_request_is_still_refused(env):
    proc = cortex(env, "install", "--json", "mkfs.ext4 /dev/sda1")
    assert proc.returncode == 3
    assert json.loads(proc.stdout)["status"] == "refused"
