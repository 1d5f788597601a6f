"""Claude through the Anthropic Messages API (`anthropic.AsyncAnthropic`, imported lazily).

SDK retries are off (the router retries). Structured output is forced tool use: a tool named
`Request.schema_name` whose input_schema is the schema, with tool_choice naming it; its input comes
back as the JSON text of the answer (a non-object schema is wrapped in {"value": ...} and unwrapped).
cortex Tools become Anthropic tools; tool_use blocks become ToolCalls; tool results travel as
tool_result blocks in a user turn. Request.temperature is not sent: the current Messages API (and
the anthropic 2.x SDK) has no sampling parameters.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

from cortex.errors import NotConfiguredError, ProviderError
from cortex.llm.providers import sse
from cortex.llm.providers._clients import SDKProvider
from cortex.llm.providers._errors import ErrorContext, bad_response, from_exception, sdk_stream
from cortex.llm.providers._json import count, fields, items, json_object
from cortex.llm.spec import builtin
from cortex.llm.types import Message, ProviderResponse, Request, StreamEvent, ToolCall, Usage


def _text(value: Any) -> str | None:
    return str(value) if value else None


STOP_REASONS = {"end_turn": "stop", "stop_sequence": "stop", "max_tokens": "length", "tool_use": "tool_calls"}


def _wraps(schema: dict[str, Any]) -> bool:
    """Anthropic tool inputs must be objects: other schemas travel wrapped as {"value": ...}."""
    return schema.get("type", "object") != "object"


def schema_tool(request: Request) -> dict[str, Any]:
    schema = request.schema or {}
    if _wraps(schema):
        schema = {"type": "object", "properties": {"value": schema}, "required": ["value"]}
    return {
        "name": request.schema_name,
        "description": "Give the answer as this tool's input; it must match the input schema.",
        "input_schema": schema,
    }


def _content(m: Message) -> Any:
    if m.role == "tool":
        return [{"type": "tool_result", "tool_use_id": m.tool_call_id or "", "content": m.content}]
    if m.role == "assistant" and m.tool_calls:
        blocks: list[dict[str, Any]] = [{"type": "text", "text": m.content}] if m.content else []
        blocks += [{"type": "tool_use", "id": c.id, "name": c.name, "input": c.arguments} for c in m.tool_calls]
        return blocks
    return m.content


def to_anthropic_messages(request: Request) -> list[dict[str, Any]]:
    """Conversation -> Messages API turns; consecutive same-role turns are merged into one."""
    out: list[dict[str, Any]] = []
    for m in request.conversation:
        role = "assistant" if m.role == "assistant" else "user"
        content = _content(m)
        if out and out[-1]["role"] == role:
            prev = out[-1]["content"]
            as_blocks = [{"type": "text", "text": prev}] if isinstance(prev, str) else prev
            more = [{"type": "text", "text": content}] if isinstance(content, str) else content
            out[-1]["content"] = as_blocks + more
        else:
            out.append({"role": role, "content": content})
    return out


def request_params(request: Request) -> dict[str, Any]:
    """The Messages API body for one request (pure)."""
    params: dict[str, Any] = {
        "model": request.model,
        "max_tokens": request.max_tokens,
        "messages": to_anthropic_messages(request),
    }
    if request.system:
        params["system"] = request.system
    # No `temperature`: the Messages API of the current SDK (anthropic 2.x) takes no sampling parameters.
    if request.stop:
        params["stop_sequences"] = list(request.stop)
    tools = [{"name": t.name, "description": t.description, "input_schema": t.parameters} for t in request.tools]
    if request.schema is not None:
        tools.append(schema_tool(request))
        params["tool_choice"] = {"type": "tool", "name": request.schema_name}
    if tools:
        params["tools"] = tools
    return params


class ClaudeProvider(SDKProvider):
    spec = builtin("claude")
    name = spec.name
    paid = spec.paid
    schema_mode = "tool"
    key_env = spec.key_env
    sdk_module = "anthropic"

    @property
    def api_key(self) -> str | None:
        key = self.settings.get("api_key")
        return str(key) if key else None

    @property
    def base_url(self) -> str:
        return str(self.settings.get("base_url") or self.spec.base_url).rstrip("/")

    def configured(self) -> tuple[bool, str]:
        if not self.api_key:
            return False, "ANTHROPIC_API_KEY is not set"
        if not self.default_model:
            return False, "no model set (providers.claude.model)"
        return True, ""

    def describe(self) -> dict[str, Any]:
        return {**super().describe(), "base_url": self.base_url, "paid": True}

    def not_found_hint(self, model: str) -> str:
        return f"Anthropic has no model {model!r}; set CORTEX_CLAUDE_MODEL (e.g. claude-sonnet-4-5)."

    def _new_client(self) -> Any:
        if not self.api_key:
            raise NotConfiguredError(
                "claude: ANTHROPIC_API_KEY is not set.", provider=self.name, model=self.default_model
            )
        import anthropic

        return anthropic.AsyncAnthropic(
            api_key=self.api_key,
            base_url=self.base_url,
            max_retries=0,
            timeout=float(self.settings.get("timeout") or 60.0),
        )

    # -- one attempt ---------------------------------------------------------------------------------
    async def acomplete(self, request: Request) -> ProviderResponse:
        ctx = self.context(request.model, request.timeout)
        try:
            raw = await self.client().messages.with_raw_response.create(
                **request_params(request), timeout=self.sdk_timeout(request, stream=False)
            )
            message = json_object(await raw.read(), ctx)
        except ProviderError:
            raise
        except Exception as exc:
            raise from_exception(exc, ctx) from None
        texts: list[str] = []
        calls: list[ToolCall] = []
        for block in items(message, "content"):
            kind = block.get("type")
            if kind == "text":
                texts.append(str(block.get("text") or ""))
            elif kind == "tool_use":
                calls.append(ToolCall(str(block.get("id") or ""), str(block.get("name") or ""), fields(block, "input")))
        usage = fields(message, "usage")
        return self._finish(
            request,
            ctx,
            "".join(texts),
            calls,
            str(message.get("model") or request.model),
            Usage(count(usage, "input_tokens") or 0, count(usage, "output_tokens") or 0),
            _text(message.get("stop_reason")),
        )

    def _finish(
        self,
        request: Request,
        ctx: ErrorContext,
        text: str,
        calls: list[ToolCall],
        model: str,
        usage: Usage,
        stop_reason: str | None,
    ) -> ProviderResponse:
        """Turn the forced schema tool's input into the answer's JSON text; other calls stay tool calls."""
        if request.schema is not None:
            answer = next((c for c in calls if c.name == request.schema_name), None)
            if answer is not None:
                calls = [c for c in calls if c is not answer]
                data: Any = answer.arguments
                if _wraps(request.schema) and isinstance(data, dict) and "value" in data:
                    data = data["value"]
                text = json.dumps(data)
                stop_reason = "end_turn" if stop_reason == "tool_use" else stop_reason
        finish = STOP_REASONS.get(stop_reason or "", stop_reason)
        return ProviderResponse(text, model, usage, tuple(calls), finish)

    def astream(self, request: Request) -> AsyncIterator[StreamEvent]:
        return self._stream(request)

    async def _stream(self, request: Request) -> AsyncIterator[StreamEvent]:
        ctx = self.context(request.model, request.idle_timeout or request.timeout, idle=True)
        state = _StreamState(request)

        async def open_stream() -> sse.ResponseEvents:
            manager = self.client().messages.with_streaming_response.create(
                **request_params(request), stream=True, timeout=self.sdk_timeout(request, stream=True)
            )
            return sse.ResponseEvents(await manager.__aenter__())

        # each event carries the usage so far, for the accounting of a stream cut short
        events = sdk_stream(open_stream, lambda event: StreamEvent(text=state.feed(event, ctx), usage=state.usage), ctx)
        async with contextlib.aclosing(events):
            async for event in events:
                yield event
        if not state.finished:
            raise bad_response(ctx, "the stream ended before message_stop")
        response = self._finish(
            request, ctx, "".join(state.text), state.tool_calls(ctx), state.model, state.usage, state.stop_reason
        )
        yield StreamEvent(done=True, response=response)


class _StreamState:
    """What a Messages API event stream has said so far: one method per event type."""

    def __init__(self, request: Request) -> None:
        self.request = request
        self.text: list[str] = []
        self.blocks: dict[int, dict[str, Any]] = {}  # index -> tool_use {id, name, json}
        self.model = request.model
        self.stop_reason: str | None = None
        self.finished = False
        self.input_tokens = self.output_tokens = 0

    @property
    def usage(self) -> Usage:
        return Usage(self.input_tokens, self.output_tokens)

    def feed(self, event: tuple[str, str], ctx: ErrorContext) -> str:
        """Take one event (its SSE type and JSON data); return the text it adds to what the caller
        sees ('' for none). An `error` event is the error it describes."""
        kind, data = event
        doc = json_object(data, ctx)
        handler = getattr(self, f"_on_{doc.get('type') or kind}", None)
        return (handler(doc) or "") if handler is not None else ""

    def _on_message_start(self, event: dict[str, Any]) -> None:
        message = fields(event, "message")
        usage = fields(message, "usage")
        self.model = str(message.get("model") or self.model)
        self.input_tokens = count(usage, "input_tokens") or 0
        self.output_tokens = count(usage, "output_tokens") or 0

    def _on_content_block_start(self, event: dict[str, Any]) -> None:
        block = fields(event, "content_block")
        if block.get("type") == "tool_use":
            self.blocks[count(event, "index") or 0] = {
                "id": str(block.get("id") or ""),
                "name": str(block.get("name") or ""),
                "json": "",
            }

    def _on_content_block_delta(self, event: dict[str, Any]) -> str:
        delta = fields(event, "delta")
        kind = delta.get("type")
        if kind == "text_delta" and delta.get("text"):
            text = str(delta["text"])
            self.text.append(text)
            return text
        index = count(event, "index") or 0
        if kind != "input_json_delta" or index not in self.blocks:
            return ""
        block = self.blocks[index]
        partial = str(delta.get("partial_json") or "")
        block["json"] += partial
        schema = self.request.schema
        # The schema answer streams as its JSON text; a wrapped answer is unwrapped at the end.
        is_answer = block["name"] == self.request.schema_name and schema is not None and not _wraps(schema)
        return partial if is_answer else ""

    def _on_message_delta(self, event: dict[str, Any]) -> None:
        self.stop_reason = _text(fields(event, "delta").get("stop_reason")) or self.stop_reason
        usage = fields(event, "usage")
        output = count(usage, "output_tokens")
        if output is not None:
            self.output_tokens = output
        self.input_tokens = count(usage, "input_tokens") or self.input_tokens

    def _on_message_stop(self, event: dict[str, Any]) -> None:
        self.finished = True

    def tool_calls(self, ctx: ErrorContext) -> list[ToolCall]:
        calls = []
        for _, b in sorted(self.blocks.items()):
            try:
                args = json.loads(b["json"]) if b["json"] else {}
            except ValueError:
                raise bad_response(ctx, "a tool_use block's input is not valid JSON") from None
            calls.append(ToolCall(b["id"], b["name"], args if isinstance(args, dict) else {"value": args}))
        return calls
