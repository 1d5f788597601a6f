"""What the intake tests assert of a request: refused (with its rule) or allowed and readable."""

from __future__ import annotations

from cortex.intake import check_request


def refused(text: str) -> str:
    d = check_request(text)
    assert not d.allowed, (text, d)
    return d.rule


def allowed(text: str) -> None:
    d = check_request(text)
    assert d.allowed and not d.unreadable, (text, d.rule, d.reason or d.unreadable)
