"""The Claude provider against the fake Messages API: what it sends and what it makes of the answer."""

from __future__ import annotations

import json

import pytest

from cortex.errors import ServerError
from cortex.llm.providers._errors import ErrorContext
from cortex.llm.providers.claude import ClaudeProvider, _StreamState, request_params
from cortex.llm.types import Message, Request, Tool, ToolCall, Usage
from tests.servers.harness import ask, connections_for_answers, drain

WEATHER = Tool("get_weather", "Weather for a city", {"type": "object", "properties": {"city": {"type": "string"}}})
SCHEMA = {"type": "object", "properties": {"packages": {"type": "array", "items": {"type": "string"}}}}


@pytest.fixture
async def claude(anthropic_server):
    provider = ClaudeProvider({"api_key": "test-key", "base_url": anthropic_server.url, "model": "claude-x"})
    yield provider
    await provider.aclose()


async def test_plain_completion_sends_documented_request(claude, anthropic_server):
    req = Request((Message.system("Be brief."), Message.user("hi")), model="claude-x", max_tokens=77, temperature=0.2)
    response = await claude.acomplete(req)
    assert response.text == "Hello! You said: Be brief. hi"
    assert response.model == "claude-x" and response.finish_reason == "stop"
    assert response.usage.input_tokens == 3 and response.usage.output_tokens == 6
    sent = anthropic_server.last
    assert sent.path == "/v1/messages" and sent.headers["anthropic-version"]
    assert sent.json["system"] == "Be brief." and sent.json["max_tokens"] == 77
    assert "temperature" not in sent.json and sent.json["messages"] == [{"role": "user", "content": "hi"}]
    assert "x-stainless-retry-count" not in sent.headers or sent.headers["x-stainless-retry-count"] == "0"


async def test_streaming_deltas_and_usage(claude, anthropic_server):
    anthropic_server.reply("one two three four five six", input_tokens=11, output_tokens=6)
    deltas, final = await drain(claude, ask(model="claude-x"))
    assert len(deltas) > 1 and "".join(deltas) == final.text == "one two three four five six"
    assert (final.usage.input_tokens, final.usage.output_tokens) == (11, 6)
    assert anthropic_server.last.json["stream"] is True


async def test_tool_use_comes_back_as_tool_calls(claude, anthropic_server):
    anthropic_server.reply("Let me check.", tool_calls=[("get_weather", {"city": "Oslo"})])
    response = await claude.acomplete(ask(model="claude-x", tools=(WEATHER,)))
    assert response.tool_calls == (ToolCall("toolu_fake0001", "get_weather", {"city": "Oslo"}),)
    assert response.finish_reason == "tool_calls" and response.text == "Let me check."
    assert anthropic_server.last.json["tools"] == [
        {"name": "get_weather", "description": "Weather for a city", "input_schema": WEATHER.parameters}
    ]
    anthropic_server.reply(tool_calls=[("get_weather", {"city": "Lima"})])
    _, final = await drain(claude, ask(model="claude-x", tools=(WEATHER,)))
    assert final.tool_calls[0].arguments == {"city": "Lima"}


async def test_schema_is_forced_tool_use_and_returns_json_text(claude, anthropic_server):
    anthropic_server.reply(data={"packages": ["gimp"]})
    response = await claude.acomplete(ask(model="claude-x", schema=SCHEMA, schema_name="pick"))
    assert json.loads(response.text) == {"packages": ["gimp"]} and response.tool_calls == ()
    sent = anthropic_server.last.json
    assert sent["tool_choice"] == {"type": "tool", "name": "pick"}
    assert sent["tools"][-1]["name"] == "pick" and sent["tools"][-1]["input_schema"] == SCHEMA
    deltas, final = await drain(claude, ask(model="claude-x", schema=SCHEMA))
    assert json.loads("".join(deltas)) == json.loads(final.text)


async def test_non_object_schema_is_wrapped_and_unwrapped(claude, anthropic_server):
    schema = {"type": "array", "items": {"type": "string"}, "minItems": 2}
    response = await claude.acomplete(ask(model="claude-x", schema=schema))
    assert json.loads(response.text) == ["x", "x"]
    assert anthropic_server.last.json["tools"][0]["input_schema"]["properties"]["value"] == schema


def test_conversation_with_tool_results_converts_to_blocks():
    call = ToolCall("toolu_1", "get_weather", {"city": "Oslo"})
    req = Request(
        (
            Message.user("weather?"),
            Message.assistant("", tool_calls=(call,)),
            Message.tool("toolu_1", "sunny"),
            Message.user("thanks"),
        ),
        model="m",
    )
    messages = request_params(req)["messages"]
    assert messages[1] == {"role": "assistant", "content": [{"type": "tool_use", **_block(call)}]}
    assert messages[2]["role"] == "user" and messages[2]["content"] == [
        {"type": "tool_result", "tool_use_id": "toolu_1", "content": "sunny"},
        {"type": "text", "text": "thanks"},
    ]


def _block(call: ToolCall) -> dict:
    return {"id": call.id, "name": call.name, "input": call.arguments}


def test_configuration_and_description():
    assert ClaudeProvider({"api_key": "k", "model": "m"}).configured() == (True, "")
    assert ClaudeProvider({"model": "m"}).configured() == (False, "ANTHROPIC_API_KEY is not set")
    described = ClaudeProvider({"api_key": "sk-secret", "model": "m"}).describe()
    assert described["paid"] is True and "sk-secret" not in json.dumps(described)


async def test_in_stream_overloaded_error_event(claude, anthropic_server):
    anthropic_server.inject(stream_error="overloaded_error")
    with pytest.raises(ServerError) as info:
        await drain(claude, ask("several words to stream here", model="claude-x"))
    assert info.value.status == 529 and info.value.retryable


async def test_streams_and_answers_keep_their_connection(claude, anthropic_server):
    """Read to its end, a streamed answer leaves the connection in the pool for the next request."""
    assert await connections_for_answers(claude, anthropic_server, "claude-x") == 1


def test_events_with_null_or_missing_fields_are_read_not_failed_on():
    """Only the fields cortex uses matter; an `error` event is the error it describes."""
    ctx = ErrorContext("claude", "claude-x")
    state = _StreamState(ask(model="claude-x"))
    events = [
        ("message_start", {"type": "message_start", "message": {"model": "claude-x-1", "usage": None}}),
        ("ping", {"type": "ping"}),
        ("content_block_start", {"type": "content_block_start", "index": 0, "content_block": None}),
        ("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta"}}),
        ("content_block_delta", {"type": "content_block_delta", "delta": {"type": "text_delta", "text": "hi"}}),
        (
            "message_delta",
            {"type": "message_delta", "delta": {"stop_reason": "end_turn"}, "usage": {"output_tokens": 2}},
        ),
        ("message_stop", {"type": "message_stop"}),
    ]
    added = [state.feed((kind, json.dumps(doc)), ctx) for kind, doc in events]
    assert added == ["", "", "", "", "hi", "", ""] and state.finished and state.model == "claude-x-1"
    assert state.usage == Usage(0, 2) and state.stop_reason == "end_turn"
    overloaded = {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}
    with pytest.raises(ServerError) as info:
        state.feed(("error", json.dumps(overloaded)), ctx)
    assert info.value.status == 529
