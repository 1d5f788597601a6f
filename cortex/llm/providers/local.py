"""The `local` provider: a GGUF model run in-process by llama.cpp (xllamacpp). No key, no server.

The default is the bundled Gemma 3 270M; providers.local.model_path may name another GGUF file or
a model already pulled by Ollama (`ollama:qwen2.5:0.5b`, read from Ollama's store). The model is
loaded on first use and kept for the process. Every call, streamed or not, runs llama.cpp on a
worker thread and hands tokens to the event loop as they are generated; when the caller stops
listening (a timeout, Ctrl-C) the worker stops generating at the next token. JSON schemas become
llama.cpp grammars (schema_mode "grammar"), so an enum answer is always one of its values.
"""

from __future__ import annotations

import asyncio
import importlib.util
import threading
import time
import uuid
from collections.abc import AsyncGenerator, AsyncIterator
from dataclasses import dataclass, replace
from typing import Any

from cortex.errors import ProviderError
from cortex.llm.providers.base import Provider
from cortex.llm.spec import builtin
from cortex.llm.types import ProviderResponse, Request, StreamEvent, Usage
from cortex.local_models.bundled import BUNDLED_NAME
from cortex.local_models.errors import INSTALL_HINT

DEFAULT_N_CTX = 4096


@dataclass(frozen=True)
class _Prepared:
    engine: Any  # cortex.local_models.engine.Engine
    fmt: Any  # cortex.local_models.prompts.PromptFormat
    n_ctx: int


# spec -> prepared engine, shared by every provider instance of the process (models are loaded once).
_prepared: dict[tuple[Any, ...], _Prepared] = {}
_prepared_lock = threading.Lock()


class _Stop(Exception):
    """Raised inside llama.cpp's token callback to stop generating."""


class LocalProvider(Provider):
    spec = builtin("local")
    name = spec.name
    paid = spec.paid
    schema_mode = "grammar"

    @property
    def default_model(self) -> str:
        return str(self.settings.get("model_path") or BUNDLED_NAME)

    @property
    def max_tokens(self) -> int:
        return int(self.settings.get("max_tokens") or 512)

    @property
    def n_ctx(self) -> int:
        return int(self.settings.get("n_ctx") or DEFAULT_N_CTX)

    @property
    def threads(self) -> int:
        from cortex.local_models.engine import default_threads

        return int(self.settings.get("threads") or default_threads())

    def configured(self) -> tuple[bool, str]:
        if importlib.util.find_spec("xllamacpp") is None:
            return False, f"xllamacpp is not installed ({INSTALL_HINT})"
        from cortex.local_models import sources

        try:
            sources.find(self.default_model)
        except ProviderError as exc:
            return False, f"{exc.message} ({exc.hint})" if exc.hint else exc.message
        return True, ""

    def describe(self) -> dict[str, Any]:
        info = super().describe()
        info.update(n_ctx=self.n_ctx, threads=self.threads)
        return info

    # -- loading -------------------------------------------------------------------------------

    async def prepare(self, model: str | None = None) -> None:
        """Assemble and load the model (default: the configured one) off the event loop, before a timer runs."""
        await asyncio.to_thread(self.load, model)

    def load(self, model: str | None = None) -> tuple[_Prepared, bool]:
        """The loaded model for `model` (default: the configured one) and whether this call loaded it.

        Blocking (it may assemble and load a model): call it from a worker thread in async code.
        """
        spec = model or self.default_model
        # Settings as configured (threads unresolved: the load average must not churn the key).
        key = (spec, self.n_ctx, self.settings.get("threads"), self.settings.get("prompt_format"))
        with _prepared_lock:
            ready = _prepared.get(key)
        if ready is not None:
            return ready, False
        from cortex.local_models import gguf, memory, sources
        from cortex.local_models.engine import EngineConfig, get_engine
        from cortex.local_models.prompts import format_for

        source = sources.find(spec)
        path = sources.materialize(source)
        info = gguf.read_info(path)
        n_ctx = min(self.n_ctx, info.context_length) if info.context_length else self.n_ctx
        engine, fresh = get_engine(
            EngineConfig(path, n_ctx, self.threads), before_load=lambda: _discard(memory.check(info, n_ctx))
        )
        ready = _Prepared(
            engine,
            format_for(info.architecture, info.chat_template, self.settings.get("prompt_format")),
            engine.config.n_ctx,
        )
        with _prepared_lock:
            _prepared[key] = ready
        return ready, fresh

    # -- calls ---------------------------------------------------------------------------------

    async def acomplete(self, request: Request) -> ProviderResponse:
        response: ProviderResponse | None = None
        stream = self.astream(request)
        try:
            async for event in stream:
                if event.done:
                    response = event.response
        finally:
            await stream.aclose()
        assert response is not None  # astream always ends with a done event or raises
        return response

    async def astream(self, request: Request) -> AsyncGenerator[StreamEvent, None]:
        tools, plain = bool(request.tools), request.schema is None
        if tools:  # tool calls as one grammar-constrained JSON answer, delivered whole at the end
            from cortex.local_models.tools import tool_schema, with_tools

            request = replace(
                request,
                messages=with_tools(request.messages, request.tools),
                schema=tool_schema(request.tools, request.schema),
                tools=(),
            )
        generation = _Generation(self, request)
        parts: list[str] = []
        try:
            async for text in generation.texts():
                parts.append(text)
                if not tools:
                    yield StreamEvent(text=text)
            model = request.model or self.default_model
            response = _response("".join(parts), model, generation.final, generation.metrics)
            if tools:
                response = _with_tool_calls(response, plain=plain)
                if response.text:
                    yield StreamEvent(text=response.text)
            yield StreamEvent(done=True, response=response)
        finally:
            generation.stop.set()

    def _payload(self, request: Request, ready: _Prepared) -> dict[str, Any]:
        from cortex.local_models.prompts import Sampling, build_payload

        payload = build_payload(request, ready.fmt, Sampling.from_settings(self.settings), stream=True)
        payload["n_predict"] = max(1, min(request.max_tokens or self.max_tokens, ready.n_ctx))
        return payload


