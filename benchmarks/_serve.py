"""A fast loopback server for benchmarks, in a child process (its GIL is not the client's).

It answers OpenAI Chat Completions (`POST /v1/chat/completions`) with a fixed, valid response,
keep-alive, one write per response: a chat.completion, or for `"stream": true` the same answer as
server-sent chat.completion.chunk events (role, text, finish reason, usage, `[DONE]`). The protocol-faithful fakes with fault injection live in
tests/servers/; they are built for fidelity, not speed, so timing the client against them would
mostly time them.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing as mp
from collections.abc import Iterator
from contextlib import contextmanager

_BODY = json.dumps(
    {
        "id": "chatcmpl-bench",
        "object": "chat.completion",
        "created": 1700000000,
        "model": "gpt-4o-mini",
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": "pong"}, "finish_reason": "stop", "logprobs": None}
        ],
        "usage": {"prompt_tokens": 5, "completion_tokens": 1, "total_tokens": 6},
    }
).encode()


def _chunk(choices: list[dict], usage: dict | None = None) -> bytes:
    doc = {"id": "chatcmpl-bench", "object": "chat.completion.chunk", "created": 1700000000, "model": "gpt-4o-mini"}
    doc |= {"choices": choices, "usage": usage}
    return b"data: " + json.dumps(doc).encode() + b"\n\n"


_EVENTS = (
    _chunk([{"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": None}])
    + _chunk([{"index": 0, "delta": {"content": "pong"}, "finish_reason": None}])
    + _chunk([{"index": 0, "delta": {}, "finish_reason": "stop"}])
    + _chunk([], {"prompt_tokens": 5, "completion_tokens": 1, "total_tokens": 6})
    + b"data: [DONE]\n\n"
)


def _response(content_type: bytes, body: bytes) -> bytes:
    head = b"HTTP/1.1 200 OK\r\ncontent-type: " + content_type + b"\r\nconnection: keep-alive\r\n"
    return head + f"content-length: {len(body)}\r\n\r\n".encode() + body


_RESPONSE = _response(b"application/json", _BODY)
_STREAM = _response(b"text/event-stream; charset=utf-8", _EVENTS)


async def _handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            body = await reader.readexactly(length) if length else b""
            streamed = b'"stream":true' in body or b'"stream": true' in body
            writer.write(_STREAM if streamed else _RESPONSE)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
        pass
    finally:
        writer.close()


def _child(conn) -> None:  # pragma: no cover - runs in the child
    async def main() -> None:
        server = await asyncio.start_server(_handle, "127.0.0.1", 0, backlog=1024)
        port = server.sockets[0].getsockname()[1]
        conn.send(f"http://127.0.0.1:{port}")
        await asyncio.get_running_loop().run_in_executor(None, conn.recv)
        server.close()

    asyncio.run(main())


@contextmanager
def serve() -> Iterator[str]:
    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=_child, args=(child,), daemon=True)
    proc.start()
    try:
        yield parent.recv()
    finally:
        parent.send("stop")
        proc.join(10)
        if proc.is_alive():
            proc.kill()
