"""`cortex ask` and `cortex stats` end to end: a real subprocess, the real openai SDK, a fake server."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys

import pytest

from tests.cli_helpers import ROOT, cortex, start_cortex


@pytest.fixture
def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def env_for(server, **extra) -> dict:
    return {
        **os.environ,
        "CORTEX_PROVIDER": "openai",
        "OPENAI_BASE_URL": server.url + "/v1",
        "OPENAI_API_KEY": "test-key",
        "OPENAI_MODEL": "gpt-test",
        **extra,
    }


def test_ask_streams_and_says_who_answered(openai_server):
    openai_server.reply("Use ss -tlnp to list listening ports.")
    proc = cortex("ask", "how do I list listening ports?", env=env_for(openai_server))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "Use ss -tlnp to list listening ports.\n"
    assert "openai (gpt-test)" in proc.stderr and "tokens" in proc.stderr
    body = openai_server.requests[-1].json
    assert body["stream"] is True and body["messages"][-1]["content"] == "how do I list listening ports?"


def test_ask_json_is_the_whole_completion_record(openai_server):
    openai_server.reply("42")
    proc = cortex("ask", "--json", "answer?", env=env_for(openai_server))
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["text"] == "42" and doc["provider"] == "openai" and doc["task"] == "user_chat"
    assert doc["usage"]["output_tokens"] > 0 and doc["attempts"][0]["ok"] is True


def test_rate_limited_then_answers(openai_server):
    openai_server.inject(status=429, headers={"Retry-After": "0"})
    openai_server.reply("fine")
    proc = cortex("ask", "--no-stream", "hi", env=env_for(openai_server, CORTEX_TIMEOUT="5"))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "fine" and "after 1 failed attempt" in proc.stderr


def test_bad_key_is_one_line_exit_6_with_hint(openai_server):
    proc = cortex("ask", "hi", env=env_for(openai_server, OPENAI_API_KEY="wrong"))
    assert proc.returncode == 6
    assert "Traceback" not in proc.stderr
    assert "OPENAI_API_KEY" in proc.stderr
    assert proc.stdout == ""


def test_nothing_listening_is_a_clear_error(closed_port):
    env = {
        **os.environ,
        "CORTEX_PROVIDER": "openai",
        "OPENAI_BASE_URL": f"http://127.0.0.1:{closed_port}/v1",
        "OPENAI_API_KEY": "k",
        "CORTEX_TIMEOUT": "3",
    }
    proc = cortex("ask", "hi", env=env)
    assert proc.returncode == 6 and "Traceback" not in proc.stderr
    assert "openai" in proc.stderr


def test_empty_question_is_usage_error(openai_server):
    proc = cortex("ask", "  ", env=env_for(openai_server))
    assert proc.returncode == 2 and "empty" in proc.stderr


def test_stats_counts_calls_across_runs(openai_server):
    env = env_for(openai_server)
    for _ in range(2):
        assert cortex("ask", "--no-stream", "hi", env=env).returncode == 0
    openai_server.inject(status=400)
    assert cortex("ask", "--no-stream", "hi", env=env).returncode == 6
    proc = cortex("stats", "--json", env=env)
    assert proc.returncode == 0, proc.stderr
    rows = {r["provider"]: r for r in json.loads(proc.stdout)["providers"]}
    assert rows["openai"]["requests"] == 3 and rows["openai"]["failures"] == 1
    assert rows["openai"]["input_tokens"] > 0


@pytest.mark.slow
def test_ctrl_c_during_a_stream_exits_130_and_keeps_the_usage_db(openai_server):
    openai_server.stream_interval = 0.2
    openai_server.reply(" ".join(f"word{i}" for i in range(60)))
    env = env_for(openai_server)
    proc = start_cortex("ask", "talk slowly", env=env)
    first = proc.stdout.read(5)  # the stream has started
    assert first
    proc.send_signal(signal.SIGINT)
    try:
        _out, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 130
    assert "interrupted" in err and "Traceback" not in err
    openai_server.stream_interval = 0.0
    assert cortex("ask", "--no-stream", "again", env=env).returncode == 0
    stats = cortex("stats", "--json", env=env)
    assert stats.returncode == 0 and json.loads(stats.stdout)["providers"][0]["requests"] >= 1


def test_examples_run_against_an_openai_compatible_server(openai_server):
    env = env_for(openai_server)
    for name in ("ask.py", "async_batch.py", "custom_provider.py"):
        proc = subprocess.run(
            [sys.executable, f"examples/{name}"], capture_output=True, text=True, env=env, cwd=ROOT, timeout=60
        )
        assert proc.returncode == 0, (name, proc.stderr)
        assert proc.stdout.strip()
    proc = subprocess.run(
        [sys.executable, "examples/structured_output.py"], capture_output=True, text=True, env=env, cwd=ROOT, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split()[0] in {"gimp", "krita", "inkscape", "pinta"}
    proc = subprocess.run(
        [sys.executable, "examples/tools.py"], capture_output=True, text=True, env=env, cwd=ROOT, timeout=60
    )
    assert proc.returncode == 0, proc.stderr


def test_huge_prompt_from_stdin_is_refused_by_the_server_with_a_clear_error(openai_server):
    openai_server.inject(
        status=400,
        body={
            "error": {
                "message": "This model's maximum context length is 128000 tokens.",
                "type": "invalid_request_error",
                "param": "messages",
                "code": "context_length_exceeded",
            }
        },
    )
    proc = subprocess.run(
        [sys.executable, "-m", "cortex", "ask", "-"],
        input="word " * 400_000,
        capture_output=True,
        text=True,
        env=env_for(openai_server),
        cwd=ROOT,
        timeout=60,
    )
    assert proc.returncode == 6
    assert "maximum context length" in proc.stderr and "Traceback" not in proc.stderr
    assert len(openai_server.model_requests()) == 1  # a 400 is not retried
