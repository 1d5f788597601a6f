"""Pure parts of the model layer: routing table, retry decisions, breaker, pricing, schema extraction."""

from __future__ import annotations

import pytest

from cortex.errors import (
    AuthenticationError,
    BadRequestError,
    ConfigError,
    ProviderConnectionError,
    RateLimitError,
    ServerError,
    UsageError,
)
from cortex.llm.pricing import cost_usd
from cortex.llm.retry import CircuitBreaker, RetryPolicy, counts_against_breaker
from cortex.llm.routing import Route, chain_for, parse_entry
from cortex.llm.schema import SchemaMismatch, extract_json, parse_and_validate
from cortex.llm.types import TaskType, Usage


class TestRouting:
    def test_cloud_first_sends_chat_to_claude_and_system_work_to_kimi(self):
        assert chain_for(TaskType.USER_CHAT)[0] == Route("claude")
        assert chain_for(TaskType.SYSTEM_OPERATION)[0] == Route("kimi")
        assert chain_for(TaskType.PACKAGE_SELECTION)[-1] == Route("local")

    def test_local_first_profile(self):
        assert chain_for(TaskType.PACKAGE_SELECTION, profile="local-first")[:2] == [Route("ollama"), Route("local")]

    def test_every_task_has_a_chain_in_every_profile(self):
        for profile in ("auto", "cloud-first", "local-first"):
            for task in TaskType:
                assert chain_for(task, profile=profile), (profile, task)

    def test_override_and_forced(self):
        overrides = {"package-selection": ["ollama:qwen2.5-coder:1.5b", "local"]}
        assert chain_for(TaskType.PACKAGE_SELECTION, overrides=overrides) == [
            Route("ollama", "qwen2.5-coder:1.5b"),
            Route("local"),
        ]
        assert chain_for(TaskType.USER_CHAT, overrides=overrides)[0] == Route("claude")
        assert chain_for(TaskType.USER_CHAT, forced="kimi") == [Route("kimi")]

    def test_each_provider_at_most_once(self):
        chain = chain_for(TaskType.USER_CHAT, overrides={"user_chat": ["claude", "kimi", "claude:other"]})
        assert [r.provider for r in chain] == ["claude", "kimi"]

    def test_bad_entries_and_profiles_are_config_errors(self):
        with pytest.raises(ConfigError):
            parse_entry(42)
        with pytest.raises(ConfigError):
            parse_entry({"model": "x"})
        with pytest.raises(ConfigError):
            chain_for(TaskType.USER_CHAT, profile="nonsense")
        with pytest.raises(UsageError):
            TaskType.parse("nonsense")


class TestRetry:
    policy = RetryPolicy(max_retries=2, base_delay=0.5, max_delay=8, jitter=0.25)

    @pytest.mark.parametrize(
        ("error", "expected"),
        [
            (RateLimitError("x"), True),
            (ServerError("x", status=529), True),
            (ProviderConnectionError("x"), True),
            (AuthenticationError("x", status=401), False),
            (BadRequestError("x", status=400), False),
        ],
    )
    def test_which_errors_retry(self, error, expected):
        assert self.policy.should_retry(error, 0, has_fallback=False) is expected

    def test_budget_and_refused_connection_with_fallback(self):
        assert not self.policy.should_retry(ServerError("x"), 2, has_fallback=False)
        assert not self.policy.should_retry(ProviderConnectionError("x"), 0, has_fallback=True)
        assert self.policy.should_retry(ServerError("x"), 0, has_fallback=True)

    def test_backoff_grows_with_jitter_and_cap(self):
        assert self.policy.delay_for(0, rand=lambda: 0.0) == 0.5
        assert self.policy.delay_for(1, rand=lambda: 0.0) == 1.0
        assert self.policy.delay_for(1, rand=lambda: 1.0) == 0.75
        assert self.policy.delay_for(10, rand=lambda: 0.0) == 8.0

    def test_retry_after_wins_and_is_capped(self):
        assert self.policy.delay_for(0, retry_after=3.0) == 3.0
        assert self.policy.delay_for(0, retry_after=0.0) == 0.0
        assert self.policy.delay_for(0, retry_after=3600) == 60.0

    def test_breaker_counts_health_failures_only(self):
        assert counts_against_breaker(ServerError("x"))
        assert counts_against_breaker(AuthenticationError("x"))
        assert not counts_against_breaker(BadRequestError("x"))


class TestBreaker:
    def test_opens_after_threshold_then_probes_once(self):
        b = CircuitBreaker(failure_threshold=3, cooldown=10)
        for t in range(3):
            assert b.allow(t)
            b.record_failure(t)
        assert b.state == "open"
        assert not b.allow(5)
        assert b.retry_in(5) == pytest.approx(7)  # opened at t=2
        assert b.allow(12)  # the probe
        assert b.state == "half_open"
        assert not b.allow(12.1)  # only one probe at a time
        b.record_failure(13)
        assert b.state == "open"
        assert b.allow(23.5)
        b.record_success()
        assert b.state == "closed" and b.allow(24)

    def test_success_resets_the_count(self):
        b = CircuitBreaker(failure_threshold=2, cooldown=1)
        b.record_failure(0)
        b.record_success()
        b.record_failure(1)
        assert b.state == "closed"

    def test_cancelled_probe_frees_the_slot(self):
        b = CircuitBreaker(failure_threshold=1, cooldown=1)
        b.record_failure(0)
        assert b.allow(2)
        b.release_probe()
        assert b.allow(2.1)


class TestPricing:
    table = {
        "claude": {"default": {"input": 3, "output": 15}, "claude-haiku": {"input": 1, "output": 5}},
        "ollama": {"free": True},
    }

    def test_known_model_prefix_and_default(self):
        usage = Usage(1_000_000, 100_000)
        assert cost_usd("claude", "claude-haiku", usage, table=self.table) == pytest.approx(1.5)
        assert cost_usd("claude", "claude-haiku-20251001", usage, table=self.table) == pytest.approx(1.5)
        assert cost_usd("claude", "unknown", usage, table=self.table) == pytest.approx(4.5)

    def test_free_unpaid_and_unknown_cost_nothing(self):
        usage = Usage(1000, 1000)
        assert cost_usd("ollama", "llama3.2", usage, table=self.table) == 0
        assert cost_usd("claude", "claude-haiku", usage, paid=False, table=self.table) == 0
        assert cost_usd("mystery", "m", usage, table=self.table) == 0

    def test_shipped_table_prices_every_paid_provider(self):
        for provider in ("claude", "kimi", "openai"):
            assert cost_usd(provider, "anything", Usage(1_000_000, 0)) > 0


class TestSchema:
    schema = {
        "type": "object",
        "properties": {"package": {"enum": ["gimp", "krita"]}},
        "required": ["package"],
    }

    @pytest.mark.parametrize(
        "text",
        [
            '{"package": "gimp"}',
            '```json\n{"package": "gimp"}\n```',
            'Sure! Here it is: {"package": "gimp"} hope that helps',
        ],
    )
    def test_extracts_json(self, text):
        assert parse_and_validate(text, self.schema) == {"package": "gimp"}

    def test_mismatch_says_where(self):
        with pytest.raises(SchemaMismatch, match="package"):
            parse_and_validate('{"package": "photoshop"}', self.schema)
        with pytest.raises(SchemaMismatch, match="not JSON"):
            extract_json("I think GIMP is good")
