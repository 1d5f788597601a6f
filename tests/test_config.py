"""Settings precedence, sources, redaction, .env handling, and `cortex config` end to end."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from cortex import paths
from cortex.config import ENV_KEYS, Settings, normalize_ollama_host, parse_dotenv, redact, write_user_config
from cortex.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]


def cortex(*args: str, env: dict | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cortex", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        cwd=cwd or ROOT,
        timeout=60,
    )


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_precedence_flags_env_user_system_default():
    write(paths.system_config_file(), "limits:\n  timeout: 11\n  deadline: 99\n  max_retries: 4\n")
    write(paths.config_file(), "limits:\n  timeout: 22\n  deadline: 88\n")
    s = Settings.load(flags={"limits.timeout": 44}, env={"CORTEX_TIMEOUT": "33"})
    assert s.resolve("limits.timeout") == (44, "flag")
    s = Settings.load(env={"CORTEX_TIMEOUT": "33"})
    assert s.resolve("limits.timeout") == (33, "env:CORTEX_TIMEOUT")
    assert s.resolve("limits.deadline") == (88, f"file:{paths.config_file()}")
    assert s.resolve("limits.max_retries") == (4, f"file:{paths.system_config_file()}")
    assert s.resolve("limits.concurrency") == (8, "default")


def test_ollama_host_forms_and_base_url_wins():
    assert normalize_ollama_host("0.0.0.0") == "http://127.0.0.1:11434"
    assert normalize_ollama_host("gpu-box:8080") == "http://gpu-box:8080"
    assert normalize_ollama_host("https://ollama.example/") == "https://ollama.example:11434"
    s = Settings.load(env={"OLLAMA_HOST": "10.0.0.5"})
    assert s.resolve("providers.ollama.base_url") == ("http://10.0.0.5:11434", "env:OLLAMA_HOST")
    s = Settings.load(env={"OLLAMA_HOST": "10.0.0.5", "OLLAMA_BASE_URL": "http://other:1"})
    assert s.get("providers.ollama.base_url") == "http://other:1"


def test_own_dotenv_is_read_but_not_the_current_directory(tmp_path, monkeypatch):
    write(paths.env_file(), "export ANTHROPIC_API_KEY='sk-ant-from-own-env-file'\n# comment\n")
    hostile = write(tmp_path / "proj" / ".env", "OLLAMA_BASE_URL=http://evil.example:11434\n")
    monkeypatch.chdir(hostile.parent)
    s = Settings.load(env={})
    assert s.get("providers.claude.api_key") == "sk-ant-from-own-env-file"
    assert s.get("providers.ollama.base_url") == "http://localhost:11434"
    s = Settings.load(env={}, env_file=hostile)
    assert s.resolve("providers.ollama.base_url")[0] == "http://evil.example:11434"
    assert (
        Settings.load(env={"OLLAMA_BASE_URL": "http://real:1"}, env_file=hostile).get("providers.ollama.base_url")
        == "http://real:1"
    )


def test_parse_dotenv_forms():
    assert parse_dotenv('A=1\nexport B="two words"\nC=x # note\n bad line\nD=\n') == {
        "A": "1",
        "B": "two words",
        "C": "x",
        "D": "",
    }


def test_invalid_values_and_yaml_are_config_errors():
    write(paths.config_file(), "limits: [1, 2\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        Settings.load(env={})
    write(paths.config_file(), "- a list\n")
    with pytest.raises(ConfigError, match="mapping"):
        Settings.load(env={})
    write(paths.config_file(), "limits:\n  timeout: soon\n")
    with pytest.raises(ConfigError, match=r"limits\.timeout"):
        Settings.load(env={})


def test_secrets_are_redacted_everywhere_in_effective():
    s = Settings.load(env={"MOONSHOT_API_KEY": "sk-moonshot-secret-123456"})
    shown = {k: v for k, v, _ in s.effective()}
    assert shown["providers.kimi.api_key"] == "****3456"
    assert "sk-moonshot-secret-123456" not in json.dumps(shown, default=str)
    assert redact(None) == "(not set)" and redact("short") == "****"


def test_write_user_config_is_atomic_private_and_keeps_other_keys():
    path = write(paths.config_file(), "limits:\n  timeout: 5\n")
    write_user_config({"providers.ollama.model": "llama3.2:3b", "routing.profile": "local-first"})
    s = Settings.load(env={})
    assert s.get("limits.timeout") == 5 and s.get("providers.ollama.model") == "llama3.2:3b"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(".config")] == []


def test_env_example_documents_every_variable():
    text = (ROOT / ".env.example").read_text()
    assert [name for name in ENV_KEYS if name not in text] == []


def test_config_show_cli_redacts_and_reports_sources():
    proc = cortex("config", "show", "--json", env={"ANTHROPIC_API_KEY": "sk-ant-api03-verysecretvalue"})
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["providers.claude.api_key"] == {"value": "****alue", "source": "env:ANTHROPIC_API_KEY"}
    assert "verysecret" not in proc.stdout


def test_bad_config_file_exits_7_without_traceback():
    write(paths.config_file(), "limits: {timeout: [}\n")
    proc = cortex("config", "show")
    assert proc.returncode == 7
    assert "Traceback" not in proc.stderr and "not valid YAML" in proc.stderr


def test_usage_errors_exit_2():
    proc = cortex("config", "set", "no.such.key", "1")
    assert proc.returncode == 2 and "Unknown setting" in proc.stderr
    proc = cortex("--no-such-flag")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_config_set_roundtrip():
    proc = cortex("config", "set", "limits.timeout", "12")
    assert proc.returncode == 0, proc.stderr
    assert Settings.load(env={}).resolve("limits.timeout") == (12, f"file:{paths.config_file()}")
