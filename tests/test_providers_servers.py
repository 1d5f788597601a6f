"""The fake servers themselves: their wire format, faults, recording and clean shutdown."""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time

import pytest

from tests.servers.anthropic_server import AnthropicServer
from tests.servers.ollama_server import OllamaModel, OllamaServer
from tests.servers.openai_server import OpenAIServer


def call(url: str, method: str, path: str, body=None, headers=None, timeout=5.0):
    """One request with the stdlib: (status, headers, raw body)."""
    host, port = url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=timeout)
    try:
        payload = json.dumps(body).encode() if body is not None else None
        conn.request(method, path, body=payload, headers={"Content-Type": "application/json", **(headers or {})})
        resp = conn.getresponse()
        return resp.status, dict(resp.getheaders()), resp.read()
    finally:
        conn.close()


def ndjson(raw: bytes) -> list[dict]:
    return [json.loads(line) for line in raw.splitlines() if line.strip()]


def sse(raw: bytes) -> list[tuple[str | None, str]]:
    events = []
    for block in raw.decode().split("\n\n"):
        if not block.strip():
            continue
        name, data = None, ""
        for line in block.splitlines():
            if line.startswith("event: "):
                name = line[7:]
            elif line.startswith("data: "):
                data = line[6:]
        events.append((name, data))
    return events


# -- Ollama native API ---------------------------------------------------------------------------------
def test_ollama_root_version_tags_show_ps(ollama_server):
    url = ollama_server.url
    assert call(url, "GET", "/")[2] == b"Ollama is running"
    assert json.loads(call(url, "GET", "/api/version")[2]) == {"version": "0.12.6"}
    tags = json.loads(call(url, "GET", "/api/tags")[2])["models"]
    assert [m["name"] for m in tags] == ["llama3.2:latest"]
    assert tags[0]["size"] == 2_019_393_189 and tags[0]["details"]["parameter_size"] == "3.2B"
    status, _, raw = call(url, "POST", "/api/show", {"model": "llama3.2"})
    shown = json.loads(raw)
    assert status == 200 and shown["model_info"]["llama.context_length"] == 8192
    assert "completion" in shown["capabilities"]
    status, _, raw = call(url, "POST", "/api/show", {"model": "nope"})
    assert status == 404 and "not found" in json.loads(raw)["error"]
    assert json.loads(call(url, "GET", "/api/ps")[2]) == {"models": []}


def test_ollama_pull_streams_progress_then_lists_the_model(ollama_server):
    status, headers, raw = call(ollama_server.url, "POST", "/api/pull", {"model": "qwen2.5:0.5b"})
    docs = ndjson(raw)
    assert status == 200 and headers["Content-Type"] == "application/x-ndjson"
    assert docs[0] == {"status": "pulling manifest"}
    assert [d["status"] for d in docs[-3:]] == ["verifying sha256 digest", "writing manifest", "success"]
    layers = {d["digest"]: d for d in docs if "digest" in d and "completed" in d}
    assert all(d["completed"] == d["total"] for d in layers.values())
    assert sum(d["total"] for d in layers.values()) == 397_821_319
    names = [m["name"] for m in json.loads(call(ollama_server.url, "GET", "/api/tags")[2])["models"]]
    assert "qwen2.5:0.5b" in names


def test_ollama_pull_not_streamed_and_unknown_model(ollama_server):
    status, _, raw = call(ollama_server.url, "POST", "/api/pull", {"model": "qwen2.5:0.5b", "stream": False})
    assert (status, json.loads(raw)) == (200, {"status": "success"})
    status, _, raw = call(ollama_server.url, "POST", "/api/pull", {"model": "ghost"})
    assert status == 200 and ndjson(raw)[-1] == {"error": "pull model manifest: file does not exist"}
    status, _, raw = call(ollama_server.url, "POST", "/api/pull", {"model": "ghost", "stream": False})
    assert status == 500 and "error" in json.loads(raw)


def test_ollama_pull_cut_midway_resumes_from_received_bytes(ollama_server):
    ollama_server.inject(pull_cut_after=100_000_000)
    with pytest.raises(http.client.IncompleteRead):
        call(ollama_server.url, "POST", "/api/pull", {"model": "qwen2.5:0.5b"})
    docs = ndjson(call(ollama_server.url, "POST", "/api/pull", {"model": "qwen2.5:0.5b"})[2])
    first_layer = next(d for d in docs if "digest" in d)
    assert first_layer["completed"] == 100_000_000  # resumed, not restarted
    assert ollama_server.pull_starts[-1][first_layer["digest"]] == 100_000_000
    assert docs[-1] == {"status": "success"}


def test_ollama_pull_disk_full_error_in_stream(ollama_server):
    ollama_server.inject(pull_error="write /root/.ollama/models/blobs/x-partial: no space left on device")
    docs = ndjson(call(ollama_server.url, "POST", "/api/pull", {"model": "qwen2.5:0.5b"})[2])
    assert "no space left on device" in docs[-1]["error"]


