"""Pure parts of the router's failure handling: attempt timeouts, retry and breaker decisions, the
shared breaker file, answer checks, messages, and usage.db's migrations."""

from __future__ import annotations

import multiprocessing
import sqlite3
import time

import pytest

from cortex.errors import (
    AuthenticationError,
    EmptyAnswerError,
    ProviderConnectionError,
    ProviderTimeout,
    RateLimitError,
    ServerError,
    StateError,
)
from cortex.llm.breakers import BreakerBoard, BreakerSettings
from cortex.llm.failures import cause, chain_failed, unusable
from cortex.llm.retry import (
    CircuitBreaker,
    RetryPolicy,
    attempt_timeout,
    breaker_weight,
    counts_against_breaker,
    seconds,
)
from cortex.llm.stats import CallRecord, UsageLog
from cortex.llm.types import Attempt, ProviderResponse, ToolCall
from cortex.llm.usage_schema import LATEST, open_db


class TestTimeouts:
    def test_an_attempt_gets_its_share_of_the_deadline_when_others_wait(self):
        assert attempt_timeout(180, 0, 60) == 60
        assert attempt_timeout(180, 1, 60) == 60
        assert attempt_timeout(100, 1, 60) == 50
        assert attempt_timeout(30, 2, 60) == 10
        assert attempt_timeout(0.5, 3, 60) == 0.5  # never less than a second unless less is left
        assert attempt_timeout(-1, 0, 60) == 0

    def test_seconds_are_whole_from_one_up(self):
        assert seconds(57.4277) == "57 s" and seconds(10) == "10 s" and seconds(0.2) == "0.2 s"


class TestRetryDecisions:
    policy = RetryPolicy(max_retries=2)

    def test_a_timeout_with_a_fallback_waiting_moves_on(self):
        assert not self.policy.should_retry(ProviderTimeout("x"), 0, has_fallback=True)
        assert self.policy.should_retry(ProviderTimeout("x"), 0, has_fallback=False)

    def test_rate_limits_have_their_own_budget(self):
        assert self.policy.should_retry(RateLimitError("x"), 4, has_fallback=True)
        assert not self.policy.should_retry(RateLimitError("x"), 5, has_fallback=True)
        assert not self.policy.should_retry(ServerError("x"), 2, has_fallback=True)

    def test_a_rate_limit_is_not_a_health_failure(self):
        assert not counts_against_breaker(RateLimitError("x"))
        assert counts_against_breaker(ServerError("x")) and counts_against_breaker(EmptyAnswerError("x"))

    def test_an_unreachable_provider_with_a_fallback_opens_the_circuit_at_once(self):
        assert breaker_weight(ProviderTimeout("x"), has_fallback=True, threshold=5) == 5
        assert breaker_weight(ProviderConnectionError("x"), has_fallback=True, threshold=5) == 5
        assert breaker_weight(ProviderTimeout("x"), has_fallback=False, threshold=5) == 1
        assert breaker_weight(ServerError("x"), has_fallback=True, threshold=5) == 1
        assert breaker_weight(AuthenticationError("x"), has_fallback=True, threshold=5) == 1


class TestBreaker:
    def test_a_rate_limit_starts_the_count_over(self):
        b = CircuitBreaker(failure_threshold=2, cooldown=10)
        b.record_failure(0)
        b.record_alive()
        b.record_failure(1)
        assert b.state == "closed"

    def test_a_probe_whose_process_died_frees_its_slot(self):
        b = CircuitBreaker(failure_threshold=1, cooldown=1, probe_ttl=5)
        b.record_failure(0)
        assert b.allow(2) and not b.allow(3)
        assert b.allow(8)  # the first probe never reported back


SETTINGS = BreakerSettings(failures=3, cooldown=30)


def _fail_many(path: str, n: int) -> None:
    board = BreakerBoard(__import__("pathlib").Path(path))
    for _ in range(n):
        board.failed("p", 1000.0, BreakerSettings(failures=10_000, cooldown=30), "HTTP 500")
    board.close()


