"""Pure parts of the history: Debian version order, dpkg state parsing, diffs, redaction."""

from __future__ import annotations

import pytest

from cortex.history.debversion import compare
from cortex.history.diff import diff_states, summarize
from cortex.history.redact import redact, redact_text
from cortex.history.transaction import bound_output
from cortex.packages.dpkg import parse_extended_states, parse_status
from cortex.packages.state import Package, decode_state, encode_state


@pytest.mark.parametrize(
    ("a", "b", "order"),
    [
        ("1.0", "1.0", 0),
        ("1.0", "1.1", -1),
        ("1.10", "1.9", 1),
        ("1.0~rc1", "1.0", -1),
        ("1.0", "1.0+b1", -1),
        ("1:0.1", "2.0", 1),
        ("2.36-9+deb12u7", "2.36-9+deb12u14", -1),
        ("3.03+dfsg2-8", "3.03+dfsg2-8", 0),
        ("1.0-1", "1.0", 1),
        ("1.0a", "1.0", 1),
        ("1.0~~", "1.0~", -1),
        ("0:1.2", "1.2", 0),
    ],
)
def test_debian_version_order(a, b, order):
    result = compare(a, b)
    assert (result > 0) - (result < 0) == order
    reverse = compare(b, a)
    assert (reverse > 0) - (reverse < 0) == -order


STATUS = """\
Package: bash
Essential: yes
Status: install ok installed
Priority: required
Architecture: amd64
Version: 5.2.15-2+b2
Description: GNU Bourne Again SHell
 Bash is an sh-compatible command language interpreter.
 Version: 9.9 (continuation lines are not fields)

Package: oldthing
Status: deinstall ok config-files
Architecture: all
Version: 1.0-1

Package: gone
Status: purge ok not-installed
Architecture: amd64

Package: libc6
Status: install ok installed
Architecture: i386
Version: 2.36-9

Package: half
Status: install reinstreq half-configured
Architecture: amd64
Version: 0.1
"""

EXTENDED = """\
Package: libc6
Architecture: i386
Auto-Installed: 1

Package: bash
Architecture: amd64
Auto-Installed: 0
"""


def test_parse_status_keys_states_and_auto_marks():
    auto = parse_extended_states(EXTENDED, native="amd64")
    state = parse_status(STATUS, native="amd64", auto=auto)
    assert set(state) == {"bash", "oldthing", "libc6:i386", "half"}
    assert state["bash"] == Package("bash", "amd64", "5.2.15-2+b2", "installed", False)
    assert state["libc6:i386"].auto is True
    assert not state["oldthing"].present
    assert state["half"].present and state["half"].status == "half-configured"


def test_state_round_trips_through_the_store_encoding():
    state = parse_status(STATUS, native="amd64", auto=frozenset({"bash"}))
    assert decode_state(encode_state(state), native="amd64").keys() >= {"bash", "oldthing", "half"}


def pkg(name, version, auto=False, status="installed", arch="amd64"):
    return Package(name, arch, version, status, auto)


def test_diff_classifies_every_kind_of_change():
    before = {
        "a": pkg("a", "1.0"),
        "b": pkg("b", "2.0"),
        "c": pkg("c", "3.0"),
        "d": pkg("d", "1.0", auto=True),
        "e": pkg("e", "1.0", status="config-files"),
        "same": pkg("same", "1"),
        "f": pkg("f", "1.0"),
    }
    after = {
        "a": pkg("a", "1.1"),
        "b": pkg("b", "1.9"),
        "d": pkg("d", "1.0", auto=False),
        "e": pkg("e", "1.0"),
        "new": pkg("new", "0.5", auto=True),
        "same": pkg("same", "1"),
        "f": pkg("f", "1.0", status="unpacked"),
    }
    changes = {c.package: c for c in diff_states(before, after)}
    assert {k: c.action for k, c in changes.items()} == {
        "a": "upgraded",
        "b": "downgraded",
        "c": "removed",
        "d": "marked",
        "e": "installed",
        "new": "installed",
        "f": "state",
    }
    assert (changes["a"].old_version, changes["a"].new_version) == ("1.0", "1.1")
    assert changes["c"].old_version == "3.0" and changes["c"].new_version is None
    assert changes["e"].old_status == "config-files"
    assert changes["new"].new_auto is True
    assert summarize(changes.values())["installed"] == 2
    assert "upgraded" in changes["a"].describe() and "1.0 -> 1.1" in changes["a"].describe()


