"""Every argv every adapter can build, for every operation it declares, passes the policy (also in its
final form: sudo and apt's status fd added); argv outside the declared grammar is refused."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cortex.errors import RefusedError, UnsupportedError, UsageError
from cortex.executor import final_argv
from cortex.packages.base import PackageManager
from cortex.packages.detect import grammar_of_executable, manager_classes
from cortex.packages.grammar import ANY_NAME, CHANGES, INSTALL, NONE, PINS, QUERY, ROLLBACK, Operation
from cortex.plan import Step
from cortex.policy import PolicyContext, check

MANAGERS: list[PackageManager] = [cls() for cls in manager_classes().values()]
OPERATIONS = [(m, name, op) for m in MANAGERS for name, op in m.grammar.operations.items()]
WITH_OPERANDS = [(m, name, op) for m, name, op in OPERATIONS if op.operands != NONE]
ROLLBACK_ONLY = [(m, name, op) for m, name, op in OPERATIONS if op.purpose == ROLLBACK]


def ids(cases: list[tuple[PackageManager, str, Operation]]) -> list[str]:
    return [f"{m.name}-{n}" for m, n, _ in cases]


FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def names(manager: PackageManager) -> st.SearchStrategy[str]:
    return st.from_regex(manager.grammar.name, fullmatch=True).filter(manager.grammar.valid_name)


def versions(manager: PackageManager) -> st.SearchStrategy[str]:
    assert manager.grammar.version is not None
    return st.from_regex(manager.grammar.version, fullmatch=True)


def build(manager: PackageManager, name: str, op: Operation, data: st.DataObject) -> tuple[list[str], list[str]]:
    """(argv built by the adapter, package names it touches) for one operation."""
    if op.operands == NONE:
        return manager.argv(name), []
    picked = data.draw(st.lists(names(manager), min_size=1, max_size=4, unique=True))
    if op.operands == PINS:
        pins = [(n, data.draw(versions(manager))) for n in picked]
        if name in ("restore", "downgrade"):
            return manager.restore_argv(pins, downgrade=name == "downgrade"), picked
        return manager.argv(name, [manager.grammar.pin(n, v) for n, v in pins]), picked
    if op.operands == CHANGES:
        cut = data.draw(st.integers(0, len(picked)))
        pins = [(n, data.draw(versions(manager))) for n in picked[:cut]]
        return manager.simulate_change_argv(pins, picked[cut:]), picked
    return manager.argv(name, picked), picked


def purpose_of(op: Operation) -> str:
    return INSTALL if op.purpose == QUERY else op.purpose


@pytest.mark.parametrize(("manager", "name", "op"), OPERATIONS, ids=ids(OPERATIONS))
@FAST
@given(data=st.data())
def test_every_argv_an_adapter_builds_passes_the_policy(manager, name, op, data):
    argv, touched = build(manager, name, op, data)
    assert argv[: len(op.argv)] == list(op.argv)
    # An install-time pin (`cortex apply`) passes only when the context lists exactly that pin.
    pinned = argv[len(op.argv) :] if op.operands == PINS and op.purpose == INSTALL else ()
    ctx = PolicyContext.for_plan(manager.name, touched, purpose=purpose_of(op), pinned=pinned)
    check(Step(tuple(argv)), ctx)
    if pinned:
        with pytest.raises(RefusedError):
            check(Step(tuple(argv)), PolicyContext.for_plan(manager.name, touched, purpose=INSTALL))
    # ... and in the form the executor runs it: sudo in front, apt's status fd added.
    final = final_argv(Step(tuple(argv), privileged=True), is_root=False, status_fd=5)
    check(Step(final), ctx)
    if op.purpose == INSTALL:  # what an install may run, a rollback may run too
        check(Step(tuple(argv)), PolicyContext.for_plan(manager.name, touched, purpose=ROLLBACK, pinned=pinned))


@pytest.mark.parametrize(("manager", "name", "op"), OPERATIONS, ids=ids(OPERATIONS))
@FAST
@given(data=st.data(), junk=st.sampled_from(["--force-yes", "--nogpgcheck", "--root=/tmp", "-c", "--config=/x"]))
def test_an_undeclared_option_is_refused(manager, name, op, data, junk):
    argv, touched = build(manager, name, op, data)
    argv.insert(len(op.argv), junk)
    with pytest.raises(RefusedError) as info:
        check(Step(tuple(argv)), PolicyContext.for_plan(manager.name, touched, purpose=ROLLBACK))
    assert info.value.rule in ("option", "verb")


@pytest.mark.parametrize(("manager", "name", "op"), WITH_OPERANDS, ids=ids(WITH_OPERANDS))
@FAST
@given(bad=st.sampled_from(["./x.deb", "/etc/shadow", "http://e/x", "x;rm", "$(id)", "UPPER_case!", "a b", "~root"]))
def test_an_operand_outside_the_name_grammar_is_refused(manager, name, op, bad):
    argv = [*op.argv, bad]
    with pytest.raises(RefusedError) as info:
        check(Step(tuple(argv)), PolicyContext.for_plan(manager.name, [bad], purpose=ROLLBACK))
    assert info.value.rule in ("operand-path", "package-name", "package-version", "pinned-version")
    with pytest.raises(UsageError):
        build_with(manager, name, op, bad)


def build_with(manager: PackageManager, name: str, op: Operation, operand: str) -> list[str]:
    if op.operands == PINS:
        return manager.restore_argv([(operand, "1.0")])
    if op.operands == CHANGES:
        return manager.simulate_change_argv([], [operand])
    return manager.argv(name, [operand])


@pytest.mark.parametrize("manager", MANAGERS, ids=[m.name for m in MANAGERS])
@FAST
@given(data=st.data())
def test_a_name_the_plan_did_not_choose_is_refused(manager, data):
    picked, other = data.draw(st.lists(names(manager), min_size=2, max_size=2, unique=True))
    if other.split(":")[0] == picked.split(":")[0]:
        return
    with pytest.raises(RefusedError) as info:
        check(Step(tuple(manager.install_argv([other]))), PolicyContext.for_plan(manager.name, [picked]))
    assert info.value.rule == "package-not-planned"


@pytest.mark.parametrize(("manager", "name", "op"), ROLLBACK_ONLY, ids=ids(ROLLBACK_ONLY))
def test_a_rollback_operation_is_refused_in_an_install(manager, name, op):
    touched = ["abc"]
    argv = {NONE: list(op.argv), PINS: [*op.argv, manager.grammar.pin("abc", "1.0")]}.get(
        op.operands, [*op.argv, "abc-" if op.operands == CHANGES else "abc"]
    )
    with pytest.raises(RefusedError) as info:
        check(Step(tuple(argv)), PolicyContext.for_plan(manager.name, touched))
    assert info.value.rule in ("verb", "option", "pinned-version", "operand", "package-name")


def test_a_managers_tool_is_not_another_managers():
    apt = PolicyContext.for_plan("apt", ["nginx"])
    for argv in (["dnf", "install", "-y", "nginx"], ["pacman", "-S", "nginx"], ["apk", "add", "nginx"]):
        with pytest.raises(RefusedError) as info:
            check(Step(tuple(argv)), apt)
        assert info.value.rule == "executable"


def test_operations_a_manager_does_not_declare_are_typed_errors():
    pacman = manager_classes()["pacman"]()
    assert not pacman.supports_rollback and manager_classes()["apt"]().supports_rollback
    with pytest.raises(UnsupportedError):
        pacman.purge_argv(["nginx"])
    with pytest.raises(UnsupportedError):
        pacman.mark_argv(["nginx"], auto=True)


def test_the_grammar_of_an_executable():
    assert grammar_of_executable("apt-get").manager == "apt"
    assert grammar_of_executable("apt-mark").manager == "apt"
    assert grammar_of_executable("zypper").manager == "zypper"
    assert grammar_of_executable("bash") is None


def test_the_drift_the_table_fixed():
    """zypper's install, dnf's @group and apt's pins in a rollback were built by adapters and refused."""
    zypper, dnf, apt = (manager_classes()[n]() for n in ("zypper", "dnf", "apt"))
    check(Step(tuple(zypper.install_argv(["nginx"]))), PolicyContext.for_plan("zypper", ["nginx"]))
    check(Step(tuple(dnf.install_argv(["@development-tools"]))), PolicyContext.for_plan("dnf", ["@development-tools"]))
    pinned = apt.restore_argv([("nginx", "1.22.1-9+deb12u11")], downgrade=True)
    check(Step(tuple(pinned)), PolicyContext.for_plan("apt", ["nginx"], purpose=ROLLBACK))
    assert re.search("allow-downgrades", " ".join(pinned))
    assert ANY_NAME != NONE
