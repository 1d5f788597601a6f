"""Every fault a server can inject, against every network provider, mapped to the right typed error.

Each provider talks through its real SDK to a protocol-faithful local server; nothing is mocked.
"""

from __future__ import annotations

import asyncio
import email.utils
import socket
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from cortex.errors import (
    AuthenticationError,
    BadRequestError,
    BadResponseError,
    ModelNotFoundError,
    NotConfiguredError,
    ProviderConnectionError,
    ProviderError,
    ProviderTimeout,
    RateLimitError,
    ServerError,
)
from cortex.llm.providers.base import Provider
from cortex.llm.providers.claude import ClaudeProvider
from cortex.llm.providers.kimi import KimiProvider
from cortex.llm.providers.ollama import OllamaProvider
from cortex.llm.providers.openai_compat import OpenAIProvider
from tests.servers.anthropic_server import AnthropicServer
from tests.servers.base import FakeServer
from tests.servers.harness import ask, drain
from tests.servers.ollama_server import OllamaModel, OllamaServer
from tests.servers.openai_server import OpenAIServer

MODEL = "test-model"


@dataclass
class Backend:
    name: str
    server: FakeServer
    provider: Provider


def _make(name: str, url: str | None = None) -> tuple[FakeServer, Provider]:
    if name == "claude":
        server: FakeServer = AnthropicServer()
        return server, ClaudeProvider({"api_key": "test-key", "base_url": url, "model": MODEL})
    if name in ("openai", "kimi"):
        cls = OpenAIProvider if name == "openai" else KimiProvider
        return OpenAIServer(), cls({"api_key": "test-key", "base_url": url, "model": MODEL})
    return OllamaServer([OllamaModel(MODEL)]), OllamaProvider({"base_url": url, "model": MODEL})


def _api_url(name: str, server: FakeServer) -> str:
    return server.url + ("/v1" if name in ("openai", "kimi") else "")


@pytest.fixture(params=["claude", "openai", "kimi", "ollama"])
async def backend(request) -> AsyncIterator[Backend]:
    server, _ = _make(request.param)
    server.start()
    _, provider = _make(request.param, _api_url(request.param, server))
    try:
        yield Backend(request.param, server, provider)
    finally:
        await provider.aclose()
        server.stop()


async def fail(backend: Backend, *, stream: bool = False, timeout: float = 2.0) -> ProviderError:
    req = ask(model=MODEL, timeout=timeout)
    with pytest.raises(ProviderError) as info:
        if stream:
            await drain(backend.provider, req)
        else:
            await backend.provider.acomplete(req)
    err = info.value
    assert err.provider == backend.name and err.model == MODEL
    assert backend.name in err.message and "\n" not in err.message
    return err


STATUS_CASES = [
    (400, BadRequestError),
    (401, AuthenticationError),
    (403, AuthenticationError),
    (404, ModelNotFoundError),
    (408, ServerError),
    (409, ServerError),
    (422, BadRequestError),
    (429, RateLimitError),
    (500, ServerError),
    (503, ServerError),
    (529, ServerError),
]


@pytest.mark.parametrize(("status", "kind"), STATUS_CASES)
async def test_http_status_maps_to_typed_error(backend, status, kind):
    backend.server.inject(status=status)
    err = await fail(backend)
    assert type(err) is kind and err.status == status
    assert err.retryable == (kind in (RateLimitError, ServerError))


async def test_auth_error_hint_names_the_key(backend):
    backend.server.inject(status=401)
    err = await fail(backend)
    if backend.name != "ollama":
        assert backend.provider.key_env in err.hint


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Retry-After": "7"}, 7.0),
        ({}, None),
        ({"retry-after-ms": "1500"}, 1.5),
    ],
)
async def test_429_retry_after(backend, headers, expected):
    backend.server.inject(status=429, headers=headers)
    err = await fail(backend)
    assert isinstance(err, RateLimitError) and err.retry_after == expected


async def test_retry_after_as_http_date(backend):
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    backend.server.inject(status=503, headers={"Retry-After": when})
    err = await fail(backend)
    assert isinstance(err, ServerError) and 20 <= err.retry_after <= 31


async def test_slow_server_times_out(backend):
    backend.server.inject(delay=2.0)
    err = await fail(backend, timeout=0.3)
    assert isinstance(err, ProviderTimeout) and err.retryable


async def test_dropped_connection(backend):
    backend.server.inject(drop=True)
    assert isinstance(await fail(backend), ProviderConnectionError)


async def test_malformed_json_body(backend):
    backend.server.inject(malformed=True)
    assert isinstance(await fail(backend), BadResponseError)


async def test_stream_cut_midway(backend):
    backend.server.inject(cut_after=3)
    err = await fail(backend, stream=True)
    assert isinstance(err, BadResponseError) and err.retryable


async def test_stream_error_status_before_first_event(backend):
    backend.server.inject(status=429, headers={"Retry-After": "1"})
    err = await fail(backend, stream=True)
    assert isinstance(err, RateLimitError) and err.retry_after == 1.0


async def test_slow_start_refuses_then_serves(backend):
    name = backend.name
    server, _ = _make(name)
    server.start(listen_after=0.4)
    _, provider = _make(name, _api_url(name, server))
    try:
        with pytest.raises(ProviderConnectionError):
            await provider.acomplete(ask(model=MODEL, timeout=0.3))
        deadline = time.monotonic() + 5
        while True:
            try:
                response = await provider.acomplete(ask(model=MODEL))
                break
            except ProviderConnectionError:
                assert time.monotonic() < deadline
                await asyncio.sleep(0.05)
        assert response.text
    finally:
        await provider.aclose()
        server.stop()


async def test_connection_refused(backend):
    with socket.socket() as s:  # a port that was free a moment ago and has no listener
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    _, provider = _make(backend.name, f"http://127.0.0.1:{port}" + ("/v1" if backend.name != "claude" else ""))
    try:
        with pytest.raises(ProviderConnectionError) as info:
            await provider.acomplete(ask(model=MODEL, timeout=1.0))
        assert str(port) in info.value.message
    finally:
        await provider.aclose()


async def test_model_that_ignores_the_schema(backend):
    schema = {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]}
    backend.server.inject(ignore_schema="prose")
    prose = await backend.provider.acomplete(ask(model=MODEL, schema=schema))
    assert not prose.text.lstrip().startswith("{")
    backend.server.inject(ignore_schema="invalid")
    wrong = await backend.provider.acomplete(ask(model=MODEL, schema=schema))
    assert "name" not in wrong.text and wrong.text.startswith("{")  # the router's validator rejects it


async def test_missing_key_is_not_configured():
    for provider in (ClaudeProvider({"model": "m"}), KimiProvider({"model": "m"}), OpenAIProvider({"model": "m"})):
        ok, why = provider.configured()
        assert not ok and "_API_KEY" in why
        with pytest.raises(NotConfiguredError):
            await provider.acomplete(ask(model="m"))
        await provider.aclose()
    ok, why = OllamaProvider({"model": None}).configured()
    assert not ok and "OLLAMA_MODEL" in why


async def test_prepare_loads_the_sdk_then_answers(backend):
    await backend.provider.prepare()
    assert (await backend.provider.acomplete(ask(model=MODEL))).text
