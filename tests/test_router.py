"""LLMRouter decisions end to end with scripted providers: fallback, retries, breaker, deadline,
schema re-ask, budget, streaming, async, batch, limits and accounting."""

from __future__ import annotations

import asyncio
import time

import pytest

from cortex.config import Settings
from cortex.errors import (
    AllProvidersFailed,
    AuthenticationError,
    BadResponseError,
    BudgetExceededError,
    CircuitOpenError,
    ModelNotFoundError,
    NotConfiguredError,
    ProviderError,
    RateLimitError,
    SchemaError,
    ServerError,
    UsageError,
)
from cortex.llm.router import LLMRouter
from cortex.llm.stats import UsageLog
from cortex.llm.types import Message, TaskType, Usage
from tests.scripted import Delay, reply, scripted

SCHEMA = {"type": "object", "properties": {"package": {"enum": ["gimp", "krita"]}}, "required": ["package"]}


def make_router(chain, **settings) -> LLMRouter:
    flags = {
        "routing.tasks": {t.value: list(chain) for t in TaskType},
        "limits.backoff": 0.001,
        "limits.timeout": 2,
        "limits.deadline": 10,
        **settings,
    }
    return LLMRouter(Settings.load(flags=flags))


def test_answers_with_accounting():
    a = scripted("sa", reply("hello", tokens=(12, 3)))
    router = make_router(["sa"])
    c = router.complete("hi")
    assert (c.text, c.provider, c.model, c.usage) == ("hello", "sa", "scripted-1", Usage(12, 3))
    assert c.latency_s > 0 and len(c.attempts) == 1 and c.attempts[0].ok
    assert a.requests[0].messages == (Message.user("hi"),)


def test_falls_back_along_the_chain_each_provider_once():
    a = scripted("fa", ServerError("boom", status=500), ServerError("boom", status=500), ServerError("x", status=500))
    scripted("fb", reply("from b"))
    router = make_router(["fa", "fb", "fa"])
    c = router.complete("hi")
    assert c.provider == "fb"
    assert len(a.requests) == 3  # 1 + max_retries, and never again after fallback
    assert [x.provider for x in c.attempts] == ["fa", "fa", "fa", "fb"]


def test_no_retry_on_auth_error_but_fallback():
    a = scripted("na", AuthenticationError("bad key", status=401))
    scripted("nb", reply("ok"))
    c = make_router(["na", "nb"]).complete("hi")
    assert c.provider == "nb" and len(a.requests) == 1


def test_single_provider_error_is_raised_as_is():
    scripted("one", ModelNotFoundError("model x not found", status=404, hint="ollama pull x"))
    with pytest.raises(ModelNotFoundError) as info:
        make_router(["one"]).complete("hi")
    assert info.value.hint == "ollama pull x"


def test_all_failed_lists_every_attempt():
    scripted("xa", AuthenticationError("bad key a"))
    scripted("xb", ModelNotFoundError("no model b"))
    with pytest.raises(AllProvidersFailed) as info:
        make_router(["xa", "xb"]).complete("hi")
    assert [name for name, _ in info.value.attempts] == ["xa", "xb"]
    assert "bad key a" in info.value.message and "no model b" in info.value.message


def test_retry_after_is_honoured():
    scripted("ra", RateLimitError("slow down", retry_after=0.3), reply("ok"))
    t0 = time.monotonic()
    c = make_router(["ra"]).complete("hi")
    assert c.text == "ok"
    assert time.monotonic() - t0 >= 0.3


def test_retry_after_beyond_deadline_falls_back_instead_of_waiting():
    scripted("rl", RateLimitError("slow down", retry_after=30))
    scripted("rm", reply("fallback"))
    c = make_router(["rl", "rm"], **{"limits.deadline": 5}).complete("hi")
    assert c.provider == "rm"


def test_slow_provider_times_out_and_falls_back():
    scripted("slow", Delay(5, reply("too late")))
    scripted("fast", reply("quick"))
    router = make_router(["slow", "fast"], **{"limits.timeout": 0.2, "limits.max_retries": 0})
    c = router.complete("hi")
    assert c.provider == "fast"
    assert "0.2" in c.attempts[0].error


def test_unconfigured_providers_are_skipped_not_tried():
    off = scripted("off", reply("never"), configured=False)
    scripted("on", reply("yes"))
    router = make_router(["off", "on"])
    assert router.chain(TaskType.USER_CHAT) == [("on", "scripted-1")]
    assert router.complete("hi").provider == "on" and off.requests == []


def test_nothing_configured_is_a_clear_error():
    scripted("off2", configured=False)
    with pytest.raises(NotConfiguredError, match="off2 is switched off"):
        make_router(["off2"]).complete("hi")


def test_empty_prompt_and_model_without_provider_are_usage_errors():
    scripted("sa")  # routed to, so it must exist: settings name only known providers
    router = make_router(["sa"])
    with pytest.raises(UsageError):
        router.complete("   ")
    with pytest.raises(UsageError):
        router.complete("hi", model="m")


def test_breaker_opens_with_a_single_provider_and_fails_fast():
    scripted("br", *[ServerError("down", status=503) for _ in range(10)])
    router = make_router(["br"], **{"breaker.failures": 2, "breaker.cooldown": 60, "limits.max_retries": 0})
    for _ in range(2):
        with pytest.raises(ServerError):
            router.complete("hi")
    with pytest.raises(CircuitOpenError, match="not asking it"):
        router.complete("hi")


