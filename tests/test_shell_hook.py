"""The command-not-found hook (`cortex shell-init`), driven in a real bash in a pseudo-terminal."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

from cortex.cli.shell_init import hook
from cortex.packages.contents import lookup_path
from tests.contents_helpers import install_for_cli, write_index

ROOT = Path(__file__).resolve().parents[1]
PROMPT = "CXPROMPT> "
BASH = shutil.which("bash") or "/bin/bash"


@pytest.fixture
def lookup(tmp_path) -> Path:
    return lookup_path(write_index(tmp_path / "packages-apt.sqlite3"))


def bash(tmp_path: Path, source: str, path: str | None = None) -> pexpect.spawn:
    rc = tmp_path / "hookrc"
    rc.write_text(source + f"\nPS1='{PROMPT}'\n")
    env = {"HOME": str(tmp_path), "TERM": "dumb", "PATH": path or os.environ["PATH"], "LC_ALL": "C.UTF-8"}
    child = pexpect.spawn(BASH, ["--noprofile", "--rcfile", str(rc), "-i"], env=env, encoding="utf-8", timeout=20)
    child.expect_exact(PROMPT)
    return child


def run_line(child: pexpect.spawn, line: str) -> str:
    child.sendline(line)
    child.expect_exact(PROMPT)
    return child.before.replace("\r\n", "\n")


def only(tmp_path: Path, *tools: str) -> str:
    """A PATH holding just `tools`: no command the test types exists, whatever this machine has."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in tools:
        found = shutil.which(tool)
        if found is None:
            pytest.skip(f"{tool} is not installed")
        os.symlink(found, bin_dir / tool)
    return str(bin_dir)


def test_bash_hook_names_the_package_and_keeps_127(tmp_path, lookup):
    child = bash(tmp_path, hook("bash", str(lookup)), path=only(tmp_path, "look", "awk"))
    out = run_line(child, "dig example.org; echo status=$?")
    assert "dig: command not found; package bind9-dnsutils ships it." in out
    assert "sudo apt install bind9-dnsutils" in out and "status=127" in out
    out = run_line(child, "vi; echo status=$?")
    assert "these packages ship it" in out and out.index("vim-tiny") < out.index("nvi")
    out = run_line(child, "zzq-nothing-ships-this; echo status=$?")
    assert "bash: zzq-nothing-ships-this: command not found" in out and "status=127" in out
    child.sendline("exit")
    child.expect(pexpect.EOF)


def test_bash_hook_falls_back_to_awk_without_look(tmp_path, lookup):
    child = bash(tmp_path, hook("bash", str(lookup)), path=only(tmp_path, "awk"))
    out = run_line(child, "mkfs.exfat; echo status=$?")
    assert "package exfatprogs ships it" in out and "status=127" in out
    child.sendline("exit")
    child.expect(pexpect.EOF)


def test_bash_hook_without_a_lookup_file_prints_bash_s_own_message(tmp_path):
    child = bash(tmp_path, hook("bash", str(tmp_path / "missing.commands")), path=only(tmp_path, "look"))
    out = run_line(child, "dig; echo status=$?")
    assert "bash: dig: command not found" in out and "status=127" in out
    child.sendline("exit")
    child.expect(pexpect.EOF)


def test_shell_init_prints_the_hook_for_the_user_s_index(cortex_home):
    install_for_cli(cortex_home)
    env = {**os.environ}
    proc = subprocess.run(
        [sys.executable, "-m", "cortex", "shell-init", "bash"], capture_output=True, text=True, env=env, cwd=ROOT
    )
    assert proc.returncode == 0, proc.stderr
    assert "command_not_found_handle()" in proc.stdout
    assert str(cortex_home / "cache" / "packages-apt.commands") in proc.stdout
    assert subprocess.run(["bash", "-n"], input=proc.stdout, text=True).returncode == 0
    zsh = subprocess.run(
        [sys.executable, "-m", "cortex", "shell-init", "zsh"], capture_output=True, text=True, env=env, cwd=ROOT
    )
    assert "command_not_found_handler()" in zsh.stdout and "${=_cx_hit" in zsh.stdout
    if shutil.which("zsh"):
        assert subprocess.run(["zsh", "-n"], input=zsh.stdout, text=True).returncode == 0
