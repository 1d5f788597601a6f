"""The native Ollama client against the protocol-faithful fake server, faults included."""

from __future__ import annotations

import pytest

from cortex.errors import BadResponseError, ModelNotFoundError, ProviderConnectionError, ServerError
from cortex.ollama.client import OllamaClient, PullProgress
from tests.servers.fixtures import ollama_server  # noqa: F401 - pytest fixture
from tests.servers.ollama_server import OllamaModel, OllamaServer


def test_version_tags_show_ps(ollama_server):  # noqa: F811
    client = OllamaClient(ollama_server.url)
    assert client.version() == ollama_server.version
    assert client.is_running()
    assert [m["name"] for m in client.tags()] == ["llama3.2:latest"]
    assert client.has_model("llama3.2") and not client.has_model("qwen2.5:0.5b")
    assert client.show("llama3.2")["details"]["parameter_size"] == "3.2B"
    assert client.ps() == []


def test_unknown_model(ollama_server):  # noqa: F811
    client = OllamaClient(ollama_server.url)
    with pytest.raises(ModelNotFoundError) as err:
        client.show("nope:1b")
    assert "ollama pull nope:1b" in err.value.hint
    with pytest.raises(ModelNotFoundError):
        client.generate("nope:1b", "hi")
    with pytest.raises(ModelNotFoundError):
        client.pull("nope:1b")


def test_not_running():
    server = OllamaServer().start()
    url = server.url
    server.stop()
    client = OllamaClient(url)
    assert not client.is_running(timeout=0.5)
    with pytest.raises(ProviderConnectionError) as err:
        client.tags()
    assert "ollama serve" in err.value.hint


def test_pull_reports_layer_progress(ollama_server):  # noqa: F811
    client = OllamaClient(ollama_server.url)
    seen: list[PullProgress] = []
    client.pull("qwen2.5:0.5b", seen.append)
    statuses = [p.status for p in seen]
    assert statuses[0] == "pulling manifest" and statuses[-1] == "success"
    layers = {p.digest for p in seen if p.digest}
    assert len(layers) == 2
    weights = [p for p in seen if p.total > 1000]
    assert weights[-1].completed == weights[-1].total == 397_821_319 - 487
    assert client.has_model("qwen2.5:0.5b")


def test_pull_cut_midway_then_resumes(ollama_server):  # noqa: F811
    client = OllamaClient(ollama_server.url)
    ollama_server.inject(path="/api/pull", pull_cut_after=150_000_000)
    with pytest.raises(BadResponseError):
        client.pull("qwen2.5:0.5b")
    assert not client.has_model("qwen2.5:0.5b")
    client.pull("qwen2.5:0.5b")
    assert client.has_model("qwen2.5:0.5b")
    resumed_from = max(ollama_server.pull_starts[-1].values())
    assert resumed_from >= 99_000_000  # the second pull continued, it did not start over


def test_pull_disk_full(ollama_server):  # noqa: F811
    ollama_server.inject(path="/api/pull", pull_error="write /root/.ollama/models/blobs: no space left on device")
    with pytest.raises(ServerError) as err:
        OllamaClient(ollama_server.url).pull("qwen2.5:0.5b")
    assert "no space left" in err.value.message


def test_generate_and_chat_counters(ollama_server):  # noqa: F811
    client = OllamaClient(ollama_server.url)
    ollama_server.reply("Hello there, friend.")
    gen = client.generate("llama3.2", "Say hello")
    assert gen.text == "Hello there, friend."
    assert gen.eval_count > 0 and gen.tokens_per_s == pytest.approx(50.0)
    assert gen.load_s > 0
    ollama_server.reply("Hi.")
    chat = client.chat("llama3.2", [{"role": "user", "content": "hi"}])
    assert chat.text == "Hi."


def test_bad_url():
    from cortex.errors import BadRequestError

    with pytest.raises(BadRequestError):
        OllamaClient("ftp://x")


def test_library_models_with_many_layers():
    model = OllamaModel(
        "gemma3:1b", size=815_000_000, layers=(("sha256:" + "a" * 64, 800_000_000), ("sha256:" + "b" * 64, 15_000_000))
    )
    with OllamaServer(library=[model]) as server:
        seen: list[PullProgress] = []
        OllamaClient(server.url).pull("gemma3:1b", seen.append)
        assert {p.digest for p in seen if p.digest} == {"sha256:" + "a" * 64, "sha256:" + "b" * 64}
