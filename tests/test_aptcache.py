"""apt's binary cache for cortex's read-only apt runs: the pure decisions, then the real apt here."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from cortex import paths
from cortex.packages import aptcache
from cortex.packages.apt import AptManager
from cortex.packages.base import c_locale_env

CACHE = Path("/c/apt")


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["apt-get", "-s", "install", "hello"], True),
        (["apt-get", "--simulate", "install", "hello"], True),
        (["apt-cache", "madison", "hello"], True),
        (["apt-cache", "dumpavail"], True),
        (["apt-get", "install", "-y", "hello"], False),
        (["apt-get", "update"], False),
        (["dpkg-query", "-W", "hello"], False),
        (["apt-mark", "auto", "hello"], False),
        ([], False),
    ],
)
def test_only_runs_that_change_nothing_are_read_only(argv, expected):
    assert aptcache.read_only(argv) is expected


def test_apt_cache_off_points_at_cortex_cache_and_leaves_the_planner_log():
    opts = aptcache.options("", CACHE)
    assert opts == (
        "-o",
        "Dir::Cache::pkgcache=/c/apt/pkgcache.bin",
        "-o",
        "Dir::Cache::srcpkgcache=/c/apt/srcpkgcache.bin",
        "-o",
        "Dir::Log::Planner=",
    )


@pytest.mark.parametrize(("setting", "directory"), [("/var/cache/apt/pkgcache.bin", CACHE), (None, CACHE), ("", None)])
def test_apt_cache_on_unknown_or_no_usable_dir_adds_no_cache(setting, directory):
    assert aptcache.options(setting, directory) == aptcache.NO_PLANNER_LOG


def test_options_go_right_after_the_executable_of_read_only_runs_only():
    extra = aptcache.options("", CACHE)
    assert aptcache.with_options(["apt-get", "-s", "install", "hello"], extra) == [
        "apt-get",
        *extra,
        "-s",
        "install",
        "hello",
    ]
    assert aptcache.with_options(["apt-get", "install", "-y", "hello"], extra) == ["apt-get", "install", "-y", "hello"]


def test_an_unwritable_cache_dir_is_not_used(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert aptcache.usable_dir(blocker / "apt") is None
    assert aptcache.usable_dir(tmp_path / "apt") == tmp_path / "apt"


# -- the real apt on this machine -------------------------------------------------------------------

real = pytest.mark.skipif(shutil.which("apt-config") is None, reason="needs a real apt (Debian/Ubuntu)")
apt_cache_off = pytest.mark.skipif(
    shutil.which("apt-config") is None or aptcache.apt_cache_setting() != "",
    reason="apt's own binary cache is on here: cortex adds none",
)


def plain_simulation(name: str) -> list[str]:
    """`apt-get -s install NAME` under apt's own configuration: the names its Inst lines install."""
    proc = subprocess.run(
        ["apt-get", "-s", "install", name], capture_output=True, text=True, env=c_locale_env(), check=False
    )
    return sorted(line.split()[1] for line in proc.stdout.splitlines() if line.startswith("Inst "))


@real
def test_the_setting_is_read_from_apt_config():
    setting = aptcache.apt_cache_setting()
    assert setting is not None
    out = subprocess.run(["apt-config", "dump"], capture_output=True, text=True, check=True).stdout
    line = next((x for x in out.splitlines() if x.startswith("Dir::Cache::pkgcache ")), None)
    if line is not None:
        assert line == f'Dir::Cache::pkgcache "{setting}";'


@pytest.mark.slow
@apt_cache_off
def test_a_simulation_builds_cortex_cache_and_answers_as_apt_does(cortex_home):
    cache = paths.cache_dir() / "apt"
    if cache.is_symlink():  # the suite's shared cache (tests/conftest.py): this test builds its own
        cache.unlink()
    apt = AptManager()
    first = apt.simulate(["cowsay"])
    assert (cache / "pkgcache.bin").stat().st_size > 0 and (cache / "srcpkgcache.bin").stat().st_size > 0
    again = apt.simulate(["cowsay"])
    assert first.ok and again.ok and first.new == again.new
    assert sorted(n for n, _ in first.new) == plain_simulation("cowsay")


@pytest.mark.slow
@real
def test_a_read_only_run_leaves_the_planner_log_alone(tmp_path):
    """apt's own simulation writes eipp.log.xz into Dir::Log; cortex's does not (a private Dir::Log here,
    so that other apt runs on the machine cannot change what the test sees)."""

    def planner_log_after(argv: list[str]) -> bool:
        logs = tmp_path / str(len(list(tmp_path.iterdir())))
        logs.mkdir()
        run = [argv[0], "-o", f"Dir::Log={logs}", *argv[1:]]
        subprocess.run(run, capture_output=True, env=c_locale_env(), check=True, timeout=300)
        return (logs / "eipp.log.xz").exists()

    argv = ["apt-get", "-s", "install", "cowsay"]
    assert planner_log_after(argv)  # apt's own behaviour: the check below can fail
    assert not planner_log_after(aptcache.for_run(argv))


@pytest.mark.slow
@pytest.mark.root
@apt_cache_off
@pytest.mark.skipif(os.geteuid() != 0, reason="needs root")
def test_the_cache_follows_a_real_install_and_removal():
    """apt rebuilds cortex's cache when dpkg's status changes: a cached simulation never answers stale."""
    apt = AptManager()
    if apt.installed_version("sl"):
        pytest.skip("sl is installed here already")
    assert "sl" in [n for n, _ in apt.simulate(["sl"]).new]  # the cache now holds the status without sl
    env = {**c_locale_env(), "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "install", "-y", "-q", "sl"], capture_output=True, env=env, check=True, timeout=600)
    try:
        assert apt.simulate(["sl"]).new == []
    finally:
        subprocess.run(["apt-get", "purge", "-y", "-q", "sl"], capture_output=True, env=env, check=True, timeout=600)
    assert "sl" in [n for n, _ in apt.simulate(["sl"]).new]