def test_schema_answer_is_parsed_and_reasked_once():
    a = scripted("sc", reply("I would pick GIMP."), reply('```json\n{"package": "gimp"}\n```'))
    c = make_router(["sc"]).complete("pick", schema=SCHEMA, task=TaskType.PACKAGE_SELECTION)
    assert c.data == {"package": "gimp"}
    assert len(a.requests) == 2
    assert "did not match" in a.requests[1].messages[-1].content
    assert a.requests[0].schema == SCHEMA


def test_schema_ignored_twice_falls_back():
    scripted("bad", reply("no"), reply('{"package": "photoshop"}'))
    scripted("good", reply('{"package": "krita"}'))
    c = make_router(["bad", "good"]).complete("pick", schema=SCHEMA)
    assert c.provider == "good" and c.data == {"package": "krita"}
    scripted("bad2", reply("no"), reply("still no"))
    with pytest.raises(SchemaError):
        make_router(["bad2"]).complete("pick", schema=SCHEMA)


def test_paid_provider_skipped_once_budget_is_spent(tmp_path):
    log = UsageLog(tmp_path / "usage.db")
    scripted("paid", reply("expensive", tokens=(1_000_000, 0)), paid=True)
    scripted("free", reply("free"))
    settings = {"budget.daily_usd": 0.5}
    router = make_router(["paid", "free"], **settings)
    router.usage = log
    # 'paid' is not in the price table, so charge through a known provider name's record instead:
    from cortex.llm.stats import CallRecord

    log.record(CallRecord(time.time(), "claude", "m", "user_chat", True, "", 0, 0, 0.75, 0.1, True))
    c = router.complete("hi")
    assert c.provider == "free"
    assert "budget" in c.attempts[0].error if c.attempts[0].provider == "paid" else True
    scripted("paid2", reply("x"), paid=True)
    router2 = make_router(["paid2"], **settings)
    router2.usage = log
    with pytest.raises(BudgetExceededError):
        router2.complete("hi")


def test_stream_yields_deltas_then_the_completion():
    scripted("st", reply("one two three"))
    stream = make_router(["st"]).stream("count")
    parts = list(stream)
    assert parts == ["one", " two", " three"]
    assert stream.completion.text == "one two three" and stream.completion.provider == "st"


def test_stream_falls_back_before_the_first_delta():
    scripted("s1", ServerError("down", status=500))
    scripted("s2", reply("hello there"))
    stream = make_router(["s1", "s2"], **{"limits.max_retries": 0}).stream("hi")
    assert "".join(stream) == "hello there"
    assert stream.completion.provider == "s2"


async def test_async_complete_stream_and_cancel():
    scripted("as", reply("async answer"), reply("a b"), Delay(30, reply("never")))
    router = make_router(["as"])
    c = await router.acomplete("hi")
    assert c.text == "async answer"
    stream = router.astream("hi")
    assert [d async for d in stream] == ["a", " b"]
    assert stream.completion.text == "a b"
    task = asyncio.ensure_future(router.acomplete("hang"))
    await asyncio.sleep(0.1)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


def test_batch_bounded_concurrency_and_per_item_errors():
    def slow_echo(request):
        return reply(request.messages[-1].content)

    cls = scripted("bt", *[Delay(0.05, slow_echo) for _ in range(12)])
    router = make_router(["bt"])
    results = router.complete_batch([f"q{i}" for i in range(12)] + [""], concurrency=4)
    assert [r.text for r in results[:12]] == [f"q{i}" for i in range(12)]
    assert isinstance(results[12], UsageError)
    assert cls.peak <= 4


def test_provider_concurrency_limit_is_shared_across_calls():
    cls = scripted("lim", *[Delay(0.05, reply("x")) for _ in range(8)])
    router = make_router(["lim"], **{"limits.concurrency": 2})
    router.complete_batch(["q"] * 8, concurrency=8)
    assert cls.peak == 2


def test_unexpected_provider_bug_becomes_a_provider_error_and_falls_back():
    scripted("buggy", ZeroDivisionError("oops"))
    scripted("sane", reply("ok"))
    c = make_router(["buggy", "sane"]).complete("hi")
    assert c.provider == "sane" and "ZeroDivisionError" in c.attempts[0].error


def test_usage_is_persisted_and_summarised():
    scripted("acc", reply("a", tokens=(7, 2)), ServerError("x"), reply("b", tokens=(3, 1)))
    router = make_router(["acc"])
    router.complete("one")
    router.complete("two")
    router.close()
    rows = {r["provider"]: r for r in UsageLog().summary()}
    assert rows["acc"]["requests"] == 3
    assert rows["acc"]["failures"] == 1
    assert rows["acc"]["input_tokens"] == 10 and rows["acc"]["output_tokens"] == 3


def test_stream_cut_after_deltas_is_reported_not_replayed():
    cls = scripted("cut", reply("never"))

    async def astream(self, request):
        from cortex.llm.types import StreamEvent

        yield StreamEvent(text="partial")
        raise BadResponseError("stream cut", provider="cut")

    cls.astream = astream
    scripted("other", reply("should not be used"))
    stream = make_router(["cut", "other"]).stream("hi")
    got = []
    with pytest.raises(ProviderError, match="broke after part"):
        for d in stream:
            got.append(d)
    assert got == ["partial"]
