"""History store: recording, redaction on write, listing, errors."""

from __future__ import annotations

import pytest

from cortex.errors import NotFoundError, StateError
from cortex.history import open_store
from cortex.history.dpkg_state import Package

BEFORE = {"bash": Package("bash", "amd64", "5.2-1")}
AFTER = {
    "bash": Package("bash", "amd64", "5.2-1"),
    "cowsay": Package("cowsay", "all", "3.03-8"),
    "libtext-charwidth-perl": Package("libtext-charwidth-perl", "amd64", "0.04-11", auto=True),
}


class FakeDpkg:
    """A package state the test changes between snapshots, as an install would."""

    def __init__(self, state):
        self.state = dict(state)

    def __call__(self):
        return dict(self.state)


def test_install_transaction_records_steps_and_diff(tmp_path):
    dpkg = FakeDpkg(BEFORE)
    store = open_store(tmp_path / "h.db", snapshot=dpkg, audit=lambda: "")
    with store.transaction(request="install cowsay", plan={"packages": ["cowsay"]}, backend="claude", model="m") as tx:
        dpkg.state = dict(AFTER)
        tx.step(["apt-get", "install", "-y", "cowsay"], 0, "Setting up cowsay (3.03-8) ...")
    rec = store.get(tx.id)
    assert rec.status == "installed"
    assert rec.backend == "claude"
    assert [(c.package, c.action, c.new_version, c.new_auto) for c in rec.changes] == [
        ("cowsay", "installed", "3.03-8", False),
        ("libtext-charwidth-perl", "installed", "0.04-11", True),
    ]
    assert rec.steps[0].argv == ("apt-get", "install", "-y", "cowsay")
    assert rec.summary == "2 installed"
    assert rec.duration_s is not None


def test_dry_run_is_recorded_as_planned(tmp_path):
    store = open_store(tmp_path / "h.db", snapshot=dict, audit=lambda: "")
    tx_id = store.record_plan(request="install cowsay", plan={"packages": ["cowsay"]})
    assert store.get(tx_id).status == "planned"
    assert [t.id for t in store.list(status="planned")] == [tx_id]
    assert store.list(status="installed") == []


def test_failure_and_interrupt_statuses(tmp_path):
    store = open_store(tmp_path / "h.db", snapshot=dict, audit=lambda: "")
    with pytest.raises(RuntimeError), store.transaction(request="a") as tx1:
        raise RuntimeError("apt exploded")
    with pytest.raises(KeyboardInterrupt), store.transaction(request="b") as tx2:
        raise KeyboardInterrupt
    with store.transaction(request="c") as tx3:
        tx3.fail("verification failed", hint="look")
    assert store.get(tx1.id).status == "failed"
    assert "apt exploded" in store.get(tx1.id).error
    assert store.get(tx2.id).status == "interrupted"
    assert (store.get(tx3.id).status, store.get(tx3.id).hint) == ("failed", "look")


def test_list_is_newest_first_with_limit(tmp_path):
    store = open_store(tmp_path / "h.db", snapshot=dict, audit=lambda: "")
    ids = [store.record_plan(request=f"r{i}") for i in range(5)]
    assert [t.id for t in store.list(limit=3)] == ids[::-1][:3]
    assert len(store.list(limit=0)) == 5


def test_unknown_id_is_not_found(tmp_path):
    store = open_store(tmp_path / "h.db", snapshot=dict, audit=lambda: "")
    with pytest.raises(NotFoundError) as err:
        store.get(42)
    assert err.value.exit_code == 10


def test_unusable_path_is_a_state_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a dir")
    with pytest.raises(StateError) as err:
        open_store(blocker / "h.db")
    assert err.value.exit_code == 8
    assert str(blocker) in err.value.message


def test_damaged_file_is_a_state_error(tmp_path):
    path = tmp_path / "h.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StateError) as err:
        open_store(path)
    assert "move" in err.value.hint


def test_default_path_is_in_the_data_dir(cortex_home):
    store = open_store(snapshot=dict, audit=lambda: "")
    assert store.path == cortex_home / "data" / "history.db"
