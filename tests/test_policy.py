"""The policy allows the package manager's own install/simulate/query steps and refuses everything else."""

from __future__ import annotations

import pytest

from cortex.errors import RefusedError
from cortex.plan import Step
from cortex.policy import INSTALL, ROLLBACK, PolicyContext, check, check_all, valid_name

CTX = PolicyContext.for_plan("apt", ["nginx", "curl", "g++"], services=["nginx"])
ROLLBACK_CTX = PolicyContext.for_plan("apt", ["cowsay", "libtext-charwidth-perl"], purpose=ROLLBACK)

ALLOWED = [
    ["apt-get", "install", "-y", "nginx"],
    ["apt-get", "-s", "install", "nginx", "curl"],
    ["apt-get", "install", "-y", "-o", "APT::Status-Fd=3", "-o", "DPkg::Lock::Timeout=60", "g++"],
    ["apt-get", "install", "-y", "-o", "Dpkg::Options::=--force-confold", "nginx"],
    ["sudo", "-n", "apt-get", "install", "-y", "nginx"],
    ["sudo", "-n", "--", "/usr/bin/apt-get", "install", "-y", "nginx"],
    ["dpkg-query", "-W", "-f", "${Status}", "anything-at-all"],
    ["dpkg-query", "-W", "-f=${db:Status-Abbrev} ${Version}\\n", "nginx"],
    ["dpkg-query", "-L", "nginx"],
    ["sudo", "-n", "--preserve-env=DEBIAN_FRONTEND,NEEDRESTART_MODE", "--", "apt-get", "install", "-y", "nginx"],
    ["systemctl", "enable", "--now", "nginx"],
    ["systemctl", "start", "nginx.service"],
]

REFUSED = [
    (["bash", "-c", "apt-get install nginx"], "executable"),
    (["rm", "-rf", "/"], "executable"),
    (["/tmp/apt-get", "install", "nginx"], "executable-path"),
    (["apt-get", "remove", "nginx"], "verb"),
    (["apt-get", "purge", "nginx"], "verb"),
    (["apt-get", "install", "--allow-unauthenticated", "nginx"], "option"),
    (["apt-get", "install", "-o", "Dpkg::Options::=--force-all", "nginx"], "apt-option"),
    (["apt-get", "install", "-o", "Dir::Etc::sourcelist=/tmp/evil", "nginx"], "apt-option"),
    (["apt-get", "install", "-o", "APT::Status-Fd=3;rm", "nginx"], "apt-option"),
    (["apt-get", "install", "./evil.deb"], "operand-path"),
    (["apt-get", "install", "http://evil/x.deb"], "operand-path"),
    (["apt-get", "install", "/tmp/x"], "operand-path"),
    (["apt-get", "install", "Bad_Name"], "package-name"),
    (["apt-get", "install", "wget"], "package-not-planned"),
    (["apt-get", "install", "nginx=1.0"], "pinned-version"),
    (["apt-get", "install"], "operand"),
    (["sudo", "apt-get", "install", "nginx"], "sudo-form"),
    (["sudo", "-n", "rm", "-rf", "/"], "executable"),
    (["sudo", "-n", "--preserve-env=LD_PRELOAD", "--", "apt-get", "install", "nginx"], "sudo-form"),
    (["sudo", "-n", "sudo", "apt-get", "install", "nginx"], "sudo-form"),
    (["systemctl", "stop", "nginx"], "systemctl-verb"),
    (["systemctl", "enable", "ssh"], "systemctl-unit"),
    (["apt-get", "install", "nginx\n"], "control-characters"),
    ([], "empty-argument"),
]


@pytest.mark.parametrize("argv", ALLOWED)
def test_allowed(argv):
    check(Step(tuple(argv)), CTX)


@pytest.mark.parametrize(("argv", "rule"), REFUSED)
def test_refused_names_the_rule(argv, rule):
    with pytest.raises(RefusedError) as info:
        check(Step(tuple(argv)), CTX)
    assert info.value.rule == rule
    assert rule in info.value.message


