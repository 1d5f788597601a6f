"""Pure parts of the provider error mapping: Retry-After parsing and the status table."""

from __future__ import annotations

import email.utils

import pytest

from cortex.errors import AuthenticationError, BadRequestError, ModelNotFoundError, RateLimitError, ServerError
from cortex.llm.providers._errors import ErrorContext, api_message, from_status, parse_retry_after

CTX = ErrorContext(provider="p", model="m", key_env="P_API_KEY", not_found_hint="pull it")


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (None, None),
        ({}, None),
        ({"Retry-After": "12"}, 12.0),
        ({"retry-after": "0.5"}, 0.5),
        ({"retry-after-ms": "250", "retry-after": "9"}, 0.25),
        ({"Retry-After": "soon"}, None),
        ({"Retry-After": "-3"}, 0.0),
    ],
)
def test_parse_retry_after(headers, expected):
    assert parse_retry_after(headers) == expected


def test_parse_retry_after_http_date():
    now = 1_700_000_000.0
    assert parse_retry_after({"Retry-After": email.utils.formatdate(now + 45, usegmt=True)}, now=now) == 45.0
    assert parse_retry_after({"Retry-After": email.utils.formatdate(now - 45, usegmt=True)}, now=now) == 0.0


def test_status_table_and_messages():
    err = from_status(401, {"error": {"message": "bad key"}}, None, CTX)
    assert isinstance(err, AuthenticationError) and err.message == "p (m): HTTP 401: bad key"
    assert "P_API_KEY" in err.hint
    assert isinstance(from_status(404, {"error": "model x"}, None, CTX), ModelNotFoundError)
    assert from_status(404, None, None, CTX).hint == "pull it"
    assert isinstance(from_status(413, None, None, CTX), BadRequestError)
    limited = from_status(429, None, {"Retry-After": "3"}, CTX)
    assert isinstance(limited, RateLimitError) and limited.retry_after == 3.0
    # Anthropic's in-stream `event: error` arrives with HTTP 200: its error type decides.
    overloaded = from_status(200, {"type": "error", "error": {"type": "overloaded_error"}}, None, CTX)
    assert isinstance(overloaded, ServerError) and overloaded.status == 529


def test_api_message_shapes():
    assert api_message({"error": {"message": " m "}}) == "m"
    assert api_message({"error": "plain"}) == "plain"
    assert api_message("<html>") == "<html>"
    assert api_message(None) == ""
