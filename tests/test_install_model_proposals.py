"""A capable model proposes packages, the index verifies them: `cortex install` end to end in a real
subprocess with the real openai SDK against the OpenAI-compatible protocol server (tests/servers/)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(shutil.which("apt-get") is None, reason="needs apt (Debian/Ubuntu)")


def test_proposed_names_are_verified_merged_and_chosen_through_the_schema(openai_server, home):
    (home / "config" / "config.yaml").write_text("routing:\n  tasks:\n    package_selection: [openai]\n")
    openai_server.reply('{"packages": ["hello", "hello-invented-by-the-model"]}')
    openai_server.reply('{"package": "hello", "reason": "prints a friendly greeting"}')
    env = {
        **os.environ,
        "OPENAI_BASE_URL": openai_server.url + "/v1",
        "OPENAI_API_KEY": "test-key",
        "OPENAI_MODEL": "gpt-test",
    }
    proc = subprocess.run(
        [sys.executable, "-m", "cortex", "install", "a program that greets the world politely", "--dry-run", "--json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    doc = json.loads(proc.stdout)
    assert proc.returncode == 0, proc.stderr
    assert doc["status"] == "planned" and doc["packages"] == ["hello"] and doc["backend"] == "openai"
    bodies = [r.json for r in openai_server.requests if r.path.endswith("/chat/completions")]
    assert len(bodies) == 2
    proposal_schema = bodies[0]["response_format"]["json_schema"]["schema"]
    assert proposal_schema["properties"]["packages"]["type"] == "array"
    enum = bodies[1]["response_format"]["json_schema"]["schema"]["properties"]["package"]["enum"]
    assert enum[0] == "hello" and "hello-invented-by-the-model" not in enum  # verified first, unknown dropped
    assert "hello-invented-by-the-model" not in proc.stdout  # counted, never shown
    assert any("1 name(s) the archive does not have" in n for n in doc["notes"])
    # the streams the answers were read from are closed by cortex, not left to the loop's shutdown
    assert "Task was destroyed" not in proc.stderr and "Exception ignored" not in proc.stderr, proc.stderr
