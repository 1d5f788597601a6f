"""One implementation of the OpenAI Chat Completions protocol, shared by openai, kimi and ollama.

`OpenAICompatProvider` does the work through the `openai` SDK's AsyncOpenAI (imported lazily, SDK
retries off: the router retries). Subclasses differ only in data: default base URL, the key's env
var, how JSON output is asked for (`schema_mode`), which token-limit parameter the server honours,
and the hints on errors.

    OpenAIProvider   OpenAI, or any OpenAI-compatible server (LM Studio, llama-server, vLLM)
    KimiProvider     (kimi.py)   Moonshot's API
    OllamaProvider   (ollama.py) Ollama's /v1 layer
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator
from functools import cached_property
from typing import Any, ClassVar
from urllib.parse import urlsplit

from cortex.errors import NotConfiguredError, ProviderError
from cortex.llm.providers import sse
from cortex.llm.providers._clients import SDKProvider
from cortex.llm.providers._errors import ErrorContext, bad_response, from_exception, from_status, sdk_stream
from cortex.llm.providers._json import count, fields, items, json_object
from cortex.llm.spec import ProviderSpec, builtin
from cortex.llm.types import Message, ProviderResponse, Request, StreamEvent, Tool, ToolCall, Usage

OPENAI_BASE_URL = str(builtin("openai").base_url)
JSON_INSTRUCTION = "Answer with one JSON value only, no prose and no code fences, valid against this JSON schema:\n"


def to_openai_messages(request: Request, *, schema_instruction: bool = False) -> list[dict[str, Any]]:
    """cortex Messages -> Chat Completions messages (system first; tool results as role=tool)."""
    out: list[dict[str, Any]] = []
    system = request.system
    if schema_instruction and request.schema is not None:
        system = (system + "\n\n" if system else "") + JSON_INSTRUCTION + json.dumps(request.schema)
    if system:
        out.append({"role": "system", "content": system})
    for m in request.conversation:
        out.append(_message(m))
    return out


def _message(m: Message) -> dict[str, Any]:
    if m.role == "tool":
        return {"role": "tool", "tool_call_id": m.tool_call_id or "", "content": m.content}
    doc: dict[str, Any] = {"role": m.role, "content": m.content}
    if m.tool_calls:
        doc["content"] = m.content or None
        doc["tool_calls"] = [
            {"id": c.id, "type": "function", "function": {"name": c.name, "arguments": json.dumps(c.arguments)}}
            for c in m.tool_calls
        ]
    return doc


def to_openai_tools(tools: tuple[Tool, ...]) -> list[dict[str, Any]]:
    return [
        {"type": "function", "function": {"name": t.name, "description": t.description, "parameters": t.parameters}}
        for t in tools
    ]


def parse_arguments(raw: str | None, ctx: ErrorContext) -> dict[str, Any]:
    """A tool call's JSON arguments; a model that sent broken JSON is a bad response."""
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError:
        raise bad_response(ctx, "a tool call's arguments are not valid JSON") from None
    return value if isinstance(value, dict) else {"value": value}


