"""The Ollama provider against the fake Ollama server: /v1 completions, its 404 and the native probe."""

from __future__ import annotations

import json

import pytest

from cortex.errors import ModelNotFoundError, ProviderConnectionError
from cortex.llm.providers.ollama import OllamaProvider
from tests.servers.harness import ask, drain

SCHEMA = {"type": "object", "properties": {"ok": {"type": "boolean"}}, "required": ["ok"]}


@pytest.fixture
async def ollama(ollama_server):
    provider = OllamaProvider({"base_url": ollama_server.url, "model": "llama3.2"})
    yield provider
    await provider.aclose()


async def test_completion_goes_through_v1(ollama, ollama_server):
    response = await ollama.acomplete(ask("hi", model="llama3.2"))
    assert response.text == "Hello! You said: hi" and response.usage.output_tokens > 0
    assert ollama_server.last.path == "/v1/chat/completions"
    deltas, final = await drain(ollama, ask("one two three", model="llama3.2"))
    assert "".join(deltas) == final.text and final.finish_reason == "stop"


async def test_schema_through_response_format(ollama, ollama_server):
    response = await ollama.acomplete(ask(model="llama3.2", schema=SCHEMA))
    assert json.loads(response.text) == {"ok": True}
    assert ollama_server.last.json["response_format"]["json_schema"]["schema"] == SCHEMA


async def test_unknown_model_names_ollama_pull(ollama):
    with pytest.raises(ModelNotFoundError) as info:
        await ollama.acomplete(ask(model="mistral:7b"))
    assert info.value.status == 404 and "not found, try pulling it first" in info.value.message
    assert "ollama pull mistral:7b" in info.value.hint


def test_configuration_base_url_and_cost():
    assert OllamaProvider({"model": "llama3.2"}).configured() == (True, "")
    assert OllamaProvider({"base_url": "http://h:11434/v1/", "model": "m"}).api_base_url == "http://h:11434/v1"
    assert OllamaProvider({"model": "m"}).base_url == "http://localhost:11434"
    assert OllamaProvider({"model": "m"}).paid is False


def test_probe_uses_the_native_api(ollama_server):
    provider = OllamaProvider({"base_url": ollama_server.url, "model": "llama3.2"})
    assert provider.probe() == {"version": "0.12.6", "models": ["llama3.2:latest"]}
    assert [r.path for r in ollama_server.requests] == ["/api/version", "/api/tags"]
    ollama_server.stop()
    with pytest.raises(ProviderConnectionError) as info:
        provider.probe(timeout=0.5)
    assert "ollama serve" in info.value.hint
