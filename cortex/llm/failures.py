"""Pure: how a failed model call is told, and which answers count as failures.

One format for every failure: the provider and model once, the cause, and a hint matched to the
cause ("claude (claude-sonnet-4-5): HTTP 500: Internal server error"). A call that went down the
chain lists what was tried (with how many attempts) and what was not, and why.

An answer is a failure, falling back like a 5xx, when it is empty (no text, no tool call), has no
finish reason (it was cut off), or stopped at the token limit before anything usable. An answer that
stopped at the token limit with text is used, marked `truncated`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from cortex.errors import (
    AllProvidersFailed,
    AuthenticationError,
    BadRequestError,
    BadResponseError,
    BudgetExceededError,
    CircuitOpenError,
    CortexError,
    EmptyAnswerError,
    ModelNotFoundError,
    NotConfiguredError,
    ProviderConnectionError,
    ProviderError,
    ProviderTimeout,
    RateLimitError,
    SchemaError,
    ServerError,
)
from cortex.llm.types import Attempt, ProviderResponse

# Which hint speaks for a whole chain: the cause the user can act on first.
_HINT_ORDER: tuple[type[ProviderError], ...] = (
    AuthenticationError,
    NotConfiguredError,
    ModelNotFoundError,
    BadRequestError,
    BudgetExceededError,
    ProviderConnectionError,
    ServerError,
    RateLimitError,
    SchemaError,
    EmptyAnswerError,
    ProviderTimeout,
    CircuitOpenError,
)


def who(provider: str, model: str) -> str:
    return f"{provider} ({model})" if model else provider


def cause(err: ProviderError) -> str:
    """The error's message without its "provider (model): " prefix."""
    text = err.message
    for prefix in (f"{who(err.provider, err.model)}: ", f"{err.provider}: "):
        if err.provider and text.startswith(prefix):
            return text[len(prefix) :]
    return text


def unusable(response: ProviderResponse) -> str | None:
    """Why an answer the provider called successful cannot be used (None: it can)."""
    if response.tool_calls:
        return None
    if response.finish_reason is None:
        return "the answer ended without a finish reason (it was cut off)"
    if not response.text.strip():
        if response.finish_reason == "length":
            return "the answer reached the token limit before any text (raise --max-tokens)"
        return "the answer was empty"
    return None


def empty_answer(provider: str, model: str, why: str) -> EmptyAnswerError:
    return EmptyAnswerError(f"{who(provider, model)}: {why}.", provider=provider, model=model)


def stream_broke(err: ProviderError) -> ProviderError:
    """A failure after part of the answer was shown: it cannot fall back; say so, cause kept."""
    return BadResponseError(
        f"{who(err.provider, err.model)}: the stream broke after part of the answer ({cause(err).rstrip('.')}).",
        provider=err.provider,
        model=err.model,
        status=err.status,
        hint=err.hint or "Ask again; the part shown above is incomplete.",
    )


def chain_failed(
    failures: Sequence[tuple[str, ProviderError]],
    attempts: Sequence[Attempt],
    not_tried: Sequence[tuple[str, str]],
) -> AllProvidersFailed:
    """The error for a call whose chain did not answer: what was tried, what was not, one hint."""
    parts = []
    for name, err in failures:
        n = sum(1 for a in attempts if a.provider == name and not a.ok)
        times = f" ({n} attempts)" if n > 1 else ""
        parts.append(f"{who(name, err.model)}: {cause(err).rstrip('.')}{times}")
    message = "No provider answered. Tried " + "; ".join(parts) + "."
    if not_tried:
        message += " Not tried: " + "; ".join(f"{name} ({why})" for name, why in not_tried) + "."
    return AllProvidersFailed(
        failures, message=message, not_tried=not_tried, hint=chain_hint(failures, bool(not_tried))
    )


def chain_hint(failures: Sequence[tuple[str, ProviderError]], deadline_cut: bool) -> str:
    errors = [err for _, err in failures]
    if deadline_cut:
        return (
            "The call's deadline (limits.deadline) ran out before every provider was tried; "
            "check the slow ones with `cortex doctor`, or raise limits.deadline."
        )
    if errors and all(isinstance(e, ProviderTimeout) for e in errors):
        return "No provider answered in time; check them with `cortex doctor` (limits.idle_timeout bounds a silence)."
    for kind in _HINT_ORDER:
        for err in errors:
            if isinstance(err, kind) and err.hint:
                return err.hint
    return errors[-1].hint if errors else ""


def as_provider_error(raw: BaseException, name: str, model: str, timed_out: str) -> ProviderError:
    """Any failure of an attempt as a ProviderError naming the provider and model."""
    if isinstance(raw, ProviderError):
        if not raw.provider:
            raw.provider = name
        if not raw.model:
            raw.model = model
        return raw
    if isinstance(raw, asyncio.TimeoutError):
        return ProviderTimeout(
            f"{who(name, model)}: {timed_out}.",
            provider=name,
            model=model,
            hint="Raise limits.timeout (CORTEX_TIMEOUT) or limits.deadline, or check the server's load.",
        )
    if isinstance(raw, CortexError):
        return BadResponseError(f"{who(name, model)}: {raw.message}", provider=name, model=model, hint=raw.hint)
    # A provider bug must not take the whole call down: report it and fall back.
    err = BadResponseError(f"{who(name, model)}: unexpected {type(raw).__name__}: {raw}", provider=name, model=model)
    err.retryable = False  # a bug does not go away on retry
    return err
