"""Tool calls for models without native tool calling: one JSON answer under a grammar.

The model is shown the tools and must answer either `{"tool": NAME, "arguments": {...}}` (the
arguments under that tool's own parameter schema) or `{"answer": "text"}`. The schema is an
`anyOf` of those shapes, so llama.cpp's grammar makes every call name a real tool with arguments
of the declared shape. All functions here are pure.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from cortex.llm.types import Message, Tool, ToolCall


def tool_schema(tools: Sequence[Tool], answer_schema: dict[str, Any] | None = None) -> dict[str, Any]:
    """The JSON schema an answer must fit: one call of one of `tools`, or an answer.

    The answer is `{"answer": text}`, or a document of `answer_schema` when the call has one.
    """
    options: list[dict[str, Any]] = [
        {
            "type": "object",
            "properties": {"tool": {"const": t.name}, "arguments": _closed(t.parameters)},
            "required": ["tool", "arguments"],
            "additionalProperties": False,
        }
        for t in tools
    ]
    options.append(
        answer_schema
        or {
            "type": "object",
            "properties": {"answer": {"type": "string"}},
            "required": ["answer"],
            "additionalProperties": False,
        }
    )
    return {"anyOf": options}


def _closed(parameters: dict[str, Any] | None) -> dict[str, Any]:
    """Arguments as declared, without undeclared extra keys (which a small model would invent)."""
    params = dict(parameters or {"type": "object"})
    if params.get("type") == "object":
        params.setdefault("additionalProperties", False)
    return params


def tool_instructions(tools: Sequence[Tool]) -> str:
    """The system text that lists the tools and the two answer shapes."""
    lines = [
        "You can call one of these tools. To call one, answer only "
        '{"tool": "NAME", "arguments": {...}}; to answer without a tool, answer {"answer": "..."}.'
    ]
    for t in tools:
        lines.append(f"- {t.name}: {t.description} Parameters (JSON schema): {json.dumps(t.parameters)}")
    return "\n".join(lines)


def with_tools(messages: Sequence[Message], tools: Sequence[Tool]) -> tuple[Message, ...]:
    """The conversation with the tool instructions added as a system message."""
    return (Message.system(tool_instructions(tools)), *messages)


def render_calls(calls: Sequence[ToolCall]) -> str:
    """How an earlier assistant turn that called tools is shown back to the model."""
    return "\n".join(json.dumps({"tool": c.name, "arguments": c.arguments}) for c in calls)


def parse_answer(text: str, call_id: str, *, plain: bool = True) -> tuple[str, tuple[ToolCall, ...]]:
    """(text, tool calls) of a grammar-constrained answer; unparseable text is returned as text.

    `plain`: answers are `{"answer": text}` (unwrapped); otherwise they are the caller's schema document.
    """
    try:
        doc = json.loads(text)
    except ValueError:
        return text, ()
    if isinstance(doc, dict) and isinstance(doc.get("tool"), str):
        args = doc.get("arguments")
        return "", (ToolCall(call_id, doc["tool"], args if isinstance(args, dict) else {}),)
    if plain and isinstance(doc, dict) and isinstance(doc.get("answer"), str):
        return doc["answer"], ()
    return text, ()