def test_rollback_allows_remove_purge_and_version_pins_of_named_packages():
    check(Step(("apt-get", "purge", "-y", "cowsay", "libtext-charwidth-perl")), ROLLBACK_CTX)
    check(Step(("apt-get", "remove", "-y", "cowsay")), ROLLBACK_CTX)
    check(Step(("apt-get", "install", "-y", "cowsay=3.03+dfsg2-8")), ROLLBACK_CTX)
    check(Step(("apt-get", "autoremove", "-y")), ROLLBACK_CTX)
    with pytest.raises(RefusedError) as info:
        check(Step(("apt-get", "purge", "-y", "libc6")), ROLLBACK_CTX)
    assert info.value.rule == "package-not-planned"
    with pytest.raises(RefusedError):
        check(Step(("apt-get", "install", "cowsay=1.0;rm")), ROLLBACK_CTX)


def test_check_all_refuses_the_plan_when_one_step_is_bad():
    steps = [Step(("apt-get", "install", "-y", "nginx")), Step(("curl", "http://x"))]
    with pytest.raises(RefusedError):
        check_all(steps, CTX)


@pytest.mark.parametrize(
    ("manager", "argv"),
    [
        ("dnf", ["dnf", "install", "-y", "nginx"]),
        ("pacman", ["pacman", "-S", "--noconfirm", "--needed", "nginx"]),
        ("zypper", ["zypper", "--non-interactive", "install", "nginx"]),
        ("apk", ["apk", "add", "nginx"]),
    ],
)
def test_other_managers(manager, argv):
    ctx = PolicyContext.for_plan(manager, ["nginx"])
    check(Step(tuple(argv)), ctx)
    with pytest.raises(RefusedError):
        check(Step((argv[0], "install", "--nogpgcheck", "nginx")), ctx)


def test_name_grammar():
    assert valid_name("apt", "g++") and valid_name("apt", "python3-pip") and valid_name("apt", "libc6:amd64")
    assert not valid_name("apt", "Python") and not valid_name("apt", "-y") and not valid_name("apt", "a")
    assert valid_name("dnf", "NetworkManager")
    assert INSTALL != ROLLBACK


def test_rollback_mode_allows_marks_and_downgrades_of_named_packages_only():
    """The rollback gate (formerly history.undo.check_step) is the policy's rollback mode."""
    check(Step(("apt-mark", "auto", "libfoo")), PolicyContext.for_plan("apt", ["libfoo"], purpose=ROLLBACK))
    ctx = PolicyContext.for_plan("apt", ["curl"], purpose=ROLLBACK)
    check(Step(("apt-get", "install", "-y", "--allow-downgrades", "curl=7.88-1")), ctx)
    check(Step(("sudo", "-n", "--", "apt-get", "purge", "-y", "cowsay")), ROLLBACK_CTX)
    named = PolicyContext.for_plan("apt", ["libfoo", "cowsay"], purpose=ROLLBACK)
    for argv in (["apt-mark", "hold", "libfoo"], ["apt-mark", "auto", "bash"], ["apt-get", "purge", "-y", "bash"]):
        with pytest.raises(RefusedError):
            check(Step(tuple(argv)), named)
    with pytest.raises(RefusedError) as info:  # neither marks nor downgrades in an install
        check(Step(("apt-mark", "auto", "nginx")), CTX)
    assert info.value.rule == "verb"
    with pytest.raises(RefusedError) as info:
        check(Step(("apt-get", "install", "-y", "--allow-downgrades", "nginx")), CTX)
    assert info.value.rule == "option"


def test_dpkg_is_allowed_only_for_its_two_read_only_questions():
    for argv in (("dpkg", "--print-architecture"), ("dpkg", "--audit")):
        check(Step(argv), CTX)
        check(Step(argv), PolicyContext.for_plan("apt", ["nginx"], purpose=ROLLBACK))
    for argv in (("dpkg", "-i", "x.deb"), ("dpkg", "--purge", "nginx"), ("dpkg", "--audit", "nginx"), ("dpkg",)):
        with pytest.raises(RefusedError):
            check(Step(argv), CTX)
