"""OpenAI-compatible providers (openai, kimi) against the fake Chat Completions server."""

from __future__ import annotations

import asyncio
import json

import pytest

from cortex.errors import BadRequestError, BadResponseError, ModelNotFoundError, ServerError
from cortex.llm.providers._errors import ErrorContext
from cortex.llm.providers.kimi import KimiProvider
from cortex.llm.providers.openai_compat import OpenAIProvider, _Chunks
from cortex.llm.types import Message, Request, Tool, ToolCall, Usage
from tests.servers.harness import ask, connections_for_answers, drain
from tests.servers.openai_server import OpenAIServer

WEATHER = Tool("get_weather", "Weather for a city", {"type": "object", "properties": {"city": {"type": "string"}}})
SCHEMA = {"type": "object", "properties": {"package": {"type": "string"}}, "required": ["package"]}


@pytest.fixture
async def openai_provider(openai_server):
    provider = OpenAIProvider({"api_key": "test-key", "base_url": openai_server.url + "/v1", "model": "gpt-x"})
    yield provider
    await provider.aclose()


@pytest.fixture
async def kimi(openai_server):
    settings = {"api_key": "test-key", "base_url": openai_server.url + "/v1", "model": "kimi-k2.6", "thinking": False}
    provider = KimiProvider(settings)
    yield provider
    await provider.aclose()


async def test_plain_completion(openai_provider, openai_server):
    req = Request((Message.system("Be brief."), Message.user("hi")), model="gpt-x", max_tokens=50, temperature=0.1)
    response = await openai_provider.acomplete(req)
    assert response.text == "Hello! You said: Be brief. hi" and response.finish_reason == "stop"
    assert response.usage.input_tokens == 3 and response.usage.output_tokens == 6
    sent = openai_server.last
    assert sent.headers["authorization"] == "Bearer test-key"
    assert sent.json["messages"][0] == {"role": "system", "content": "Be brief."}
    assert sent.json["max_tokens"] == 50 and sent.json["temperature"] == 0.1  # a compatible server


async def test_streaming_with_usage_chunk(openai_provider, openai_server):
    openai_server.reply("alpha beta gamma delta", input_tokens=9, output_tokens=4)
    deltas, final = await drain(openai_provider, ask(model="gpt-x"))
    assert len(deltas) > 1 and "".join(deltas) == final.text == "alpha beta gamma delta"
    assert (final.usage.input_tokens, final.usage.output_tokens) == (9, 4)
    assert openai_server.last.json["stream_options"] == {"include_usage": True}


async def test_tools_round_trip(openai_provider, openai_server):
    openai_server.reply(tool_calls=[("get_weather", {"city": "Oslo"})])
    response = await openai_provider.acomplete(ask(model="gpt-x", tools=(WEATHER,)))
    assert response.tool_calls == (ToolCall("call_0001", "get_weather", {"city": "Oslo"}),)
    assert response.finish_reason == "tool_calls"
    assert openai_server.last.json["tools"][0]["function"]["name"] == "get_weather"
    openai_server.reply(tool_calls=[("get_weather", {"city": "Lima"}), ("get_weather", {"city": "Rome"})])
    _, final = await drain(openai_provider, ask(model="gpt-x", tools=(WEATHER,)))
    assert [c.arguments["city"] for c in final.tool_calls] == ["Lima", "Rome"]
    history = Request(
        (
            Message.user("weather?"),
            Message.assistant("", tool_calls=response.tool_calls),
            Message.tool("call_0001", "sunny"),
        ),
        model="gpt-x",
    )
    await openai_provider.acomplete(history)
    sent = openai_server.last.json["messages"]
    assert sent[1]["tool_calls"][0]["function"] == {"name": "get_weather", "arguments": '{"city": "Oslo"}'}
    assert sent[2] == {"role": "tool", "tool_call_id": "call_0001", "content": "sunny"}


async def test_schema_through_response_format_json_schema(openai_provider, openai_server):
    openai_server.reply(data={"package": "gimp"})
    response = await openai_provider.acomplete(ask(model="gpt-x", schema=SCHEMA, schema_name="pick"))
    assert json.loads(response.text) == {"package": "gimp"}
    assert openai_server.last.json["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "pick", "schema": SCHEMA},
    }


async def test_unknown_model_is_model_not_found():
    with OpenAIServer(models=("gpt-x",)) as server:
        provider = OpenAIProvider({"api_key": "test-key", "base_url": server.url + "/v1", "model": "gpt-x"})
        try:
            with pytest.raises(ModelNotFoundError) as info:
                await provider.acomplete(ask(model="nope"))
            assert "nope" in info.value.hint
        finally:
            await provider.aclose()


async def test_local_server_needs_no_key():
    with OpenAIServer(api_key=None) as server:
        provider = OpenAIProvider({"base_url": server.url + "/v1", "model": "local-model"})
        try:
            assert provider.configured() == (True, "") and provider.paid is False
            assert (await provider.acomplete(ask(model="local-model"))).text
        finally:
            await provider.aclose()


