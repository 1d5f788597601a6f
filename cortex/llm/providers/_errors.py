"""Map HTTP statuses, SDK exceptions and transport failures onto cortex.errors, for every provider.

The anthropic and openai SDKs share one exception shape (APIStatusError with `status_code`,
`response`, `body`; APITimeoutError < APIConnectionError), so one duck-typed mapping serves both,
plus the httpx-style transport errors that escape while a stream is being read.

    401/403 -> AuthenticationError      404 -> ModelNotFoundError     400/413/422 -> BadRequestError
    429 -> RateLimitError(retry_after)  408/409/5xx/529 -> ServerError(retry_after)
    timeout -> ProviderTimeout          refused/reset -> ProviderConnectionError
    malformed body, cut stream -> BadResponseError
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import AsyncGenerator, Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from cortex.errors import (
    AuthenticationError,
    BadRequestError,
    BadResponseError,
    ModelNotFoundError,
    ProviderConnectionError,
    ProviderError,
    ProviderTimeout,
    RateLimitError,
    ServerError,
)
from cortex.llm.retry import seconds

# Anthropic reports some failures inside a 200 stream (`event: error`): map its error types to a status.
_ERROR_TYPE_STATUS = {
    "invalid_request_error": 400,
    "authentication_error": 401,
    "permission_error": 403,
    "not_found_error": 404,
    "request_too_large": 413,
    "rate_limit_error": 429,
    "api_error": 500,
    "timeout_error": 504,
    "overloaded_error": 529,
}


@dataclass(frozen=True)
class ErrorContext:
    """Who failed, for messages and hints: provider, model, the key's env var, where the server is."""

    provider: str
    model: str
    key_env: str = ""
    base_url: str = ""
    timeout: float | None = None
    not_found_hint: str = ""
    idle: bool = False  # a stream: `timeout` is the longest silence allowed, not the whole attempt

    @property
    def who(self) -> str:
        return f"{self.provider} ({self.model})" if self.model else self.provider


def parse_retry_after(headers: Mapping[str, str] | None, now: float | None = None) -> float | None:
    """Seconds to wait from `retry-after-ms`, `Retry-After` seconds, or a `Retry-After` HTTP-date."""
    if not headers:
        return None
    lower = {k.lower(): v for k, v in headers.items()}
    ms = lower.get("retry-after-ms")
    if ms:
        try:
            return max(0.0, float(ms) / 1000.0)
        except ValueError:
            pass
    value = lower.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def api_message(body: Any) -> str:
    """The human message inside an error body of any of the supported shapes."""
    if isinstance(body, Mapping):
        err = body.get("error", body)
        if isinstance(err, Mapping):
            return str(err.get("message") or err.get("type") or "").strip()
        if isinstance(err, str):
            return err.strip()
        return str(body.get("message") or "").strip()
    if isinstance(body, str):
        return body.strip()[:300]
    return ""


def _error_type(body: Any) -> str | None:
    if isinstance(body, Mapping) and isinstance(body.get("error"), Mapping):
        kind = body["error"].get("type")
        return str(kind) if kind else None
    return None


def from_status(status: int, body: Any, headers: Mapping[str, str] | None, ctx: ErrorContext) -> ProviderError:
    """The ProviderError for an HTTP error status (or an in-stream error typed by its body)."""
    if status < 400:
        status = _ERROR_TYPE_STATUS.get(_error_type(body) or "", 500)
    detail = api_message(body)
    message = f"{ctx.who}: HTTP {status}" + (f": {detail}" if detail and detail != f"HTTP {status}" else "")
    kw: dict[str, Any] = {"provider": ctx.provider, "model": ctx.model, "status": status}
    if status in (401, 403):
        what = "rejected" if status == 401 else "not allowed to use this model"
        hint = f"Check {ctx.key_env}: the key was {what}." if ctx.key_env else "Check the server's credentials."
        return AuthenticationError(message, hint=hint, **kw)
    if status == 404:
        hint = ctx.not_found_hint or "Check the model id in the config (`cortex config show`)."
        return ModelNotFoundError(message, hint=hint, **kw)
    if status == 429:
        wait = parse_retry_after(headers)
        return RateLimitError(
            message, retry_after=wait, hint="Rate-limited by the provider; wait a moment or lower limits.rpm.", **kw
        )
    if status in (408, 409) or status >= 500:
        return ServerError(
            message, retry_after=parse_retry_after(headers), hint="The provider is having trouble; retry later.", **kw
        )
    return BadRequestError(message, hint="The request was rejected as invalid; check the model and parameters.", **kw)