def test_removed_to_config_files_is_a_removal():
    changes = diff_states({"x": pkg("x", "1")}, {"x": pkg("x", "1", status="config-files")})
    assert [(c.action, c.old_version, c.new_status) for c in changes] == [("removed", "1", "config-files")]


@pytest.mark.parametrize(
    "secret",
    [
        "sk-ant-api03-" + "A1b2C3d4" * 6,
        "sk-proj-" + "Zx9Yw8Vu7" * 5,
        "sk-" + "a1B2c3D4e5" * 4,
        "ghp_" + "a1B2c3D4e5" * 4,
    ],
)
def test_provider_keys_are_redacted(secret):
    text = f"install nginx with key {secret} please"
    out = redact_text(text)
    assert secret not in out and "****" in out
    assert out.startswith("install nginx with key")


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("ANTHROPIC_API_KEY=abc123def456 cortex install x", "ANTHROPIC_API_KEY=****"),
        ("export MY_TOKEN='s3cr3t value'", "MY_TOKEN=****"),
        ("password: hunter22", "password: ****"),
        ("--api-key=abcdefgh123", "--api-key=****"),
        ("--token abcdefgh123", "--token ****"),
        ("Authorization: Bearer abcdefghijkl123", "Authorization: ****"),
        ("https://user:pa55word@example.com/x", "https://user:****@example.com/x"),
    ],
)
def test_key_value_secrets_are_redacted(text, kept):
    out = redact_text(text)
    assert kept in out
    assert not any(s in out for s in ("hunter22", "abcdefgh123", "abcdefghijkl123", "pa55word", "s3cr3t"))


def test_long_random_tokens_are_redacted_but_package_output_is_not():
    token = "Q2hhbmdlTWVQbGVhc2UxMjM0NTY3ODkwYWJjZGVm"
    assert token not in redact_text(f"header {token}")
    apt = (
        "Setting up libtext-charwidth-perl:amd64 (0.04-11) ...\n"
        "Get:1 http://deb.debian.org/debian bookworm/main amd64 cowsay all 3.03+dfsg2-8 [21.2 kB]\n"
        "Unpacking linux-image-6.1.0-18-amd64 (6.1.76-1) ...\n"
        "/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30\n"
        "libgstreamer-plugins-bad1.0-0 fonts-noto-color-emoji python3-distutils-extra\n"
    )
    assert redact_text(apt) == apt


def test_environment_keys_are_redacted_whatever_their_shape(monkeypatch):
    monkeypatch.setenv("MOONSHOT_API_KEY", "plainwordsecret")
    doc = redact({"request": "use plainwordsecret now", "nested": ["plainwordsecret"], "api_key": "x"})
    assert doc == {"request": "use **** now", "nested": ["****"], "api_key": "****"}


def test_output_is_bounded_head_and_tail():
    text = "head\n" + "x" * 200_000 + "\ntail"
    out = bound_output(text)
    assert len(out) < 70_000
    assert out.startswith("head") and out.endswith("tail") and "left out" in out


@pytest.mark.parametrize("name", ["dnf", "pacman", "zypper", "apk"])
def test_only_apt_reports_its_package_state(name):
    from cortex.errors import UnsupportedError
    from cortex.history.system import SystemPackages
    from cortex.packages.detect import manager_class

    manager = manager_class(name)()
    with pytest.raises(UnsupportedError, match=f"cannot read {name}'s package state"):
        manager.package_state()
    system = SystemPackages(manager)
    assert system.state() == {} and system.audit() == ""
    assert "finish it, then check" in system.unfinished_hint(then="check")


def test_apt_package_state_is_dpkg_status_through_the_adapter(tmp_path, monkeypatch):
    from cortex.history.system import SystemPackages
    from cortex.packages.apt import AptManager

    (tmp_path / "status").write_text(STATUS)
    (tmp_path / "ext").write_text(EXTENDED)
    monkeypatch.setenv("CORTEX_DPKG_STATUS", str(tmp_path / "status"))
    monkeypatch.setenv("CORTEX_APT_EXTENDED_STATES", str(tmp_path / "ext"))
    system = SystemPackages(AptManager())
    native = AptManager().native_arch()
    assert system.state() == parse_status(STATUS, native=native, auto=parse_extended_states(EXTENDED, native=native))
    assert system.unfinished_hint(then="check") == "dpkg was interrupted: run `sudo dpkg --configure -a`, then check."
