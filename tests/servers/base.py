"""A small threaded HTTP/1.1 server core shared by the protocol fakes, with scriptable faults.

Each fake (Anthropic, OpenAI, Ollama) registers routes on a `FakeServer`; the core records every
request, applies queued `Fault`s, writes JSON / SSE / NDJSON responses (streams use chunked
transfer encoding like the real services, so a cut stream is a truncated chunked body) and shuts
down cleanly: live connections are closed and handler threads joined.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True)
class Fault:
    """What to do to one request instead of (or on top of) the normal answer.

    status/headers/body: answer with this HTTP status (body defaults to the protocol's error shape).
    delay: seconds to wait before answering (a slow server, past the client's timeout).
    drop: close the connection without any answer.
    malformed: answer 200 with a body that is not valid JSON.
    cut_after: in a stream, close the connection after this many events (no terminator).
    ignore_schema: "prose" answers text instead of JSON; "invalid" answers JSON that fails the schema.
    stream_error: in a stream, send the protocol's in-stream error event (e.g. Anthropic `overloaded_error`).
    pull_cut_after: Ollama pull: drop the connection once this many bytes (all layers, in order) arrived.
    pull_error: Ollama pull: an in-stream {"error": ...} line after the first progress line (disk full).
    hang: accept the request, then send nothing until the server stops (a wedged server).
    stall_after: in a stream, go silent after this many events, the connection left open.
    trickle: seconds between bytes that never make an answer: a stream sends SSE comment lines
        (keep-alives, no events) forever; a JSON answer sends its body one byte at a time.
    empty: a 200 answer with no text and no tool call.
    no_finish: a 200 answer without a finish / stop reason (a cut-off answer).
    length: the answer stopped at the token limit (finish_reason "length", stop_reason "max_tokens").
    """

    status: int | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    body: Any = None
    delay: float = 0.0
    drop: bool = False
    malformed: bool = False
    cut_after: int | None = None
    ignore_schema: str | None = None
    stream_error: str | None = None
    pull_cut_after: int | None = None
    pull_error: str | None = None
    hang: bool = False
    stall_after: int | None = None
    trickle: float | None = None
    empty: bool = False
    no_finish: bool = False
    length: bool = False


@dataclass
class _QueuedFault:
    fault: Fault
    times: int
    path: str | None


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the server saw it."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-case names
    body: bytes
    json: Any


@dataclass(frozen=True)
class Reply:
    """A scripted model answer: text, tool calls [(name, arguments)], or data for a schema/forced tool."""

    text: str | None = None
    tool_calls: tuple[tuple[str, dict[str, Any]], ...] = ()
    data: Any = None
    input_tokens: int | None = None
    output_tokens: int | None = None


Route = Callable[["Exchange"], None]


class CutStream(Exception):
    """Raised by a stream generator to drop the connection mid-body (a cut download or stream)."""


class Exchange:
    """One request/response: the parsed request, the fault that applies, and response writers."""

    def __init__(self, handler: _Handler, request: RecordedRequest, fault: Fault | None) -> None:
        self.handler = handler
        self.request = request
        self.fault = fault or Fault()
        self.server: FakeServer = handler.server.fake  # type: ignore[attr-defined]

    @property
    def body(self) -> dict[str, Any]:
        return self.request.json if isinstance(self.request.json, dict) else {}

    def send_json(self, status: int, doc: Any, headers: Mapping[str, str] | None = None) -> None:
        payload = json.dumps(doc).encode()
        if self.fault.malformed and status < 400:
            payload = payload[: max(1, len(payload) // 2)] + b"<<garbled"
        self.send_bytes(status, payload, "application/json", headers)

    def send_text(self, status: int, text: str, content_type: str = "text/plain; charset=utf-8") -> None:
        self.send_bytes(status, text.encode(), content_type)

    def send_bytes(
        self, status: int, payload: bytes, content_type: str, headers: Mapping[str, str] | None = None
    ) -> None:
        h = self.handler
        h.send_response(status)
        h.send_header("Content-Type", content_type)
        h.send_header("Content-Length", str(len(payload)))
        for name, value in (headers or {}).items():
            h.send_header(name, value)
        h.end_headers()
        if self.request.method == "HEAD":
            pass
        elif self.fault.trickle and status < 400:
            for i in range(len(payload)):
                h.wfile.write(payload[i : i + 1])
                h.wfile.flush()
                if self.server.stopping.wait(self.fault.trickle):
                    h.abort()
                    return
        else:
            h.wfile.write(payload)
        h.wfile.flush()

    def stream(self, chunks: Iterable[bytes], content_type: str, headers: Mapping[str, str] | None = None) -> None:
        """Write `chunks` as a chunked body; honour `cut_after` by closing without the last chunk."""
        h = self.handler
        h.send_response(200)
        h.send_header("Content-Type", content_type)
        h.send_header("Transfer-Encoding", "chunked")
        h.send_header("Cache-Control", "no-cache")
        for name, value in (headers or {}).items():
            h.send_header(name, value)
        h.end_headers()
        cut, stall = self.fault.cut_after, self.fault.stall_after
        try:
            while self.fault.trickle and not self.server.stopping.wait(self.fault.trickle):
                h.wfile.write(b"3\r\n:\n\n\r\n")  # one SSE comment line: bytes, but never an event
                h.wfile.flush()
            for n, chunk in enumerate(chunks):
                if stall is not None and n >= stall:
                    self.server.stopping.wait()
                if (cut is not None and n >= cut) or self.server.stopping.is_set():
                    raise CutStream
                h.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                h.wfile.flush()
                if self.server.stream_interval and self.server.stopping.wait(self.server.stream_interval):
                    raise CutStream
        except CutStream:
            h.wfile.flush()
            h.abort()
            return
        h.wfile.write(b"0\r\n\r\n")
        h.wfile.flush()

    def sse(self, events: Iterable[tuple[str | None, Any]]) -> None:
        """Server-sent events: (event name or None, data); data "[DONE]" is sent verbatim."""

        def encode() -> Iterable[bytes]:
            for name, data in events:
                text = data if isinstance(data, str) else json.dumps(data)
                prefix = f"event: {name}\n" if name else ""
                yield f"{prefix}data: {text}\n\n".encode()

        self.stream(encode(), "text/event-stream; charset=utf-8")

    def ndjson(self, docs: Iterable[Any]) -> None:
        self.stream((json.dumps(d).encode() + b"\n" for d in docs), "application/x-ndjson")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 10  # an idle keep-alive connection is closed after this many seconds
    # Headers and body go out in separate writes: without TCP_NODELAY, Nagle plus the client's
    # delayed ACK stall every keep-alive response by ~40 ms, which would distort benchmarks.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def abort(self) -> None:
        """Drop the connection: no more bytes, RST if possible."""
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _dispatch(self) -> None:
        fake: FakeServer = self.server.fake  # type: ignore[attr-defined]
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            doc = json.loads(raw) if raw else None
        except ValueError:
            doc = None
        parts = urlsplit(self.path)
        request = RecordedRequest(
            method=self.command,
            path=parts.path,
            query=parse_qs(parts.query),
            headers={k.lower(): v for k, v in self.headers.items()},
            body=raw,
            json=doc,
        )
        fake.record(request)
        fault = fake.take_fault(parts.path)
        exchange = Exchange(self, request, fault)
        if fault is not None:
            if fault.hang:
                fake.stopping.wait()
            if (fault.delay or fault.hang) and fake.stopping.wait(fault.delay):
                self.abort()
                return
            if fault.drop:
                self.abort()
                return
            if fault.status is not None:
                body = fault.body if fault.body is not None else fake.error_body(fault.status, None)
                payload = body.encode() if isinstance(body, str) else json.dumps(body).encode()
                exchange.send_bytes(fault.status, payload, "application/json", fault.headers)
                return
        route = fake.find_route(self.command, parts.path)
        if route is None:
            exchange.send_json(404, fake.error_body(404, f"no route for {self.command} {parts.path}"))
            return
        route(exchange)

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def do_DELETE(self) -> None:
        self._dispatch()

    def do_HEAD(self) -> None:
        self._dispatch()


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, fake: FakeServer, port: int = 0) -> None:
        self.fake = fake
        self._live: set[socket.socket] = set()
        self._handler_threads: list[threading.Thread] = []
        self._live_lock = threading.Lock()
        # Bind now (the port is known at once); listen() may come later for a slow start.
        super().__init__(("127.0.0.1", port), _Handler, bind_and_activate=False)
        self.server_bind()

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._live_lock:
            self._live.add(request)
        t = threading.Thread(target=self.process_request_thread, args=(request, client_address), daemon=True)
        self._handler_threads.append(t)
        t.start()

    def shutdown_request(self, request: Any) -> None:
        with self._live_lock:
            self._live.discard(request)
        super().shutdown_request(request)

    def close_live(self) -> None:
        with self._live_lock:
            live = list(self._live)
        for sock in live:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def join_threads(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        for t in self._handler_threads:
            t.join(max(0.0, deadline - time.monotonic()))


class FakeServer:
    """Base of the protocol fakes: start()/stop(), `url`, recorded `requests`, `inject()` faults, `reply()`."""

    stream_interval: float = 0.0  # seconds between streamed chunks (0: as fast as possible)

    def __init__(self) -> None:
        self._routes: dict[tuple[str, str], Route] = {}
        self._prefix_routes: list[tuple[str, str, Route]] = []
        self._faults: list[_QueuedFault] = []
        self._replies: list[Reply] = []
        self._lock = threading.Lock()
        self.requests: list[RecordedRequest] = []
        self.stopping = threading.Event()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._listen_timer: threading.Timer | None = None

    # -- lifecycle ---------------------------------------------------------------------------------
    def start(self, *, listen_after: float = 0.0, port: int = 0) -> FakeServer:
        """Bind 127.0.0.1 (an ephemeral port unless `port` is given); with `listen_after`, connections
        are refused until that many seconds have passed (a slow start)."""
        self._httpd = _HTTPServer(self, port)
        if listen_after > 0:
            self._listen_timer = threading.Timer(listen_after, self._activate)
            self._listen_timer.daemon = True
            self._listen_timer.start()
        else:
            self._activate()
        return self

    def _activate(self) -> None:
        assert self._httpd is not None
        if self.stopping.is_set():
            return
        self._httpd.server_activate()
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05})
        self._thread.daemon = True
        self._thread.start()

    def stop(self) -> None:
        self.stopping.set()
        if self._listen_timer is not None:
            self._listen_timer.cancel()
            self._listen_timer.join()
        if self._httpd is None:
            return
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join()
        self._httpd.close_live()
        self._httpd.join_threads(5.0)
        self._httpd.server_close()
        self._httpd = None

    def __enter__(self) -> FakeServer:
        return self if self._httpd is not None else self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._httpd is not None, "server not started"
        return self._httpd.server_address[1]

    @property
    def connections(self) -> int:
        """Connections accepted so far: keep-alive reuse shows as fewer connections than requests."""
        assert self._httpd is not None, "server not started"
        return len(self._httpd._handler_threads)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # -- routes --------------------------------------------------------------------------------------
    def route(self, method: str, path: str, fn: Route, *, prefix: bool = False) -> None:
        if prefix:
            self._prefix_routes.append((method, path, fn))
        else:
            self._routes[(method, path)] = fn

    def find_route(self, method: str, path: str) -> Route | None:
        fn = self._routes.get((method, path))
        if fn is None and method == "HEAD":
            fn = self._routes.get(("GET", path))
        if fn is not None:
            return fn
        for m, p, f in self._prefix_routes:
            if m == method and path.startswith(p):
                return f
        return None

    def error_body(self, status: int, message: str | None) -> Any:
        """The protocol's error document for `status`; subclasses override."""
        return {"error": message or f"HTTP {status}"}

    # -- scripting -----------------------------------------------------------------------------------
    def inject(self, fault: Fault | None = None, *, times: int = 1, path: str | None = None, **kw: Any) -> None:
        """Queue a fault for the next `times` requests (only those whose path starts with `path`)."""
        f = replace(fault, **kw) if fault is not None else Fault(**kw)
        with self._lock:
            self._faults.append(_QueuedFault(f, times, path))

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def take_fault(self, path: str) -> Fault | None:
        with self._lock:
            for q in self._faults:
                if q.path is None or path.startswith(q.path):
                    q.times -= 1
                    if q.times <= 0:
                        self._faults.remove(q)
                    return q.fault
        return None

    def reply(self, text: str | None = None, **kw: Any) -> None:
        """Queue a scripted answer for the next model request (text, tool_calls, data, token counts)."""
        if "tool_calls" in kw:
            kw["tool_calls"] = tuple((n, dict(a)) for n, a in kw["tool_calls"])
        with self._lock:
            self._replies.append(Reply(text=text, **kw))

    def next_reply(self) -> Reply | None:
        with self._lock:
            return self._replies.pop(0) if self._replies else None

    def record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    @property
    def last(self) -> RecordedRequest:
        return self.requests[-1]

    def model_requests(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.method == "POST"]
