"""Settings with a written precedence, each value reported with its source.

    command-line flags > environment (incl. cortex's own .env) > user config file
    > system config file > built-in defaults (cortex/data/defaults.yaml)

`Settings.resolve(key)` returns `(value, source)`; `cortex config show` prints every effective value
that way, secrets redacted. A `.env` in the current directory is read only when asked for
(`--env-file .env`): an untrusted directory must not be able to redirect cortex to another server.

Every layer is checked against the schema (cortex.config_schema) when settings load: an unknown key
(with a did-you-mean), a value of the wrong type or out of range is one ConfigError naming the file
(or variable), the key and what was expected. Config and .env files must be UTF-8; a YAML file is
read with a bound on aliases and on its size (cortex.system.yamlio).

Each provider's settings, their defaults and its environment variables are declared in
cortex/data/providers.yaml (cortex.llm.spec); the rest of the defaults are cortex/data/defaults.yaml.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cortex import data, paths
from cortex.errors import ConfigError
from cortex.llm.spec import builtin_specs, ollama_base_url
from cortex.system import yamlio

MAX_FILE_BYTES = 1 << 20  # a config or .env file larger than 1 MiB is not a config file

# cortex's own environment variables -> dotted config key; each provider's come from its spec.
GENERAL_ENV_KEYS: dict[str, str] = {
    "CORTEX_PROVIDER": "provider",
    "CORTEX_ROUTING_PROFILE": "routing.profile",
    "CORTEX_TIMEOUT": "limits.timeout",
    "CORTEX_DAILY_BUDGET_USD": "budget.daily_usd",
}


@lru_cache(maxsize=1)
def env_keys() -> dict[str, str]:
    """Environment variable -> dotted config key. A later name wins over an earlier one for the same key."""
    keys = dict(GENERAL_ENV_KEYS)
    for spec in builtin_specs().values():
        keys.update({var.name: f"providers.{spec.name}.{var.setting}" for var in spec.env})
    return keys


@lru_cache(maxsize=1)
def _host_forms() -> dict[str, str]:
    """Variables in Ollama's OLLAMA_HOST forms -> the default URL their missing parts come from."""
    return {
        var.name: str(spec.base_url or "")
        for spec in builtin_specs().values()
        for var in spec.env
        if var.form == "host"
    }


def __getattr__(name: str) -> Any:
    if name == "ENV_KEYS":  # computed from the providers' specs on first use
        return env_keys()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


SECRET_SUFFIXES = ("api_key", "token", "secret", "password")


def is_secret_key(key: str) -> bool:
    return key.rsplit(".", 1)[-1].endswith(SECRET_SUFFIXES)


def redact(value: Any) -> str:
    """Show that a secret is set without showing it."""
    if value in (None, ""):
        return "(not set)"
    text = str(value)
    return "****" + text[-4:] if len(text) >= 12 else "****"


def normalize_host(value: str, default_url: str) -> str:
    """Accept Ollama's own OLLAMA_HOST forms: `host`, `host:port`, `0.0.0.0`, `http://host:port`;
    the scheme and port that are left out come from `default_url`."""
    value = value.strip().rstrip("/")
    if not value:
        return value
    default = urlsplit(default_url)
    scheme = default.scheme or "http"
    if "://" in value:
        scheme, value = value.split("://", 1)
    host, _, port = value.partition(":")
    if host in ("", "0.0.0.0"):
        host = "127.0.0.1"
    if host == "[::]":
        host = "[::1]"
    return f"{scheme}://{host}:{port or default.port or ''}".rstrip(":")


def normalize_ollama_host(value: str) -> str:
    """OLLAMA_HOST as a URL, its missing parts from Ollama's default address."""
    return normalize_host(value, ollama_base_url())


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


