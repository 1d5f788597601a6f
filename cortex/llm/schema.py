"""Pure structured-output helpers: pull JSON out of a model's answer and validate it against a schema."""

from __future__ import annotations

import json
import re
from typing import Any

_FENCE = re.compile(r"^\s*```[a-zA-Z0-9_-]*\s*\n?(.*?)\n?\s*```\s*$", re.DOTALL)


class SchemaMismatch(ValueError):
    """The text is not JSON, or the JSON does not fit the schema; the message says why (for the re-ask)."""


def extract_json(text: str) -> Any:
    """Parse JSON from a model answer: plain, inside code fences, or the first {...}/[...] in prose."""
    candidate = text.strip()
    match = _FENCE.match(candidate)
    if match:
        candidate = match.group(1).strip()
    try:
        return json.loads(candidate)
    except (json.JSONDecodeError, ValueError):
        pass
    decoder = json.JSONDecoder()
    for i, ch in enumerate(candidate):
        if ch in "{[":
            try:
                value, _ = decoder.raw_decode(candidate[i:])
                return value
            except json.JSONDecodeError:
                continue
    snippet = candidate[:80].replace("\n", " ")
    raise SchemaMismatch(f"the answer is not JSON (starts with {snippet!r})")


def validate(value: Any, schema: dict[str, Any]) -> None:
    """Raise SchemaMismatch with the first validation error, else return None."""
    import jsonschema

    validator_cls = jsonschema.validators.validator_for(schema)
    error = jsonschema.exceptions.best_match(validator_cls(schema).iter_errors(value))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(root)"
        raise SchemaMismatch(f"at {where}: {error.message}")


def parse_and_validate(text: str, schema: dict[str, Any]) -> Any:
    value = extract_json(text)
    validate(value, schema)
    return value


def reask_message(error: SchemaMismatch, schema: dict[str, Any]) -> str:
    return (
        f"Your previous answer did not match the required JSON schema: {error}. "
        f"Reply again with only a JSON value that matches this schema, no prose:\n{json.dumps(schema)}"
    )
