"""Hermetic tests: a temp CORTEX_HOME, no provider keys from the developer's environment."""

from __future__ import annotations

import os

import pytest

from cortex.config import ENV_KEYS

pytest_plugins = [
    "tests.servers.fixtures",  # the fake Anthropic / OpenAI / Ollama servers
    "tests.install_helpers",  # the real apt index, built once per run (a plugin: an import would build it per module)
]

_EXTRA_ENV = ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "CORTEX_HOME")


@pytest.fixture(scope="session")
def shared_apt_cache(tmp_path_factory):
    """One binary cache of apt's lists for the whole run (cortex/packages/aptcache.py): it is a copy of the
    machine's package lists, not a test's state, and each home building its own would write 70 MB."""
    return tmp_path_factory.mktemp("apt-cache")


@pytest.fixture(autouse=True)
def cortex_home(tmp_path, monkeypatch, shared_apt_cache):
    """Every test gets its own cortex home and an environment without provider settings."""
    for name in (*ENV_KEYS, *_EXTRA_ENV):
        monkeypatch.delenv(name, raising=False)
    home = tmp_path / "cortex-home"
    (home / "cache").mkdir(parents=True)
    (home / "cache" / "apt").symlink_to(shared_apt_cache, target_is_directory=True)
    monkeypatch.setenv("CORTEX_HOME", str(home))
    monkeypatch.setenv("NO_COLOR", "1")
    yield home


@pytest.fixture(autouse=True)
def provider_registry():
    """Providers a test registers (scripted ones, plugins) are gone after it: `...` in routing takes in
    every registered provider, so one left behind would join the next test's chains."""
    from cortex.llm import registry

    saved = dict(registry._registered)
    yield
    registry._registered.clear()
    registry._registered.update(saved)


def is_root() -> bool:
    return os.geteuid() == 0
