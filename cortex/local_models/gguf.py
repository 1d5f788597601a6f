"""A small pure reader for GGUF header metadata: what a model file is, without loading it.

Reads the key/value section and the tensor table of a GGUF file (format versions 2 and 3) and
returns the facts cortex shows and uses: architecture, parameter count, quantization, context
length, the shape numbers the memory estimate needs, and whether a chat template is embedded.
Tensor data is never read. Large arrays (the tokenizer's vocabulary) are skipped, not decoded.
"""

from __future__ import annotations

import mmap
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cortex.local_models.errors import ModelFileError

MAGIC = b"GGUF"

# GGUF value types -> struct format of one scalar; 8 = string, 9 = array.
_SCALARS: dict[int, str] = {0: "B", 1: "b", 2: "H", 3: "h", 4: "I", 5: "i", 6: "f", 7: "?", 10: "Q", 11: "q", 12: "d"}
_STRING, _ARRAY = 8, 9
_U64 = struct.Struct("<Q")

# llama.cpp's `general.file_type` (enum llama_ftype) -> the name users know.
FILE_TYPES: dict[int, str] = {
    0: "F32", 1: "F16", 2: "Q4_0", 3: "Q4_1", 7: "Q8_0", 8: "Q5_0", 9: "Q5_1", 10: "Q2_K",
    11: "Q3_K_S", 12: "Q3_K_M", 13: "Q3_K_L", 14: "Q4_K_S", 15: "Q4_K_M", 16: "Q5_K_S",
    17: "Q5_K_M", 18: "Q6_K", 19: "IQ2_XXS", 20: "IQ2_XS", 21: "Q2_K_S", 22: "IQ3_XS",
    23: "IQ3_XXS", 24: "IQ1_S", 25: "IQ4_NL", 26: "IQ3_S", 27: "IQ3_M", 28: "IQ2_S",
    29: "IQ2_M", 30: "IQ4_XS", 31: "IQ1_M", 32: "BF16", 36: "TQ1_0", 37: "TQ2_0", 38: "MXFP4_MOE",
}  # fmt: skip

# Arrays longer than this are skipped (their length is kept); metadata arrays that matter are short.
_MAX_ARRAY_ITEMS = 64


@dataclass(frozen=True)
class GGUFInfo:
    """Header facts of one GGUF file."""

    path: str
    version: int
    file_size: int
    architecture: str
    name: str
    size_label: str
    parameter_count: int
    quantization: str
    context_length: int
    block_count: int
    embedding_length: int
    head_count: int
    head_count_kv: int
    key_length: int
    value_length: int
    chat_template: str | None
    tensor_count: int

    @property
    def has_chat_template(self) -> bool:
        return bool(self.chat_template)

    @property
    def parameters_label(self) -> str:
        """'270M', '1.5B': the size label from the file, else computed from the tensor table."""
        if self.size_label:
            return self.size_label
        return format_count(self.parameter_count)


def format_count(n: int) -> str:
    if n >= 1_000_000_000:
        return f"{n / 1e9:.1f}B"
    if n >= 1_000_000:
        return f"{n / 1e6:.0f}M"
    return str(n)


class _Cursor:
    """Little-endian reads over a memory map, with a clear error when the file ends early."""

    def __init__(self, buf: mmap.mmap | bytes, path: str) -> None:
        self.buf = buf
        self.pos = 0
        self.path = path

    def unpack(self, fmt: str) -> Any:
        size = struct.calcsize("<" + fmt)
        if self.pos + size > len(self.buf):
            raise _truncated(self.path)
        (value,) = struct.unpack_from("<" + fmt, self.buf, self.pos)
        self.pos += size
        return value

    def string(self) -> str:
        n = self.unpack("Q")
        end = self.pos + n
        if end > len(self.buf):
            raise _truncated(self.path)
        raw = bytes(self.buf[self.pos : end])
        self.pos = end
        return raw.decode("utf-8", errors="replace")

    def skip_string(self) -> None:
        n = self.unpack("Q")
        self.pos += n
        if self.pos > len(self.buf):
            raise _truncated(self.path)

    def value(self, vtype: int) -> Any:
        if vtype in _SCALARS:
            return self.unpack(_SCALARS[vtype])
        if vtype == _STRING:
            return self.string()
        if vtype == _ARRAY:
            item_type = self.unpack("I")
            count = self.unpack("Q")
            if count > _MAX_ARRAY_ITEMS:
                self._skip_array(item_type, count)
                return _SkippedArray(count)
            return [self.value(item_type) for _ in range(count)]
        raise ModelFileError(f"{self.path}: unknown GGUF value type {vtype}; the file may be corrupt.")

    def _skip_array(self, item_type: int, count: int) -> None:
        if item_type in _SCALARS:
            self.pos += struct.calcsize("<" + _SCALARS[item_type]) * count
            if self.pos > len(self.buf):
                raise _truncated(self.path)
        elif item_type == _STRING:
            buf, pos, unpack = self.buf, self.pos, _U64.unpack_from
            try:
                for _ in range(count):  # a vocabulary: ~260k strings, so keep this loop tight
                    pos += 8 + unpack(buf, pos)[0]
            except struct.error:
                raise _truncated(self.path) from None
            if pos > len(buf):
                raise _truncated(self.path)
            self.pos = pos
        else:
            for _ in range(count):
                self.value(item_type)


