"""apt's Contents in the index: parsing, the commands table, provider ranking, the hook's lookup file."""

from __future__ import annotations

import sqlite3

import pytest

from cortex.errors import RefusedError
from cortex.packages import apt, contents
from cortex.packages.commands import ALTERNATIVE, EXACT
from cortex.packages.index import PackageIndex
from cortex.plan import Step
from cortex.policy import INSTALL, REFRESH, PolicyContext, check
from tests.contents_helpers import write_index


@pytest.fixture
def idx(tmp_path):
    path = write_index(tmp_path / "packages-apt.sqlite3")
    with _open(path) as i:
        yield i


def _open(path):
    from cortex.packages import store

    conn = store.connect_readonly(path)
    return PackageIndex(conn, path, store.read_meta(conn))


def test_parse_lines_keeps_executables_and_splits_package_lists():
    lines = [
        "usr/bin/dig                                             net/bind9-dnsutils\n",
        "usr/share/doc/bind9-dnsutils/changelog.gz               net/bind9-dnsutils\n",
        "bin/ss                                                  net/iproute2\n",
        "usr/lib/postgresql/15/bin/pg_ctl                        database/postgresql-15\n",
        "usr/games/sl                                            games/sl\n",
        "usr/bin/bison                                           devel/bison,devel/bison++\n",
        "usr/bin/sub/dir/tool                                    misc/nope\n",
        "usr/sbin/with space                                     admin/spacey\n",
    ]
    rows = list(contents.parse_lines(lines))
    assert ("dig", "usr/bin/dig", "bind9-dnsutils") in rows
    assert ("ss", "bin/ss", "iproute2") in rows
    assert ("pg_ctl", "usr/lib/postgresql/15/bin/pg_ctl", "postgresql-15") in rows
    assert ("sl", "usr/games/sl", "sl") in rows
    assert ("bison", "usr/bin/bison", "bison++") in rows and ("bison", "usr/bin/bison", "bison") in rows
    assert not [r for r in rows if r[2] in ("nope", "bind9-dnsutils") and r[0] != "dig"]
    assert not [r for r in rows if r[2] == "spacey"]  # a name with a space is no command anyone types


def test_exact_name_first_then_alternatives(idx):
    found = idx.command_providers("dig")
    assert [(p.package, p.path, p.match) for p in found] == [("bind9-dnsutils", "/usr/bin/dig", EXACT)]
    convert = idx.command_providers("convert")
    assert [p.package for p in convert] == ["graphicsmagick-imagemagick-compat", "imagemagick-6.q16"]
    assert [p.match for p in convert] == [EXACT, ALTERNATIVE]


def test_vi_lists_several_providers_in_a_fixed_order(idx):
    found = idx.command_providers("vi")
    assert [p.package for p in found] == ["vim-tiny", "vim", "nvi"]  # command_alternatives.yaml order
    assert all(p.match == ALTERNATIVE for p in found)
    assert [p.command for p in found] == ["vim.tiny", "vim.basic", "nvi"]


def test_name_variants_and_paths(idx):
    assert [p.package for p in idx.command_providers("nc")] == ["netcat-openbsd", "netcat-traditional"]
    assert [p.package for p in idx.command_providers("/usr/sbin/mkfs.exfat")] == ["exfatprogs"]
    # merged /usr: the package lists bin/ss, the user asks for /usr/bin/ss
    assert [p.package for p in idx.command_providers("/usr/bin/ss")] == ["iproute2"]
    pg = idx.command_providers("pg_ctl")
    assert pg[0].package == "postgresql-15" and not pg[0].on_path
    assert idx.command_providers("no-such-command") == []


def test_rows_of_packages_not_in_the_archive_are_dropped(idx):
    assert idx.command_providers("gone") == []
    assert idx.has_contents
    assert idx.commands_of("iproute2") == ["ip", "ss"]


def test_lookup_file_is_sorted_and_lists_best_first(tmp_path):
    path = write_index(tmp_path / "packages-apt.sqlite3")
    lines = contents.lookup_path(path).read_bytes().splitlines()
    assert lines == sorted(lines)
    table = dict(line.decode().split("\t") for line in lines)
    assert table["dig"] == "bind9-dnsutils"
    assert table["vi"] == "vim-tiny vim nvi"
    assert table["nc"] == "netcat-openbsd netcat-traditional"
    assert "pg_ctl" not in table  # not on PATH: a shell never finds it there
    assert "gone" not in table


def test_an_index_without_contents_answers_nothing(tmp_path):
    path = tmp_path / "old.sqlite3"
    PackageIndex.from_records([], path=path).close()
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE commands")  # as built before Contents were kept
    conn.commit()
    conn.close()
    with _open(path) as idx:
        assert idx.command_providers("dig") == [] and not idx.has_contents


def test_build_step_keeps_the_previous_rows_when_apt_has_no_contents(tmp_path):
    """A plain `apt-get update` drops the Contents lists: the next build keeps the last ones it read."""
    from cortex.packages import store
    from tests.contents_helpers import PACKAGES

    path = write_index(tmp_path / "packages-apt.sqlite3")

    class NoApt:
        name = "none"  # list_files is never asked: this manager has no Contents

    from cortex.packages.records import info_to_row

    meta = {"manager": "apt", "fingerprint": "x", "count": "1", "built_at": "0"}
    store.write_index(path, [info_to_row(i) for i in PACKAGES], meta, steps=[contents.build_step(NoApt(), path)])
    with _open(path) as idx:
        assert idx.meta["contents_source"] == "previous build"
        assert [p.package for p in idx.command_providers("dig")] == ["bind9-dnsutils"]


