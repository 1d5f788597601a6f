"""`cortex doctor`: each check against real local state and protocol-faithful servers; exit codes."""

from __future__ import annotations

import json
import sqlite3

from cortex import paths
from cortex.cli.main import main
from cortex.doctor import Check, check_cloud, check_history, check_ollama, model_listed, verdict
from cortex.exit_codes import ExitCode
from tests.ollama_helpers import free_port  # noqa: F401 - pytest fixture
from tests.servers.anthropic_server import AnthropicServer
from tests.servers.base import Exchange
from tests.servers.fixtures import ollama_server, openai_server  # noqa: F401 - pytest fixtures


def doctor_json(capsys) -> tuple[int, dict]:
    code = main(["doctor", "--json"])
    return code, json.loads(capsys.readouterr().out)


def by_name(doc: dict) -> dict[str, dict]:
    return {c["name"]: c for c in doc["checks"]}


def test_verdict():
    ok, warn, fail, off = (Check("x", s, "") for s in ("ok", "warn", "fail", "off"))
    assert verdict([ok, off]) == ("healthy", ExitCode.OK)
    assert verdict([ok, warn, off]) == ("warnings", ExitCode.DOCTOR_WARNINGS)
    assert verdict([ok, warn, fail]) == ("failures", ExitCode.DOCTOR_FAILURES)


def test_model_alias_matches_dated_ids():
    assert model_listed("claude-sonnet-4-5", ["claude-sonnet-4-5-20250929"])
    assert model_listed("gpt-4o-mini", ["gpt-4o-mini"])
    assert not model_listed("gpt-4o", ["gpt-4.1"])


def test_ollama_configured_and_present(ollama_server, monkeypatch, capsys):  # noqa: F811
    monkeypatch.setenv("OLLAMA_BASE_URL", ollama_server.url)
    monkeypatch.setenv("OLLAMA_MODEL", "llama3.2")
    code, doc = doctor_json(capsys)
    check = by_name(doc)["provider ollama"]
    assert check["status"] == "ok" and "llama3.2 available" in check["detail"]
    assert code in (ExitCode.OK, ExitCode.DOCTOR_WARNINGS) and doc["exit_code"] == code


def test_ollama_model_not_pulled_is_a_failure(ollama_server, monkeypatch, capsys):  # noqa: F811
    monkeypatch.setenv("OLLAMA_BASE_URL", ollama_server.url)
    monkeypatch.setenv("OLLAMA_MODEL", "gemma3:4b")
    code, doc = doctor_json(capsys)
    check = by_name(doc)["provider ollama"]
    assert check["status"] == "fail" and check["fix"] == "Run `ollama pull gemma3:4b`."
    assert code == ExitCode.DOCTOR_FAILURES


def test_ollama_down_is_a_failure_and_text_output_says_what_to_do(monkeypatch, capsys, free_port):  # noqa: F811
    monkeypatch.setenv("OLLAMA_BASE_URL", f"http://127.0.0.1:{free_port}")
    monkeypatch.setenv("OLLAMA_MODEL", "llama3.2")
    code = main(["doctor"])
    out = capsys.readouterr().out
    assert code == ExitCode.DOCTOR_FAILURES
    assert "FAIL" in out and "ollama serve" in out and "fix:" in out


def test_ollama_not_configured_is_off():
    check = check_ollama({"base_url": "http://127.0.0.1:9", "model": None})
    assert check.status == "off" and "cortex setup ollama" in check.fix


def test_openai_compatible_key_and_model(openai_server):  # noqa: F811
    base = openai_server.url + "/v1"
    good = check_cloud("openai", {"api_key": "test-key", "base_url": base, "model": "gpt-4o-mini"})
    assert good.status == "ok"
    bad_key = check_cloud("openai", {"api_key": "wrong-key-123", "base_url": base, "model": "gpt-4o-mini"})
    assert bad_key.status == "fail" and "rejected the key" in bad_key.detail
    openai_server.models = ("kimi-k2-0905-preview",)
    missing = check_cloud("kimi", {"api_key": "test-key", "base_url": base, "model": "moonshot-v1-8k"})
    assert missing.status == "fail" and "kimi-k2-0905-preview" in missing.fix


def test_anthropic_model_list():
    def models(ex: Exchange) -> None:
        if ex.request.headers.get("x-api-key") != "test-key":
            ex.send_json(
                401, {"type": "error", "error": {"type": "authentication_error", "message": "invalid x-api-key"}}
            )
            return
        ex.send_json(200, {"data": [{"type": "model", "id": "claude-sonnet-4-5-20250929"}], "has_more": False})

    with AnthropicServer() as server:
        server.route("GET", "/v1/models", models)
        ok = check_cloud("claude", {"api_key": "test-key", "base_url": server.url, "model": "claude-sonnet-4-5"})
        assert ok.status == "ok"
        bad = check_cloud("claude", {"api_key": "nope", "base_url": server.url, "model": "claude-sonnet-4-5"})
        assert bad.status == "fail"
        assert server.requests[0].headers["anthropic-version"] == "2023-06-01"


def test_unreachable_cloud_is_a_warning(free_port):  # noqa: F811
    check = check_cloud("openai", {"api_key": "k", "base_url": f"http://127.0.0.1:{free_port}/v1", "model": "m"})
    assert check.status == "warn"


def test_key_absent_is_off():
    check = check_cloud("claude", {"api_key": None, "model": "claude-sonnet-4-5"})
    assert check.status == "off" and "ANTHROPIC_API_KEY" in check.fix


def test_history_database_states():
    assert check_history().status == "ok"  # not created yet
    db = paths.data_dir() / "history.db"
    db.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE t (x)")
    assert check_history().status == "ok"
    db.write_bytes(b"this is not a database" * 100)
    damaged = check_history()
    assert damaged.status == "fail" and "Move it aside" in damaged.fix


def test_invalid_config_is_a_failure(capsys):
    paths.config_file().parent.mkdir(parents=True, exist_ok=True)
    paths.config_file().write_text("limits: [not, a, mapping\n")
    code, doc = doctor_json(capsys)
    assert code == ExitCode.DOCTOR_FAILURES and doc["checks"][0]["name"] == "configuration"
