"""Reading a provider's answer from its JSON (the SDK-backed providers parse answers themselves,
cortex/llm/providers/sse.py): objects, and the lists and objects inside them, whatever a server
left out or sent as null."""

from __future__ import annotations

import json
from typing import Any

from cortex.llm.providers._errors import ErrorContext, bad_response, from_status


def json_object(data: str | bytes, ctx: ErrorContext) -> dict[str, Any]:
    """One JSON object of a provider's answer; an error object in its place (`{"error": ...}`, how
    servers report a failure inside a 200 stream) is the error it describes."""
    doc = json.loads(data)
    if not isinstance(doc, dict):
        raise bad_response(ctx, "the answer is not a JSON object")
    if doc.get("error"):
        raise from_status(0, doc, None, ctx)
    return doc


def items(doc: Any, key: str) -> list[Any]:
    """doc[key] when it is a list (a list of objects keeps only its objects), else []."""
    value = doc.get(key) if isinstance(doc, dict) else None
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def fields(doc: Any, key: str) -> dict[str, Any]:
    """doc[key] when it is an object, else {}."""
    value = doc.get(key) if isinstance(doc, dict) else None
    return value if isinstance(value, dict) else {}


def count(doc: Any, key: str) -> int | None:
    """A token count: doc[key] as an int, None when absent or not a number."""
    value = doc.get(key) if isinstance(doc, dict) else None
    return int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None