class OpenAICompatProvider(SDKProvider):
    """Chat Completions over the openai SDK; configured through the provider's settings section."""

    spec: ClassVar[ProviderSpec | None] = builtin("openai")
    name: ClassVar[str] = "openai"
    key_env: ClassVar[str] = builtin("openai").key_env
    sdk_module: ClassVar[str] = "openai"
    default_base_url: ClassVar[str] = OPENAI_BASE_URL
    # "response_format": json_schema; "json_object": JSON mode plus the schema in the system prompt.
    schema_mode: ClassVar[str] = "response_format"
    max_tokens_param: ClassVar[str] = "max_tokens"
    stream_usage: ClassVar[bool] = True  # ask for the final usage chunk (stream_options.include_usage)

    # -- configuration ---------------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return str(self.settings.get("base_url") or self.default_base_url).rstrip("/")

    @property
    def api_base_url(self) -> str:
        """Where the Chat Completions API lives (Ollama serves it under /v1 of its root)."""
        return self.base_url

    @property
    def api_key(self) -> str | None:
        key = self.settings.get("api_key")
        return str(key) if key else None

    def configured(self) -> tuple[bool, str]:
        if not self.api_key:
            return False, f"{self.key_env} is not set"
        if not self.default_model:
            return False, f"no model set (providers.{self.name}.model)"
        return True, ""

    def describe(self) -> dict[str, Any]:
        return {**super().describe(), "base_url": self.base_url, "paid": self.paid}

    # -- the request -----------------------------------------------------------------------------------
    def request_params(self, request: Request) -> dict[str, Any]:
        """The Chat Completions body for one request (pure; subclasses adjust it)."""
        json_object = request.schema is not None and self.schema_mode == "json_object"
        params: dict[str, Any] = {
            "model": request.model,
            "messages": to_openai_messages(request, schema_instruction=json_object),
            self.max_tokens_param: request.max_tokens,
        }
        if request.temperature is not None:
            params["temperature"] = request.temperature
        if request.stop:
            params["stop"] = list(request.stop)
        if request.tools:
            params["tools"] = to_openai_tools(request.tools)
        if request.schema is not None:
            if json_object:
                params["response_format"] = {"type": "json_object"}
            else:
                params["response_format"] = {
                    "type": "json_schema",
                    "json_schema": {"name": request.schema_name, "schema": request.schema},
                }
        return params

    def _new_client(self) -> Any:
        if not self.api_key and self.requires_key():
            raise NotConfiguredError(
                f"{self.name}: {self.key_env} is not set.", provider=self.name, model=self.default_model
            )
        import openai

        return openai.AsyncOpenAI(
            api_key=self.api_key or "no-key",  # local servers ignore it; the SDK needs a value
            base_url=self.api_base_url,
            max_retries=0,
            timeout=float(self.settings.get("timeout") or 60.0),
        )

    def requires_key(self) -> bool:
        return True

    # -- one attempt ---------------------------------------------------------------------------------
    async def acomplete(self, request: Request) -> ProviderResponse:
        ctx = self.context(request.model, request.timeout)
        try:
            raw = await self.client().chat.completions.with_raw_response.create(
                **self.request_params(request), timeout=self.sdk_timeout(request, stream=False)
            )
            return self._response(json_object(raw.content, ctx), request, ctx)
        except ProviderError:
            raise
        except Exception as exc:
            raise from_exception(exc, ctx) from None

    def _response(self, completion: dict[str, Any], request: Request, ctx: ErrorContext) -> ProviderResponse:
        choices = items(completion, "choices")
        if not choices:
            raise bad_response(ctx, "the answer has no choices")
        choice = choices[0]
        message = fields(choice, "message")
        calls = tuple(
            ToolCall(
                str(c.get("id") or f"call_{i}"),
                str(fields(c, "function").get("name") or ""),
                parse_arguments(fields(c, "function").get("arguments"), ctx),
            )
            for i, c in enumerate(items(message, "tool_calls"))
        )
        return ProviderResponse(
            text=str(message.get("content") or ""),
            model=str(completion.get("model") or request.model),
            usage=_usage(completion.get("usage")) or Usage(),
            tool_calls=calls,
            finish_reason=str(choice["finish_reason"]) if choice.get("finish_reason") else None,
        )

    def astream(self, request: Request) -> AsyncIterator[StreamEvent]:
        return self._stream(request)

    async def _stream(self, request: Request) -> AsyncIterator[StreamEvent]:
        ctx = self.context(request.model, request.idle_timeout or request.timeout, idle=True)
        params = self.request_params(request)
        params["stream"] = True
        if self.stream_usage:
            params["stream_options"] = {"include_usage": True}
        state = _Chunks(request.model)

        async def open_stream() -> sse.ResponseEvents:
            manager = self.client().chat.completions.with_streaming_response.create(
                **params, timeout=self.sdk_timeout(request, stream=True)
            )
            return sse.ResponseEvents(await manager.__aenter__(), done="[DONE]")

        events = sdk_stream(open_stream, lambda event: StreamEvent(text=state.feed(event, ctx)), ctx)
        async with contextlib.aclosing(events):
            async for event in events:
                yield event  # text or not: a sign of life
        # A stream that ended without a finish reason is judged like such a non-streamed answer: the
        # router's check (failures.unusable) makes it a cut-off answer that falls back.
        response = ProviderResponse("".join(state.text), state.model, state.usage, state.tool_calls(ctx), state.finish)
        yield StreamEvent(done=True, response=response)


