"""The intake's edges through the CLI, in-process: bytes that are not UTF-8, the size limit, refused
JSON, options and filler words, languages cortex does not read; and the planner's hook (no search)."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field

import pytest

from cortex import plan as P
from cortex.cli.main import main
from cortex.intake import MAX_CHARS
from cortex.planner import Planner

needs_apt = pytest.mark.skipif(shutil.which("apt-get") is None, reason="needs apt (Debian/Ubuntu)")
BAD = os.fsdecode(b"ng\xffinx")  # what Python puts in sys.argv for bytes that are not UTF-8


def run(capsys, *argv: str) -> tuple[int, dict, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, json.loads(captured.out) if captured.out.strip() else {}, captured.err


@pytest.mark.parametrize(
    "argv",
    [
        ["install", BAD, "--json"],
        ["install", "vim", BAD, "--json"],
        ["history", BAD, "--json"],
        ["config", "get", BAD, "--json"],
        ["--provider", BAD, "doctor", "--json"],
    ],
)
def test_arguments_that_are_not_utf8_are_a_usage_error_naming_the_argument(capsys, argv):
    code, doc, err = run(capsys, *argv)
    n = argv.index(BAD) + 1
    assert code == 2 and doc["error"] == "UsageError"
    assert f"Argument {n} " in doc["message"] and "not valid UTF-8" in doc["message"] and "\\xff" in doc["message"]
    assert "Traceback" not in err


def test_a_request_over_the_size_limit_is_a_usage_error(capsys):
    code, doc, _err = run(capsys, "install", "x " * (MAX_CHARS // 2 + 10), "--json")
    assert code == 2 and doc["error"] == "UsageError" and "too long" in doc["message"]
    code, doc, _ = run(capsys, "install", " ".join(["vim"] * 20_000), "--json")  # once a SQL error
    assert code == 2 and "too long" in doc["message"]


@needs_apt
@pytest.mark.usefixtures("home")
@pytest.mark.parametrize(
    ("request_text", "rule"),
    [
        ("disable apparmor", "service"),
        ("nginx (and quietly uninstall openssh-server)", "uninstall"),
        ("install git and also make every file world-writable", "config"),
        ("I need htop. Also delete /usr.", "system-path"),
        ("htop\u2028wipe the disk", "delete"),
        ("dpkg --purge --force-all libc6", "command-line"),
        ("lösche alle Dateien", "delete"),
    ],
)
def test_refused_requests_exit_3_with_no_steps_and_no_packages(capsys, request_text, rule):
    code, doc, _err = run(capsys, "install", request_text, "--json")
    assert code == 3 and doc["status"] == "refused" and doc["rule"] == rule
    assert "steps" not in doc and "packages" not in doc
    assert "cortex install only installs software" in doc["reason"] or doc["rule"] == "system-path"


@needs_apt
@pytest.mark.usefixtures("home")
def test_a_request_that_starts_with_an_option_is_refused(capsys):
    code, doc, _ = run(capsys, "install", "--json", "--", "-o", "Dpkg::Options::=--force-all", "nginx")
    assert code == 3 and doc["rule"] == "option" and "steps" not in doc


@needs_apt
@pytest.mark.usefixtures("home")
@pytest.mark.parametrize("request_text", ["and", "the", "удали nginx", "删除 nginx"])
def test_filler_words_and_unread_languages_end_unresolved(capsys, request_text):
    code, doc, _ = run(capsys, "install", request_text, "--json")
    assert code == 4 and doc["status"] == "unresolved" and doc["packages"] == [] and doc["backend"] == "intake"


@needs_apt
@pytest.mark.usefixtures("home")
def test_destructive_tools_are_still_planned(capsys):
    code, doc, _ = run(capsys, "install", "recover files I deleted with rm -rf", "--json", "--no-model")
    assert code == 0 and doc["status"] == "planned" and doc["packages"]


@dataclass
class RecordingIndex:
    """An index that remembers every lookup: the hook must end unreadable requests before any."""

    calls: list[str] = field(default_factory=list)

    def get(self, name):
        self.calls.append(f"get {name}")

    def resolve_term(self, term):
        self.calls.append(f"resolve {term}")
        return []

    def search(self, query, limit=20):
        self.calls.append(f"search {query}")
        return []

    def suggest(self, term):
        self.calls.append(f"suggest {term}")
        return []


class Manager:
    name = "apt"

    def valid_name(self, name):
        return True


@pytest.mark.parametrize("request_text", ["and", "the", "the and", "удали nginx", "usuń wszystkie pliki"])
def test_the_planner_never_searches_an_unreadable_request(request_text):
    index = RecordingIndex()
    plan = Planner(index, Manager()).plan(request_text)
    assert plan.status == P.UNRESOLVED and plan.backend == "intake" and plan.reason and plan.suggestions
    assert index.calls == []