def read_text(path: Path, what: str = "Config file") -> str | None:
    """A config or .env file as text; None when it does not exist. Not UTF-8, too large or unreadable:
    a ConfigError naming the file."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        raise ConfigError(f"Cannot read {what.lower()} {path}: {exc.strerror}.") from None
    except ValueError:  # a NUL byte in the path
        raise ConfigError(f"Cannot read {what.lower()} {path!r}: the path holds a NUL byte.") from None
    if len(data) > MAX_FILE_BYTES:
        raise ConfigError(
            f"{what} {path} is larger than {MAX_FILE_BYTES >> 20} MiB.", hint="Is it the right file? Move it aside."
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ConfigError(
            f"{what} {path} is not UTF-8 text (byte 0x{data[exc.start]:02x} on line {line}).",
            hint="Save it as UTF-8 (e.g. `iconv -f latin1 -t utf-8`), or move it aside.",
        ) from None


def _load_yaml(path: Path) -> dict[str, Any]:
    import yaml

    text = read_text(path)
    if text is None:
        return {}
    try:
        data = yamlio.load(text, untrusted=True)
    except yamlio.TooComplex as exc:
        raise ConfigError(
            f"Config file {path} {exc}.", hint="Write the values out; a config file needs no aliases."
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark else ""
        raise ConfigError(
            f"Config file {path} is not valid YAML{where}.", hint="Fix the YAML, or move the file aside."
        ) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(
            f"Config file {path} must hold a mapping of settings, not {type(data).__name__}.",
            hint="Write `key: value` lines, e.g. `provider: ollama`; see `cortex config show`.",
        )
    return data


@lru_cache(maxsize=1)
def _defaults() -> dict[str, Any]:
    flat = _flatten(data.load("defaults.yaml") or {})
    for spec in builtin_specs().values():
        flat.update(_flatten(spec.settings, f"providers.{spec.name}."))
    return flat


def load_defaults() -> dict[str, Any]:
    """Every built-in default as flat dotted keys: defaults.yaml plus each provider's declared settings."""
    return dict(_defaults())


def _coerce(value: Any, default: Any) -> Any:
    """Strings (from the environment) to the default's type when they parse; anything else unchanged.
    Whether the result is valid is the schema's business (cortex.config_schema)."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if default is None:
        return None if text.lower() in ("", "null", "none") else value
    if isinstance(default, bool):
        lowered = text.lower()
        if lowered in ("1", "true", "yes", "on", "0", "false", "no", "off"):
            return lowered in ("1", "true", "yes", "on")
    elif isinstance(default, (int, float)):
        for convert in (int, float):
            try:
                return convert(text)
            except ValueError:
                continue
    return value


def describe_source(source: str) -> str:
    """A layer's source in words: `config file /x`, `environment variable X`, `X in /y/.env`."""
    kind, _, rest = source.partition(":")
    if kind == "file":
        return f"config file {rest}"
    if kind == "env":
        return f"environment variable {rest}"
    if kind == "env-file":
        path, _, name = rest.rpartition(":")
        return f"{name} in {path}"
    return "the command line" if kind == "flag" else source


def _schema_context() -> Any:
    from cortex import config_schema
    from cortex.llm import registry

    def profiles() -> list[str]:
        from cortex.llm.routing import profile_names

        return profile_names()

    def task_types() -> list[str]:
        from cortex.llm.types import TaskType

        return [t.value for t in TaskType]

    def plugin_settings(name: str) -> list[str] | None:
        declared = registry.spec(name).settings
        return list(declared) if declared else None

    return config_schema.Context(
        is_provider=registry.exists,
        provider_names=registry.names,
        profiles=profiles,
        task_types=task_types,
        provider_settings=plugin_settings,
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
            if dotenv is not None and not dotenv.is_dir():
                text = read_text(dotenv, ".env file")
                if text is not None:
                    layers.extend(_env_layers(parse_dotenv(text), f"env-file:{dotenv}"))
        for path in (config_file or paths.config_file(), system_file or paths.system_config_file()):
            data = _load_yaml(path)
            if data:
                layers.append(Layer(f"file:{path}", _flatten(data)))
        settings = cls(layers=layers, defaults=defaults)
        settings.validate()
        return settings

    def validate(self) -> None:
        """Check every layer against the schema; the first problem found is a ConfigError naming its source."""
        from cortex import config_schema

        context = None
        for layer in self.layers:
            values = {key: _coerce(value, self.defaults.get(key)) for key, value in layer.values.items()}
            context = context or _schema_context()
            found = config_schema.problems(values, self.defaults, context)
            if found:
                where = describe_source(layer.source)
                more = f" ({len(found) - 1} more problem(s) there)" if len(found) > 1 else ""
                raise ConfigError(
                    f"Invalid configuration in {where}: {found[0].message}.{more}",
                    hint=f"Fix or remove `{found[0].key}` there; docs/LLM_INTEGRATION.md (Configuration) "
                    "lists every setting and its type.",
                )

    def resolve(self, key: str) -> tuple[Any, str]:
        """The effective value of a dotted key and where it came from."""
        default = self.defaults.get(key)
        for layer in self.layers:
            if key in layer.values:
                return _coerce(layer.values[key], default), layer.source
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
    keys, host_forms = env_keys(), _host_forms()
    # Later names win for the same key, so walk them in reverse and keep the first seen.
    seen: set[str] = set()
    for name in reversed(list(keys)):
        key = keys[name]
        value = env.get(name)
        if value is None or value == "" or key in seen:
            continue
        seen.add(key)
        if name in host_forms:
            value = normalize_host(value, host_forms[name])
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
