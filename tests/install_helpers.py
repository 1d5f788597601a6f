"""Shared by the install tests: the real apt index, built once per session and copied into each
test's CORTEX_HOME, with package selection routed to no model (claude without a key)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def built_index(tmp_path_factory) -> Path:
    from cortex.packages.apt import AptManager
    from cortex.packages.index import PackageIndex

    path = tmp_path_factory.mktemp("index") / "packages-apt.sqlite3"
    with PackageIndex.open(AptManager(), path=path) as idx:
        if len(idx) < 1000:
            pytest.skip("apt's package lists are nearly empty here (run apt-get update)")
    return path


@pytest.fixture
def home(cortex_home, built_index) -> Path:
    cache = cortex_home / "cache"
    cache.mkdir(exist_ok=True)
    shutil.copy(built_index, cache / built_index.name)
    config = cortex_home / "config"
    config.mkdir(exist_ok=True)
    (config / "config.yaml").write_text("routing:\n  tasks:\n    package_selection: [claude]\n")
    return cortex_home
