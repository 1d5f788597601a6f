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


def _install(openai_server, home, request: str) -> tuple[subprocess.CompletedProcess, dict]:
    (home / "config" / "config.yaml").write_text("routing:\n  tasks:\n    package_selection: [openai]\n")
    env = {
        **os.environ,
        "OPENAI_BASE_URL": openai_server.url + "/v1",
        "OPENAI_API_KEY": "test-key",
        "OPENAI_MODEL": "gpt-test",
    }
    proc = subprocess.run(
        [sys.executable, "-m", "cortex", "install", request, "--dry-run", "--json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    # the streams the answers were read from are closed by cortex, not left to the loop's shutdown
    assert "Task was destroyed" not in proc.stderr and "Exception ignored" not in proc.stderr, proc.stderr
    return proc, json.loads(proc.stdout)


def test_a_proposal_that_fits_nothing_leaves_the_choice_to_the_index(openai_server, home):
    """Verified names that cover nothing of the need are not planned, and unknown ones are never shown:
    the index's ranking decides, and the model is asked once."""
    openai_server.reply('{"packages": ["sl-invented-by-the-model", "sl"]}')
    proc, doc = _install(openai_server, home, "an example package of gnu")
    assert proc.returncode == 0, proc.stderr
    assert doc["backend"] == "ranking" and "sl" not in doc["packages"]  # the index's own pick, not sl
    bodies = [r.json for r in openai_server.requests if r.path.endswith("/chat/completions")]
    assert len(bodies) == 1
    proposal_schema = bodies[0]["response_format"]["json_schema"]["schema"]
    assert proposal_schema["properties"]["packages"]["type"] == "array"
    assert "sl-invented-by-the-model" not in proc.stdout  # counted, never shown
    assert any("1 name(s) the archive does not have" in n for n in doc["notes"])


def test_a_proposal_that_fits_the_need_is_planned_with_one_question(openai_server, home):
    openai_server.reply('{"packages": ["hello-invented-by-the-model", "hello"]}')
    proc, doc = _install(openai_server, home, "an example package of gnu")
    assert proc.returncode == 0, proc.stderr
    assert doc["status"] == "planned" and doc["packages"] == ["hello"] and doc["backend"] == "openai"
    assert len([r for r in openai_server.requests if r.path.endswith("/chat/completions")]) == 1
    assert doc["chosen"][0]["why"].startswith("proposed by openai, verified in the index")
    assert "hello-invented-by-the-model" not in proc.stdout