def test_paid_only_on_api_openai_com():
    official = OpenAIProvider({"api_key": "k", "model": "gpt-4o-mini"})
    assert official.paid is True and official.configured() == (True, "")
    assert official.request_params(ask(model="gpt-4o-mini"))["max_completion_tokens"] == 1024
    assert OpenAIProvider({"model": "m"}).configured()[0] is False
    lm_studio = OpenAIProvider({"base_url": "http://localhost:1234/v1", "model": "qwen"})
    assert lm_studio.paid is False and lm_studio.configured() == (True, "")
    assert "max_tokens" in lm_studio.request_params(ask(model="qwen"))


async def test_kimi_json_mode_with_schema_in_system_prompt(kimi, openai_server):
    openai_server.reply(data={"package": "vlc"})
    req = Request(
        (Message.system("You pick packages."), Message.user("video player")),
        model="kimi-k2.6",
        schema=SCHEMA,
        temperature=0.3,
    )
    response = await kimi.acomplete(req)
    assert json.loads(response.text) == {"package": "vlc"}
    sent = openai_server.last.json
    assert sent["response_format"] == {"type": "json_object"}
    system = sent["messages"][0]["content"]
    assert system.startswith("You pick packages.") and json.dumps(SCHEMA) in system
    assert "temperature" not in sent and sent["max_completion_tokens"] == 1024
    assert sent["thinking"] == {"type": "disabled"}


async def test_kimi_streams_and_is_paid(kimi):
    deltas, final = await drain(kimi, ask(model="kimi-k2.6"))
    assert "".join(deltas) == final.text and kimi.paid is True
    assert KimiProvider({"model": "kimi-k2.6"}).configured() == (False, "MOONSHOT_API_KEY is not set")
    assert KimiProvider({"api_key": "k", "model": "kimi-k2.6"}).base_url == "https://api.moonshot.ai/v1"


async def test_answer_without_choices_is_a_bad_response(openai_provider, openai_server):
    openai_server.inject(status=200, body={"id": "x", "object": "chat.completion", "model": "gpt-x", "choices": []})
    with pytest.raises(BadResponseError):
        await openai_provider.acomplete(ask(model="gpt-x"))


async def test_broken_tool_arguments_are_a_bad_response(openai_provider, openai_server):
    message = {
        "role": "assistant",
        "content": None,
        "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "get_weather", "arguments": "{not json"}}],
    }
    body = {
        "id": "x",
        "object": "chat.completion",
        "created": 0,
        "model": "gpt-x",
        "choices": [{"index": 0, "message": message, "finish_reason": "tool_calls"}],
    }
    openai_server.inject(status=200, body=body)
    with pytest.raises(BadResponseError) as info:
        await openai_provider.acomplete(ask(model="gpt-x", tools=(WEATHER,)))
    assert "arguments" in info.value.message


async def test_an_error_object_mid_stream_is_the_error_it_reports(openai_provider, openai_server):
    openai_server.inject(stream_error="server_error")
    with pytest.raises(ServerError) as info:
        await drain(openai_provider, ask(model="gpt-x"))
    assert "overloaded" in info.value.message and info.value.retryable
    openai_server.inject(stream_error="invalid_request_error")
    with pytest.raises(BadRequestError):
        await drain(openai_provider, ask(model="gpt-x"))


async def test_streams_and_answers_keep_their_connection(openai_provider, openai_server):
    """Read to its end, a streamed answer leaves the connection in the pool for the next request."""
    assert await connections_for_answers(openai_provider, openai_server, "gpt-x") == 1


def test_chunks_with_null_or_missing_fields_are_read_not_failed_on():
    """Servers differ in what they leave out or send as null; only the fields cortex uses matter."""
    ctx = ErrorContext("openai", "gpt-x")
    state = _Chunks("gpt-x")
    docs = [
        {"choices": None, "usage": None},
        {"choices": [{"delta": None, "finish_reason": None}]},
        {"choices": [{"index": 0, "delta": {"content": "hi", "tool_calls": None}}], "model": "gpt-x-1"},
        {"choices": [{"delta": {"tool_calls": [{"index": 0, "id": "c1", "function": {"name": "f"}}]}}]},
        {"choices": [{"delta": {"tool_calls": [{"index": 0, "function": {"arguments": '{"a": 1}'}}]}}]},
        {"choices": [{"delta": {}, "finish_reason": "stop", "usage": {"prompt_tokens": 3, "completion_tokens": 2}}]},
    ]
    added = [state.feed(("message", json.dumps(d)), ctx) for d in docs]
    assert added == ["", "", "hi", "", "", ""] and state.finish == "stop" and state.model == "gpt-x-1"
    assert state.usage == Usage(3, 2) and state.tool_calls(ctx) == (ToolCall("c1", "f", {"a": 1}),)
    with pytest.raises(BadResponseError):
        state.feed(("message", "[1, 2]"), ctx)


def test_one_provider_serves_several_event_loops(openai_server):
    provider = OpenAIProvider({"api_key": "test-key", "base_url": openai_server.url + "/v1", "model": "gpt-x"})

    async def once() -> str:
        try:
            return (await provider.acomplete(ask(model="gpt-x"))).text
        finally:
            await provider.aclose()

    assert asyncio.run(once()) == asyncio.run(once()) == "Hello! You said: hello there"
