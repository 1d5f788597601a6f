"""A fake of the OpenAI Chat Completions API (also what LM Studio, llama-server, vLLM and Kimi speak).

    POST /v1/chat/completions   Bearer auth; tools / tool_choice; response_format json_object and
                                json_schema; SSE streaming of chat.completion.chunk objects ending in
                                `data: [DONE]`, with a usage chunk when stream_options.include_usage;
                                an injected `stream_error` sends `data: {"error": ...}` after the first
                                chunk (how OpenAI-compatible servers report a failure mid-stream)
    GET  /v1/models             {"object": "list", "data": [...]}

Errors use OpenAI's shape: {"error": {"message", "type", "param", "code"}}.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from typing import Any

from tests.servers.base import Exchange, FakeServer
from tests.servers.modeling import Answer, decide, message_text, split_text

_ERROR_TYPES = {
    400: ("invalid_request_error", None),
    401: ("invalid_request_error", "invalid_api_key"),
    403: ("invalid_request_error", "unsupported_country_region_territory"),
    404: ("invalid_request_error", "model_not_found"),
    408: ("server_error", None),
    409: ("server_error", None),
    422: ("invalid_request_error", None),
    429: ("requests", "rate_limit_exceeded"),
}


_DEFAULT_MESSAGES = {
    400: "Invalid request.",
    401: "Incorrect API key provided.",
    403: "You are not allowed to sample from this model.",
    404: "The model does not exist or you do not have access to it.",
    408: "Request timed out.",
    409: "The request conflicted with another request; please retry.",
    422: "Unprocessable request.",
    429: "Rate limit reached for requests.",
}


def openai_error(status: int, message: str | None) -> dict[str, Any]:
    kind, code = _ERROR_TYPES.get(status, ("server_error", None))
    default = _DEFAULT_MESSAGES.get(status, "The server had an error while processing your request.")
    return {"error": {"message": message or default, "type": kind, "param": None, "code": code}}


def _forced_tool(body: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    tools = {t["function"]["name"]: t["function"].get("parameters", {}) for t in body.get("tools") or []}
    choice = body.get("tool_choice")
    if isinstance(choice, dict) and choice.get("type") == "function":
        name = choice["function"]["name"]
        return name, tools.get(name, {})
    if choice == "required" and tools:
        name = next(iter(tools))
        return name, tools[name]
    return None


def _prompt(body: dict[str, Any]) -> str:
    return " ".join(message_text(m.get("content")) for m in body.get("messages") or [] if isinstance(m, dict))


def chat_completions(ex: Exchange, *, known_model: Callable[[str], bool], not_found: Callable[[str], Any]) -> None:
    """Serve one Chat Completions request (shared by the OpenAI fake and Ollama's /v1)."""
    body = ex.body
    model = body.get("model")
    if not isinstance(model, str) or not isinstance(body.get("messages"), list) or not body["messages"]:
        ex.send_json(400, openai_error(400, "'messages' and 'model' are required properties"))
        return
    if not known_model(model):
        ex.send_json(404, not_found(model))
        return
    fmt = body.get("response_format") or {}
    schema = None
    if fmt.get("type") == "json_schema":
        schema = (fmt.get("json_schema") or {}).get("schema") or {}
    answer = decide(
        ex.server.next_reply(),
        ex.fault,
        prompt=_prompt(body),
        schema=schema,
        forced_tool=_forced_tool(body),
        json_mode=fmt.get("type") == "json_object",
    )
    ident = f"chatcmpl-{len(ex.server.requests):06d}"
    finish = (
        None if ex.fault.no_finish else "length" if ex.fault.length else "tool_calls" if answer.tool_calls else "stop"
    )
    if body.get("stream"):
        include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
        in_choice = bool(getattr(ex.server, "usage_in_choice", False))
        chunks = _chunks(ident, model, answer, finish, include_usage, in_choice)
        if ex.fault.stream_error:
            error = {"error": {"message": "The server is overloaded.", "type": ex.fault.stream_error, "code": None}}
            chunks = iter([next(chunks), error])
        ex.sse((None, c) for c in chunks)
        return
    message: dict[str, Any] = {"role": "assistant", "content": answer.text or None, "refusal": None}
    if answer.tool_calls:
        message["tool_calls"] = [
            {"id": cid, "type": "function", "function": {"name": name, "arguments": json.dumps(args)}}
            for cid, name, args in answer.tool_calls
        ]
    ex.send_json(
        200,
        {
            "id": ident,
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "system_fingerprint": "fp_fake",
            "choices": [{"index": 0, "message": message, "logprobs": None, "finish_reason": finish}],
            "usage": _usage(answer),
        },
    )


def _usage(answer: Answer) -> dict[str, int]:
    return {
        "prompt_tokens": answer.input_tokens,
        "completion_tokens": answer.output_tokens,
        "total_tokens": answer.input_tokens + answer.output_tokens,
    }


def _chunks(
    ident: str, model: str, answer: Answer, finish: str | None, include_usage: bool, usage_in_choice: bool = False
) -> Iterator[Any]:
    """A Chat Completions stream; `usage_in_choice`: Moonshot's shape, the usage in the last choice
    (whatever stream_options says) instead of a chunk of its own."""
    created = int(time.time())

    def chunk(delta: dict[str, Any], finish_reason: str | None = None) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "id": ident,
            "object": "chat.completion.chunk",
            "created": created,
            "model": model,
            "system_fingerprint": "fp_fake",
            "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}],
        }
        if include_usage:
            doc["usage"] = None
        return doc

    yield chunk({"role": "assistant", "content": "", "refusal": None})
    for piece in split_text(answer.text):
        yield chunk({"content": piece})
    for index, (cid, name, args) in enumerate(answer.tool_calls):
        head = {"index": index, "id": cid, "type": "function", "function": {"name": name, "arguments": ""}}
        yield chunk({"tool_calls": [head]})
        for piece in split_text(json.dumps(args), 2):
            yield chunk({"tool_calls": [{"index": index, "function": {"arguments": piece}}]})
    last = chunk({}, finish)
    if usage_in_choice:
        last["choices"][0]["usage"] = _usage(answer)
        include_usage = False
    yield last
    if include_usage:
        yield {
            "id": ident,
            "object": "chat.completion.chunk",
            "created": created,
            "model": model,
            "system_fingerprint": "fp_fake",
            "choices": [],
            "usage": _usage(answer),
        }
    yield "[DONE]"


