"""A non-streamed call sent as a stream (providers.NAME.stream_completions, the default) gives the
same Completion and the same accounting as the answer sent whole, for every SDK-backed provider,
against the protocol servers in tests/servers/ (real SDKs, real HTTP, default timeouts)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from cortex.config import Settings
from cortex.llm.router import LLMRouter
from cortex.llm.stats import UsageLog
from cortex.llm.types import TaskType, Tool
from tests.servers.anthropic_server import AnthropicServer
from tests.servers.base import FakeServer
from tests.servers.ollama_server import OllamaModel, OllamaServer
from tests.servers.openai_server import OpenAIServer

PROVIDERS = ("claude", "openai", "kimi", "ollama")
TRANSPORTS = pytest.mark.parametrize("by_stream", [True, False], ids=["sent-as-stream", "sent-whole"])
WEATHER = Tool("get_weather", "The weather in a city.", {"type": "object", "properties": {"city": {"type": "string"}}})


def _server(name: str) -> FakeServer:
    if name == "claude":
        return AnthropicServer()
    if name == "ollama":
        return OllamaServer([OllamaModel("llama3.2:latest")])
    return OpenAIServer(usage_in_choice=name == "kimi")  # Moonshot's stream puts usage in the last choice


@pytest.fixture(params=PROVIDERS)
def backend(request, tmp_path: Path) -> Iterator[tuple[str, FakeServer, Path]]:
    import anthropic  # noqa: F401  (a first import must not count against an attempt's timeout)
    import openai  # noqa: F401

    with _server(request.param) as server:
        yield request.param, server, tmp_path


def make_router(name: str, server: FakeServer, db: Path, by_stream: bool, **extra) -> LLMRouter:
    url = server.url if name in ("claude", "ollama") else server.url + "/v1"
    flags = {
        "routing.tasks": {t.value: [name] for t in TaskType},
        f"providers.{name}.base_url": url,
        f"providers.{name}.model": f"{name}-test" if name != "ollama" else "llama3.2",
        f"providers.{name}.stream_completions": by_stream,
        "limits.backoff": 0.001,
        "breaker.failures": 50,  # both transports run in one data dir: neither may open the other's circuit
        **extra,
    }
    if name != "ollama":
        flags[f"providers.{name}.api_key"] = "test-key"
    return LLMRouter(Settings.load(env={}, flags=flags), usage_log=UsageLog(db))


def rows(db: Path) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return list(
            conn.execute(
                "SELECT provider, ok, error, input_tokens, output_tokens, cost_usd, partial, truncated FROM calls"
            )
        )
    finally:
        conn.close()


def both(backend, call, **extra):
    """Run `call(router)` once per transport; return [(completion, usage rows, request bodies)]."""
    name, server, tmp = backend
    out = []
    for by_stream in (True, False):
        db = tmp / f"usage-{by_stream}.db"
        before = len(server.model_requests())
        router = make_router(name, server, db, by_stream, **extra)
        try:
            completion = call(router, server)
        finally:
            router.close()
        bodies = [r.json for r in server.model_requests()[before:]]
        assert all(bool(b.get("stream")) is by_stream for b in bodies), bodies
        out.append((completion, rows(db), bodies))
    return out


def test_text_usage_finish_and_model_are_the_same(backend):
    def call(router, server):
        server.reply("apt install ffmpeg", input_tokens=17, output_tokens=4)
        return router.complete("which package has ffmpeg?")

    (streamed, srows, _), (whole, wrows, _) = both(backend, call)
    assert streamed.text == whole.text == "apt install ffmpeg"
    assert streamed.usage == whole.usage and (streamed.usage.input_tokens, streamed.usage.output_tokens) == (17, 4)
    assert streamed.finish_reason == whole.finish_reason == "stop"
    assert streamed.model == whole.model and streamed.model
    assert streamed.cost_usd == whole.cost_usd and not streamed.truncated and not whole.truncated
    assert srows == wrows and len(srows) == 1 and srows[0][1] == 1  # one ok record, the same tokens and cost


def test_tool_calls_are_the_same(backend):
    def call(router, server):
        server.reply(tool_calls=[("get_weather", {"city": "Oslo"})])
        return router.complete("weather in Oslo?", tools=[WEATHER])

    (streamed, _, _), (whole, _, _) = both(backend, call)
    assert [(c.name, c.arguments) for c in streamed.tool_calls] == [("get_weather", {"city": "Oslo"})]
    assert [(c.name, c.arguments) for c in whole.tool_calls] == [("get_weather", {"city": "Oslo"})]
    assert streamed.finish_reason == whole.finish_reason == "tool_calls"


def test_a_schema_answer_is_the_same(backend):
    schema = {"type": "object", "properties": {"package": {"type": "string"}}, "required": ["package"]}

    def call(router, server):
        server.reply(data={"package": "gimp"})
        return router.complete("an image editor", schema=schema)

    (streamed, _, _), (whole, _, _) = both(backend, call)
    assert streamed.data == whole.data == {"package": "gimp"}


def test_an_answer_at_the_token_limit_is_marked_truncated_either_way(backend):
    def call(router, server):
        server.inject(length=True)
        return router.complete("hi")

    (streamed, srows, _), (whole, wrows, _) = both(backend, call)
    assert streamed.truncated and whole.truncated and streamed.finish_reason == whole.finish_reason == "length"
    assert [r[-1] for r in srows] == [r[-1] for r in wrows] == [1]


@pytest.mark.parametrize("fault", ["empty", "no_finish"])
def test_empty_and_cut_off_answers_fail_the_same_way(backend, fault):
    from cortex.errors import EmptyAnswerError

    def call(router, server):
        server.inject(times=3, **{fault: True})
        with pytest.raises(EmptyAnswerError) as info:
            router.complete("hi")
        return info.value

    (streamed, srows, sbodies), (whole, wrows, wbodies) = both(backend, call)
    assert streamed.message == whole.message
    assert len(sbodies) == len(wbodies) == 3  # retried like a 5xx, then given up
    assert [r[:3] for r in srows] == [r[:3] for r in wrows]


@pytest.mark.parametrize("status", [400, 401, 404, 429, 500])
def test_error_statuses_map_the_same_way(backend, status):
    def call(router, server):
        server.inject(status=status, headers={"Retry-After": "0"} if status == 429 else {}, times=10)
        with pytest.raises(Exception) as info:
            router.complete("hi")
        return info.value

    (streamed, _, sbodies), (whole, _, wbodies) = both(backend, call, **{"limits.max_retries": 1})
    assert type(streamed) is type(whole) and streamed.message == whole.message
    assert getattr(streamed, "status", None) == getattr(whole, "status", None) == status
    assert len(sbodies) == len(wbodies)


@TRANSPORTS
def test_a_stream_cut_midway_is_retried_and_its_tokens_recorded_as_partial(backend, by_stream):
    name, server, tmp = backend
    db = tmp / "usage.db"
    server.reply("one two three four five six seven eight")
    server.inject(cut_after=4)  # a whole answer is not cut by this fault: the first attempt answers
    router = make_router(name, server, db, by_stream)
    try:
        c = router.complete("hi")
    finally:
        router.close()
    assert c.text
    records = rows(db)
    if by_stream:
        # Nothing was shown: the cut stream is retried on the same provider, not reported as broken.
        assert len(server.model_requests()) == 2 and [a.ok for a in c.attempts] == [False, True]
        assert [(r[1], r[6]) for r in records] == [(0, 1), (1, 0)]  # the cut one: failed, partial
        assert records[0][4] > 0  # the tokens it received are counted
    else:
        assert len(server.model_requests()) == 1 and [r[1] for r in records] == [1]
