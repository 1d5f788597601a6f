"""The fault matrix through LLMRouter with the real providers and SDKs against the protocol servers,
with the default timeouts (limits.timeout / connect_timeout / idle_timeout / deadline as shipped).

A first provider that hangs, trickles, answers empty or without a finish reason must end in the
fallback, not in the deadline; what was tried is asserted, never how long it took.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cortex.config import Settings
from cortex.errors import AllProvidersFailed, BadResponseError, ServerError
from cortex.llm.router import LLMRouter
from cortex.llm.types import TaskType
from tests.servers.anthropic_server import AnthropicServer
from tests.servers.base import FakeServer
from tests.servers.ollama_server import OllamaModel, OllamaServer
from tests.servers.openai_server import OpenAIServer

PROVIDERS = ("claude", "openai", "kimi", "ollama")


@pytest.fixture
def servers() -> Iterator[dict[str, FakeServer]]:
    import anthropic  # noqa: F401  (a first import on a busy machine must not count against a timeout)
    import openai  # noqa: F401

    running: dict[str, FakeServer] = {
        "claude": AnthropicServer(),
        "openai": OpenAIServer(),
        "kimi": OpenAIServer(),
        "ollama": OllamaServer([OllamaModel("llama3.2:latest")]),
    }
    for server in running.values():
        server.start()
    try:
        yield running
    finally:
        for server in running.values():
            server.stop()


@pytest.fixture
def make_router(servers):
    routers: list[LLMRouter] = []

    def make(chain: list[str], **extra) -> LLMRouter:
        flags = {
            "routing.tasks": {t.value: list(chain) for t in TaskType},
            "limits.backoff": 0.001,  # not a timeout: retries come quickly, the timeouts stay the defaults
            "providers.claude.api_key": "test-key",
            "providers.claude.base_url": servers["claude"].url,
            "providers.claude.model": "claude-test",
            "providers.openai.api_key": "test-key",
            "providers.openai.base_url": servers["openai"].url + "/v1",
            "providers.openai.model": "gpt-test",
            "providers.kimi.api_key": "test-key",
            "providers.kimi.base_url": servers["kimi"].url + "/v1",
            "providers.kimi.model": "kimi-test",
            "providers.ollama.base_url": servers["ollama"].url,
            "providers.ollama.model": "llama3.2",
            **extra,
        }
        router = LLMRouter(Settings.load(env={}, flags=flags))
        routers.append(router)
        return router

    yield make
    for router in routers:
        router.close()


def fallback_for(name: str) -> str:
    return "ollama" if name != "ollama" else "openai"


def ask(router: LLMRouter, stream: bool, text: str = "hi"):
    if not stream:
        return router.complete(text)
    s = router.stream(text)
    deltas = list(s)
    assert s.completion is not None and "".join(deltas) == s.completion.text
    return s.completion


# ----- hangs and trickles, default timeouts --------------------------------------------------------


@pytest.mark.parametrize("stream", [False, True], ids=["complete", "stream"])
@pytest.mark.parametrize("first", ["claude", "openai"])
def test_a_hanging_first_provider_is_answered_by_the_second(make_router, servers, first, stream):
    # Non-streamed calls are sent as streams too (stream_completions), so the idle limit catches the
    # hang instead of the 60 s attempt timeout.
    servers[first].inject(hang=True, times=5)
    second = fallback_for(first)
    c = ask(make_router([first, second]), stream=stream)
    assert c.provider == second
    assert len(servers[first].model_requests()) == 1  # a timeout with a fallback waiting is not retried
    assert len(servers[second].model_requests()) == 1
    failed = [a for a in c.attempts if not a.ok]
    assert [a.provider for a in failed] == [first]
    assert "nothing for 10 s" in failed[0].error or "sent nothing for 10 s" in failed[0].error


@pytest.mark.parametrize("stream", [False, True], ids=["complete", "stream"])
def test_a_trickle_is_caught_like_a_hang(make_router, servers, stream):
    servers["claude"].inject(trickle=1.0, times=5)
    c = ask(make_router(["claude", "openai"]), stream=stream)
    assert c.provider == "openai"
    assert len(servers["claude"].model_requests()) == 1
    assert "nothing for 10 s" in c.attempts[0].error


@pytest.mark.parametrize("by_stream", [True, False], ids=["sent-as-stream", "sent-whole"])
def test_a_non_streamed_hang_gets_its_share_of_the_deadline_and_is_not_retried(make_router, servers, by_stream):
    servers["kimi"].inject(hang=True, times=5)
    router = make_router(["kimi", "openai"], **{"limits.deadline": 4, "providers.kimi.stream_completions": by_stream})
    c = router.complete("hi")
    assert c.provider == "openai"
    assert len(servers["kimi"].model_requests()) == 1
    assert bool(servers["kimi"].model_requests()[0].json.get("stream")) is by_stream
    # Half of the 4 s deadline, one provider waiting: as a silence of a stream, or as the whole attempt.
    expected = "sent nothing for 2 s" if by_stream else "no answer within 2 s"
    assert expected in c.attempts[0].error


def test_nothing_answers_names_each_provider_once_with_its_cause(make_router, servers):
    servers["claude"].inject(status=500, times=5)
    servers["openai"].inject(hang=True, times=5)
    with pytest.raises(AllProvidersFailed) as info:
        make_router(["claude", "openai"], **{"limits.deadline": 4}).complete("hi")
    err = info.value
    assert err.message.startswith("No provider answered. Tried claude (claude-test): HTTP 500")
    assert "(3 attempts)" in err.message and "openai (gpt-test): the server sent nothing for" in err.message
    assert err.message.count("claude (claude-test)") == 1 and "claude: " not in err.message
    assert [name for name, _ in err.attempts] == ["claude", "openai"] and err.not_tried == []


def test_a_stream_that_stalls_after_text_is_reported_not_replayed(make_router, servers):
    servers["claude"].reply("one two three four five six")
    servers["claude"].inject(stall_after=5)
    router = make_router(["claude", "openai"], **{"limits.idle_timeout": 1})
    stream = router.stream("hi")
    got = []
    with pytest.raises(BadResponseError) as info:
        for d in stream:
            got.append(d)
    assert got and "".join(got) in "one two three four five six"
    assert "stream broke after part of the answer" in info.value.message and "nothing for 1 s" in info.value.message
    assert info.value.message.count("claude (claude-test)") == 1 and "claude: " not in info.value.message
    assert len(servers["openai"].model_requests()) == 0


# ----- empty and cut-off answers ------------------------------------------------------------------


@pytest.mark.parametrize("stream", [False, True], ids=["complete", "stream"])
@pytest.mark.parametrize("first", PROVIDERS)
def test_an_empty_answer_falls_back(make_router, servers, first, stream):
    servers[first].inject(times=3, empty=True)
    second = fallback_for(first)
    c = ask(make_router([first, second]), stream=stream)
    assert c.provider == second and c.text
    failed = [a for a in c.attempts if not a.ok]
    assert [a.provider for a in failed] == [first] * 3  # retried like a 5xx, then the fallback
    assert "the answer was empty" in failed[0].error
    assert len(servers[first].model_requests()) == 3


@pytest.mark.parametrize("first", PROVIDERS)
def test_an_answer_without_a_finish_reason_falls_back(make_router, servers, first):
    servers[first].inject(times=3, no_finish=True)
    second = fallback_for(first)
    c = make_router([first, second]).complete("hi")
    assert c.provider == second
    assert "without a finish reason" in c.attempts[0].error


@pytest.mark.parametrize("first", PROVIDERS)
def test_a_streamed_answer_without_a_finish_reason_is_a_failure_too(make_router, servers, first):
    servers[first].inject(times=3, no_finish=True)
    with pytest.raises(BadResponseError) as info:
        ask(make_router([first, fallback_for(first)]), stream=True)
    # Its text was already shown: it cannot fall back, and says so.
    assert "stream broke after part of the answer" in info.value.message
    assert len(servers[fallback_for(first)].model_requests()) == 0


@pytest.mark.parametrize("stream", [False, True], ids=["complete", "stream"])
@pytest.mark.parametrize("first", ["claude", "openai"])
def test_an_answer_at_the_token_limit_is_used_and_marked(make_router, servers, first, stream):
    servers[first].inject(length=True)
    c = ask(make_router([first]), stream=stream)
    assert c.provider == first and c.text and c.truncated and c.finish_reason == "length"


# ----- the breaker and rate limits ----------------------------------------------------------------


def test_the_breaker_opening_during_a_call_reports_the_http_500(make_router, servers):
    servers["openai"].inject(status=500, times=10)
    router = make_router(["openai"], **{"breaker.failures": 2})
    with pytest.raises(ServerError) as info:
        router.complete("hi")
    assert "HTTP 500" in info.value.message and "skips openai" in info.value.hint
    assert len(servers["openai"].model_requests()) == 2  # the third attempt was not sent


def test_rate_limits_do_not_open_the_circuit(make_router, servers):
    router = make_router(["openai"], **{"breaker.failures": 2})
    for _ in range(3):
        servers["openai"].inject(status=429, headers={"Retry-After": "0"}, times=3)
        c = router.complete("hi")
        assert c.provider == "openai" and [a.ok for a in c.attempts] == [False, False, False, True]
    assert router.breakers.state("openai") == "closed"


def test_a_dead_provider_is_skipped_by_the_next_router_without_a_request(make_router, servers):
    servers["claude"].inject(hang=True, times=5)
    first = make_router(["claude", "openai"], **{"limits.idle_timeout": 1})
    assert ask(first, stream=True).provider == "openai"
    first.close()
    second = make_router(["claude", "openai"], **{"limits.idle_timeout": 1})
    c = ask(second, stream=True)
    assert c.provider == "openai" and len(servers["claude"].model_requests()) == 1
    assert "not asking it for another" in c.attempts[0].error and "nothing for 1 s" in c.attempts[0].error
