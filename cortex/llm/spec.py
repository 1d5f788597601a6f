"""What a provider needs, declared once: env keys, settings and their defaults, price source, doctor check.

Built-in providers are rows of cortex/data/providers.yaml (read without importing any provider, so
`cortex config show` and a dry-run install stay fast); a plugin's class carries its own `spec`
(a ProviderSpec) instead. Config (environment variables, defaults, the schema's known keys), doctor
(which check, which key, which URL), routing (`...` in a profile) and pricing read these.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

DOCTOR_CHECKS = ("anthropic-models", "openai-models", "ollama", "embedded", "none")
PRICE_SOURCES = ("table", "free")
ENV_FORMS = ("", "host")


@dataclass(frozen=True)
class EnvVar:
    """An environment variable that sets one of the provider's settings."""

    name: str  # e.g. OLLAMA_HOST
    setting: str  # the key under providers.NAME, e.g. base_url
    form: str = ""  # "host": Ollama's OLLAMA_HOST forms (host, host:port, 0.0.0.0, URL)


@dataclass(frozen=True)
class ProviderSpec:
    name: str
    target: str  # "module:Class" of the implementation
    title: str = ""
    paid: bool = False
    prices: str = "free"  # table | free
    doctor: str = "none"  # see DOCTOR_CHECKS
    env: tuple[EnvVar, ...] = ()
    settings: Mapping[str, Any] = field(default_factory=dict)  # defaults of providers.NAME.*

    @property
    def base_url(self) -> str | None:
        value = self.settings.get("base_url")
        return str(value) if value else None

    @property
    def model(self) -> str | None:
        value = self.settings.get("model")
        return str(value) if value else None

    @property
    def key_env(self) -> str:
        """The variable holding its API key ("" when it needs none)."""
        return next((e.name for e in self.env if e.setting == "api_key"), "")

    def env_for(self, setting: str) -> str:
        """The variable that sets `setting` (the last one, which wins when several are set), or ""."""
        return next((e.name for e in reversed(self.env) if e.setting == setting), "")


def _env(name: str, raw: Any, provider: str) -> EnvVar:
    if isinstance(raw, str):
        return EnvVar(name, raw)
    if isinstance(raw, Mapping) and isinstance(raw.get("setting"), str):
        form = str(raw.get("form") or "")
        if form in ENV_FORMS:
            return EnvVar(name, raw["setting"], form)
    raise ValueError(f"providers.yaml: {provider}.env.{name} must name a setting (or {{setting, form}})")


def parse_spec(name: str, row: Mapping[str, Any]) -> ProviderSpec:
    """One row of providers.yaml -> ProviderSpec; a malformed row is a packaging bug (ValueError)."""
    settings = dict(row.get("settings") or {})
    spec = ProviderSpec(
        name=name,
        target=str(row["class"]),
        title=str(row.get("title") or name),
        paid=bool(row.get("paid", False)),
        prices=str(row.get("prices") or "free"),
        doctor=str(row.get("doctor") or "none"),
        env=tuple(_env(k, v, name) for k, v in (row.get("env") or {}).items()),
        settings=settings,
    )
    if spec.prices not in PRICE_SOURCES or spec.doctor not in DOCTOR_CHECKS or ":" not in spec.target:
        raise ValueError(f"providers.yaml: row {name!r} has an unknown prices, doctor or class value")
    for var in spec.env:
        if var.setting not in settings:
            raise ValueError(f"providers.yaml: {name}.env.{var.name} sets {var.setting!r}, which it does not declare")
    return spec


@lru_cache(maxsize=1)
def builtin_specs() -> dict[str, ProviderSpec]:
    """The built-in providers, in their declared order (the order `...` expands to in routing)."""
    from cortex import data

    return {name: parse_spec(name, row) for name, row in (data.load("providers.yaml") or {}).items()}


def builtin(name: str) -> ProviderSpec:
    return builtin_specs()[name]


def ollama_base_url() -> str:
    """Ollama's default address, as providers.yaml declares it (the one place it is written)."""
    return str(builtin("ollama").base_url)