def timeout_error(ctx: ErrorContext) -> ProviderTimeout:
    if ctx.idle and ctx.timeout:
        return ProviderTimeout(
            f"{ctx.who}: the server sent nothing for {seconds(ctx.timeout)}.",
            provider=ctx.provider,
            model=ctx.model,
            hint="Check the server (cortex doctor), or raise limits.idle_timeout if it is only slow to start.",
        )
    after = f" within {seconds(ctx.timeout)}" if ctx.timeout else ""
    return ProviderTimeout(
        f"{ctx.who}: no answer{after}.",
        provider=ctx.provider,
        model=ctx.model,
        hint="Raise limits.timeout (CORTEX_TIMEOUT) or check the server's load.",
    )


def connection_error(ctx: ErrorContext, cause: BaseException | None = None) -> ProviderConnectionError:
    where = f" {ctx.base_url}" if ctx.base_url else ""
    chain = _chain(cause) if cause is not None else []
    if any("without sending a response" in str(e) for e in chain):
        text = f"the server{where} closed the connection without answering"
    else:
        why = _root_cause(cause)
        text = f"cannot connect to{where or ' the server'}{f' ({why})' if why else ''}"
    return ProviderConnectionError(
        f"{ctx.who}: {text}.",
        provider=ctx.provider,
        model=ctx.model,
        hint=f"Is the server{where} running and reachable?",
    )


def bad_response(ctx: ErrorContext, what: str) -> BadResponseError:
    return BadResponseError(
        f"{ctx.who}: {what}.",
        provider=ctx.provider,
        model=ctx.model,
        hint="The server sent an answer cortex cannot read; retry, or try another provider.",
    )


def _root_cause(exc: BaseException | None) -> str:
    seen = 0
    while exc is not None and seen < 6:
        if isinstance(exc, OSError) and exc.strerror:
            return exc.strerror
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return ""


def _chain(exc: BaseException) -> list[BaseException]:
    out: list[BaseException] = []
    while exc is not None and len(out) < 8 and exc not in out:
        out.append(exc)
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
    return out


def from_exception(exc: BaseException, ctx: ErrorContext, *, midway: bool = False) -> ProviderError:
    """Any exception raised while talking to a provider, as a ProviderError (never re-raises SDK types).

    `midway`: the failure came after the answer had started (a stream was open), so a broken
    connection means a cut answer (BadResponseError), not a server that could not be reached.
    """
    if isinstance(exc, ProviderError):
        return exc
    names = {cls.__name__ for cls in type(exc).__mro__}
    status = getattr(exc, "status_code", None)
    if "APIStatusError" in names and isinstance(status, int):
        response = getattr(exc, "response", None)
        headers = dict(getattr(response, "headers", {}) or {})
        return from_status(status, getattr(exc, "body", None), headers, ctx)
    if "APIResponseValidationError" in names:
        return bad_response(ctx, "the response did not have the documented shape")
    chain = _chain(exc)
    chain_names = {cls.__name__ for e in chain for cls in type(e).__mro__}
    if "APITimeoutError" in names or isinstance(exc, TimeoutError) or chain_names & _TIMEOUTS:
        return timeout_error(ctx)
    cut = any("complete message body" in str(e) or "incomplete" in str(e).lower() for e in chain)
    transport = "APIConnectionError" in names or isinstance(exc, ConnectionError) or chain_names & _TRANSPORT
    if transport and (cut or midway) and "ConnectError" not in chain_names:
        return bad_response(ctx, "the connection closed in the middle of the answer")
    if transport:
        return connection_error(ctx, exc)
    if isinstance(exc, ValueError):
        return bad_response(ctx, "the body is not valid JSON")
    if isinstance(exc, (KeyError, TypeError, AttributeError)):
        return bad_response(ctx, f"the answer does not have the documented shape ({type(exc).__name__})")
    return bad_response(ctx, f"unexpected failure ({type(exc).__name__}: {exc})")


_TIMEOUTS = {"TimeoutException", "ReadTimeout", "ConnectTimeout", "PoolTimeout", "WriteTimeout"}
_TRANSPORT = {"TransportError", "NetworkError", "ConnectError", "RemoteProtocolError", "ReadError", "IncompleteRead"}


async def sdk_stream(
    open_stream: Callable[[], Awaitable[Any]], feed: Callable[[Any], Any], ctx: ErrorContext
) -> AsyncGenerator[Any, None]:
    """Drive an SDK's stream: `feed(item)` for each item it yields, its failures as typed ProviderErrors.

    Every item is a sign of life for the router's idle timeout. The stream is closed however it ends
    (a failure midway is told apart from one before the first byte); closing a gone connection is not news.
    """
    stream = None
    try:
        stream = await open_stream()
        async for item in stream:
            yield feed(item)
    except ProviderError:
        raise
    except Exception as exc:
        raise from_exception(exc, ctx, midway=stream is not None) from None
    finally:
        if stream is not None:
            try:
                await stream.close()
            except Exception:  # the connection may already be gone; the outcome is decided above
                pass