class OpenAIServer(FakeServer):
    """OpenAI-compatible server. `api_key=None` accepts any (or no) key, like LM Studio."""

    def __init__(
        self, *, api_key: str | None = "test-key", models: tuple[str, ...] | None = None, usage_in_choice: bool = False
    ) -> None:
        super().__init__()
        self.api_key = api_key
        self.models = models  # None: every model name is known
        self.usage_in_choice = usage_in_choice  # Moonshot (Kimi): a stream's usage in its last choice
        self.route("POST", "/v1/chat/completions", self._chat)
        self.route("GET", "/v1/models", self._models)

    def error_body(self, status: int, message: str | None) -> Any:
        return openai_error(status, message)

    def _authorized(self, ex: Exchange) -> bool:
        if self.api_key is None:
            return True
        if ex.request.headers.get("authorization") == f"Bearer {self.api_key}":
            return True
        given = ex.request.headers.get("authorization", "").removeprefix("Bearer ")
        shown = (given[:3] + "*" * 4 + given[-4:]) if len(given) > 8 else given
        message = f"Incorrect API key provided: {shown}. You can find your API key in your account settings."
        ex.send_json(401, openai_error(401, message))
        return False

    def _known(self, model: str) -> bool:
        return self.models is None or model in self.models

    def _not_found(self, model: str) -> Any:
        return openai_error(404, f"The model `{model}` does not exist or you do not have access to it.")

    def _chat(self, ex: Exchange) -> None:
        if self._authorized(ex):
            chat_completions(ex, known_model=self._known, not_found=self._not_found)

    def _models(self, ex: Exchange) -> None:
        if not self._authorized(ex):
            return
        names = self.models or ("gpt-4o-mini",)
        data = [{"id": n, "object": "model", "created": 1700000000, "owned_by": "system"} for n in names]
        ex.send_json(200, {"object": "list", "data": data})
