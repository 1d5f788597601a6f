"""A provider declares what it needs once (cortex/data/providers.yaml, or a plugin's ProviderSpec);
config, doctor, routing, pricing and .env.example agree with that declaration."""

from __future__ import annotations

import importlib
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from cortex import paths
from cortex.config import GENERAL_ENV_KEYS, Settings, env_keys, load_defaults
from cortex.errors import ConfigError
from cortex.llm import registry
from cortex.llm.pricing import load_prices
from cortex.llm.providers.base import Provider
from cortex.llm.routing import chain_for, load_table
from cortex.llm.spec import EnvVar, ProviderSpec, builtin_specs, ollama_base_url, parse_spec
from cortex.llm.types import ProviderResponse, Request, StreamEvent, TaskType

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("name", list(builtin_specs()))
def test_each_builtin_class_carries_its_row(name):
    spec = builtin_specs()[name]
    module, _, attr = spec.target.partition(":")
    cls = getattr(importlib.import_module(module), attr)
    assert registry.get(name) is cls and cls.spec is spec and cls.name == name
    assert getattr(cls, "key_env", "") == spec.key_env
    if name != "openai":  # openai's paid-ness depends on its base URL (a local server is free)
        assert cls.paid is spec.paid


def test_config_reads_env_keys_and_defaults_from_the_specs():
    keys, defaults = env_keys(), load_defaults()
    for spec in builtin_specs().values():
        for var in spec.env:
            assert keys[var.name] == f"providers.{spec.name}.{var.setting}"
        for setting, value in spec.settings.items():
            assert defaults[f"providers.{spec.name}.{setting}"] == value
    assert set(keys) == set(GENERAL_ENV_KEYS) | {v.name for s in builtin_specs().values() for v in s.env}
    assert (
        Settings.load(env={"CORTEX_CLAUDE_MODEL": "claude-opus-4-6"}).get("providers.claude.model") == "claude-opus-4-6"
    )


def test_env_example_lists_exactly_the_known_variables():
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    named = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", text, flags=re.MULTILINE))
    assert named == set(env_keys()) | {"CORTEX_HOME"}
    for spec in builtin_specs().values():
        assert f"# {spec.title}" in text, spec.name


def test_prices_rows_match_the_declared_price_source():
    table = load_prices()
    priced = {name for name, spec in builtin_specs().items() if spec.prices == "table"}
    assert set(table) == priced
    assert all("default" in table[name] for name in priced)


def test_every_profile_tries_every_provider_once():
    names = list(builtin_specs())
    table = load_table()
    for profile in table["profiles"]:
        for task in TaskType:
            chain = [r.provider for r in chain_for(task, profile=profile)]
            assert sorted(chain) == sorted(names), (profile, task)


def test_the_ollama_address_is_written_once():
    assert ollama_base_url() == "http://localhost:11434"
    hits = [str(p) for p in (ROOT / "cortex").rglob("*.py") if "11434" in p.read_text(encoding="utf-8")]
    assert hits == []


def test_malformed_rows_are_refused():
    with pytest.raises(ValueError, match="does not declare"):
        parse_spec("x", {"class": "m:C", "env": {"X_KEY": "api_key"}, "settings": {}})
    with pytest.raises(ValueError, match="unknown prices"):
        parse_spec("x", {"class": "m:C", "doctor": "psychic"})


# ----- adding a provider: one class with a spec, registered like a plugin ----------------------------------


class EchoProvider(Provider):
    spec = ProviderSpec(
        name="echo",
        target="tests.test_provider_specs:EchoProvider",
        env=(EnvVar("ECHO_MODEL", "model"),),
        settings={"model": "echo-1", "base_url": None},
    )
    name = "echo"

    def configured(self) -> tuple[bool, str]:
        return True, ""

    async def acomplete(self, request: Request) -> ProviderResponse:
        raise NotImplementedError

    async def astream(self, request: Request) -> AsyncIterator[StreamEvent]:  # pragma: no cover - not called
        raise NotImplementedError
        yield StreamEvent()


@pytest.fixture
def echo(monkeypatch):
    monkeypatch.setitem(registry._registered, "echo", EchoProvider)
    yield EchoProvider


def test_a_registered_provider_joins_routing_doctor_and_the_schema(echo, capsys):
    assert chain_for(TaskType.USER_CHAT)[-1].provider == "echo"  # `...` takes it in, no routing.yaml edit
    config = paths.config_file()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("provider: echo\nproviders:\n  echo:\n    model: echo-2\n")
    assert Settings.load(env={}).get("providers.echo.model") == "echo-2"
    config.write_text("providers:\n  echo:\n    modle: x\n")
    with pytest.raises(ConfigError, match=r"unknown setting `providers\.echo\.modle`"):
        Settings.load(env={})
    config.unlink()

    from cortex.doctor import run_checks

    checks = {c.name: c for c in run_checks()}
    assert checks["provider echo"].status == "ok" and checks["provider echo"].detail == "configured (not checked)"


def test_spec_helpers():
    ollama = builtin_specs()["ollama"]
    assert ollama.key_env == "" and ollama.env_for("base_url") == "OLLAMA_BASE_URL"
    assert builtin_specs()["claude"].key_env == "ANTHROPIC_API_KEY"
    spec: Any = registry.spec("claude")
    assert spec.doctor == "anthropic-models" and spec.base_url == "https://api.anthropic.com"


def test_one_ollama_client_with_the_declared_default_address():
    from cortex.errors import BadRequestError
    from cortex.llm.providers.ollama import OllamaProvider
    from cortex.ollama.client import OllamaClient
    from cortex.ollama.service import host_env
    from cortex.setup.options import WizardOptions

    assert OllamaClient().base_url == ollama_base_url() == OllamaProvider({"model": "m"}).base_url
    assert WizardOptions().base_url == ollama_base_url() and host_env("http://box") == "box:11434"
    for bad in ("http://h:99999", "http://h:port", "ftp://h", "http://"):
        with pytest.raises(BadRequestError, match="Not an Ollama URL"):
            OllamaClient(bad)
