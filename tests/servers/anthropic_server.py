"""A fake of the Anthropic Messages API (POST /v1/messages, GET /v1/models), per the public reference.

Checks the key (`x-api-key`, or `Authorization: Bearer` as current SDKs send it) and `anthropic-version`; answers text and `tool_use` content blocks (tools and
tool_choice auto / any / tool); streams the documented SSE sequence: message_start,
content_block_start, ping, content_block_delta (text_delta / input_json_delta), content_block_stop,
message_delta (stop_reason, usage), message_stop. An injected `stream_error` sends `event: error`.
Errors use {"type": "error", "error": {"type", "message"}, "request_id"}.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from tests.servers.base import Exchange, FakeServer
from tests.servers.modeling import Answer, decide, message_text, split_text

ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    402: "billing_error",
    403: "permission_error",
    404: "not_found_error",
    408: "timeout_error",
    409: "api_error",
    413: "request_too_large",
    422: "invalid_request_error",
    429: "rate_limit_error",
    500: "api_error",
    503: "api_error",
    504: "timeout_error",
    529: "overloaded_error",
}
_DEFAULT_MESSAGES = {
    400: "Invalid request",
    401: "invalid x-api-key",
    403: "Your API key does not have permission to use the specified resource.",
    404: "The requested resource could not be found.",
    429: "Number of requests has exceeded your rate limit",
    529: "Overloaded",
}


def anthropic_error(status: int, message: str | None = None, kind: str | None = None) -> dict[str, Any]:
    kind = kind or ERROR_TYPES.get(status, "api_error")
    text = message or _DEFAULT_MESSAGES.get(status) or ("Internal server error" if status >= 500 else kind)
    return {"type": "error", "error": {"type": kind, "message": text}, "request_id": "req_fake0001"}


def _stop_reason(ex: Exchange, answer: Answer) -> str | None:
    if ex.fault.no_finish:
        return None
    if ex.fault.length:
        return "max_tokens"
    return "tool_use" if answer.tool_calls else "end_turn"


class AnthropicServer(FakeServer):
    """Anthropic Messages API fake. `models=None` accepts every model name."""

    def __init__(self, *, api_key: str = "test-key", models: tuple[str, ...] | None = None) -> None:
        super().__init__()
        self.api_key = api_key
        self.models = models
        self.route("POST", "/v1/messages", self._messages)
        self.route("GET", "/v1/models", self._models)

    def error_body(self, status: int, message: str | None) -> Any:
        return anthropic_error(status, message)

    def _authorized(self, ex: Exchange) -> bool:
        headers = ex.request.headers
        # The reference documents `x-api-key`; current SDKs send the key as `Authorization: Bearer`.
        key = headers.get("x-api-key") or headers.get("authorization", "").removeprefix("Bearer ")
        if key != self.api_key:
            ex.send_json(401, anthropic_error(401, "invalid x-api-key"))
            return False
        if not headers.get("anthropic-version"):
            ex.send_json(400, anthropic_error(400, "anthropic-version: header is required"))
            return False
        return True

    def _models(self, ex: Exchange) -> None:
        """GET /v1/models: the Models API list (newest first), one page."""
        if not self._authorized(ex):
            return
        names = self.models or ("claude-sonnet-4-5",)
        data = [{"type": "model", "id": n, "display_name": n, "created_at": "2025-09-29T00:00:00Z"} for n in names]
        ex.send_json(200, {"data": data, "has_more": False, "first_id": names[0], "last_id": names[-1]})

    def _messages(self, ex: Exchange) -> None:
        if not self._authorized(ex):
            return
        body = ex.body
        model = body.get("model")
        if not isinstance(model, str) or not isinstance(body.get("max_tokens"), int):
            ex.send_json(400, anthropic_error(400, "model: Field required; max_tokens: Field required"))
            return
        if not body.get("messages"):
            ex.send_json(400, anthropic_error(400, "messages: at least one message is required"))
            return
        if self.models is not None and model not in self.models:
            ex.send_json(404, anthropic_error(404, f"model: {model}"))
            return
        answer = decide(
            self.next_reply(),
            ex.fault,
            prompt=self._prompt(body),
            forced_tool=self._forced_tool(body),
            id_prefix="toolu_fake",
        )
        ident = f"msg_fake{len(self.requests):06d}"
        if body.get("stream"):
            ex.sse(self._events(ex, ident, model, answer))
            return
        ex.send_json(
            200,
            {
                "id": ident,
                "type": "message",
                "role": "assistant",
                "model": model,
                "content": self._blocks(answer),
                "stop_reason": _stop_reason(ex, answer),
                "stop_sequence": None,
                "usage": {"input_tokens": answer.input_tokens, "output_tokens": answer.output_tokens},
            },
        )

    @staticmethod
    def _prompt(body: dict[str, Any]) -> str:
        system = body.get("system")
        parts = [message_text(system)] if system else []
        parts += [message_text(m.get("content")) for m in body.get("messages") or [] if isinstance(m, dict)]
        return " ".join(p for p in parts if p)

    @staticmethod
    def _forced_tool(body: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
        tools = {t["name"]: t.get("input_schema", {}) for t in body.get("tools") or []}
        choice = body.get("tool_choice") or {}
        if choice.get("type") == "tool" and choice.get("name") in tools:
            return choice["name"], tools[choice["name"]]
        if choice.get("type") == "any" and tools:
            name = next(iter(tools))
            return name, tools[name]
        return None

    @staticmethod
    def _blocks(answer: Answer) -> list[dict[str, Any]]:
        blocks: list[dict[str, Any]] = []
        if answer.text:
            blocks.append({"type": "text", "text": answer.text})
        for cid, name, args in answer.tool_calls:
            blocks.append({"type": "tool_use", "id": cid, "name": name, "input": args})
        return blocks

    def _events(self, ex: Exchange, ident: str, model: str, answer: Answer) -> Iterator[tuple[str, Any]]:
        yield (
            "message_start",
            {
                "type": "message_start",
                "message": {
                    "id": ident,
                    "type": "message",
                    "role": "assistant",
                    "model": model,
                    "content": [],
                    "stop_reason": None,
                    "stop_sequence": None,
                    "usage": {"input_tokens": answer.input_tokens, "output_tokens": 1},
                },
            },
        )
        index = 0
        if answer.text:
            yield (
                "content_block_start",
                {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
            )
            yield "ping", {"type": "ping"}
            for n, piece in enumerate(split_text(answer.text)):
                if ex.fault.stream_error and n == 1:
                    yield "error", anthropic_error(529, None, ex.fault.stream_error)
                    return
                delta = {"type": "text_delta", "text": piece}
                yield "content_block_delta", {"type": "content_block_delta", "index": 0, "delta": delta}
            yield "content_block_stop", {"type": "content_block_stop", "index": 0}
            index = 1
        elif ex.fault.stream_error:
            yield "error", anthropic_error(529, None, ex.fault.stream_error)
            return
        for cid, name, args in answer.tool_calls:
            block = {"type": "tool_use", "id": cid, "name": name, "input": {}}
            yield "content_block_start", {"type": "content_block_start", "index": index, "content_block": block}
            for piece in split_text(json.dumps(args), 2):
                delta = {"type": "input_json_delta", "partial_json": piece}
                yield "content_block_delta", {"type": "content_block_delta", "index": index, "delta": delta}
            yield "content_block_stop", {"type": "content_block_stop", "index": index}
            index += 1
        stop = _stop_reason(ex, answer)
        yield (
            "message_delta",
            {
                "type": "message_delta",
                "delta": {"stop_reason": stop, "stop_sequence": None},
                "usage": {"output_tokens": answer.output_tokens},
            },
        )
        yield "message_stop", {"type": "message_stop"}
