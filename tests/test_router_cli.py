"""The router's failure handling seen from `cortex ask`, in real subprocesses against the protocol
servers: the breaker shared between two cortex processes, messages, partial accounting, usage.db
failing closed."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
from pathlib import Path

import pytest
import yaml

from tests.cli_helpers import cortex, start_cortex
from tests.servers.anthropic_server import AnthropicServer
from tests.servers.openai_server import OpenAIServer


@pytest.fixture
def chain(cortex_home, anthropic_server, openai_server):
    """claude first (paid), then an OpenAI-compatible local server (free), written to the config file."""

    def write(**limits) -> dict:
        config = {
            "routing": {"tasks": {"user_chat": ["claude", "openai"]}},
            "limits": {"backoff": 0.01, **limits},
            "providers": {"openai": {"model": "gpt-test"}, "claude": {"model": "claude-test"}},
        }
        path = cortex_home / "config" / "config.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(config))
        return {
            **os.environ,
            "ANTHROPIC_API_KEY": "test-key",
            "ANTHROPIC_BASE_URL": anthropic_server.url,
            "OPENAI_API_KEY": "test-key",
            "OPENAI_BASE_URL": openai_server.url + "/v1",  # not api.openai.com: a free provider
        }

    return write


def usage_rows(home: Path) -> list[dict]:
    conn = sqlite3.connect(home / "data" / "usage.db")
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute("SELECT * FROM calls ORDER BY id")]
    finally:
        conn.close()


def test_a_second_cortex_process_skips_a_dead_provider_without_a_request(
    chain, anthropic_server: AnthropicServer, openai_server: OpenAIServer
):
    env = chain(idle_timeout=2)
    anthropic_server.inject(hang=True, times=10)
    first = cortex("ask", "hi", env=env)
    assert first.returncode == 0, first.stderr
    assert "openai (gpt-test)" in first.stderr and "nothing for 2 s" in first.stderr
    assert len(anthropic_server.model_requests()) == 1
    second = cortex("ask", "hi again", env=env)
    assert second.returncode == 0, second.stderr
    assert len(anthropic_server.model_requests()) == 1  # skipped: no request
    assert "not asking it for another" in second.stderr and "nothing for 2 s" in second.stderr
    assert len(openai_server.model_requests()) == 2


def test_an_error_after_partial_text_starts_on_its_own_line(chain, anthropic_server):
    env = chain(idle_timeout=1)
    anthropic_server.reply("one two three four five six")
    anthropic_server.inject(stall_after=5)
    proc = cortex("ask", "hi", env=env)
    assert proc.returncode == 6 and "Traceback" not in proc.stderr
    assert proc.stdout.endswith("\n") and proc.stdout.strip()  # the partial answer, its line finished
    line = next(x for x in proc.stderr.splitlines() if x.startswith("cortex: error:"))
    assert "claude (claude-test): the stream broke after part of the answer" in line
    assert line.count("claude (claude-test)") == 1 and "nothing for 1 s" in line


def test_a_truncated_answer_is_marked_on_screen_and_in_the_record(chain, anthropic_server):
    env = chain()
    anthropic_server.inject(length=True)
    proc = cortex("ask", "hi", env=env)
    assert proc.returncode == 0, proc.stderr
    assert "cut off" in proc.stderr
    rows = usage_rows(Path(env["CORTEX_HOME"]))
    assert rows[-1]["ok"] == 1 and rows[-1]["truncated"] == 1


def test_ctrl_c_during_a_stream_records_the_tokens_received_as_partial(chain, anthropic_server):
    env = chain()
    anthropic_server.stream_interval = 0.3
    anthropic_server.reply(" ".join(f"word{i}" for i in range(80)), input_tokens=42)
    proc = start_cortex("ask", "talk slowly", env=env)
    try:
        assert proc.stdout.read(5)  # the stream has started
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 130 and "Traceback" not in err
    rows = usage_rows(Path(env["CORTEX_HOME"]))
    assert len(rows) == 1
    row = rows[0]
    assert row["provider"] == "claude" and row["partial"] == 1 and row["ok"] == 0
    assert row["input_tokens"] == 42  # as the provider reported it (message_start)
    assert row["output_tokens"] >= 1 and row["cost_usd"] > 0


def test_a_broken_stream_records_what_arrived_as_partial(chain, anthropic_server):
    env = chain()
    anthropic_server.reply("one two three four five six seven eight")
    anthropic_server.inject(cut_after=6)
    proc = cortex("ask", "hi", env=env)
    assert proc.returncode == 6
    row = usage_rows(Path(env["CORTEX_HOME"]))[-1]
    assert row["partial"] == 1 and row["output_tokens"] >= 1


def test_a_corrupt_usage_db_with_a_spending_cap_skips_paid_providers_and_says_so(
    chain, cortex_home, anthropic_server, openai_server
):
    env = chain()
    config = cortex_home / "config" / "config.yaml"
    config.write_text(config.read_text() + "budget:\n  daily_usd: 5\n")
    db = cortex_home / "data" / "usage.db"
    db.parent.mkdir(parents=True, exist_ok=True)
    db.write_bytes(b"this is not a database" * 100)
    proc = cortex("ask", "hi", env=env)
    assert proc.returncode == 0, proc.stderr
    assert "openai (gpt-test)" in proc.stderr
    assert "cannot count spending" in proc.stderr  # said, not silent
    assert anthropic_server.model_requests() == []  # the paid provider got no request


def test_a_usage_db_from_a_newer_cortex_is_left_untouched(chain, cortex_home, openai_server):
    env = chain()
    config = cortex_home / "config" / "config.yaml"
    config.write_text(config.read_text() + "budget:\n  daily_usd: 5\n")
    db = cortex_home / "data" / "usage.db"
    db.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE calls (id INTEGER PRIMARY KEY)")
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    before = db.read_bytes()
    proc = cortex("ask", "hi", env=env)
    assert proc.returncode == 0, proc.stderr
    assert "schema version 99" in proc.stderr
    assert db.read_bytes() == before and not (db.parent / "usage.db-wal").exists()
    stats = cortex("stats", "--json", env=env)
    assert stats.returncode == 8 and "schema version 99" in stats.stderr
    assert json.loads(stats.stdout)["error"] == "StateError"
