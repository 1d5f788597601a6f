"""Other systems' names for a package (cortex/packages/foreign_names.py): pure readings, then the
planner against a small index."""

from __future__ import annotations

import pytest

from cortex import plan as P
from cortex.packages.foreign_names import readings
from cortex.planning.split import normalize
from tests.test_planner import Info, planner


def names(term: str) -> list[str]:
    return [r.name for r in readings(term)]


@pytest.mark.parametrize(
    ("term", "first"),
    [
        ("gcc-c++", "g++"),  # dnf's table in aliases.yaml, read backwards
        ("base-devel", "build-essential"),  # pacman's
        ("build-base", "build-essential"),  # apk's
        ("bind-utils", "dig"),
        ("python3-devel", "python3-dev"),  # the -devel suffix
        ("py3-requests", "python3-requests"),  # Alpine's prefix
        ("python-requests", "python3-requests"),  # Arch's
        ("perl-JSON-XS", "libjson-xs-perl"),
        ("rubygem-rake", "ruby-rake"),
        ("VideoLAN.VLC", "vlc"),  # a winget id drops its publisher
        ("MozillaThunderbird", "thunderbird"),  # openSUSE's vendor-led name
    ],
)
def test_another_systems_name_is_read_as_names_to_try_here(term, first):
    assert names(term)[0] == first


def test_the_devel_suffix_also_tries_the_source_packages_development_package():
    found = readings("openssl-devel")
    assert [r.name for r in found] == ["openssl-dev", "libopenssl-dev", "openssl"]
    assert [r.source_dev for r in found] == [False, False, True]
    assert {r.system for r in found} == {"Fedora's and openSUSE's"}


def test_a_winget_id_is_also_said_whole_for_the_table_of_absent_software():
    assert names("Google.Chrome") == ["chrome", "google chrome"]
    assert names("Microsoft.VisualStudioCode")[1:] == ["visual studio code", "microsoft visual studio code"]


@pytest.mark.parametrize("term", ["nginx", "node.js", "a pdf editor", "", "übersetzer"])
def test_names_with_no_other_systems_convention_have_no_reading(term):
    assert readings(term) == []


def test_a_camel_case_name_drops_only_a_known_vendors_word():
    assert names("MozillaThunderbird")[:2] == ["thunderbird", "mozilla thunderbird"]
    assert names("FooBar") == ["foo bar"]  # not "bar": Foo is no vendor


PACKAGES = [
    Info("g++", "GNU C++ compiler"),
    Info("build-essential", "Informational list of build-essential packages"),
    Info("python3-dev", "header files and a static library for Python (default)"),
    Info("thunderbird", "mail/news client with RSS, chat and integrated spam filter support"),
    Info("vlc", "multimedia player and streamer"),
]


@pytest.mark.parametrize(
    ("request_", "package", "system"),
    [
        ("dnf install gcc-c++", "g++", "Fedora's"),
        ("pacman -S base-devel", "build-essential", "Arch Linux's"),
        ("yum install python3-devel", "python3-dev", "Fedora's"),
        ("zypper install MozillaThunderbird", "thunderbird", "openSUSE's"),
        ("winget install VideoLAN.VLC", "vlc", "a winget id's"),
    ],
)
def test_the_planner_plans_the_archives_package_of_another_systems_name_and_says_so(request_, package, system):
    plan = planner(packages=PACKAGES).plan(request_)
    assert plan.status == P.PLANNED and plan.packages == (package,), plan.reason
    assert any(n.startswith("Read ") and system in n and package in n for n in plan.notes), plan.notes


@pytest.mark.parametrize(
    ("request_", "package"),
    [
        ("install gcc-c++ (fedora name)", "g++"),
        ("pacman -S base-devel, but on debian", "build-essential"),
        ("yum install python3-devel - the debian version", "python3-dev"),
        ("apk add build-base (alpine), on debian", "build-essential"),
        ("install gcc-c++ like on fedora", "g++"),
    ],
)
def test_a_remark_that_names_the_system_a_name_is_from_is_dropped(request_, package):
    plan = planner(packages=PACKAGES).plan(request_)
    assert plan.status == P.PLANNED and plan.packages == (package,), plan.reason


@pytest.mark.parametrize(
    ("request_", "normalized"),
    [
        ("install zlib-devel (fedora name)", "zlib-devel"),
        ("firefox (debian)", "firefox"),
        ("install httpd (the red hat name)", "httpd"),  # a system of two words
        ("install vim (the editor)", "vim (the editor)"),  # says what it is, not where the name is from
        ("nginx, but with a gui", "nginx, but with a gui"),
        ("a text editor like on windows notepad", "a text editor like on windows notepad"),
        ("(fedora)", "(fedora)"),
    ],
)
def test_only_an_aside_of_system_words_after_a_name_is_dropped(request_, normalized):
    assert normalize(request_) == normalized


def test_a_windows_managers_install_command_is_an_install():
    plan = planner(packages=PACKAGES).plan("choco install vlc")
    assert plan.status == P.PLANNED and plan.packages == ("vlc",)
    assert planner(packages=PACKAGES).plan("choco uninstall vlc").status == P.REFUSED


def test_a_reading_the_archive_lacks_is_no_plan():
    plan = planner(packages=PACKAGES).plan("dnf install foo-devel")
    assert plan.status != P.PLANNED and not plan.packages
