"""dnf, pacman, zypper, apk adapters: argv, name grammar and dry-run parsing on recorded outputs; detection."""

from __future__ import annotations

from pathlib import Path

import pytest

from cortex.errors import CortexError
from cortex.packages.apk import ApkManager
from cortex.packages.base import parse_size
from cortex.packages.detect import choose_manager, detect_manager, manager_class, parse_os_release
from cortex.packages.dnf import DnfManager
from cortex.packages.pacman import PacmanManager
from cortex.packages.zypper import ZypperManager

FIXTURES = Path(__file__).parent / "fixtures" / "packages"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def test_dnf_argv_and_simulation():
    dnf = DnfManager()
    assert dnf.install_argv(["nginx"]) == ["dnf", "install", "-y", "nginx"]
    assert dnf.simulate_argv(["nginx"]) == ["dnf", "install", "--assumeno", "nginx"]
    assert dnf.remove_argv(["nginx"]) == ["dnf", "remove", "-y", "nginx"]
    sim = dnf.parse_simulation(fixture("dnf_install_assumeno.txt"), returncode=1)
    assert sim.ok, sim.error
    assert [n for n, _ in sim.new] == [
        "nginx",
        "fedora-logos-httpd",
        "nginx-core",
        "nginx-filesystem",
        "perl-Net-SSLeay-with-a-very-long-package-name",
    ]
    assert dict(sim.new)["nginx"] == "1:1.24.0-4.fc39"
    assert sim.upgraded == [("openssl-libs", "", "1:3.1.1-4.fc39")]
    assert sim.download_bytes == int(3.2 * 1024**2) and sim.disk_bytes == int(2.1 * 1024**2)


def test_dnf_missing_package():
    sim = DnfManager().parse_simulation(fixture("dnf_install_missing.txt"), returncode=1)
    assert not sim.ok and sim.error == "No match for argument: nosuchpackage"


def test_dnf_names():
    dnf = DnfManager()
    assert dnf.valid_name("gcc-c++") and dnf.valid_name("@development-tools") and dnf.valid_name("NetworkManager")
    assert not dnf.valid_name("-y") and not dnf.valid_name("a;b")
    assert dnf.parse_query("1.24.0-4.fc39\n", 0) == "1.24.0-4.fc39"
    assert dnf.parse_query("package nginx is not installed\n", 1) is None


def test_pacman_argv_and_simulation():
    pacman = PacmanManager()
    assert pacman.install_argv(["nginx"]) == ["pacman", "-S", "--needed", "--noconfirm", "nginx"]
    assert pacman.simulate_argv(["nginx"])[:4] == ["pacman", "-S", "--needed", "--print"]
    sim = pacman.parse_simulation(fixture("pacman_print.txt"))
    assert sim.ok and sim.new[0] == ("nginx-mainline", "1.25.3-1") and len(sim.new) == 3
    assert sim.download_bytes == 634372 + 23151 + 86315
    bad = pacman.parse_simulation(fixture("pacman_missing.txt"), returncode=1)
    assert not bad.ok and bad.error == "error: target not found: nosuchpackage" and bad.new == []
    assert pacman.parse_query("nginx 1.24.0-1\n", 0) == "1.24.0-1"
    assert pacman.parse_query("error: package 'x' was not found\n", 1) is None
    assert pacman.valid_name("libc++") and not pacman.valid_name(".hidden")


def test_zypper_argv_and_simulation():
    zypper = ZypperManager()
    assert zypper.simulate_argv(["nginx"]) == ["zypper", "--non-interactive", "install", "--dry-run", "nginx"]
    assert zypper.install_argv(["nginx"])[:3] == ["zypper", "--non-interactive", "install"]
    sim = zypper.parse_simulation(fixture("zypper_dry_run.txt"))
    assert sim.ok
    assert [n for n, _ in sim.new] == ["nginx", "nginx-module-geoip", "vim-plugin-nginx"]
    assert sim.upgraded == [("libopenssl3", "", "")]
    assert sim.removed == [("apache2-utils", "")]
    assert sim.download_bytes == int(1.2 * 1024**2) and sim.disk_bytes == int(2.4 * 1024**2)
    bad = zypper.parse_simulation(fixture("zypper_missing.txt"), returncode=104)
    assert not bad.ok and bad.error == "No provider of 'nosuchpackage' found."


