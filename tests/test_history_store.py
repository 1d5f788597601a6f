"""History store: recording, redaction on write, listing, errors."""

from __future__ import annotations

import pytest

from cortex.errors import InstallError, NotFoundError, StateError
from cortex.history import open_store
from cortex.packages.state import Package

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
    with pytest.raises(InstallError), store.transaction(request="c") as tx3:
        raise InstallError("verification failed", hint="look")
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


# -- migrations -----------------------------------------------------------------------------------

V1_SCHEMA = """
CREATE TABLE transactions (
    id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, status TEXT NOT NULL,
    request TEXT NOT NULL DEFAULT '', plan TEXT, backend TEXT, model TEXT,
    started_at REAL NOT NULL, finished_at REAL, duration_s REAL, error TEXT, diff TEXT);
CREATE TABLE steps (
    tx_id INTEGER NOT NULL REFERENCES transactions(id) ON DELETE CASCADE, seq INTEGER NOT NULL,
    argv TEXT NOT NULL, returncode INTEGER, output TEXT, PRIMARY KEY (tx_id, seq));
PRAGMA user_version = 1;
"""


def test_migrates_a_version_1_database_and_backfills_the_package_index(tmp_path):
    import json
    import sqlite3

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.executescript(V1_SCHEMA)
    diff = [{"package": "cowsay", "action": "installed", "new_version": "3.03-8"}]
    conn.execute(
        "INSERT INTO transactions (kind, status, request, started_at, diff) VALUES (?, ?, ?, ?, ?)",
        ("install", "installed", "install cowsay", 1.0, json.dumps(diff)),
    )
    conn.execute("INSERT INTO steps (tx_id, seq, argv, returncode, output) VALUES (1, 1, '[\"apt-get\"]', 0, 'ok')")
    conn.commit()
    conn.close()

    store = open_store(path, snapshot=dict, audit=lambda: "")
    version = store._conn.execute("PRAGMA user_version").fetchone()[0]
    assert version == 2
    rec = store.get(1)
    assert rec.request == "install cowsay" and rec.summary == "1 installed"
    assert rec.changes[0].package == "cowsay" and rec.steps[0].output == "ok"
    with store.transaction(request="later") as tx:
        pass
    store.finish(tx.id, status="installed", changes=rec.changes)
    assert store.later_touching(1, ["cowsay"]) == {tx.id: ["cowsay"]}
    assert store._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_database_from_a_newer_cortex_is_refused(tmp_path):
    import sqlite3

    path = tmp_path / "new.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(StateError) as err:
        open_store(path)
    assert "newer" in err.value.message


def test_a_database_from_a_newer_cortex_is_not_touched(tmp_path):
    """Refused without a WAL switch or any write: the file's bytes and mtime stay, no -wal/-shm appear."""
    import sqlite3

    (tmp_path / "data").mkdir()
    path = tmp_path / "data" / "new.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE future (x)")
    conn.execute("PRAGMA user_version = 7")
    conn.commit()
    conn.close()
    before, stat = path.read_bytes(), path.stat()
    with pytest.raises(StateError) as err:
        open_store(path)
    assert "not changed" in err.value.hint
    assert path.read_bytes() == before and path.stat().st_mtime_ns == stat.st_mtime_ns
    assert sorted(p.name for p in path.parent.iterdir()) == ["new.db"]
    assert before[18:20] == b"\x01\x01"  # header: still the rollback journal, not WAL (2, 2)


# -- two processes ----------------------------------------------------------------------------------


def _writer(path: str, worker: int, count: int, barrier) -> None:
    store = open_store(path, snapshot=dict, audit=lambda: "")
    barrier.wait()
    for i in range(count):
        with store.transaction(request=f"w{worker}-{i}") as tx:
            tx.step(["apt-get", "install", f"p{worker}-{i}"], 0, "x" * 2000)
        store.record_plan(request=f"plan w{worker}-{i}")
    store.close()


def test_processes_writing_at_once_never_corrupt_the_db(tmp_path):
    import multiprocessing

    path = str(tmp_path / "h.db")
    open_store(path, snapshot=dict).close()
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(3)
    procs = [ctx.Process(target=_writer, args=(path, w, 40, barrier)) for w in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0, 0]
    store = open_store(path, snapshot=dict)
    assert store._conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    rows = store.list(limit=0)
    assert len(rows) == 3 * 40 * 2
    assert len({r.request for r in rows}) == len(rows)
    assert {r.status for r in rows} == {"installed", "planned"}
    steps = store._conn.execute("SELECT COUNT(*) FROM steps").fetchone()[0]
    assert steps == 3 * 40


# -- a kill between steps ------------------------------------------------------------------------

KILLED_SCRIPT = """
import os, sys, time
from pathlib import Path
from cortex.history import open_store
store = open_store(sys.argv[1])
with store.transaction(request="install cowsay", plan={"packages": ["cowsay"]}) as tx:
    tx.step(["apt-get", "install", "-y", "cowsay"], 0, "Setting up cowsay")
    Path(os.environ["CORTEX_DPKG_STATUS"]).write_text(sys.argv[2])  # dpkg changed the state, then...
    print(tx.id, flush=True)
    time.sleep(60)  # ...the process is killed before the next step
"""