def _apt_index_without_contents(path, records, previous=None):
    from cortex.packages import store
    from cortex.packages.records import info_to_row

    class Apt:
        name = "apt"

    meta = {"manager": "apt", "fingerprint": "x", "count": str(len(records)), "built_at": "0"}
    step = contents.build_step(Apt(), previous or path, contents_files=lambda: [])
    store.write_index(path, [info_to_row(i) for i in records], meta, steps=[step])


def test_an_apt_index_never_given_contents_holds_cortexs_table_of_well_known_commands(tmp_path):
    from cortex.packages.records import PackageInfo

    records = [PackageInfo("smartmontools", "7.3-1", "control and monitor storage systems using S.M.A.R.T.")]
    path = tmp_path / "packages-apt.sqlite3"
    _apt_index_without_contents(path, records)
    with _open(path) as idx:
        assert idx.meta["contents_source"] == contents.TABLE and not idx.has_contents  # not apt's Contents
        assert [(p.package, p.path) for p in idx.command_providers("smartctl")] == [
            ("smartmontools", "/usr/sbin/smartctl")
        ]
        assert idx.command_providers("sponge") == []  # moreutils is not in this archive: its row is dropped
    _apt_index_without_contents(path, records)  # rebuilt: the table again, not "previous build"
    with _open(path) as idx:
        assert idx.meta["contents_source"] == contents.TABLE


def test_the_shipped_table_names_commands_on_path_whose_package_is_named_otherwise():
    rows = contents.shipped_rows()
    assert len(rows) > 5000
    names = [name for name, _, _ in rows]
    assert len(names) == len(set(names)) and names == sorted(names)
    for name, path, package in rows:
        assert name != package and path.startswith(contents.PATH_DIRS), (name, path, package)
    table = {name: package for name, _, package in rows}
    assert table["dig"] == "bind9-dnsutils" and table["pdftotext"] == "poppler-utils"


def test_the_refresh_step_passes_the_policy_and_nothing_else_does():
    ctx = PolicyContext(purpose=REFRESH)
    check(Step(tuple(contents.refresh_argv()), "refresh", privileged=True), ctx)
    for argv in (
        ("apt-get", "update", "-o", f"{apt.TARGET}::MetaKey=../../etc/shadow"),
        ("apt-get", "update", "-o", "Dir::Etc::sourcelist=/tmp/evil.list"),
        ("apt-get", "update", "nginx"),
        ("apt-get", "install", "nginx"),
    ):
        with pytest.raises(RefusedError):
            check(Step(argv, "x", privileged=True), ctx)
    with pytest.raises(RefusedError):
        check(Step(tuple(contents.refresh_argv()), "x", privileged=True), PolicyContext(purpose=INSTALL))


def test_a_described_need_that_names_a_command_finds_its_package(idx):
    found = idx.search("something to format a card with mkfs.exfat")
    assert found[0].info.name == "exfatprogs" and found[0].ships == "mkfs.exfat"
    convert = {c.info.name: c.ships for c in idx.search("resize images with the convert command") if c.ships}
    # The command itself and the program Debian's alternatives put behind it (convert-im6.q16).
    assert convert == {"graphicsmagick-imagemagick-compat": "convert", "imagemagick-6.q16": "convert"}
    assert not [c for c in idx.search("a tool to convert images") if c.ships]  # not marked: no signal


def test_without_contents_the_command_signal_is_absent(tmp_path):
    from tests.contents_helpers import PACKAGES

    plain = PackageIndex.from_records(PACKAGES, path=tmp_path / "plain.sqlite3")
    assert not plain.has_contents
    assert all(not c.ships for c in plain.search("I need the dig tool for dns lookups"))
    path = write_index(tmp_path / "old.sqlite3")
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE commands")  # as built before Contents were kept
    conn.commit()
    conn.close()
    with _open(path) as old:
        assert all(not c.ships for c in old.search("I need the dig tool for dns lookups"))


class _Manager:
    name = "apt"

    def valid_name(self, name):
        return bool(name) and not name.startswith("-")

    def install_argv(self, names):
        return ["apt-get", "install", "-y", *names]


def test_the_planner_plans_the_package_that_ships_a_named_command(idx):
    from cortex import plan as P
    from cortex.planner import Planner

    planner = Planner(idx, _Manager())
    # The relevance floor counts the command it ships: its summary alone says nothing of "dig".
    plan = planner.plan("I need the dig tool for dns lookups")
    assert plan.status == P.PLANNED and plan.packages == ("bind9-dnsutils",)
    # "like X" where X is a command and no package: the package that ships it.
    assert planner.plan("a tool to format cards like mkfs.exfat").packages == ("exfatprogs",)
    like = planner.plan("a lookup client like the dig command")
    assert like.packages == ("bind9-dnsutils",)
