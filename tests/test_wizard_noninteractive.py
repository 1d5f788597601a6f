"""The wizard in CI mode end to end: a fake `ollama` on PATH, started for real, --json report."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

from cortex import paths
from tests.ollama_helpers import fake_ollama, free_port  # noqa: F401 - pytest fixtures

REPO = Path(__file__).resolve().parents[1]


def setup(*flags: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cortex", "setup", "ollama", "--non-interactive", *flags],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=REPO,
        env=dict(os.environ),
        check=False,
    )


def test_fresh_setup_starts_pulls_tests_and_configures(fake_ollama):  # noqa: F811
    fake_ollama["models"](installed=(), library=[("gemma3:1b", 3_000_000)])
    done = setup("--json", "--base-url", fake_ollama["url"], "--model", "gemma3:1b")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["ok"] and report["error"] is None
    steps = {s["step"]: s["status"] for s in report["steps"]}
    assert steps == {
        "hardware": "ok",
        "detect": "ok",
        "install": "skipped",
        "start": "ok",
        "model": "ok",
        "pull": "ok",
        "test": "ok",
        "config": "ok",
        "next": "ok",
    }
    assert report["ollama"]["started_with"] == "serve" and report["ollama"]["version"] == "0.12.6"
    assert report["test"]["answer"] and report["test"]["tokens_per_s"] > 0
    assert report["recommendation"]["model"] and report["recommendation"]["reason"]
    config = yaml.safe_load(paths.config_file().read_text())
    assert config["providers"]["ollama"] == {"base_url": fake_ollama["url"], "model": "gemma3:1b"}
    assert config["routing"]["profile"] == "local-first"
    assert "cortex ask" in report["next"]
    assert "Pulling the model" in done.stderr  # human progress goes to stderr, stdout is only JSON

    # Re-run: idempotent, nothing installed, started or pulled again.
    again = setup("--json", "--base-url", fake_ollama["url"], "--model", "gemma3:1b")
    assert again.returncode == 0, again.stderr
    steps = {s["step"]: s["status"] for s in json.loads(again.stdout)["steps"]}
    assert steps["start"] == steps["pull"] == steps["install"] == "skipped" and steps["test"] == "ok"


def test_auto_model_is_the_recommendation(fake_ollama):  # noqa: F811
    from cortex.hardware import detect
    from cortex.ollama.catalog import recommend

    tag = recommend(detect()).model.tag
    fake_ollama["models"](installed=[(tag, 2_000_000)])
    done = setup("--json", "--base-url", fake_ollama["url"], "--model", "auto")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["model"] == tag and report["recommendation"]["model"] == tag


def test_unknown_model_fails_with_exit_11_and_json_error(fake_ollama):  # noqa: F811
    fake_ollama["models"]()
    done = setup("--json", "--base-url", fake_ollama["url"], "--model", "nosuch:1b")
    assert done.returncode == 11
    report = json.loads(done.stdout)
    assert not report["ok"] and report["steps"][-1] == {
        "step": "pull",
        "status": "failed",
        "detail": "Ollama's library has no model 'nosuch:1b'.",
    }
    assert report["error"]["exit_code"] == 11
    assert "hint:" in done.stderr
    assert not paths.config_file().exists()  # no half-configured state


def test_server_that_never_answers_is_a_failure_with_the_log(fake_ollama, monkeypatch):  # noqa: F811
    monkeypatch.setenv("FAKE_OLLAMA_DELAY", "30")
    fake_ollama["models"]()
    done = setup("--base-url", fake_ollama["url"], "--start-timeout", "1", "--skip-test")
    assert done.returncode == 11
    assert "did not answer within 1 s" in done.stderr and "Listening on" in done.stderr


def test_missing_ollama_with_skip_install(tmp_path, monkeypatch, free_port):  # noqa: F811
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    monkeypatch.setenv("HOME", str(tmp_path))
    done = setup("--skip-install", "--base-url", f"http://127.0.0.1:{free_port}")
    assert done.returncode == 11 and "--skip-install" in done.stderr


def test_bad_flag_is_usage_error():
    done = setup("--start-timeout", "0")
    assert done.returncode == 2


def test_script_entry_point_runs_the_same_wizard():
    done = subprocess.run(
        [sys.executable, "scripts/setup_ollama.py", "--list-models", "--json"],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert any(m["tag"] == "gemma3:4b" for m in json.loads(done.stdout))