STATUS_BEFORE = "Package: bash\nStatus: install ok installed\nArchitecture: amd64\nVersion: 5.2-1\n"
STATUS_AFTER = STATUS_BEFORE + ("\nPackage: cowsay\nStatus: install ok unpacked\nArchitecture: all\nVersion: 3.03-8\n")


def test_a_killed_process_leaves_an_interrupted_transaction_with_the_diff(tmp_path, monkeypatch):
    import signal
    import subprocess
    import sys

    status = tmp_path / "status"
    status.write_text(STATUS_BEFORE)
    monkeypatch.setenv("CORTEX_DPKG_STATUS", str(status))
    monkeypatch.setenv("CORTEX_APT_EXTENDED_STATES", str(tmp_path / "none"))
    path = tmp_path / "h.db"
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED_SCRIPT, str(path), STATUS_AFTER], stdout=subprocess.PIPE, text=True
    )
    try:
        tx_id = int(proc.stdout.readline())
        alive = open_store(path, audit=lambda: "")
        assert alive.get(tx_id).status == "running"  # its owner still runs: not touched
        alive.close()
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()

    store = open_store(path, audit=lambda: "The following packages are only half configured: cowsay")
    rec = store.get(tx_id)
    assert rec.status == "interrupted"
    assert [(c.package, c.action, c.new_status) for c in rec.changes] == [("cowsay", "installed", "unpacked")]
    assert "dpkg --configure -a" in rec.hint
    assert rec.steps[0].output == "Setting up cowsay"
    assert store.recover_interrupted() == []


# -- unusable data dir: before anything is installed ---------------------------------------------------


@pytest.fixture
def tmpfs(tmp_path):
    import subprocess

    from tests.conftest import is_root

    mnt = tmp_path / "mnt"
    mnt.mkdir()
    if not is_root() or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mnt)]).returncode:
        pytest.skip("needs root and mount")
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)], check=False)


def test_read_only_data_dir_fails_before_the_install(tmpfs):
    import subprocess

    store = open_store(tmpfs / "h.db", snapshot=dict)
    store.close()
    subprocess.run(["mount", "-o", "remount,ro", str(tmpfs)], check=True)
    ran = False
    with pytest.raises(StateError) as err:
        store = open_store(tmpfs / "h.db", snapshot=dict)
        with store.transaction(request="install cowsay"):
            ran = True
    assert not ran
    assert err.value.exit_code == 8 and str(tmpfs) in err.value.message


def test_full_disk_fails_before_the_install(tmpfs):
    store = open_store(tmpfs / "h.db", snapshot=dict)
    with open(tmpfs / "filler", "wb") as fh:
        try:
            while True:
                fh.write(b"\0" * 65536)
                fh.flush()
        except OSError:
            pass
    ran = False
    with pytest.raises(StateError) as err, store.transaction(request="install cowsay"):
        ran = True
    assert not ran
    assert "full" in err.value.message
    store.close()


def test_secrets_never_enter_the_history(tmp_path, monkeypatch):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-api03-realLookingKey1234567890")
    store = open_store(tmp_path / "h.db", snapshot=dict, audit=lambda: "")
    key = "sk-ant-api03-realLookingKey1234567890"
    store.record_plan(request=f"install nginx, my key is {key}", plan={"api_key": "abc", "note": key})
    with pytest.raises(RuntimeError), store.transaction(request="OPENAI_API_KEY=sk-proj-abcdefghijklmnopqrstu") as tx:
        tx.step(["curl", "-H", f"Authorization: Bearer {key}"], 0, f"echo {key}")
        raise RuntimeError(f"failed with {key}")
    raw = (tmp_path / "h.db").read_bytes() + (tmp_path / "h.db-wal").read_bytes()
    assert b"realLookingKey" not in raw and b"abcdefghijklmnopqrstu" not in raw


CTRL_C_SCRIPT = """
import sys
from cortex.history import open_store
from cortex.system.runner import run
store = open_store(sys.argv[1], snapshot=dict, audit=lambda: "")
with store.transaction(request="install cowsay") as tx:
    print(tx.id, flush=True)
    run([sys.executable, "-c", "import time; print('unpacking', flush=True); time.sleep(30)"], timeout=60)
"""


def test_ctrl_c_during_a_step_is_recorded_as_interrupted(tmp_path):
    import signal
    import subprocess
    import sys
    import time

    path = tmp_path / "h.db"
    proc = subprocess.Popen(
        [sys.executable, "-c", CTRL_C_SCRIPT, str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    tx_id = int(proc.stdout.readline())
    store = open_store(path, snapshot=dict, audit=lambda: "")
    for _ in range(200):  # until the child command runs (its process exists)
        if subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True).returncode == 0:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode != 0 and "KeyboardInterrupt" in err
    rec = store.get(tx_id)
    assert rec.status == "interrupted" and "Interrupted" in rec.error


def test_the_database_is_private(tmp_path):
    import stat

    store = open_store(tmp_path / "h.db", snapshot=dict)
    store.record_plan(request="install cowsay")
    for name in ("h.db", "h.db-wal", "h.db-shm"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600, name
