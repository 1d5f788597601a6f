"""Settings with a written precedence, each value reported with its source.

    command-line flags > environment (incl. cortex's own .env) > user config file
    > system config file > built-in defaults (cortex/data/defaults.yaml)

`Settings.resolve(key)` returns `(value, source)`; `cortex config show` prints every effective value
that way, secrets redacted. A `.env` in the current directory is read only when asked for
(`--env-file .env`): an untrusted directory must not be able to redirect cortex to another server.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from cortex import paths
from cortex.errors import ConfigError
from cortex.system import yamlio

# Environment variable -> dotted config key. Values are coerced to the default's type.
ENV_KEYS: dict[str, str] = {
    "CORTEX_PROVIDER": "provider",
    "CORTEX_ROUTING_PROFILE": "routing.profile",
    "ANTHROPIC_API_KEY": "providers.claude.api_key",
    "ANTHROPIC_BASE_URL": "providers.claude.base_url",
    "CORTEX_CLAUDE_MODEL": "providers.claude.model",
    "MOONSHOT_API_KEY": "providers.kimi.api_key",
    "MOONSHOT_BASE_URL": "providers.kimi.base_url",
    "CORTEX_KIMI_MODEL": "providers.kimi.model",
    "OPENAI_API_KEY": "providers.openai.api_key",
    "OPENAI_BASE_URL": "providers.openai.base_url",
    "OPENAI_MODEL": "providers.openai.model",
    "OLLAMA_HOST": "providers.ollama.base_url",
    "OLLAMA_BASE_URL": "providers.ollama.base_url",  # listed after OLLAMA_HOST: it wins when both are set
    "OLLAMA_MODEL": "providers.ollama.model",
    "CORTEX_LOCAL_MODEL": "providers.local.model_path",
    "CORTEX_TIMEOUT": "limits.timeout",
    "CORTEX_DAILY_BUDGET_USD": "budget.daily_usd",
}

SECRET_SUFFIXES = ("api_key", "token", "secret", "password")


def is_secret_key(key: str) -> bool:
    return key.rsplit(".", 1)[-1].endswith(SECRET_SUFFIXES)


def redact(value: Any) -> str:
    """Show that a secret is set without showing it."""
    if value in (None, ""):
        return "(not set)"
    text = str(value)
    return "****" + text[-4:] if len(text) >= 12 else "****"


def normalize_ollama_host(value: str) -> str:
    """Accept Ollama's own OLLAMA_HOST forms: `host`, `host:port`, `0.0.0.0`, `http://host:port`."""
    value = value.strip().rstrip("/")
    if not value:
        return value
    scheme = "http"
    if "://" in value:
        scheme, value = value.split("://", 1)
    host, _, port = value.partition(":")
    if host in ("", "0.0.0.0"):
        host = "127.0.0.1"
    if host == "[::]":
        host = "[::1]"
    return f"{scheme}://{host}:{port or '11434'}"


def parse_dotenv(text: str) -> dict[str, str]:
    """Minimal .env reader: KEY=VALUE, optional `export`, quotes, # comments."""
    out: dict[str, str] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("export "):
            line = line[7:].lstrip()
        key, sep, value = line.partition("=")
        key = key.strip()
        if not sep or not key.replace("_", "").isalnum():
            continue
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        elif " #" in value:
            value = value.split(" #", 1)[0].rstrip()
        out[key] = value
    return out


@dataclass(frozen=True)
class Layer:
    source: str  # "flag", "env:NAME", "file:/path", "default"
    values: Mapping[str, Any]  # flat: dotted key -> value


def _flatten(tree: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in tree.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, Mapping) and value and not dotted.endswith("routing.tasks"):
            flat.update(_flatten(value, dotted + "."))
        else:
            flat[dotted] = value
    return flat


def _load_yaml(path: Path) -> dict[str, Any]:
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ConfigError(f"Cannot read config file {path}: {exc.strerror}") from None
    try:
        data = yamlio.load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark else ""
        raise ConfigError(f"Config file {path} is not valid YAML{where}.") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"Config file {path} must hold a mapping of settings.")
    return data


def load_defaults() -> dict[str, Any]:

    text = resources.files("cortex.data").joinpath("defaults.yaml").read_text(encoding="utf-8")
    return _flatten(yamlio.load(text))


def _coerce(key: str, value: Any, default: Any, source: str) -> Any:
    """Coerce environment strings to the default's type; reject values of the wrong type."""
    if value is None or default is None:
        if isinstance(value, str) and value.strip().lower() in ("", "null", "none"):
            return None
        return value
    if isinstance(default, bool):
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in ("1", "true", "yes", "on", "0", "false", "no", "off"):
            return value.strip().lower() in ("1", "true", "yes", "on")
    elif isinstance(default, (int, float)):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return value
        try:
            return type(default)(value) if isinstance(default, float) else int(str(value).strip())
        except (TypeError, ValueError):
            try:
                return float(str(value).strip())
            except ValueError:
                pass
    elif isinstance(default, str):
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return str(value)
    elif (isinstance(default, dict) and isinstance(value, dict)) or (
        isinstance(default, list) and isinstance(value, list)
    ):
        return value
    raise ConfigError(
        f"Invalid value for `{key}` from {source}: {value!r} (expected {type(default).__name__}).",
        hint="Fix it in that source, or override it with a flag or environment variable.",
    )