def _usage(doc: Any) -> Usage | None:
    if not isinstance(doc, dict):
        return None
    return Usage(count(doc, "prompt_tokens") or 0, count(doc, "completion_tokens") or 0)


class _Chunks:
    """What a Chat Completions stream has said so far."""

    def __init__(self, model: str) -> None:
        self.model = model
        self.text: list[str] = []
        self.calls: dict[int, dict[str, str]] = {}
        self.finish: str | None = None
        self.usage = Usage()

    def feed(self, event: tuple[str, str], ctx: ErrorContext) -> str:
        """Take one event (its type and JSON data); return the text it adds."""
        kind, data = event
        doc = json_object(data, ctx)
        if kind == "error":
            raise from_status(0, {"error": doc}, None, ctx)
        self.model = doc.get("model") or self.model
        self.usage = _usage(doc.get("usage")) or self.usage
        added = []
        for choice in items(doc, "choices"):
            # Moonshot (Kimi) reports a stream's usage in its last choice, not in a chunk of its own.
            self.usage = _usage(choice.get("usage")) or self.usage
            delta = fields(choice, "delta")
            content = delta.get("content")
            if content:
                added.append(str(content))
            for tc in items(delta, "tool_calls"):
                slot = self.calls.setdefault(count(tc, "index") or 0, {"id": "", "name": "", "arguments": ""})
                if tc.get("id"):
                    slot["id"] = str(tc["id"])
                function = fields(tc, "function")
                slot["name"] += str(function.get("name") or "")
                slot["arguments"] += str(function.get("arguments") or "")
            if choice.get("finish_reason"):
                self.finish = str(choice["finish_reason"])
        self.text += added
        return "".join(added)

    def tool_calls(self, ctx: ErrorContext) -> tuple[ToolCall, ...]:
        return tuple(
            ToolCall(s["id"] or f"call_{i}", s["name"], parse_arguments(s["arguments"], ctx))
            for i, s in sorted(self.calls.items())
        )


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


class OpenAIProvider(OpenAICompatProvider):
    """OpenAI itself, or any OpenAI-compatible server when `base_url` points elsewhere.

    Configured when an API key is set, or a non-OpenAI base_url is (local servers need no key).
    Only api.openai.com is paid; LM Studio, llama-server and vLLM cost nothing.
    """

    name = "openai"

    @cached_property
    def official(self) -> bool:
        """Whether this is OpenAI's own API (settings do not change under an instance: computed once)."""
        return _host(self.base_url) == _host(OPENAI_BASE_URL)

    @property
    def paid(self) -> bool:  # type: ignore[override]
        return self.official

    @property
    def max_tokens_param(self) -> str:  # type: ignore[override]
        # OpenAI's newer models accept only max_completion_tokens; compatible servers know max_tokens.
        return "max_completion_tokens" if self.official else "max_tokens"

    def requires_key(self) -> bool:
        return self.official

    def configured(self) -> tuple[bool, str]:
        if not self.default_model:
            return False, "no model set (providers.openai.model / OPENAI_MODEL)"
        if self.official and not self.api_key:
            return False, "OPENAI_API_KEY is not set (or set OPENAI_BASE_URL to a local server)"
        return True, ""

    def not_found_hint(self, model: str) -> str:
        where = "OpenAI" if self.official else f"the server at {self.base_url}"
        return f"{where} has no model {model!r}; set OPENAI_MODEL (list them at {self.base_url}/models)."
