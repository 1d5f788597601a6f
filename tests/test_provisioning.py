"""Lock files, drift and pins: the pure parts of provisioning (no package manager needed)."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import textwrap

import pytest
import yaml

from cortex.errors import LockError, NotFoundError, PinUnavailableError, RefusedError
from cortex.exit_codes import ExitCode
from cortex.plan import Step
from cortex.policy import PolicyContext, check
from cortex.provisioning import apply, entries, export, host, lock, state
from cortex.provisioning.lock import Distribution, Lock, LockedPackage, LockedRequest
from tests.test_history_cli import dpkg  # noqa: F401 (fixture)

BOOKWORM = Distribution("debian", "12", "bookworm")


def make_lock(*requests: LockedRequest, dist: Distribution = BOOKWORM, manager: str = "apt") -> Lock:
    return Lock(dist, manager, "amd64", tuple(requests), "cortex 0.1.0", "2026-12-01T00:00:00Z")


def req(text: str, *pkgs: tuple[str, str], arch: str = "amd64") -> LockedRequest:
    packages = tuple(LockedPackage(n, v, arch, "debian/main", "exact", f"exact package name {n!r}") for n, v in pkgs)
    closure = tuple(LockedPackage(p.name, p.version, p.architecture) for p in packages)
    return LockedRequest(text, packages, closure, "exact", "", "2026-12-01T00:00:00Z")


HELLO = req("hello", ("hello", "2.10-3"))
SL = req("sl and cowsay", ("sl", "5.02-1+b1"), ("cowsay", "3.03+dfsg2-8"))


# -- the lock file ------------------------------------------------------------------------------------


def test_lock_round_trips_through_yaml_with_its_header():
    original = make_lock(HELLO, SL)
    text = lock.dumps(original)
    assert text.startswith("# cortex lock file (schema version 1)")
    assert yaml.safe_load(text)["version"] == 1
    assert lock.parse(text) == original


def test_versions_that_look_like_numbers_stay_strings():
    odd = make_lock(req("x", ("xterm", "1.10"), ("zsh", "5")))
    assert [p.version for p in lock.parse(lock.dumps(odd)).packages()] == ["1.10", "5"]


def _doc(**changes):
    doc = make_lock(HELLO).to_dict()
    doc.update(changes)
    return doc


@pytest.mark.parametrize(
    ("doc", "words"),
    [
        (_doc(version=2), "unknown schema version 2"),
        ({k: v for k, v in _doc().items() if k != "version"}, "no schema `version:`"),
        (_doc(version="1"), "unknown schema version '1'"),
        (_doc(manager="brew"), "unknown package manager 'brew'"),
        (_doc(distribution="debian"), "lock.distribution"),
        (_doc(requests={"hello": 1}), "lock.requests: expected a list"),
        ([1, 2], "expected a YAML mapping"),
    ],
)
def test_invalid_documents_are_typed_errors(doc, words):
    with pytest.raises(LockError) as exc:
        lock.validate(doc, "cortex.lock")
    assert words in exc.value.message and exc.value.exit_code == ExitCode.LOCK_INVALID


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("name", "hello; rm -rf /", "not a valid apt package name"),
        ("name", "-y", "not a valid apt package name"),
        ("version", 2.1, "quote it"),
        ("version", "2.10 3", "not a valid version"),
        ("version", "latest", "not a valid version"),
        ("architecture", "AMD 64", "not an architecture"),
        ("name", None, "missing"),
    ],
)
def test_hand_edited_packages_are_checked(field, value, words):
    doc = _doc()
    doc["requests"][0]["packages"][0][field] = value
    with pytest.raises(LockError, match=re.escape("requests[0].packages[0]")) as exc:
        lock.validate(doc, "cortex.lock")
    assert words in exc.value.message


def test_malformed_yaml_names_the_line():
    with pytest.raises(LockError, match=r"not valid YAML \(line 4\)"):
        lock.parse("version: 1\nmanager: apt\nrequests: [\n  - : :\n", "cortex.lock")


def test_an_alias_bomb_is_refused_before_it_is_expanded():
    bomb = "version: 1\na: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]\n" for i in range(8)
    )
    with pytest.raises(LockError, match="expands to more than") as exc:
        lock.parse(bomb, "cortex.lock")
    assert "cortex.lock" in str(exc.value)


def test_a_large_lock_reads_within_the_limits():
    many = req("many", *[(f"pkg{i}", f"1.{i}-1") for i in range(5000)])
    assert len(lock.parse(lock.dumps(make_lock(many))).packages()) == 5000


def test_one_package_at_two_versions_is_refused():
    doc = make_lock(HELLO, req("other", ("hello", "2.9-1"))).to_dict()
    with pytest.raises(LockError, match=re.escape("hello is pinned at 2.10-3")):
        lock.validate(doc)


def test_merge_replaces_the_same_request_and_keeps_the_others_in_order():
    base = make_lock()
    merged = lock.merge(make_lock(HELLO, SL), req("hello", ("hello", "2.10-4")), base)
    assert [r.request for r in merged.requests] == ["hello", "sl and cowsay"]
    assert merged.requests[0].packages[0].version == "2.10-4"
    appended = lock.merge(merged, req("bash", ("bash", "5.2")), base)
    assert [r.request for r in appended.requests] == ["hello", "sl and cowsay", "bash"]
    assert lock.merge(None, HELLO, base).requests == (HELLO,)


def test_merge_refuses_a_lock_of_another_system():
    jammy = make_lock(HELLO, dist=Distribution("ubuntu", "22.04", "jammy"))
    with pytest.raises(LockError, match=re.escape("ubuntu 22.04")):
        lock.merge(jammy, SL, make_lock())


def test_save_is_atomic_and_load_reads_it_back(tmp_path):
    tmp_path = tmp_path / "locks"
    path = tmp_path / "cortex.lock"
    lock.save(path, make_lock(HELLO))
    lock.save(path, make_lock(HELLO, SL))
    assert lock.load(path) == make_lock(HELLO, SL)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cortex.lock"]  # no temp file left behind
    with pytest.raises(NotFoundError):
        lock.load(tmp_path / "absent.lock")


# -- drift ------------------------------------------------------------------------------------------------


def installed(*rows: tuple[str, str, str, str]) -> dict:
    return {(n, a): host.Installed(n, a, v, s) for n, a, v, s in rows}


def test_drift_states():
    the_lock = make_lock(HELLO, SL, req("bash", ("bash", "5.2.15-2+b8")), req("x", ("xterm", "379-1")))
    now = installed(
        ("hello", "amd64", "2.10-3", "ii "),
        ("sl", "amd64", "5.02-1", "ii "),  # older
        ("cowsay", "all", "3.03+dfsg2-8", "rc "),  # only config files left: missing
        ("bash", "amd64", "5.2.15-2+b13", "hi "),  # newer, held
    )
    drift = state.compare(the_lock, now, native="amd64")
    got = {p.name: p.state for p in drift.packages}
    assert got == {
        "hello": "in sync",
        "sl": "other version",
        "cowsay": "missing",
        "bash": "held",
        "xterm": "missing",
    }
    assert not drift.in_sync and drift.counts() == {"in sync": 1, "missing": 2, "other version": 1, "held": 1}
    assert drift.to_dict()["packages"][1] == {
        "name": "sl",
        "architecture": "amd64",
        "locked": "5.02-1+b1",
        "installed": "5.02-1",
        "state": "other version",
        "newer": False,
        "requests": ["sl and cowsay"],
    }


def test_newer_installed_is_drift_unless_allowed():
    now = installed(("hello", "amd64", "2.10-4", "ii "))
    assert state.compare(make_lock(HELLO), now, native="amd64").changes[0].newer
    assert state.compare(make_lock(HELLO), now, native="amd64", allow_newer=True).in_sync


def test_architecture_independent_and_foreign_packages_match_their_records():
    the_lock = make_lock(req("c", ("cowsay", "3.03+dfsg2-8"), arch="all"), req("l", ("libc6", "2.36-9"), arch="i386"))
    assert state.query_names(the_lock) == ["cowsay", "libc6:i386"]
    native_only = installed(("cowsay", "all", "3.03+dfsg2-8", "ii "), ("libc6", "amd64", "2.36-9", "ii "))
    got = {p.name: p.state for p in state.compare(the_lock, native_only, native="amd64").packages}
    assert got == {"cowsay": "in sync", "libc6": "missing"}  # the native libc6 is not the locked i386 one


def test_a_lock_made_on_amd64_applies_to_an_arm64_machine():
    now = installed(("hello", "arm64", "2.10-3", "ii "))
    assert state.compare(make_lock(HELLO), now, native="arm64").in_sync


@pytest.mark.parametrize(
    ("dist", "manager", "words"),
    [
        (BOOKWORM, "dnf", "apt package manager; this machine uses dnf"),
        (Distribution("ubuntu", "24.04", "noble"), "apt", "this machine runs ubuntu 24.04"),
        (Distribution("debian", "13", "trixie"), "apt", "this machine runs debian 13"),
    ],
)
def test_a_lock_for_another_system_is_refused(dist, manager, words):
    with pytest.raises(LockError, match=words):
        state.check_host(make_lock(HELLO), dist, manager)


# -- pins -------------------------------------------------------------------------------------------------


def drifted(name: str, locked: str, installed_version: str | None = None, st: str = "missing"):
    return state.PackageDrift(name, "amd64", locked, installed_version, st)


def test_pins_for_what_the_archive_has():
    pins, notes = apply.resolve_pins(
        [drifted("hello", "2.10-3"), drifted("sl", "5.02-1+b1", "5.02-1", "other version")],
        {"hello": {"2.10-3"}, "sl": {"5.02-1+b1", "5.02-1"}},
        native="amd64",
    )
    assert pins == ["hello=2.10-3", "sl=5.02-1+b1"] and notes == []


def test_a_foreign_package_is_pinned_with_its_architecture():
    p = state.PackageDrift("libc6", "i386", "2.36-9", None, "missing")
    assert apply.resolve_pins([p], {"libc6": {"2.36-9"}}, native="amd64")[0] == ["libc6:i386=2.36-9"]


def test_a_gone_version_names_what_the_archive_has():
    with pytest.raises(PinUnavailableError) as exc:
        apply.resolve_pins([drifted("hello", "2.10-2")], {"hello": {"2.10-3", "2.9-1"}}, native="amd64")
    err = exc.value
    assert "hello 2.10-2 is no longer in the archive; it has 2.10-3, 2.9-1" in err.message
    assert "--allow-newer" in err.hint and err.available == ["2.10-3", "2.9-1"]
    assert err.exit_code == ExitCode.PIN_UNAVAILABLE


def test_allow_newer_takes_the_archives_latest_and_says_so():
    pins, notes = apply.resolve_pins(
        [drifted("hello", "2.10-2")], {"hello": {"2.10-3", "2.9-1"}}, native="amd64", allow_newer=True
    )
    assert pins == ["hello=2.10-3"] and "installing 2.10-3 (--allow-newer)" in notes[0]


def test_allow_newer_does_not_accept_an_older_version():
    with pytest.raises(PinUnavailableError, match=re.escape("it has 2.9-1")):
        apply.resolve_pins([drifted("hello", "2.10-2")], {"hello": {"2.9-1"}}, native="amd64", allow_newer=True)


def test_a_package_the_archive_lacks_is_a_broken_lock():
    with pytest.raises(LockError, match="not a package this machine's archive has") as exc:
        apply.resolve_pins([drifted("no-such-thing", "1.0")], {"no-such-thing": set()}, native="amd64")
    assert exc.value.exit_code == ExitCode.LOCK_INVALID


@pytest.mark.parametrize(
    ("p", "rule"),
    [
        (state.PackageDrift("bash", "amd64", "5.2-1", "5.2-2", "held"), "held"),
        (state.PackageDrift("bash", "amd64", "5.2-1", "5.2-2", "other version"), "downgrade"),
    ],
)
def test_holds_and_downgrades_are_refused(p, rule):
    with pytest.raises(RefusedError) as exc:
        apply.resolve_pins([p], {"bash": {"5.2-1", "5.2-2"}}, native="amd64")
    assert exc.value.rule == rule


def test_closure_notes_name_dependencies_that_moved():
    the_lock = make_lock(req("c", ("cowsay", "3.03+dfsg2-8")))
    assert apply.closure_notes(the_lock, {"cowsay": "3.03+dfsg2-8"}) == []
    assert apply.closure_notes(the_lock, {"cowsay": "3.04-1"}) == [
        "dependency cowsay: the lock recorded 3.03+dfsg2-8, apt would install 3.04-1."
    ]


# -- the policy -------------------------------------------------------------------------------------------


def test_policy_allows_exactly_the_pins_the_context_lists():
    argv = ("apt-get", "install", "-y", "hello=2.10-3")
    check(Step(argv), PolicyContext.for_plan("apt", ["hello"], pinned=["hello=2.10-3"]))
    for ctx in (
        PolicyContext.for_plan("apt", ["hello"]),
        PolicyContext.for_plan("apt", ["hello"], pinned=["hello=2.10-4"]),
    ):
        with pytest.raises(RefusedError) as exc:
            check(Step(argv), ctx)
        assert exc.value.rule == "pinned-version"
    with pytest.raises(RefusedError) as exc:  # listed pins do not widen a query
        check(Step(("dpkg-query", "-W", "hello=2.10-3")), PolicyContext.for_plan("apt", [], pinned=["hello=2.10-3"]))
    assert exc.value.rule == "pinned-version"


# -- entries ----------------------------------------------------------------------------------------------


def test_entry_from_a_dry_run_plan():
    plan = {
        "request": "cowsay",
        "backend": "exact",
        "model": "",
        "chosen": [{"name": "cowsay", "version": "3.03", "origin": "debian/main", "backend": "exact", "why": "w"}],
        "simulation": {
            "new": [
                {"name": "cowsay", "version": "3.03+dfsg2-8"},
                {"name": "libtext-charwidth-perl", "version": "0.04-11"},
            ],
            "upgraded": [{"name": "libc6:i386", "old": "2.36-8", "new": "2.36-9"}],
        },
    }
    arches = {("cowsay", "3.03+dfsg2-8"): "all"}
    entry = entries.from_plan(plan, installed={}, arches=arches, native="amd64", when="T")
    assert entry.packages == (LockedPackage("cowsay", "3.03+dfsg2-8", "all", "debian/main", "exact", "w"),)
    assert [(p.name, p.version, p.architecture) for p in entry.closure] == [
        ("cowsay", "3.03+dfsg2-8", "all"),
        ("libc6", "2.36-9", "i386"),
        ("libtext-charwidth-perl", "0.04-11", "amd64"),
    ]
    verified = entries.from_plan(plan, installed={"cowsay": "3.03+dfsg2-9"}, arches={}, native="amd64", when="T")
    assert verified.packages[0].version == "3.03+dfsg2-9"  # what verification found installed wins


def test_entry_from_a_transaction_keeps_what_it_installed():
    from cortex.history.diff import Change
    from cortex.history.records import TransactionRecord

    record = TransactionRecord(
        7,
        "install",
        "installed",
        "cowsay and hello",
        "exact",
        None,
        0.0,
        1.0,
        "",
        plan={"packages": ["cowsay", "hello"], "chosen": [{"name": "cowsay", "origin": "debian/main", "why": "w"}]},
        changes=(
            Change("cowsay", "installed", None, "3.03+dfsg2-8"),
            Change("libtext-charwidth-perl", "installed", None, "0.04-11", new_auto=True),
        ),
    )
    found = entries.from_transaction(record, arches={}, native="amd64", when="T")
    assert found.skipped == ("hello",)  # it was already installed: the transaction did not install it
    assert found.entry is not None and found.entry.source == "history 7"
    assert [(p.name, p.version, p.origin) for p in found.entry.packages] == [("cowsay", "3.03+dfsg2-8", "debian/main")]
    assert [p.name for p in found.entry.closure] == ["cowsay", "libtext-charwidth-perl"]
    empty = TransactionRecord(8, "install", "failed", "x", None, None, 0.0, 1.0, "", plan={"packages": ["x"]})
    assert entries.from_transaction(empty, arches={}, native="amd64", when="T").entry is None


# -- host parsers -----------------------------------------------------------------------------------------


def test_parse_dpkg_query_and_apt_cache_show():
    text = "hello\tamd64\t2.10-3\tii \ndpkg-query: no packages found matching nope\nbash\tamd64\t5.2\thi \n"
    got = host.parse_dpkg_query(text)
    assert set(got) == {("hello", "amd64"), ("bash", "amd64")} and got[("bash", "amd64")].held
    show = "Package: hello\nVersion: 2.10-3\nArchitecture: amd64\nDescription: x\n\nPackage: sl\nVersion: 5\n"
    assert host.parse_show(show) == {("hello", "2.10-3"): "amd64"}


def test_distribution_from_os_release():
    assert host.distribution({"ID": "debian", "VERSION_ID": "12", "VERSION_CODENAME": "bookworm"}) == BOOKWORM
    assert host.distribution({"ID": "debian", "VERSION_CODENAME": "trixie"}).release == "trixie"


# -- exports ----------------------------------------------------------------------------------------------


def test_ansible_playbook_pins_tags_and_never_removes():
    text = export.ansible_playbook(make_lock(HELLO, SL), "cortex.lock")
    assert text.startswith("# Ansible playbook produced by cortex 0.1.0 (`cortex export`) from cortex.lock.")
    play = yaml.safe_load(text)[0]
    assert play["hosts"] == "all" and play["become"] is True
    apt_tasks = [t for t in play["tasks"] if "ansible.builtin.apt" in t]
    assert [t["ansible.builtin.apt"]["name"] for t in apt_tasks] == [
        ["hello=2.10-3"],
        ["sl=5.02-1+b1", "cowsay=3.03+dfsg2-8"],
    ]
    assert [t["tags"] for t in apt_tasks] == [["cortex", "hello"], ["cortex", "sl_and_cowsay"]]
    for t in apt_tasks:
        mod = t["ansible.builtin.apt"]
        assert mod["state"] == "present" and mod["update_cache"] is True and mod["cache_valid_time"] == 3600
    assert "absent" not in text and "autoremove" not in text
    assert "distribution_release'] == 'bookworm'" in text


def test_shell_script_runs_the_apply_argv_and_parses(tmp_path):
    from cortex.packages.apt import AptManager

    the_lock = make_lock(HELLO, req("l", ("libc6", "2.36-9+deb12u4"), arch="i386"))
    text = export.shell_script(the_lock, "cortex.lock")
    argv = AptManager().install_pinned_argv(["hello=2.10-3", "libc6:i386=2.36-9+deb12u4"])
    assert " ".join(argv) in text
    assert text.startswith("#!/bin/sh\n") and "\nset -eu\n" in text and "apt-get remove" not in text
    script = tmp_path / "provision.sh"
    script.write_text(text)
    assert subprocess.run(["sh", "-n", str(script)], capture_output=True).returncode == 0


def test_export_tags_are_safe():
    assert export.tag("something to edit PDFs!") == "something_to_edit_pdfs"
    assert export.tag("???") == "request"


# -- the CLI's bad-input paths: typed errors, exit codes, nothing installed ------------------------------


def cortex(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cortex", *args], capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120
    )


@pytest.mark.parametrize(
    ("content", "code", "words"),
    [
        ("version: 1\nmanager: apt\nrequests: [\n", 14, "not valid YAML"),
        ("version: 9\n", 14, "unknown schema version 9"),
        (lock.dumps(make_lock(HELLO, dist=Distribution("fedora", "40"), manager="dnf")), 14, "dnf"),
    ],
)
def test_apply_and_export_refuse_bad_locks(tmp_path, content, code, words):
    path = tmp_path / "cortex.lock"
    path.write_text(content)
    for args in (("apply", str(path), "--check"), ("apply", str(path), "--execute", "--yes"), ("export", "shell")):
        proc = cortex(*args, *(() if args[0] == "apply" else (str(path),)))
        assert proc.returncode == code, proc.stderr
        assert words in proc.stderr and "Traceback" not in proc.stderr


def test_apply_json_error_document(tmp_path):
    path = tmp_path / "cortex.lock"
    path.write_text("version: 2\n")
    proc = cortex("apply", str(path), "--json")
    assert proc.returncode == 14
    assert yaml.safe_load(proc.stdout) == {
        "error": "LockError",
        "message": f"Invalid lock file {path}: unknown schema version 2; this cortex reads version 1.",
        "hint": "Upgrade cortex to read it, or write the lock again with this cortex.",
        "exit_code": 14,
    }


def test_apply_without_a_lock_file_is_not_found(tmp_path):
    proc = cortex("apply", str(tmp_path / "absent.lock"))
    assert proc.returncode == 10 and "No lock file" in proc.stderr


def test_export_writes_an_executable_script(tmp_path):
    path = tmp_path / "cortex.lock"
    lock.save(path, make_lock(HELLO))
    out = tmp_path / "provision.sh"
    proc = cortex("export", "shell", str(path), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert os.access(out, os.X_OK) and "hello=2.10-3" in out.read_text()
    proc = cortex("export", "ansible", str(path))
    assert proc.returncode == 0 and yaml.safe_load(proc.stdout)[0]["tasks"][1]["tags"] == ["cortex", "hello"]


_NO_MODEL = textwrap.dedent(
    """
    import sys
    from cortex.cli.main import main
    code = main(sys.argv[1:])
    heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("anthropic", "openai", "xllamacpp", "httpx")
                   or m.startswith(("cortex.llm", "cortex.local_models")))
    print("HEAVY", heavy, "CODE", code)
    """
)


def test_apply_never_imports_a_model_or_an_sdk(tmp_path):
    path = tmp_path / "cortex.lock"
    lock.save(path, make_lock(HELLO))
    for args in (["apply", str(path), "--check"], ["apply", str(path)], ["export", "ansible", str(path)]):
        proc = subprocess.run(
            [sys.executable, "-c", _NO_MODEL, *args], capture_output=True, text=True, timeout=120, check=False
        )
        line = proc.stdout.strip().splitlines()[-1]
        assert line.startswith("HEAVY [] CODE"), (args, line, proc.stderr)
    proc = subprocess.run(
        [sys.executable, "-c", "import sys, cortex.cli.apply, cortex.provisioning.apply; print(sorted(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert not [
        m for m in ast.literal_eval(proc.stdout) if m.startswith(("anthropic", "openai", "xllamacpp", "cortex.llm"))
    ]


# -- the other writers: `history show ID --lock`, `install --lock` ----------------------------------------


def test_history_show_lock_writes_what_the_transaction_installed(dpkg, tmp_path, capsys):  # noqa: F811 (fixture)
    from cortex.cli.main import main
    from tests.test_history_cli import install_cowsay

    tx = install_cowsay(dpkg)
    path = tmp_path / "cortex.lock"
    assert main(["history", "show", str(tx), "--lock", str(path)]) == 0
    assert f"Added 'install cowsay' in {path}: cowsay" in capsys.readouterr().out
    entry = lock.load(path).requests[0]
    assert (entry.request, entry.source, entry.backend) == ("install cowsay", f"history {tx}", "exact")
    assert [(p.name, p.version) for p in entry.packages] == [("cowsay", "3.03+dfsg2-8")]
    assert [(p.name, p.version) for p in entry.closure] == [
        ("cowsay", "3.03+dfsg2-8"),
        ("libtext-charwidth-perl", "0.04-11"),
    ]
    assert main(["history", "show", str(tx), "--lock", str(path), "--json"]) == 0
    doc = yaml.safe_load(capsys.readouterr().out)
    assert doc["replaced"] is True and doc["transaction"] == tx and len(lock.load(path).requests) == 1

    from cortex.history import open_store

    planned = open_store().record_plan(request="install htop")
    assert main(["history", "show", str(planned), "--lock", str(path)]) == ExitCode.NOT_FOUND
    assert "installed no packages" in capsys.readouterr().err


def test_install_lock_refuses_a_broken_lock_before_planning(tmp_path):
    path = tmp_path / "cortex.lock"
    path.write_text("version: 3\n")
    proc = cortex("install", "hello", "--lock", str(path), "--no-model")
    assert proc.returncode == 14 and "unknown schema version 3" in proc.stderr
    assert path.read_text() == "version: 3\n"


@pytest.mark.skipif(not os.path.exists("/var/lib/dpkg/status"), reason="needs dpkg")
def test_a_machine_in_sync_checks_clean_and_applies_nothing(tmp_path):
    """A lock of what is installed here (dpkg's own versions): --check exits 0, apply says in sync."""
    found = host.installed(["dpkg", "coreutils", "bash"])
    pkgs = tuple(LockedPackage(i.name, i.version, i.architecture) for i in found.values() if i.present)
    assert len(pkgs) == 3
    path = tmp_path / "cortex.lock"
    lock.save(path, lock.merge(None, LockedRequest("base", pkgs), host.base_lock("apt")))
    check = cortex("apply", str(path), "--check", "--json")
    assert check.returncode == 0, check.stderr
    doc = yaml.safe_load(check.stdout)
    assert doc["status"] == "in sync" and doc["drift"]["counts"]["in sync"] == 3
    for args in (("apply", str(path)), ("apply", str(path), "--execute", "--yes")):
        proc = cortex(*args)
        assert proc.returncode == 0 and "In sync: nothing to do." in proc.stdout, proc.stderr
    from cortex.history import open_store

    with open_store() as store:
        assert store.list() == []  # nothing ran, nothing was recorded