def test_apk_argv_and_simulation():
    apk = ApkManager()
    assert apk.simulate_argv(["nginx"]) == ["apk", "add", "--simulate", "--no-progress", "nginx"]
    assert apk.remove_argv(["nginx"])[:2] == ["apk", "del"]
    sim = apk.parse_simulation(fixture("apk_simulate.txt"))
    assert sim.ok
    assert sim.new == [("pcre2", "10.42-r1"), ("nginx", "1.24.0-r15")]
    assert sim.upgraded == [("musl", "1.2.4-r1", "1.2.4-r2")]
    assert sim.removed == [("busybox-extras", "1.36.1-r15")]
    bad = apk.parse_simulation(fixture("apk_missing.txt"), returncode=1)
    assert not bad.ok and bad.error == "ERROR: unable to select packages:"
    assert apk.parse_query("nginx-1.24.0-r15\n", 0) == "1.24.0-r15"
    assert apk.parse_query("", 1) is None


@pytest.mark.parametrize(
    ("number", "unit", "expected"),
    [("1,234", "kB", 1_234_000), ("2.5", "MB", 2_500_000), ("1", "KiB", 1024), ("3", "B", 3), ("7", "", 7)],
)
def test_parse_size(number, unit, expected):
    assert parse_size(number, unit) == expected


def test_parse_os_release():
    text = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n# comment\nID_LIKE="rhel fedora"\nBAD\n'
    assert parse_os_release(text) == {
        "PRETTY_NAME": "Debian GNU/Linux 12 (bookworm)",
        "ID": "debian",
        "ID_LIKE": "rhel fedora",
    }


@pytest.mark.parametrize(
    ("os_release", "path", "expected"),
    [
        ({"ID": "debian"}, {"apt-get"}, "apt"),
        ({"ID": "ubuntu", "ID_LIKE": "debian"}, {"apt-get"}, "apt"),
        ({"ID": "linuxmint", "ID_LIKE": "ubuntu debian"}, {"apt-get"}, "apt"),
        ({"ID": "rocky", "ID_LIKE": "rhel centos fedora"}, {"dnf"}, "dnf"),
        ({"ID": "fedora"}, {"dnf", "apt-get"}, "dnf"),
        ({"ID": "arch"}, {"pacman"}, "pacman"),
        ({"ID": "opensuse-tumbleweed", "ID_LIKE": "opensuse suse"}, {"zypper"}, "zypper"),
        ({"ID": "alpine"}, {"apk"}, "apk"),
        ({"ID": "somethingnew", "ID_LIKE": "arch"}, {"pacman"}, "pacman"),
        ({"ID": "unknown"}, {"zypper"}, "zypper"),  # unknown distro: what is on PATH
        ({"ID": "debian"}, {"dnf"}, "dnf"),  # family says apt but only dnf exists
        ({"ID": "debian"}, set(), None),
    ],
)
def test_choose_manager(os_release, path, expected):
    assert choose_manager(os_release, lambda exe: exe in path) == expected


def test_manager_class_rejects_unknown_names():
    assert manager_class("apt")().name == "apt"
    with pytest.raises(CortexError):
        manager_class("portage")


def test_detect_manager_without_any_manager_on_path(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(CortexError) as exc:
        detect_manager()
    assert exc.value.hint


def test_pacman_sync_info_for_the_index():
    from cortex.packages.archlinux import parse_sync_info

    infos = {i.name: i for i in parse_sync_info(fixture("pacman_si.txt"))}
    assert set(infos) == {"nginx", "glibc", "gimp", "docker", "python-pip", "openbsd-netcat"}
    nginx = infos["nginx"]
    assert nginx.version == "1.24.0-1" and nginx.summary.startswith("Lightweight HTTP server")
    assert nginx.depends[:3] == ("glibc", "pcre2", "zlib") and nginx.origin == "arch/extra"
    assert nginx.installed_size == int(1708.52 * 1024) and nginx.download_size == int(610.30 * 1024)
    assert "glibc" in infos["gimp"].depends  # from a wrapped line
    assert infos["glibc"].depends[0] == "linux-api-headers"  # version constraint dropped
    assert infos["openbsd-netcat"].provides == ("netcat",)
    assert infos["glibc"].rdepends_count == 4


def test_dnf_repoquery_for_the_index():
    from cortex.packages.dnf import parse_repoquery

    infos = {i.name: i for i in parse_repoquery(fixture("dnf_repoquery.txt"))}
    assert infos["nginx"].version == "1:1.24.0-4.fc39"  # the first (latest) record wins
    assert infos["gcc-c++"].summary == "C++ support for GCC" and infos["gimp"].origin == "rpm/updates"


def test_index_on_arch_resolves_arch_aliases(tmp_path):
    from cortex.packages.archlinux import parse_sync_info
    from cortex.packages.index import PackageIndex

    with PackageIndex.from_records(
        parse_sync_info(fixture("pacman_si.txt")), path=tmp_path / "i.sqlite3", manager_name="pacman"
    ) as idx:
        assert idx.resolve_term("pip")[0].name == "python-pip"
        assert idx.resolve_term("netcat")[0].name == "openbsd-netcat"  # through Provides
        assert idx.search("image editor", limit=1)[0].name == "gimp"