@dataclass
class Settings:
    """Layered settings, highest precedence first. Immutable once built; build a new one to change."""

    layers: list[Layer] = field(default_factory=list)
    defaults: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(
        cls,
        flags: Mapping[str, Any] | None = None,
        env: Mapping[str, str] | None = None,
        env_file: Path | None = None,
        config_file: Path | None = None,
        system_file: Path | None = None,
    ) -> Settings:
        """Build settings from every source. `env_file` adds an explicitly requested .env (e.g. ./.env)."""
        defaults = load_defaults()
        env = dict(os.environ if env is None else env)
        layers: list[Layer] = []
        if flags:
            layers.append(Layer("flag", {k: v for k, v in flags.items() if v is not None}))
        # Real environment beats any .env file; an explicitly named .env beats cortex's own.
        layers.extend(_env_layers(env, "env"))
        for dotenv in (env_file, paths.env_file()):
            if dotenv is not None and dotenv.is_file():
                try:
                    parsed = parse_dotenv(dotenv.read_text(encoding="utf-8"))
                except OSError as exc:
                    raise ConfigError(f"Cannot read {dotenv}: {exc.strerror}") from None
                layers.extend(_env_layers(parsed, f"env-file:{dotenv}"))
        for path in (config_file or paths.config_file(), system_file or paths.system_config_file()):
            data = _load_yaml(path)
            if data:
                layers.append(Layer(f"file:{path}", _flatten(data)))
        settings = cls(layers=layers, defaults=defaults)
        settings._validate()
        return settings

    def _validate(self) -> None:
        for layer in self.layers:
            for key, value in layer.values.items():
                if key in self.defaults:
                    _coerce(key, value, self.defaults[key], layer.source)

    def resolve(self, key: str) -> tuple[Any, str]:
        """The effective value of a dotted key and where it came from."""
        default = self.defaults.get(key)
        for layer in self.layers:
            if key in layer.values:
                return _coerce(key, layer.values[key], default, layer.source), layer.source
        return default, "default"

    def get(self, key: str, default: Any = None) -> Any:
        value, source = self.resolve(key)
        return default if (value is None and source == "default") else value

    def section(self, prefix: str) -> dict[str, Any]:
        """All effective values under `prefix.` as a flat dict without the prefix."""
        pre = prefix.rstrip(".") + "."
        keys = {k for k in self.defaults if k.startswith(pre)}
        for layer in self.layers:
            keys.update(k for k in layer.values if k.startswith(pre))
        return {k[len(pre) :]: self.resolve(k)[0] for k in sorted(keys)}

    def effective(self) -> Iterator[tuple[str, Any, str]]:
        """Every known key as (key, display value, source), secrets redacted."""
        keys = set(self.defaults)
        for layer in self.layers:
            keys.update(layer.values)
        for key in sorted(keys):
            value, source = self.resolve(key)
            yield key, (redact(value) if is_secret_key(key) else value), source

    def with_overrides(self, values: Mapping[str, Any], source: str = "flag") -> Settings:
        return Settings(layers=[Layer(source, dict(values)), *self.layers], defaults=self.defaults)


def _env_layers(env: Mapping[str, str], source: str) -> list[Layer]:
    layers: list[Layer] = []
    # Later names in ENV_KEYS win for the same key, so walk them in reverse and keep the first seen.
    seen: set[str] = set()
    for name in reversed(list(ENV_KEYS)):
        key = ENV_KEYS[name]
        value = env.get(name)
        if value is None or value == "" or key in seen:
            continue
        seen.add(key)
        if name == "OLLAMA_HOST":
            value = normalize_ollama_host(value)
        prefix = "env" if source == "env" else source
        layers.append(Layer(f"{prefix}:{name}", {key: value}))
    return layers


def write_user_config(updates: Mapping[str, Any], path: Path | None = None) -> Path:
    """Merge dotted-key updates into the user config file, atomically and keeping other keys."""
    import yaml

    from cortex.system.files import write_atomic

    path = path or paths.config_file()
    data = _load_yaml(path)
    for dotted, value in updates.items():
        node = data
        parts = dotted.split(".")
        for part in parts[:-1]:
            child = node.get(part)
            if not isinstance(child, dict):
                child = node[part] = {}
            node = child
        node[parts[-1]] = value
    text = yaml.safe_dump(data, sort_keys=False, default_flow_style=False)
    write_atomic(path, text, mode=0o600)
    return path
