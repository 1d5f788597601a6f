"""The runner (argv, sanitised env, bounded output, status fd, timeout), the executor's pure decisions,
and the executor itself on real, harmless apt commands (simulations)."""

from __future__ import annotations

import shutil
import sys

import pytest

from cortex.errors import InstallError, RefusedError
from cortex.executor import Executor, StepResult, failure, final_argv, main_command
from cortex.plan import Step
from cortex.policy import PolicyContext, check
from cortex.progress import ProgressEvent, lock_event, parse_status_line
from cortex.system import runner

PY = sys.executable


# -- runner -------------------------------------------------------------------------------------
def test_runner_captures_stdout_and_stderr_without_a_shell():
    res = runner.run([PY, "-c", "import sys; print('out'); print('err', file=sys.stderr); sys.exit(3)"])
    assert res.returncode == 3 and "out" in res.output and "err" in res.output and not res.ok


def test_runner_does_not_interpret_shell_syntax():
    res = runner.run([PY, "-c", "import sys; print(sys.argv[1])", "$(echo hi); rm -rf /"])
    assert res.output.strip() == "$(echo hi); rm -rf /"


def test_runner_sanitises_the_environment(monkeypatch):
    monkeypatch.setenv("LD_PRELOAD", "/tmp/evil.so")
    monkeypatch.setenv("PYTHONPATH", "/tmp/evil")
    env = runner.sanitized_env(runner.NONINTERACTIVE)
    assert "LD_PRELOAD" not in env and "PYTHONPATH" not in env
    assert env["DEBIAN_FRONTEND"] == "noninteractive" and env["LC_ALL"] == "C.UTF-8"
    res = runner.run([PY, "-c", "import os; print(os.environ.get('LD_PRELOAD', 'none'))"])
    assert res.output.strip() == "none"


def test_runner_bounds_the_captured_output():
    res = runner.run([PY, "-c", "print('x' * 100000); print('END')"], max_output=1000)
    assert res.truncated and len(res.output) <= 1000 and res.output.rstrip().endswith("END")


def test_runner_timeout_is_never_success():
    res = runner.run([PY, "-c", "import time; time.sleep(30)"], timeout=0.5)
    assert res.timed_out and not res.ok


def test_runner_status_fd_and_line_callbacks():
    statuses, lines = [], []
    code = "import os,sys; fd=int(sys.argv[1]); os.write(fd, b'pmstatus:hello:50:Unpacking hello\\n'); print('Waiting for cache lock')"
    res = runner.run(
        lambda fd: [PY, "-c", code, str(fd)], status_fd=True, on_status=statuses.append, on_line=lines.append
    )
    assert res.ok
    assert statuses == ["pmstatus:hello:50:Unpacking hello"]
    assert "Waiting for cache lock" in lines


def test_runner_missing_executable_is_a_typed_error():
    with pytest.raises(InstallError):
        runner.run(["/nonexistent/cortex-test-binary"])


# -- pure decisions -------------------------------------------------------------------------------
def test_final_argv_adds_status_fd_and_sudo_only_when_needed():
    step = Step(("apt-get", "install", "-y", "hello"), "Install hello", privileged=True)
    assert final_argv(step, is_root=True) == step.argv
    argv = final_argv(step, is_root=False, status_fd=7)
    assert argv[:2] == ("sudo", "-n") and argv[3] == "--"
    assert argv[4:9] == ("apt-get", "-o", "APT::Status-Fd=7", "-o", "Dpkg::Use-Pty=0")
    query = Step(("dpkg-query", "-W", "hello"))
    assert final_argv(query, is_root=False, status_fd=7) == query.argv


def test_steps_run_against_the_apt_configuration_the_plan_was_simulated_with():
    step = Step(("apt-get", "install", "-y", "hello"), "Install hello", privileged=True)
    assert runner.sanitized_env(base={"APT_CONFIG": "/etc/x.conf", "LD_PRELOAD": "x.so"}) == {
        "APT_CONFIG": "/etc/x.conf",
        "PATH": runner.SAFE_PATH,
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
    }
    plain = final_argv(step, is_root=False, environ={})
    configured = final_argv(step, is_root=False, environ={"APT_CONFIG": "/etc/x.conf"})
    assert "APT_CONFIG" not in plain[2]
    assert configured[2] == "--preserve-env=DEBIAN_FRONTEND,APT_LISTCHANGES_FRONTEND,NEEDRESTART_MODE,APT_CONFIG"
    context = PolicyContext(manager="apt", purpose="install", packages=frozenset({"hello"}))
    check(Step(configured, step.description, True), context)  # the policy accepts the form cortex builds
    with pytest.raises(RefusedError):
        check(Step(("sudo", "-n", "--preserve-env=LD_PRELOAD", "--", *step.argv), "", True), context)


