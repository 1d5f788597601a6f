"""Protocol-faithful local HTTP servers (Anthropic, OpenAI-compatible, Ollama) with fault injection.

Fixtures (tests/servers/fixtures.py, loaded by tests/conftest.py): `anthropic_server`,
`openai_server`, `ollama_server`. Or start one yourself: `with OllamaServer([OllamaModel("x")]) as s:`.
Each binds 127.0.0.1 on an ephemeral port (`server.url`) and stops cleanly (connections closed,
handler threads joined).

Scripting answers (the same for every protocol):

    server.reply("text")                                  the next model answer
    server.reply(tool_calls=[("get_weather", {"city": "Oslo"})])
    server.reply(data={"package": "gimp"})                JSON for a schema / forced tool
    server.reply("x", input_tokens=10, output_tokens=2)   usage to report
    (no script: "Hello! You said: <prompt>", or a minimal instance of the requested schema)

Faults, queued for the next `times` requests (optionally only paths starting with `path`):

    server.inject(status=429, headers={"Retry-After": "2"})   any status, optional body/headers
    server.inject(status=529)                                 body: the protocol's error shape
    server.inject(delay=2.0)                                  slow server (past the client's timeout)
    server.inject(drop=True)                                  close the connection, no answer
    server.inject(malformed=True)                             200 with a body that is not JSON
    server.inject(cut_after=3)                                stream: drop after 3 events
    server.inject(ignore_schema="prose" | "invalid")          the model ignores the schema
    server.inject(stream_error="overloaded_error")            Anthropic `event: error` mid-stream;
                                                              OpenAI `data: {"error": ...}` (type: the value)
    server.inject(hang=True)                                  accept, then never answer (until stop)
    server.inject(stall_after=2)                              stream: 2 events, then silence
    server.inject(trickle=1.0)                                bytes every second that never make an answer
    server.inject(empty=True) / inject(no_finish=True)        200 with no text / with no finish reason
    server.inject(length=True)                                stopped at the token limit
    server.inject(pull_cut_after=N) / inject(pull_error="…")  Ollama pull cut / disk-full line
    server.inject(status=503, times=2, path="/api/tags")
    Server().start(listen_after=0.5)                          slow start: connections refused first

Recorded traffic: `server.requests` (method, path, query, headers lower-cased, body, json),
`server.last`, `server.model_requests()`; Ollama also keeps `pull_starts` (resume offsets).
"""