def test_ollama_chat_and_generate_native(ollama_server):
    docs = ndjson(
        call(
            ollama_server.url,
            "POST",
            "/api/chat",
            {"model": "llama3.2", "messages": [{"role": "user", "content": "hi"}]},
        )[2]
    )
    assert "".join(d["message"]["content"] for d in docs) == "Hello! You said: hi"
    final = docs[-1]
    assert final["done"] is True and final["eval_count"] > 0 and final["eval_duration"] > 0
    assert {"load_duration", "prompt_eval_count", "total_duration"} <= set(final)
    schema = {"type": "object", "properties": {"age": {"type": "integer"}}, "required": ["age"]}
    status, _, raw = call(
        ollama_server.url,
        "POST",
        "/api/generate",
        {"model": "llama3.2", "prompt": "age?", "format": schema, "stream": False},
    )
    assert status == 200 and json.loads(json.loads(raw)["response"]) == {"age": 1}
    status, _, raw = call(ollama_server.url, "POST", "/api/chat", {"model": "x", "messages": []})
    assert (status, json.loads(raw)) == (404, {"error": 'model "x" not found, try pulling it first'})
    assert [m["name"] for m in json.loads(call(ollama_server.url, "GET", "/api/ps")[2])["models"]] == [
        "llama3.2:latest"
    ]


# -- OpenAI and Anthropic wire formats -------------------------------------------------------------------
def test_openai_stream_has_usage_chunk_and_done(openai_server):
    body = {
        "model": "m",
        "messages": [{"role": "user", "content": "hi"}],
        "stream": True,
        "stream_options": {"include_usage": True},
    }
    status, _, raw = call(openai_server.url, "POST", "/v1/chat/completions", body, {"Authorization": "Bearer test-key"})
    events = sse(raw)
    assert status == 200 and events[-1] == (None, "[DONE]")
    usage = json.loads(events[-2][1])
    assert usage["choices"] == [] and usage["usage"]["total_tokens"] > 0
    assert call(openai_server.url, "GET", "/v1/models", headers={"Authorization": "Bearer bad"})[0] == 401


def test_anthropic_stream_event_sequence(anthropic_server):
    body = {"model": "m", "max_tokens": 10, "messages": [{"role": "user", "content": "hi"}], "stream": True}
    headers = {"x-api-key": "test-key", "anthropic-version": "2023-06-01"}
    names = [n for n, _ in sse(call(anthropic_server.url, "POST", "/v1/messages", body, headers)[2])]
    assert names[:3] == ["message_start", "content_block_start", "ping"]
    assert names[-4:] == ["content_block_delta", "content_block_stop", "message_delta", "message_stop"]
    status, _, raw = call(anthropic_server.url, "POST", "/v1/messages", body, {"x-api-key": "bad"})
    assert status == 401 and json.loads(raw)["error"]["type"] == "authentication_error"
    assert json.loads(anthropic_server.last.body)["stream"] is True
    status, _, raw = call(anthropic_server.url, "GET", "/v1/models", headers=headers)
    assert status == 200 and json.loads(raw)["data"][0]["type"] == "model"


# -- faults, recording, lifecycle -------------------------------------------------------------------------
def test_faults_apply_in_order_and_by_path(ollama_server):
    ollama_server.inject(status=503, times=2, path="/api/tags")
    assert call(ollama_server.url, "GET", "/api/version")[0] == 200
    assert call(ollama_server.url, "GET", "/api/tags")[0] == 503
    assert call(ollama_server.url, "GET", "/api/tags")[0] == 503
    assert call(ollama_server.url, "GET", "/api/tags")[0] == 200
    ollama_server.inject(malformed=True)
    with pytest.raises(ValueError):
        json.loads(call(ollama_server.url, "GET", "/api/tags")[2])
    ollama_server.inject(drop=True)
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        call(ollama_server.url, "GET", "/api/tags")
    ollama_server.inject(delay=1.0)
    with pytest.raises(TimeoutError):
        call(ollama_server.url, "GET", "/api/tags", timeout=0.2)
    assert [r.path for r in ollama_server.requests][:2] == ["/api/version", "/api/tags"]


def test_slow_start_refuses_then_accepts():
    server = OpenAIServer().start(listen_after=0.3)
    try:
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", server.port), timeout=1).close()
        deadline = time.monotonic() + 5
        while True:
            try:
                socket.create_connection(("127.0.0.1", server.port), timeout=1).close()
                break
            except ConnectionRefusedError:
                assert time.monotonic() < deadline
                time.sleep(0.05)
    finally:
        server.stop()


def test_stop_closes_idle_keepalive_connections_and_threads():
    before = threading.active_count()
    server = AnthropicServer(models=("m",)).start()
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    conn.request("GET", "/nowhere")
    assert conn.getresponse().read()
    server.stop()
    conn.close()
    assert threading.active_count() == before
    server2 = OllamaServer([OllamaModel("a")])
    server2.inject(delay=30)
    server2.start()
    outcome: list[BaseException] = []

    def slow_call() -> None:
        try:
            call(server2.url, "GET", "/api/tags")
        except (OSError, http.client.HTTPException) as exc:
            outcome.append(exc)

    t = threading.Thread(target=slow_call)
    t.start()
    time.sleep(0.1)
    server2.stop()  # interrupts the delay instead of waiting 30 s
    t.join(5)
    assert not t.is_alive() and outcome


def test_start_on_a_chosen_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with OllamaServer([OllamaModel("a")]).start(port=port) as server:
        assert server.url == f"http://127.0.0.1:{port}"
        assert call(server.url, "GET", "/")[2] == b"Ollama is running"
