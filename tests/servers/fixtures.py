"""pytest fixtures that start each fake server on an ephemeral 127.0.0.1 port and stop it cleanly.

anthropic_server   AnthropicServer, API key "test-key"
openai_server      OpenAIServer, API key "test-key", any model name
ollama_server      OllamaServer with "llama3.2:latest" installed and "qwen2.5:0.5b" pullable
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.servers.anthropic_server import AnthropicServer
from tests.servers.ollama_server import OllamaModel, OllamaServer
from tests.servers.openai_server import OpenAIServer


@pytest.fixture
def anthropic_server() -> Iterator[AnthropicServer]:
    with AnthropicServer() as server:
        yield server


@pytest.fixture
def openai_server() -> Iterator[OpenAIServer]:
    with OpenAIServer() as server:
        yield server


@pytest.fixture
def ollama_server() -> Iterator[OllamaServer]:
    installed = [OllamaModel("llama3.2:latest", size=2_019_393_189, parameter_size="3.2B")]
    library = [OllamaModel("qwen2.5:0.5b", size=397_821_319, family="qwen2", parameter_size="494.03M")]
    with OllamaServer(installed, library=library) as server:
        yield server
