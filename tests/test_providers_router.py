"""End to end through LLMRouter with the real providers and SDKs against two fake servers."""

from __future__ import annotations

import pytest

from cortex.config import Settings
from cortex.errors import ModelNotFoundError
from cortex.llm.router import LLMRouter
from cortex.llm.types import TaskType

SCHEMA = {"type": "object", "properties": {"package": {"enum": ["gimp", "krita"]}}, "required": ["package"]}


@pytest.fixture
def make_router(anthropic_server, openai_server, ollama_server):
    # Import the SDKs up front: on a busy 2-core machine the first import takes seconds, which would
    # count against the tiny per-attempt timeouts used here (production timeouts are 60 s).
    import anthropic  # noqa: F401
    import openai  # noqa: F401

    routers: list[LLMRouter] = []

    def make(chain: list[str], **extra) -> LLMRouter:
        flags = {
            "routing.tasks": {t.value: list(chain) for t in TaskType},
            "limits.backoff": 0.001,
            "limits.timeout": 2,
            "limits.deadline": 10,
            "providers.claude.api_key": "test-key",
            "providers.claude.base_url": anthropic_server.url,
            "providers.claude.model": "claude-test",
            "providers.openai.api_key": "test-key",
            "providers.openai.base_url": openai_server.url + "/v1",
            "providers.openai.model": "gpt-test",
            "providers.ollama.base_url": ollama_server.url,
            "providers.ollama.model": "llama3.2",
            **extra,
        }
        router = LLMRouter(Settings.load(flags=flags))
        routers.append(router)
        return router

    yield make
    for router in routers:
        router.close()


def test_overloaded_claude_falls_back_to_openai(make_router, anthropic_server, openai_server):
    anthropic_server.inject(status=529, times=10)
    c = make_router(["claude", "openai"]).complete("pick an editor", task=TaskType.PACKAGE_SELECTION)
    assert c.provider == "openai" and c.model == "gpt-test" and c.text.startswith("Hello!")
    failed = [a for a in c.attempts if not a.ok]
    assert failed and all(a.provider == "claude" for a in failed) and "529" in failed[0].error
    assert len(anthropic_server.model_requests()) == len(failed)  # each retry reached the server once
    assert len(openai_server.model_requests()) == 1


def test_rate_limit_retry_after_then_success(make_router, anthropic_server):
    anthropic_server.inject(status=429, headers={"Retry-After": "0"})
    c = make_router(["claude"]).complete("hi")
    assert c.provider == "claude" and [a.ok for a in c.attempts] == [False, True]


def test_schema_answer_through_claude_tool_use(make_router, anthropic_server):
    anthropic_server.reply(data={"package": "krita"})
    c = make_router(["claude"]).complete("paint program", schema=SCHEMA)
    assert c.data == {"package": "krita"}
    assert anthropic_server.last.json["tool_choice"]["type"] == "tool"


def test_schema_ignored_once_is_reasked(make_router, openai_server):
    openai_server.inject(ignore_schema="prose")
    openai_server.reply(data={"package": "gimp"})
    c = make_router(["openai"]).complete("image editor", schema=SCHEMA)
    assert c.data == {"package": "gimp"} and len(openai_server.model_requests()) == 2


def test_missing_ollama_model_is_not_retried_and_falls_back(make_router, ollama_server, openai_server):
    router = make_router(["ollama", "openai"], **{"providers.ollama.model": "mistral:7b"})
    c = router.complete("hi")
    assert c.provider == "openai"
    assert len(ollama_server.model_requests()) == 1
    with pytest.raises(ModelNotFoundError) as info:
        make_router(["ollama"], **{"providers.ollama.model": "mistral:7b"}).complete("hi")
    assert "ollama pull mistral:7b" in info.value.hint


def test_stream_through_the_router(make_router, anthropic_server):
    anthropic_server.reply("streamed words arrive one by one")
    stream = make_router(["claude"]).stream("hi")
    assert "".join(stream) == "streamed words arrive one by one"
    assert stream.completion.provider == "claude" and stream.completion.usage.output_tokens > 0
