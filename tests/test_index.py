"""PackageIndex over a recorded slice of Debian's archive: lookups, aliases, Provides, search, atomicity."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from cortex.errors import StateError
from cortex.packages import store
from cortex.packages.base import PackageManager, Simulation
from cortex.packages.debian import parse_dumpavail
from cortex.packages.index import PackageIndex, default_path
from cortex.packages.records import PackageInfo, info_to_row

FIXTURES = Path(__file__).parent / "fixtures" / "packages"


def records():
    return parse_dumpavail((FIXTURES / "apt_dumpavail.txt").read_text(encoding="utf-8"))


class RecordedApt(PackageManager):
    """An apt whose package lists are the recorded slice; the fingerprint is settable."""

    name = "apt"
    executable = "apt-get"

    def __init__(self, fingerprint: str = "one") -> None:
        self.fingerprint = fingerprint
        self.builds = 0

    def install_argv(self, names):
        return ["apt-get", "install", *names]

    simulate_argv = remove_argv = install_argv

    def query_argv(self, name):
        return ["true"]

    def parse_simulation(self, text, returncode=0):
        return Simulation(True)

    def iter_rows(self):
        self.builds += 1
        return [info_to_row(i) for i in records()]

    def lists_fingerprint(self):
        return self.fingerprint


@pytest.fixture
def idx(tmp_path) -> PackageIndex:
    index = PackageIndex.from_records(records(), path=tmp_path / "idx.sqlite3")
    yield index
    index.close()


def test_get_and_exists(idx):
    info = idx.get("nginx")
    assert info is not None and info.version.startswith("1.22")
    assert idx.exists("redis-server")
    assert not idx.exists("visual-studio-code")
    assert idx.get("nope") is None
    assert set(idx.get_many(["nginx", "nope", "curl"])) == {"nginx", "curl"}


def test_providers_of_a_virtual_package(idx):
    names = [p.name for p in idx.providers("httpd")]
    assert "nginx" in names and "apache2" in names
    assert idx.providers("no-such-virtual") == []


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("nginx", "nginx"),
        ("docker", "docker.io"),  # the alias wins over Debian's unrelated `docker` package
        ("Postgres", "postgresql"),
        ("node.js", "nodejs"),
        ("pip", "python3-pip"),
        ("nvim", "neovim"),
        ("golang", "golang-go"),
        ("docker compose", "docker-compose"),
        ("mail-transport-agent", None),  # a virtual name: resolved through Provides
    ],
)
def test_resolve_term(idx, term, expected):
    found = [p.name for p in idx.resolve_term(term)]
    if expected is None:
        assert {"postfix", "exim4-daemon-light"} <= set(found)
    else:
        assert found[0] == expected


def test_resolve_term_returns_nothing_for_unknown_names(idx):
    assert idx.resolve_term("spotify") == []
    assert idx.resolve_term("   ") == []


def test_suggest_near_names(idx):
    assert "nginx" in idx.suggest("ngnix")
    assert "redis-server" in idx.suggest("redis-srever")
    assert idx.suggest("") == []


def test_search_ranks_programs_named_after_the_request(idx):
    top = [c.name for c in idx.search("redis", limit=3)]
    assert top[0] in ("redis", "redis-server")
    assert "freeradius-redis" not in top


def test_search_prefers_programs_over_libraries(idx):
    top = [c.name for c in idx.search("something to edit PDFs", limit=5)]
    assert not any(n.startswith("lib") for n in top[:2])
    cands = idx.search("an image editor", limit=3)
    assert cands[0].name in ("gimp", "krita", "pinta")
    assert cands[0].reasons and all(isinstance(r, str) for r in cands[0].reasons)


def test_search_uses_task_metapackages(idx):
    top = [c.name for c in idx.search("a web server", limit=5)]
    assert "apache2" in top or "nginx" in top


def test_search_of_stop_words_only_returns_nothing_or_sane(idx):
    assert idx.search("", limit=5) == []
    assert isinstance(idx.search("a tool", limit=5), list)


def test_search_survives_fts_syntax_in_the_request(idx):
    for q in ['"unbalanced', "NEAR(", "a AND OR NOT b", "c++ *", "x:y"]:
        assert isinstance(idx.search(q), list)


def test_open_builds_once_and_rebuilds_when_lists_change(tmp_path):
    pm = RecordedApt("one")
    path = tmp_path / "cache" / "packages-apt.sqlite3"
    with PackageIndex.open(pm, path=path) as first:
        assert first.exists("nginx")
    with PackageIndex.open(pm, path=path):
        pass
    assert pm.builds == 1
    pm.fingerprint = "two"
    with PackageIndex.open(pm, path=path) as rebuilt:
        assert rebuilt.meta["fingerprint"] == "two"
    assert pm.builds == 2
    with PackageIndex.open(RecordedApt("three"), path=path, refresh=False) as stale_ok:
        assert stale_ok.meta["fingerprint"] == "two"


def test_default_path_is_in_the_cache_dir(cortex_home):
    assert default_path("apt") == cortex_home / "cache" / "packages-apt.sqlite3"


def test_a_corrupt_index_is_rebuilt(tmp_path):
    path = tmp_path / "packages-apt.sqlite3"
    path.write_bytes(b"not a database at all" * 100)
    pm = RecordedApt()
    with PackageIndex.open(pm, path=path) as idx:
        assert idx.exists("nginx")
    assert pm.builds == 1


def test_a_failed_build_keeps_the_old_index(tmp_path):
    path = tmp_path / "cache" / "packages-apt.sqlite3"
    path.parent.mkdir()
    PackageIndex.from_records(records(), path=path).close()

    rows = [info_to_row(i) for i in records()]

    def broken():
        yield from rows[:3]
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        store.write_index(path, broken(), {"manager": "apt"})

    def duplicate():
        yield from rows[:3]
        yield rows[0]  # UNIQUE constraint: an sqlite3 error mid-build

    with pytest.raises(StateError):
        store.write_index(path, duplicate(), {"manager": "apt"})
    with PackageIndex.open(RecordedApt(), path=path, refresh=False) as idx:
        assert idx.exists("nginx") and len(idx) > 50
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


def test_with_sizes_fills_what_apt_get_s_does_not_print(idx):
    sim = Simulation(True, new=[("nginx", "1"), ("nginx-common", "1")], removed=[("hello", "1")])
    sized = idx.with_sizes(sim)
    nginx, common, hello = idx.get("nginx"), idx.get("nginx-common"), idx.get("hello")
    assert sized.download_bytes == nginx.download_size + common.download_size
    assert sized.disk_bytes == nginx.installed_size + common.installed_size - hello.installed_size
    printed = Simulation(True, new=[("nginx", "1")], download_bytes=5, disk_bytes=7)
    assert idx.with_sizes(printed) is printed
    failed = Simulation(False, error="E: x")
    assert idx.with_sizes(failed) is failed


def test_concurrent_opens_build_once(tmp_path):
    pm = RecordedApt()
    path = tmp_path / "cache" / "packages-apt.sqlite3"
    errors: list[BaseException] = []

    def worker():
        try:
            with PackageIndex.open(pm, path=path) as idx:
                assert idx.exists("nginx")
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert pm.builds == 1


def test_an_unwritable_cache_dir_is_a_clear_error(tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    with pytest.raises(StateError) as exc:
        PackageIndex.open(RecordedApt(), path=blocker / "packages-apt.sqlite3")
    assert exc.value.hint


def test_other_managers_say_the_index_is_not_supported_yet(tmp_path):
    from cortex.errors import CortexError
    from cortex.packages.zypper import ZypperManager

    with pytest.raises(CortexError, match="not supported for zypper yet"):
        PackageIndex.open(ZypperManager(), path=tmp_path / "packages-zypper.sqlite3")


def test_a_stale_index_is_used_when_rebuilding_fails(tmp_path):
    from cortex.errors import CortexError

    path = tmp_path / "packages-apt.sqlite3"
    with PackageIndex.open(RecordedApt("old"), path=path):
        pass

    class Broken(RecordedApt):
        def iter_rows(self):
            raise CortexError("apt-cache dumpavail failed")

    with PackageIndex.open(Broken("new"), path=path) as idx:
        assert idx.exists("nginx") and idx.meta["stale"] == "1"
    with pytest.raises(CortexError):
        PackageIndex.open(Broken("new"), path=tmp_path / "fresh" / "packages-apt.sqlite3")


def _noisy_archive(described: bool) -> list[PackageInfo]:
    """250 packages whose long descriptions repeat "pdf" in passing, and one PDF figure editor
    whose summary is about the need but whose description does not repeat it."""
    noisy = [
        PackageInfo(
            f"tool{i:03d}",
            "1.0",
            f"utility number {i}",
            "Exports PDF, edits PDF, editing PDF documents: PDF editor, PDF editing, PDF edits, PDF PDF PDF."
            if described
            else "",
            references=50,
        )
        for i in range(250)
    ]
    editor = PackageInfo(
        "figs",
        "1.0",
        "drawing editor for creating figures in PDF or PostScript formats",
        "Draws figures." if described else "",
    )
    return [*noisy, editor]


@pytest.mark.parametrize("described", [True, False])
def test_a_summary_about_the_need_is_retrieved_despite_long_descriptions(tmp_path, described):
    """Long descriptions that mention a word in passing must not crowd the package whose summary is
    about the need out of the candidates."""
    index = PackageIndex.from_records(_noisy_archive(described), path=tmp_path / "idx.sqlite3")
    try:
        assert index.has_descriptions is described
        names = [c.name for c in index.search("something to edit PDFs", limit=3)]
        assert names[0] == "figs", names
    finally:
        index.close()


def test_interleaved_keeps_both_heads_and_each_row_once():
    from cortex.packages.index import _interleaved

    assert _interleaved([(1,), (2,), (3,)], [(9,), (1,)]) == [(1,), (9,), (2,), (3,)]
    assert _interleaved([], [(4,), (5,)]) == [(4,), (5,)]