@dataclass(frozen=True)
class _SkippedArray:
    count: int


def _truncated(path: str) -> ModelFileError:
    return ModelFileError(f"{path} ends inside its GGUF header: the file is truncated or corrupt.")


def read_metadata(path: str | Path) -> tuple[int, dict[str, Any], list[tuple[str, list[int]]]]:
    """(version, key/value metadata, [(tensor name, dims)]) of a GGUF file."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            if path.stat().st_size < 24:
                raise ModelFileError(f"{path} is too small to be a GGUF model.")
            with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as buf:
                return _parse(buf, str(path))
    except FileNotFoundError:
        raise ModelFileError(f"Model file {path} does not exist.") from None
    except (PermissionError, IsADirectoryError) as exc:
        raise ModelFileError(f"Cannot read model file {path}: {exc.strerror}.") from None


def _parse(buf: mmap.mmap | bytes, path: str) -> tuple[int, dict[str, Any], list[tuple[str, list[int]]]]:
    if bytes(buf[:4]) != MAGIC:
        raise ModelFileError(f"{path} is not a GGUF model file (bad magic).")
    cur = _Cursor(buf, path)
    cur.pos = 4
    version = cur.unpack("I")
    if version not in (2, 3):
        raise ModelFileError(f"{path}: GGUF version {version} is not supported (2 and 3 are).")
    tensor_count = cur.unpack("Q")
    kv_count = cur.unpack("Q")
    meta: dict[str, Any] = {}
    for _ in range(kv_count):
        key = cur.string()
        meta[key] = cur.value(cur.unpack("I"))
    tensors: list[tuple[str, list[int]]] = []
    for _ in range(tensor_count):
        name = cur.string()
        n_dims = cur.unpack("I")
        dims = [cur.unpack("Q") for _ in range(n_dims)]
        cur.unpack("I")  # tensor type
        cur.unpack("Q")  # data offset
        tensors.append((name, dims))
    return version, meta, tensors


def read_info(path: str | Path) -> GGUFInfo:
    """The GGUF header facts of `path` (ModelFileError when it is not a readable GGUF file)."""
    version, meta, tensors = read_metadata(path)
    return info_from_metadata(str(path), Path(path).stat().st_size, version, meta, tensors)


def info_from_metadata(
    path: str, file_size: int, version: int, meta: dict[str, Any], tensors: list[tuple[str, list[int]]]
) -> GGUFInfo:
    """Pure: interpret raw metadata (kept separate so it is testable without a file)."""
    arch = str(meta.get("general.architecture") or "unknown")

    def num(key: str, default: int = 0) -> int:
        value = meta.get(f"{arch}.{key}", default)
        if isinstance(value, list):  # per-layer values (some models): the largest one bounds memory
            value = max(value) if value else default
        return int(value) if isinstance(value, (int, float)) else default

    params = 0
    for _, dims in tensors:
        n = 1
        for d in dims:
            n *= d
        params += n
    head_count = num("attention.head_count")
    embedding = num("embedding_length")
    default_head_dim = embedding // head_count if head_count else 0
    ftype = meta.get("general.file_type")
    template = meta.get("tokenizer.chat_template")
    return GGUFInfo(
        path=path,
        version=version,
        file_size=file_size,
        architecture=arch,
        name=str(meta.get("general.name") or ""),
        size_label=str(meta.get("general.size_label") or ""),
        parameter_count=params,
        quantization=FILE_TYPES.get(ftype, f"type {ftype}") if isinstance(ftype, int) else "unknown",
        context_length=num("context_length"),
        block_count=num("block_count"),
        embedding_length=embedding,
        head_count=head_count,
        head_count_kv=num("attention.head_count_kv", head_count),
        key_length=num("attention.key_length", default_head_dim),
        value_length=num("attention.value_length", default_head_dim),
        chat_template=template if isinstance(template, str) and template.strip() else None,
        tensor_count=len(tensors),
    )
