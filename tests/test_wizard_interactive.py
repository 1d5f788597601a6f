"""The interactive wizard in a real pseudo-terminal: questionary prompts driven with arrow keys."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pexpect
import yaml

from cortex import paths
from cortex.hardware import detect
from cortex.ollama.catalog import load_catalog, recommend
from cortex.setup.steps import model_choices
from tests.ollama_helpers import fake_ollama, free_port  # noqa: F401 - pytest fixtures

REPO = Path(__file__).resolve().parents[1]
DOWN = "\x1b[B"


def spawn(*args: str) -> pexpect.spawn:
    env = dict(os.environ, TERM="xterm-256color", PROMPT_TOOLKIT_NO_CPR="1", COLUMNS="160", LINES="40")
    return pexpect.spawn(
        sys.executable,
        ["-m", "cortex", "setup", "ollama", *args],
        cwd=str(REPO),
        env=env,
        dimensions=(40, 160),
        encoding="utf-8",
        timeout=40,
    )


def test_interactive_pick_another_model_with_arrow_keys(fake_ollama):  # noqa: F811
    fake_ollama["models"](installed=(), library=[("gemma3:1b", 2_000_000)])
    hw = detect()
    rec = recommend(hw).model.tag
    tags = [tag for tag, _ in model_choices(load_catalog(), hw, set(), rec)]
    child = spawn("--base-url", fake_ollama["url"])
    child.expect("Recommended: ")
    child.expect("Which model")
    child.send(DOWN * tags.index("gemma3:1b"))
    child.send("\r")
    child.expect("success")  # pull finished
    child.expect("tokens/s")
    child.expect("written to")
    child.expect("Run that `cortex ask` now")
    child.send("n")
    child.send("\r")
    child.expect("Done.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    config = yaml.safe_load(paths.config_file().read_text())
    assert config["providers"]["ollama"]["model"] == "gemma3:1b"


def test_interactive_install_is_asked_first_and_can_be_declined(tmp_path, monkeypatch, free_port):  # noqa: F811
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    monkeypatch.setenv("HOME", str(tmp_path))
    child = spawn("--base-url", f"http://127.0.0.1:{free_port}")
    child.expect("This will:")
    child.expect("download https://ollama.com/")
    child.expect("Install Ollama this way")
    child.send("n")
    child.send("\r")
    child.expect("install declined")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 11


def test_ctrl_c_at_a_prompt_exits_130(fake_ollama):  # noqa: F811
    fake_ollama["models"]()
    child = spawn("--base-url", fake_ollama["url"])
    child.expect("Which model")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
