"""`cortex history` and `cortex rollback` end to end in-process, on a fake dpkg status file."""

from __future__ import annotations

import json

import pytest

from cortex.cli.main import main
from cortex.history import open_store, undo

BASE = "Package: bash\nStatus: install ok installed\nArchitecture: amd64\nVersion: 5.2-1\n"
COWSAY = "\nPackage: cowsay\nStatus: install ok installed\nArchitecture: all\nVersion: 3.03+dfsg2-8\n"
PERL = "\nPackage: libtext-charwidth-perl\nStatus: install ok installed\nArchitecture: amd64\nVersion: 0.04-11\n"
AUTO = "Package: libtext-charwidth-perl\nArchitecture: amd64\nAuto-Installed: 1\n"


@pytest.fixture
def dpkg(tmp_path, monkeypatch):
    """A dpkg status file (and apt's extended_states) the test rewrites as an install would."""
    status = tmp_path / "status"
    extended = tmp_path / "extended_states"
    status.write_text(BASE)
    extended.write_text("")
    monkeypatch.setenv("CORTEX_DPKG_STATUS", str(status))
    monkeypatch.setenv("CORTEX_APT_EXTENDED_STATES", str(extended))

    class Dpkg:
        def set(self, text: str, auto: str = "") -> None:
            status.write_text(text)
            extended.write_text(auto)

    return Dpkg()


def install_cowsay(dpkg, request="install cowsay") -> int:
    store = open_store(audit=lambda: "")
    with store.transaction(request=request, plan={"packages": ["cowsay"]}, backend="exact", model="-") as tx:
        dpkg.set(BASE + COWSAY + PERL, AUTO)
        tx.step(["apt-get", "install", "-y", "cowsay"], 0, "line\n" * 50 + "Setting up cowsay (3.03+dfsg2-8) ...")
    store.close()
    return tx.id


