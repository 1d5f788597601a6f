"""Where a local model comes from: the bundled default, a GGUF path from config, or Ollama's store.

Models Ollama has already pulled are read straight from its model store, without the Ollama
server: a manifest (manifests/<registry>/<namespace>/<name>/<tag>, JSON) lists layers, and the
layer with media type `application/vnd.ollama.image.model` names the blob (blobs/sha256-<hex>)
that is the GGUF file itself. Stores are looked for in $OLLAMA_MODELS, ~/.ollama/models and
/usr/share/ollama/.ollama/models (the Linux service's home).

A model spec (providers.local.model_path, `cortex models test NAME`, a route `local:SPEC`) is one of:
`gemma3-270m` (or empty: the bundled model), `ollama:NAME[:TAG]`, or a path to a .gguf file.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from cortex.errors import NotConfiguredError
from cortex.local_models import bundled
from cortex.local_models.errors import INSTALL_HINT, ModelFileError

MODEL_MEDIA_TYPE = "application/vnd.ollama.image.model"
DEFAULT_REGISTRY = "registry.ollama.ai"
OLLAMA_PREFIX = "ollama:"


@dataclass(frozen=True)
class ModelSource:
    """One usable model file and where it came from."""

    name: str  # how cortex names it: "gemma3-270m", "ollama:qwen2.5:0.5b", or the file path
    origin: str  # "bundled" | "config" | "ollama"
    path: Path | None  # None for the bundled model before its first assembly
    size: int = 0
    sha256: str | None = None  # known digest: bundled SHA256SUMS, Ollama blob name


def ollama_store_dirs(env: dict[str, str] | None = None, home: Path | None = None) -> list[Path]:
    """Candidate Ollama model stores, most specific first, existing ones only, without duplicates."""
    env = dict(os.environ) if env is None else env
    home = Path.home() if home is None else home
    candidates: list[Path] = []
    if env.get("OLLAMA_MODELS"):
        candidates.append(Path(env["OLLAMA_MODELS"]).expanduser())
    candidates += [home / ".ollama" / "models", Path("/usr/share/ollama/.ollama/models")]
    seen: set[Path] = set()
    found: list[Path] = []
    for path in candidates:
        try:
            real = path.resolve()
            if real in seen or not (path / "manifests").is_dir():
                continue
        except OSError:
            continue
        seen.add(real)
        found.append(path)
    return found


def ollama_name(registry: str, namespace: str, model: str, tag: str) -> str:
    """The name Ollama shows: `qwen2.5:0.5b` for the library, `user/model:tag`, `host/ns/model:tag`."""
    if registry == DEFAULT_REGISTRY:
        return f"{model}:{tag}" if namespace == "library" else f"{namespace}/{model}:{tag}"
    return f"{registry}/{namespace}/{model}:{tag}"


def model_blob(manifest: dict, store: Path) -> tuple[Path, int, str] | None:
    """(blob path, size, sha256 hex) of a manifest's model layer; None when it has none."""
    for layer in manifest.get("layers") or ():
        if not isinstance(layer, dict) or layer.get("mediaType") != MODEL_MEDIA_TYPE:
            continue
        digest = str(layer.get("digest") or "")
        algo, _, hexdigest = digest.partition(":")
        if algo != "sha256" or not hexdigest:
            return None
        return store / "blobs" / f"sha256-{hexdigest}", int(layer.get("size") or 0), hexdigest
    return None


def _manifests(store: Path) -> Iterator[tuple[str, Path]]:
    root = store / "manifests"
    for manifest in sorted(root.glob("*/*/*/*")):
        if manifest.is_file():
            registry, namespace, model, tag = manifest.relative_to(root).parts
            yield ollama_name(registry, namespace, model, tag), manifest


def ollama_models(stores: Iterable[Path] | None = None) -> list[ModelSource]:
    """Every GGUF model pulled into the Ollama stores whose blob is present."""
    found: dict[str, ModelSource] = {}
    for store in ollama_store_dirs() if stores is None else stores:
        for name, manifest_path in _manifests(store):
            try:
                manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue  # unreadable or partial manifest: not a usable model
            blob = model_blob(manifest, store) if isinstance(manifest, dict) else None
            if blob is None or not blob[0].is_file():
                continue
            key = OLLAMA_PREFIX + name
            found.setdefault(key, ModelSource(key, "ollama", blob[0], blob[1] or blob[0].stat().st_size, blob[2]))
    return list(found.values())


def bundled_source() -> ModelSource | None:
    """The bundled model when its package is installed (the file may still need assembling)."""
    if not bundled.package_installed():
        return None
    target = bundled.target_path()
    exists = target.is_file()
    return ModelSource(
        bundled.BUNDLED_NAME,
        "bundled",
        target if exists else None,
        target.stat().st_size if exists else 0,
        bundled.expected_sha256(),
    )


def is_bundled_spec(spec: str | None) -> bool:
    return not spec or spec.strip() in (bundled.BUNDLED_NAME, "bundled", "default")


def find(spec: str | None, stores: Iterable[Path] | None = None) -> ModelSource:
    """Resolve a model spec to a source without assembling or loading anything.

    Raises NotConfiguredError (nothing installed) or ModelFileError (a named file that is not there).
    """
    if is_bundled_spec(spec):
        source = bundled_source()
        if source is None:
            raise NotConfiguredError(
                "The embedded model is not installed.", provider="local", model=bundled.BUNDLED_NAME, hint=INSTALL_HINT
            )
        return source
    spec = str(spec).strip()
    if spec.startswith(OLLAMA_PREFIX):
        wanted = spec if ":" in spec[len(OLLAMA_PREFIX) :] else spec + ":latest"
        for source in ollama_models(stores):
            if source.name == wanted:
                return source
        raise ModelFileError(
            f"Ollama model {spec[len(OLLAMA_PREFIX) :]!r} is not in the Ollama model store.",
            provider="local",
            model=spec,
            hint="Pull it with `ollama pull NAME`, or list what is there with `cortex models`.",
        )
    path = Path(spec).expanduser()
    if not path.is_file():
        raise ModelFileError(
            f"Model file {path} does not exist.",
            provider="local",
            model=spec,
            hint="Set providers.local.model_path to a .gguf file (`cortex config set providers.local.model_path PATH`).",
        )
    return ModelSource(str(path), "config", path, path.stat().st_size)


def materialize(source: ModelSource, *, verify: bool = False) -> Path:
    """The file to load: assembles (and verifies) the bundled model on first use."""
    if source.origin == "bundled":
        return bundled.ensure_bundled(verify=verify)
    assert source.path is not None
    if verify and source.sha256:
        bundled.verify_file(source.path, source.sha256)
    return source.path


def available(stores: Iterable[Path] | None = None, configured: str | None = None) -> list[ModelSource]:
    """Everything the local provider could use: the configured file, the bundled model, Ollama's models."""
    out: list[ModelSource] = []
    if configured and not is_bundled_spec(configured) and not configured.startswith(OLLAMA_PREFIX):
        path = Path(configured).expanduser()
        if path.is_file():
            out.append(ModelSource(str(path), "config", path, path.stat().st_size))
    source = bundled_source()
    if source is not None:
        out.append(source)
    out.extend(ollama_models(stores))
    return out
