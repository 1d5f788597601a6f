"""`cortex install` in-process with a scripted model provider selected by --provider: the model's pick
is a real package from the index, the backend names the provider, and `none` ends unresolved."""

from __future__ import annotations

import json
import shutil

import pytest

from cortex.cli.main import main
from tests.scripted import reply, scripted

pytestmark = [
    pytest.mark.skipif(shutil.which("apt-get") is None, reason="needs apt (Debian/Ubuntu)"),
    pytest.mark.usefixtures("home"),
]


def run_json(capsys, *argv: str) -> tuple[int, dict]:
    code = main(["install", *argv, "--json"])
    out = capsys.readouterr().out
    return code, json.loads(out)


def test_a_capable_models_proposal_is_verified_planned_and_named(capsys):
    cls = scripted("cliproposer", reply('{"packages": ["screenshot-tool-invented", "gnome-screenshot"]}'))
    code, doc = run_json(capsys, "a program to take screenshots", "--provider", "cliproposer")
    assert code == 0 and doc["status"] == "planned" and doc["backend"] == "cliproposer"
    assert doc["packages"] == ["gnome-screenshot"] and doc["chosen"][0]["why"].startswith("proposed by cliproposer")
    assert doc["simulation"]["ok"] and len(cls.requests) == 1
    assert "screenshot-tool-invented" not in json.dumps(doc)


def test_a_proposal_the_archive_lacks_for_a_need_nothing_fits_is_unresolved(capsys):
    scripted("clinone", reply('{"packages": ["marsport"]}'))
    code, doc = run_json(capsys, "something that teleports hamsters to mars", "--provider", "clinone")
    assert code == 4 and doc["status"] == "unresolved" and doc["packages"] == []
    assert "marsport" not in json.dumps(doc)


def test_exact_names_never_ask_the_model(capsys):
    cls = scripted("cliexact")
    code, doc = run_json(capsys, "hello", "--provider", "cliexact")
    assert code == 0 and doc["packages"] == ["hello"] and cls.requests == []


def test_local_model_is_used_for_package_choice_only_when_asked():
    from cortex.config import Settings
    from cortex.installation import local_model_wanted

    assert not local_model_wanted(Settings.load())
    assert local_model_wanted(Settings.load(flags={"install.local_model": True}))
    assert local_model_wanted(Settings.load(flags={"provider": "local"}))
    assert local_model_wanted(Settings.load(flags={"routing.tasks": {"package_selection": ["local"]}}))