class TestBreakerBoard:
    def test_state_is_shared_through_the_file(self, tmp_path):
        one, two = BreakerBoard(tmp_path / "b.db"), BreakerBoard(tmp_path / "b.db")
        assert one.admit("p", 100.0, SETTINGS).allowed
        for _ in range(3):
            one.failed("p", 100.0, SETTINGS, "HTTP 500: boom")
        adm = two.admit("p", 110.0, SETTINGS)
        assert not adm.allowed and adm.cause == "HTTP 500: boom" and adm.retry_in == pytest.approx(20)
        probe = two.admit("p", 131.0, SETTINGS)
        assert probe.allowed and two.state("p") == "half_open"
        assert not one.admit("p", 131.5, SETTINGS).allowed  # one probe, across processes
        one.succeeded("p")
        assert two.admit("p", 132.0, SETTINGS).clean

    def test_a_clean_read_is_trusted_briefly_and_own_changes_count_at_once(self, tmp_path, monkeypatch):
        from cortex.llm import breakers

        monkeypatch.setattr(breakers, "CLEAN_TTL", 0.2)
        one, two = BreakerBoard(tmp_path / "b.db"), BreakerBoard(tmp_path / "b.db")
        assert one.admit("p", 100.0, SETTINGS).clean and two.admit("p", 100.0, SETTINGS).clean
        for _ in range(3):
            two.failed("p", 100.0, SETTINGS, "HTTP 500")
        assert not two.admit("p", 100.0, SETTINGS).allowed  # its own change: seen at once
        time.sleep(0.3)  # past CLEAN_TTL, the other board reads the file again
        adm = one.admit("p", 100.0, SETTINGS)
        assert not adm.allowed and adm.cause == "HTTP 500"

    def test_a_rate_limit_is_a_cool_down_not_a_failure(self, tmp_path):
        board = BreakerBoard(tmp_path / "b.db")
        board.failed("p", 100.0, SETTINGS, "HTTP 500")
        board.rate_limited("p", 105.0, SETTINGS)
        adm = board.admit("p", 101.0, SETTINGS)
        assert adm.allowed and adm.wait == pytest.approx(4) and adm.failures == 0

    def test_concurrent_processes_lose_no_update(self, tmp_path):
        path = str(tmp_path / "b.db")
        BreakerBoard(tmp_path / "b.db").close()
        ctx = multiprocessing.get_context("spawn")
        procs = [ctx.Process(target=_fail_many, args=(path, 40)) for _ in range(3)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(60)
        assert all(p.exitcode == 0 for p in procs)
        assert BreakerBoard(tmp_path / "b.db").admit("p", 1000.0, BreakerSettings(10_000, 30)).failures == 120

    def test_an_unusable_file_keeps_the_state_in_memory(self, tmp_path):
        bad = tmp_path / "b.db"
        bad.write_bytes(b"not sqlite" * 50)
        board = BreakerBoard(bad)
        for _ in range(3):
            board.failed("p", 1.0, SETTINGS, "x")
        assert not board.admit("p", 2.0, SETTINGS).allowed
        assert bad.read_bytes() == b"not sqlite" * 50


class TestAnswers:
    def test_what_counts_as_no_answer(self):
        assert unusable(ProviderResponse("hi", "m", finish_reason="stop")) is None
        assert "empty" in unusable(ProviderResponse("  ", "m", finish_reason="stop"))
        assert "finish reason" in unusable(ProviderResponse("half an ans", "m", finish_reason=None))
        assert "token limit" in unusable(ProviderResponse("", "m", finish_reason="length"))
        assert unusable(ProviderResponse("cut but usable", "m", finish_reason="length")) is None
        call = ToolCall("c1", "f", {})
        assert unusable(ProviderResponse("", "m", tool_calls=(call,), finish_reason="tool_calls")) is None


class TestMessages:
    def test_the_provider_is_named_once(self):
        err = ServerError("claude (m1): HTTP 500: boom", provider="claude", model="m1")
        assert cause(err) == "HTTP 500: boom"

    def test_the_chain_error_says_what_was_tried_and_what_not(self):
        failures = [("claude", ServerError("claude (m1): HTTP 500: boom", provider="claude", model="m1"))]
        attempts = [Attempt("claude", "m1", False, "x")] * 3
        err = chain_failed(failures, attempts, [("ollama", "the call's deadline passed")])
        assert err.message == (
            "No provider answered. Tried claude (m1): HTTP 500: boom (3 attempts). "
            "Not tried: ollama (the call's deadline passed)."
        )
        assert "limits.deadline" in err.hint
        assert err.to_dict()["not_tried"] == [{"provider": "ollama", "reason": "the call's deadline passed"}]

    def test_the_hint_matches_the_actionable_cause(self):
        failures = [
            ("a", ProviderTimeout("a: slow", provider="a", hint="timeout hint")),
            ("b", AuthenticationError("b: 401", provider="b", hint="Check B_API_KEY")),
        ]
        assert chain_failed(failures, [], []).hint == "Check B_API_KEY"
        only_timeouts = [("a", ProviderTimeout("a: slow", provider="a"))]
        assert "cortex doctor" in chain_failed(only_timeouts, [], []).hint


class TestUsageDb:
    def test_a_database_from_before_the_numbering_is_migrated_and_keeps_its_rows(self, tmp_path):
        path = tmp_path / "usage.db"
        conn = sqlite3.connect(path)
        conn.execute(
            "CREATE TABLE calls (id INTEGER PRIMARY KEY, ts REAL NOT NULL, provider TEXT NOT NULL, model TEXT NOT"
            " NULL, task TEXT NOT NULL, ok INTEGER NOT NULL, error TEXT NOT NULL DEFAULT '', input_tokens INTEGER"
            " NOT NULL DEFAULT 0, output_tokens INTEGER NOT NULL DEFAULT 0, cost_usd REAL NOT NULL DEFAULT 0,"
            " latency_s REAL NOT NULL DEFAULT 0, paid INTEGER NOT NULL DEFAULT 0)"
        )
        conn.execute("INSERT INTO calls (ts, provider, model, task, ok) VALUES (1, 'claude', 'm', 't', 1)")
        conn.commit()
        conn.close()
        conn = open_db(path)
        assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST
        assert conn.execute("SELECT provider, partial, truncated FROM calls").fetchall() == [("claude", 0, 0)]
        conn.close()

    def test_a_newer_schema_is_refused_before_anything_is_written(self, tmp_path):
        path = tmp_path / "usage.db"
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA user_version = 42")
        conn.commit()
        conn.close()
        before = path.read_bytes()
        with pytest.raises(StateError, match="schema version 42"):
            open_db(path)
        assert path.read_bytes() == before and not (tmp_path / "usage.db-wal").exists()

    def test_a_failed_write_is_remembered_so_a_cap_fails_closed(self, tmp_path):
        log = UsageLog(tmp_path / "usage.db")
        log.check()
        (tmp_path / "usage.db").write_bytes(b"garbage" * 200)
        log.record(CallRecord(1.0, "claude", "m", "t", True, "", 1, 1, 0.1, 0.1, True))
        log.flush()
        with pytest.raises(StateError):
            log.check()
