"""What the fake models answer: scripted replies, schema-shaped examples, and schema-ignoring faults.

Shared by every protocol fake so that the same script (`server.reply(...)`) means the same answer
whichever wire format carries it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from tests.servers.base import Fault, Reply

PROSE = "Sure! I would be glad to help with that, but here is some prose instead of JSON."


def example_for_schema(schema: Any) -> Any:
    """A small instance that satisfies a (simple) JSON schema: required properties, first enum value."""
    if not isinstance(schema, dict):
        return {}
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return schema["enum"][0]
    for key in ("anyOf", "oneOf"):
        if schema.get(key):
            return example_for_schema(schema[key][0])
    kind = schema.get("type", "object")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "object":
        props = schema.get("properties", {})
        return {name: example_for_schema(props.get(name, {})) for name in schema.get("required", list(props))}
    if kind == "array":
        n = int(schema.get("minItems", 0))
        return [example_for_schema(schema.get("items", {})) for _ in range(n)]
    if kind == "string":
        return "x" * int(schema.get("minLength", 1))
    if kind == "integer":
        return int(schema.get("minimum", 1))
    if kind == "number":
        return float(schema.get("minimum", 1.0))
    if kind == "boolean":
        return True
    return None


def invalid_for_schema(schema: Any) -> Any:
    """JSON that parses but fails the schema (wrong shape, required keys missing)."""
    if isinstance(schema, dict) and schema.get("type", "object") == "object":
        return {"unexpected": ["not", "what", "was", "asked"]}
    return {"unexpected": True}


def count_tokens(text: str) -> int:
    """A stand-in tokenizer: one token per whitespace-separated word (at least one)."""
    return max(1, len(text.split()))


@dataclass(frozen=True)
class Answer:
    """A decided answer, protocol-neutral. tool_calls: (id, name, arguments)."""

    text: str = ""
    tool_calls: tuple[tuple[str, str, dict[str, Any]], ...] = ()
    input_tokens: int = 1
    output_tokens: int = 1
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def stop(self) -> str:
        return "tool" if self.tool_calls else "end"


def decide(
    reply: Reply | None,
    fault: Fault,
    *,
    prompt: str,
    schema: dict[str, Any] | None = None,
    forced_tool: tuple[str, dict[str, Any]] | None = None,
    json_mode: bool = False,
    id_prefix: str = "call_",
) -> Answer:
    """Choose the answer for one model request from the script, the request and the fault."""
    target = forced_tool[1] if forced_tool else schema
    text = ""
    calls: list[tuple[str, dict[str, Any]]] = []
    if fault.empty:
        pass
    elif fault.ignore_schema == "prose":
        text = PROSE
    elif fault.ignore_schema == "invalid":
        bad = invalid_for_schema(target)
        if forced_tool:
            calls.append((forced_tool[0], bad))
        else:
            text = json.dumps(bad)
    elif reply is not None and reply.tool_calls:
        calls.extend(reply.tool_calls)
        text = reply.text or ""
    elif forced_tool:
        data = reply.data if reply is not None and reply.data is not None else example_for_schema(target)
        calls.append((forced_tool[0], data))
    elif schema is not None or json_mode:
        if reply is not None and reply.text is not None:
            text = reply.text
        else:
            data = reply.data if reply is not None and reply.data is not None else example_for_schema(schema)
            text = json.dumps(data)
    elif reply is not None and reply.text is not None:
        text = reply.text
    else:
        text = f"Hello! You said: {prompt[-200:]}" if prompt else "Hello!"
    tool_calls = tuple((f"{id_prefix}{i + 1:04d}", name, args) for i, (name, args) in enumerate(calls))
    out_text = text + "".join(json.dumps(a) for _, _, a in tool_calls)
    return Answer(
        text=text,
        tool_calls=tool_calls,
        input_tokens=reply.input_tokens if reply and reply.input_tokens is not None else count_tokens(prompt),
        output_tokens=reply.output_tokens if reply and reply.output_tokens is not None else count_tokens(out_text),
    )


def split_text(text: str, parts: int = 3) -> list[str]:
    """Split text into a few stream deltas at word boundaries (concatenation gives the text back)."""
    if not text:
        return []
    words = text.split(" ")
    size = max(1, -(-len(words) // parts))
    chunks = [" ".join(words[i : i + size]) for i in range(0, len(words), size)]
    return [c + (" " if i < len(chunks) - 1 else "") for i, c in enumerate(chunks)]


def message_text(content: Any) -> str:
    """Text of a message `content` that may be a string or a list of typed blocks."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = []
        for block in content:
            if isinstance(block, dict):
                parts.append(str(block.get("text") or block.get("content") or ""))
        return " ".join(p for p in parts if p)
    return ""