def test_history_lists_and_shows(dpkg, capsys):
    assert main(["history"]) == 0
    assert "No transactions" in capsys.readouterr().out
    tx_id = install_cowsay(dpkg)
    open_store().record_plan(request="install htop")
    assert main(["history"]) == 0
    out = capsys.readouterr().out
    assert "install cowsay" in out and "2 installed" in out and "planned" in out
    assert main(["history", "--status", "planned", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [t["request"] for t in doc["transactions"]] == ["install htop"]
    assert main(["history", "show", str(tx_id)]) == 0
    out = capsys.readouterr().out
    assert "installed  cowsay 3.03+dfsg2-8" in out
    assert "libtext-charwidth-perl 0.04-11 (auto)" in out
    assert "Setting up cowsay" in out and out.count("| line") == 19  # the output tail
    assert main(["history", "show", str(tx_id), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["changes"][1]["new_auto"] is True and doc["steps"][0]["returncode"] == 0


def test_history_show_unknown_id_is_not_found(capsys):
    assert main(["history", "show", "99"]) == 10
    assert "No transaction 99" in capsys.readouterr().err
    assert main(["history", "--status", "bogus"]) == 2


def test_history_never_shows_a_key(dpkg, capsys):
    key = "sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123"
    open_store().record_plan(request=f"install nginx ANTHROPIC_API_KEY={key}")
    main(["history"])
    main(["history", "show", "1", "--json"])
    assert "abcdefghijklmnop" not in capsys.readouterr().out


def test_a_dry_run_cannot_be_rolled_back(capsys):
    tx_id = open_store().record_plan(request="install cowsay")
    assert main(["rollback", str(tx_id)]) == 8
    err = capsys.readouterr().err
    assert "dry run" in err and "nothing to roll back" in err
    assert main(["rollback", "404"]) == 10


def test_a_later_transaction_on_the_same_packages_is_a_conflict(dpkg, capsys):
    first = install_cowsay(dpkg)
    store = open_store(audit=lambda: "")
    with store.transaction(request="upgrade cowsay") as tx:
        dpkg.set(BASE + COWSAY.replace("3.03+dfsg2-8", "3.04-1") + PERL, AUTO)
    assert main(["rollback", str(first)]) == 9
    err = capsys.readouterr().err
    assert f"transaction {tx.id} changed cowsay later" in err and "--force" in err


def test_execute_without_a_terminal_needs_yes(dpkg, capsys, monkeypatch):
    tx_id = install_cowsay(dpkg)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert main(["rollback", str(tx_id), "--execute"]) == 2
    assert "--yes" in capsys.readouterr().err
    assert open_store().get(tx_id).status == "installed"


def test_rollback_dry_run_json(dpkg, capsys):
    tx_id = install_cowsay(dpkg)
    assert main(["rollback", str(tx_id), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["executed"] is False
    assert doc["plan"]["purge"] == ["cowsay", "libtext-charwidth-perl"]
    assert doc["plan"]["steps"][0]["argv"][:2] == ["apt-get", "purge"]


def test_execute_records_a_rollback_transaction_and_verifies(dpkg):
    tx_id = install_cowsay(dpkg)
    store = open_store(audit=lambda: "")
    preview = undo.prepare(store, tx_id, simulate=False)
    ran = []

    def runner(argv):
        ran.append(list(argv))
        dpkg.set(BASE)
        return 0, "Removing cowsay ..."

    result = undo.execute(store, preview, runner=runner)
    assert result.exact
    assert ran[0][-2:] == ["cowsay", "libtext-charwidth-perl"]
    original, rollback = store.get(tx_id), store.get(result.rollback_id)
    assert (original.status, original.rolled_back_by) == ("rolled back", rollback.id)
    assert (rollback.kind, rollback.status, rollback.rollback_of) == ("rollback", "completed", tx_id)
    assert {c.action for c in rollback.changes} == {"removed"}


def test_execute_reports_exactly_what_differs(dpkg):
    tx_id = install_cowsay(dpkg)
    store = open_store(audit=lambda: "")
    preview = undo.prepare(store, tx_id, simulate=False)
    result = undo.execute(store, preview, runner=lambda argv: (dpkg.set(BASE + COWSAY), (0, ""))[1])
    assert result.differences == ("cowsay: expected not installed, is 3.03+dfsg2-8",)
    assert store.get(tx_id).status == "installed"  # not marked rolled back


def test_a_failing_step_fails_the_rollback_transaction(dpkg):
    from cortex.errors import InstallError

    tx_id = install_cowsay(dpkg)
    store = open_store(audit=lambda: "")
    preview = undo.prepare(store, tx_id, simulate=False)
    with pytest.raises(InstallError) as err:
        undo.execute(store, preview, runner=lambda argv: (100, "E: dpkg was interrupted"))
    assert "exit 100" in err.value.message
    latest = store.list(limit=1)[0]
    assert (latest.kind, latest.status) == ("rollback", "failed")


def test_rolling_back_the_later_transaction_first_clears_the_conflict(dpkg):
    first = install_cowsay(dpkg)
    store = open_store(audit=lambda: "")
    with store.transaction(request="upgrade cowsay") as later:
        dpkg.set(BASE + COWSAY.replace("3.03+dfsg2-8", "3.04-1") + PERL, AUTO)
    assert [c.tx_id for c in undo.prepare(store, first, simulate=False).plan.conflicts] == [later.id]

    preview = undo.prepare(store, later.id, simulate=False, available={"cowsay": {"3.03+dfsg2-8", "3.04-1"}})
    assert preview.plan.restore == (("cowsay", "3.03+dfsg2-8"),) and preview.plan.downgrades
    result = undo.execute(store, preview, runner=lambda argv: (dpkg.set(BASE + COWSAY + PERL, AUTO), (0, ""))[1])
    assert result.exact and store.get(later.id).status == "rolled back"
    assert undo.prepare(store, first, simulate=False).plan.conflicts == ()
