"""apt adapter: argv, name grammar, and `apt-get -s` parsing on recorded outputs."""

from __future__ import annotations

from pathlib import Path

import pytest

from cortex.errors import UsageError
from cortex.packages.apt import AptManager
from cortex.packages.debian import parse_dumpavail, relation_names

FIXTURES = Path(__file__).parent / "fixtures" / "packages"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


@pytest.fixture
def apt() -> AptManager:
    return AptManager()


def test_install_argv_is_noninteractive_and_waits_for_the_lock(apt):
    assert apt.install_argv(["nginx"]) == ["apt-get", "install", "-y", "-o", "DPkg::Lock::Timeout=120", "nginx"]
    assert apt.simulate_argv(["nginx", "curl"]) == ["apt-get", "-s", "install", "nginx", "curl"]
    assert apt.remove_argv(["hello"])[:3] == ["apt-get", "remove", "-y"]


@pytest.mark.parametrize(
    "name", ["nginx", "g++", "python3-pip", "docker.io", "libc6:amd64", "nginx=1.22.1-9+deb12u11", "lib32z1"]
)
def test_valid_debian_names(apt, name):
    assert apt.valid_name(name)


@pytest.mark.parametrize(
    "name", ["", "-y", "--purge", "Nginx", "a", "nginx;rm", "nginx rm", "$(id)", "../x", "nginx=", "x|y", "ngi\nnx"]
)
def test_invalid_debian_names(apt, name):
    assert not apt.valid_name(name)


def test_argv_builders_refuse_options_smuggled_as_names(apt):
    with pytest.raises(UsageError):
        apt.install_argv(["-o", "APT::Get::AllowUnauthenticated=1"])
    with pytest.raises(UsageError):
        apt.install_argv([])


def test_parse_simulation_of_a_fresh_install(apt):
    sim = apt.parse_simulation(fixture("apt_simulate_install.txt"))
    assert sim.ok and not sim.error
    names = [n for n, _ in sim.new]
    assert names == ["libtext-charwidth-perl", "cowsay", "nginx-common", "nginx"]
    assert dict(sim.new)["nginx"] == "1.22.1-9+deb12u11"
    assert sim.upgraded == [] and sim.removed == []


def test_parse_simulation_of_upgrades_and_an_essential_removal(apt):
    sim = apt.parse_simulation(fixture("apt_simulate_upgrade_remove.txt"))
    assert ("openssl", "3.0.19-1~deb12u2", "3.0.22-1~deb12u2") in sim.upgraded
    assert len(sim.upgraded) == 3
    assert sim.removed == [("coreutils", "9.1-1")]
    assert sim.essential_removed == ["coreutils"]
    assert sim.to_dict()["removed"] == [{"name": "coreutils", "version": "9.1-1"}]


def test_parse_simulation_of_an_unknown_package(apt):
    sim = apt.parse_simulation(fixture("apt_simulate_missing.txt"), returncode=100)
    assert not sim.ok
    assert sim.error == "E: Unable to locate package nonexistentpkg"


def test_parse_sizes_when_apt_prints_them(apt):
    text = (
        "Need to get 1,234 kB of archives.\n"
        "After this operation, 5,120 kB of additional disk space will be used.\n"
        "Inst hello (2.10-3 Debian:12.5/stable [amd64])\n"
    )
    sim = apt.parse_simulation(text)
    assert sim.download_bytes == 1_234_000 and sim.disk_bytes == 5_120_000
    assert apt.parse_simulation("After this operation, 2 MB disk space will be freed.\n").disk_bytes == -2_000_000


def test_parse_query(apt):
    assert apt.parse_query("ii  1.22.1-9\n", 0) == "1.22.1-9"
    assert apt.parse_query("un  \n", 0) is None
    assert apt.parse_query("rc  1.0-1\n", 0) is None
    assert apt.parse_query("", 1) is None


def test_relation_names():
    assert relation_names("a (>= 1), b | c:any, d [amd64], e:i386 (<< 2)") == ("a", "b", "c", "d", "e")
    assert relation_names("") == ()


def test_parse_dumpavail_fields_and_reverse_dependencies():
    infos = {i.name: i for i in parse_dumpavail(fixture("apt_dumpavail.txt"))}
    nginx = infos["nginx"]
    assert nginx.summary == "small, powerful, scalable web/proxy server"
    assert "httpd" in nginx.provides and nginx.section == "httpd"
    assert nginx.installed_size > 1_000_000 and nginx.download_size > 100_000
    gimp = infos["gimp"]
    assert "role::program" in gimp.tags and "use::editing" in gimp.tags
    assert infos["task-web-server"].section == "tasks" and "apache2" in infos["task-web-server"].depends
    assert infos["libc6"].rdepends_count > 10  # counted within the fixture's packages
    assert infos["transmission-common"].rdepends_count >= 2