@pytest.mark.parametrize(
    ("output", "message", "hint"),
    [
        ("E: Unable to locate package nosuch\n", "Unable to locate package", "apt-get update"),
        ("E: Could not get lock /var/lib/dpkg/lock-frontend.\n", "Could not get lock", "Another package manager"),
        ("sudo: a password is required\n", "sudo needs a password", "sudo -v"),
        (
            "E: dpkg was interrupted, you must manually run 'dpkg --configure -a'\n",
            "dpkg was interrupted",
            "dpkg --configure -a",
        ),
    ],
)
def test_failure_keeps_the_package_managers_error_and_adds_a_hint(output, message, hint):
    err = failure(StepResult(("apt-get", "install", "x"), 100, output))
    assert message in err.message and hint in err.hint


def test_failure_on_timeout():
    err = failure(StepResult(("apt-get",), -15, "", timed_out=True))
    assert "did not finish" in err.message


def test_main_command():
    assert (
        main_command("cowsay", ["/usr/games/cowsay", "/usr/games/cowthink", "/usr/share/cowsay/cows/x.cow"])
        == "/usr/games/cowsay"
    )
    assert main_command("hello", ["/usr/bin/hello", "/usr/share/doc/hello"]) == "/usr/bin/hello"
    assert (
        main_command("redis-server", ["/usr/bin/redis-server", "/usr/bin/redis-check-rdb"]) == "/usr/bin/redis-server"
    )
    assert main_command("libc6", ["/lib/x86_64-linux-gnu/libc.so.6"]) is None
    assert main_command("fonts-x", ["/usr/share/fonts/x.ttf"]) is None


def test_parse_status_lines():
    assert parse_status_line("pmstatus:nginx:42.5:Installing nginx") == ProgressEvent(
        "install", "nginx", 42.5, "Installing nginx"
    )
    assert parse_status_line("dlstatus:1:10:Retrieving file 1 of 2").kind == "download"
    assert parse_status_line("pmerror:x.deb:50:trying to overwrite").kind == "error"
    assert parse_status_line("garbage") is None
    assert lock_event("Waiting for cache lock: Could not get lock /var/lib/dpkg/lock-frontend").kind == "lock"
    assert lock_event("Reading package lists...") is None


# -- the executor on real, harmless apt commands ----------------------------------------------------
needs_apt = pytest.mark.skipif(shutil.which("apt-get") is None, reason="needs apt-get")


@needs_apt
def test_executor_runs_policy_checked_steps_and_records_them():
    recorded = []
    ctx = PolicyContext.for_plan("apt", ["hello"])
    executor = Executor(ctx, on_step=lambda argv, rc, out: recorded.append((argv, rc, out)), is_root=True)
    results = executor.run([Step(("apt-get", "-s", "install", "hello"), "Simulate hello")])
    assert results[0].returncode == 0 and "hello" in results[0].output
    assert recorded and recorded[0][0][:3] == ["apt-get", "-o", "APT::Status-Fd=" + recorded[0][0][2].split("=")[1]]


@needs_apt
def test_executor_stops_at_a_failed_step_with_the_managers_error():
    ctx = PolicyContext.for_plan("apt", ["cortex-no-such-package"])
    executor = Executor(ctx, is_root=True)
    with pytest.raises(InstallError) as info:
        executor.run([Step(("apt-get", "-s", "install", "cortex-no-such-package"), "Simulate")])
    assert "Unable to locate package" in info.value.message


def test_executor_refuses_before_running_anything():
    ctx = PolicyContext.for_plan("apt", ["hello"])
    ran = []
    executor = Executor(ctx, on_step=lambda *a: ran.append(a), is_root=True)
    steps = [Step(("apt-get", "-s", "install", "hello")), Step(("bash", "-c", "echo pwned"))]
    with pytest.raises(RefusedError):
        executor.run(steps)
    assert ran == []