def _discard(_: object) -> None:
    """before_load wants nothing back; memory.check raises when the model would not fit."""


class _Generation:
    """llama.cpp generating on a worker thread, its chunks handed to the event loop through a queue.

    Setting `stop` (the caller stopped listening) ends generation at the next token.
    """

    def __init__(self, provider: LocalProvider, request: Request) -> None:
        self.provider = provider
        self.request = request
        self.loop = asyncio.get_running_loop()
        self.queue: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()
        self.stop = threading.Event()
        self.final: dict[str, Any] = {}
        self.metrics: dict[str, float] = {}
        threading.Thread(target=self._work, name="cortex-local-model", daemon=True).start()

    def _post(self, kind: str, item: Any) -> None:
        try:
            self.loop.call_soon_threadsafe(self.queue.put_nowait, (kind, item))
        except RuntimeError:  # the loop is gone: nobody is listening any more
            self.stop.set()

    def _on_chunk(self, chunk: dict[str, Any]) -> None:
        if self.stop.is_set():
            raise _Stop
        self._post("chunk", chunk)

    def _work(self) -> None:
        try:
            started = time.perf_counter()
            ready, fresh = self.provider.load(self.request.model or None)
            self._post("ready", (ready, fresh, time.perf_counter() - started))
            if self.stop.is_set():
                return
            ready.engine.stream(self.provider._payload(self.request, ready), self._on_chunk)
            self._post("end", None)
        except BaseException as exc:  # delivered to the awaiting coroutine, raised there
            self._post("error", exc)

    async def texts(self) -> AsyncIterator[str]:
        """The generated text deltas; `final` and `metrics` are filled in on the way."""
        while True:
            kind, item = await self.queue.get()
            if kind == "error":
                raise item
            if kind == "end":
                return
            if kind == "ready":
                if item[1]:
                    self.metrics["load_s"] = round(item[0].engine.load_s, 4)
                continue
            text, done = _chunk_text(item)
            if done:
                self.final = item
            if text:
                yield text


def _with_tool_calls(response: ProviderResponse, *, plain: bool) -> ProviderResponse:
    from cortex.local_models.tools import parse_answer

    text, calls = parse_answer(response.text, f"call_{uuid.uuid4().hex[:12]}", plain=plain)
    return replace(
        response, text=text, tool_calls=calls, finish_reason="tool_calls" if calls else response.finish_reason
    )


def _chunk_text(chunk: dict[str, Any]) -> tuple[str, bool]:
    """(text delta, is this the final chunk) of one llama.cpp completion chunk."""
    choices = chunk.get("choices") or [{}]
    choice = choices[0] if isinstance(choices[0], dict) else {}
    text = choice.get("text") or chunk.get("content") or ""
    done = bool(choice.get("finish_reason") or chunk.get("stop") or "timings" in chunk)
    return str(text), done


def _response(text: str, model: str, final: dict[str, Any], metrics: dict[str, float]) -> ProviderResponse:
    usage = final.get("usage") or {}
    timings = final.get("timings") or {}
    choices = final.get("choices") or [{}]
    finish = choices[0].get("finish_reason") if isinstance(choices[0], dict) else None
    out = dict(metrics)
    for src, dst, scale in (
        ("prompt_ms", "prompt_s", 1e-3),
        ("prompt_per_second", "prompt_tokens_per_s", 1.0),
        ("predicted_ms", "generation_s", 1e-3),
        ("predicted_per_second", "generation_tokens_per_s", 1.0),
    ):
        if isinstance(timings.get(src), (int, float)):
            out[dst] = round(float(timings[src]) * scale, 4)
    return ProviderResponse(
        text=text,
        model=model,
        usage=Usage(int(usage.get("prompt_tokens") or 0), int(usage.get("completion_tokens") or 0)),
        # The engine returned normally: generation ended (llama.cpp names "length" when it hit n_predict).
        finish_reason=str(finish) if finish else "stop",
        metrics=out,
    )
