"""Pure rollback planning: the inverse of recorded diffs, conflicts, archive availability, verification."""

from __future__ import annotations

import pytest

from cortex.history.diff import diff_states
from cortex.history.rollback import plan_rollback, unexpected_effects, verify
from cortex.packages.apt import AptManager
from cortex.packages.state import Package

APT = AptManager()


def pkg(name, version, auto=False, status="installed"):
    return Package(name, "amd64", version, status, auto)


BASE = {"bash": pkg("bash", "5.2"), "curl": pkg("curl", "7.88-1"), "old": pkg("old", "1.0", status="config-files")}
INSTALLED = {
    **BASE,
    "cowsay": pkg("cowsay", "3.03-8"),
    "libtext-charwidth-perl": pkg("libtext-charwidth-perl", "0.04-11", auto=True),
    "old": pkg("old", "1.0"),
}


def test_install_is_undone_by_purging_everything_it_installed():
    changes = diff_states(BASE, INSTALLED)
    plan = plan_rollback(1, changes, INSTALLED, manager=APT)
    assert plan.purge == ("cowsay", "libtext-charwidth-perl")
    assert plan.remove == ("old",)  # its conffiles were there before: keep them
    assert plan.restore == () and not plan.conflicts and not plan.cannot
    argvs = [argv for argv, _ in plan.steps()]
    assert argvs[0][:3] == ["apt-get", "purge", "-y"] and argvs[0][-2:] == ["cowsay", "libtext-charwidth-perl"]
    assert argvs[1][:2] == ["apt-get", "remove"] and argvs[1][-1] == "old"
    assert plan.simulate_argv() == ["apt-get", "-s", "install", "cowsay-", "libtext-charwidth-perl-", "old-"]
    assert verify(plan, BASE, changes) == []


def test_upgrade_and_removal_are_undone_at_recorded_versions_with_marks():
    before = {**BASE, "libfoo": pkg("libfoo", "1.0", auto=True), "gone": pkg("gone", "2.0", auto=True)}
    after = {**BASE, "curl": pkg("curl", "7.88-2"), "libfoo": pkg("libfoo", "1.1", auto=True)}
    changes = diff_states(before, after)
    available = {"curl": {"7.88-1", "7.88-2"}, "libfoo": {"1.0", "1.1"}, "gone": {"2.0"}}
    plan = plan_rollback(3, changes, after, available=available, manager=APT)
    assert dict(plan.restore) == {"curl": "7.88-1", "libfoo": "1.0", "gone": "2.0"}
    assert plan.downgrades is True
    assert set(plan.mark_auto) == {"libfoo", "gone"}  # apt-get install marks manual: put auto back
    install = plan.steps()[0][0]
    assert "--allow-downgrades" in install and "curl=7.88-1" in install and "--no-install-recommends" in install
    assert plan.steps()[-1][0][:2] == ["apt-mark", "auto"]


def test_a_version_gone_from_the_archive_is_reported_not_guessed():
    before = {**BASE, "curl": pkg("curl", "7.80-1")}
    changes = diff_states(before, BASE)
    plan = plan_rollback(4, changes, BASE, available={"curl": {"7.88-1", "7.88-2"}}, manager=APT)
    assert plan.restore == ()
    assert plan.cannot[0][0] == "curl"
    assert "7.80-1 is no longer in the archive" in plan.cannot[0][1] and "7.88-1, 7.88-2" in plan.cannot[0][1]


def test_later_transactions_and_outside_changes_are_conflicts():
    changes = diff_states(BASE, INSTALLED)
    now = {**INSTALLED, "cowsay": pkg("cowsay", "3.04-1")}
    plan = plan_rollback(1, changes, now, later={7: ["libtext-charwidth-perl"]}, manager=APT)
    described = [c.describe() for c in plan.conflicts]
    assert "transaction 7 changed libtext-charwidth-perl later" in described
    assert any("cowsay" in d and "outside cortex" in d and "3.04-1" in d for d in described)


def test_already_undone_packages_are_skipped_and_marks_restored():
    changes = diff_states(BASE, INSTALLED)
    now = {**BASE, "libtext-charwidth-perl": pkg("libtext-charwidth-perl", "0.04-11", auto=True)}
    plan = plan_rollback(1, changes, now, manager=APT)
    assert "cowsay" in plan.already and "old" in plan.already
    assert plan.purge == ("libtext-charwidth-perl",)
    marked = diff_states({"xz": pkg("xz", "1", auto=True)}, {"xz": pkg("xz", "1", auto=False)})
    plan2 = plan_rollback(2, marked, {"xz": pkg("xz", "1", auto=False)}, manager=APT)
    assert plan2.mark_auto == ("xz",) and plan2.steps() == [(["apt-mark", "auto", "xz"], plan2.steps()[0][1])]


def test_dpkg_state_changes_cannot_be_reverted_by_apt():
    changes = diff_states({"x": pkg("x", "1")}, {"x": pkg("x", "1", status="half-configured")})
    plan = plan_rollback(5, changes, {"x": pkg("x", "1", status="half-configured")}, manager=APT)
    assert plan.empty and "dpkg --configure -a" in plan.cannot[0][1]


def test_unexpected_effects_name_what_the_plan_does_not():
    changes = diff_states(BASE, INSTALLED)
    plan = plan_rollback(1, changes, INSTALLED, manager=APT)
    extra = unexpected_effects(plan, new=[], upgraded=[], removed=["cowsay", "fortune-mod", "old"])
    assert extra == ["would also remove fortune-mod"]


def test_verify_says_exactly_what_differs():
    changes = diff_states(BASE, INSTALLED)
    plan = plan_rollback(1, changes, INSTALLED, manager=APT)
    after = {**BASE, "cowsay": pkg("cowsay", "3.03-8")}
    rollback_changes = diff_states(INSTALLED, {**after, "curl": pkg("curl", "7.88-2")})
    problems = verify(plan, after, changes, rollback_changes)
    assert "cowsay: expected not installed, is 3.03-8" in problems
    assert any(p.startswith("curl: also upgraded by the rollback") for p in problems)


def test_rollback_is_not_available_on_other_managers(tmp_path):
    from cortex.errors import UnsupportedError
    from cortex.exit_codes import ExitCode
    from cortex.history import open_store, undo
    from cortex.packages.dnf import DnfManager

    store = open_store(tmp_path / "h.db", snapshot=dict, audit=lambda: "")
    with pytest.raises(UnsupportedError) as info:
        undo.prepare(store, 1, manager=DnfManager())
    assert "Rollback is not available for dnf yet" in info.value.message
    assert info.value.exit_code == ExitCode.USAGE


def test_steps_come_from_the_managers_adapter():
    changes = diff_states(BASE, INSTALLED)
    plan = plan_rollback(1, changes, INSTALLED, manager=AptManager())
    assert plan.steps()[0][0] == AptManager().purge_argv(["cowsay", "libtext-charwidth-perl"])
