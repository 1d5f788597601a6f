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


def test_model_choice_is_used_and_named(capsys):
    def pick(request):
        if "packages" in request.schema["properties"]:  # the proposal step
            return reply('{"packages": []}')
        enum = request.schema["properties"]["package"]["enum"]
        prompt = request.messages[-1].content
        assert prompt.rstrip().splitlines()[-1].startswith("User request:")  # the request comes last
        return reply(f'{{"package": "{enum[0]}", "reason": "fits"}}')

    cls = scripted("clipicker", pick, pick)
    code, doc = run_json(capsys, "a program to take screenshots", "--provider", "clipicker")
    assert code == 0 and doc["status"] == "planned" and doc["backend"] == "clipicker"
    assert len(doc["packages"]) == 1 and doc["chosen"][0]["why"] == "fits"
    assert doc["simulation"]["ok"] and len(cls.requests) == 2


def test_model_none_is_unresolved(capsys):
    scripted("clinone", reply('{"packages": []}'), reply('{"package": "none"}'))
    code, doc = run_json(capsys, "a program to take screenshots", "--provider", "clinone")
    assert code == 4 and doc["status"] == "unresolved" and doc["packages"] == []


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
