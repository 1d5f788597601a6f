"""Offline `cortex ask`: answers drawn from this machine's real man pages, never from the base model."""

from __future__ import annotations

import json
import os
import re
import subprocess

import pytest

from cortex.assist import manpages, offline_reason
from cortex.assist.offline import answer, question_terms
from cortex.llm.types import TaskType
from cortex.local_models.bundled import BUNDLED_NAME
from tests.cli_helpers import cortex

needs_man = pytest.mark.skipif(
    not manpages.available() or manpages.page("chown", "1") is None,
    reason="man-db and the coreutils man pages are needed (.ci/run installs them)",
)


class Chain:
    """A router as offline_reason sees it: only its provider chain."""

    def __init__(self, chain):
        self._chain = chain

    def chain(self, task, provider=None):
        return [c for c in self._chain if provider in (None, c[0])]


def test_offline_when_no_model_or_only_the_bundled_base_model():
    task = TaskType.USER_CHAT
    assert offline_reason(Chain([]), task) == "no model is configured"
    assert "embedded model" in offline_reason(Chain([("local", BUNDLED_NAME)]), task)
    assert offline_reason(Chain([("openai", "gpt-4o"), ("local", BUNDLED_NAME)]), task) is None
    assert offline_reason(Chain([("local", "qwen2.5-7b-instruct.gguf")]), task) is None  # the user's own model
    assert offline_reason(Chain([]), task, provider="claude") is None  # the forced provider reports itself


def test_question_terms_drop_filler_and_add_weaker_synonyms():
    terms = question_terms("How do I list the listening TCP ports?")
    assert terms["tcp"] == 1.0 and terms["port"] == 1.0
    assert terms["socket"] < 1.0
    assert "how" not in terms and "the" not in terms


def test_parse_page_splits_sections_options_and_commands():
    text = (
        "SS(8)      System Manager's Manual      SS(8)\n\nNAME\n       ss - another utility to investigate sockets\n\n"
        "SYNOPSIS\n       ss [options] [ FILTER ]\n\nOPTIONS\n       -l, --listening\n"
        "              Display only listening sockets.\n\n       -t, --tcp\n              Display TCP sockets.\n\n"
        "COMMANDS\n       restart UNIT...\n           Stop and then start the unit.\n"
    )
    page = manpages.parse_page("ss", "8", text)
    assert page.synopsis == "ss [options] [ FILTER ]"
    assert ("-l, --listening", "Display only listening sockets.") in page.options
    assert ("-t, --tcp", "Display TCP sockets.") in page.options
    assert ("restart UNIT...", "Stop and then start the unit.") in page.options


def _normal(text: str) -> str:
    return re.sub(r"[\s‐-]+", "", text)


@needs_man
def test_answer_from_real_man_pages_quotes_the_page():
    help = answer("change the owner of a file")
    assert help.command == "chown" and help.sources == ("man pages",)
    best = help.findings[0]
    page_text = _normal(subprocess.run(["man", "-P", "cat", "1", "chown"], capture_output=True, text=True).stdout)
    assert best.lines, "the matching option lines are shown"
    for line in best.lines:
        assert _normal(line.removeprefix("chown ").removesuffix(" …")) in page_text  # drawn from the page


@needs_man
def test_cli_answers_offline_and_says_so():
    proc = cortex("ask", "how do I change the owner of a file?", env=dict(os.environ))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("Offline help (")
    assert "chown (1) — change file owner and group" in proc.stdout and "more: man 1 chown" in proc.stdout
    assert "cortex setup ollama" in proc.stdout and "offline: man pages" in proc.stderr
    doc = json.loads(cortex("ask", "--json", "change the owner of a file", env=dict(os.environ)).stdout)
    assert doc["source"] == "offline" and doc["command"] == "chown"


def test_cli_with_nothing_found_exits_4(tmp_path):
    proc = cortex("ask", "--json", "zzqx frobnicate qwxj", env=dict(os.environ))
    assert proc.returncode == 4
    doc = json.loads(proc.stdout)
    assert doc["findings"] == [] and "cortex setup ollama" in doc["hint"]


@needs_man
def test_a_capable_model_gets_the_local_facts_as_context(openai_server):
    openai_server.reply("Use chown.")
    env = {
        **os.environ,
        "CORTEX_PROVIDER": "openai",
        "OPENAI_BASE_URL": openai_server.url + "/v1",
        "OPENAI_API_KEY": "test-key",
        "OPENAI_MODEL": "gpt-test",
    }
    proc = cortex("ask", "how do I change the owner of a file?", env=env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "Use chown.\n"
    system = openai_server.requests[-1].json["messages"][0]
    assert system["role"] == "system"
    assert "Facts from this machine" in system["content"] and "chown" in system["content"]


def test_a_named_command_without_a_page_comes_from_the_package_index(tmp_path):
    from cortex.packages import store
    from cortex.packages.index import PackageIndex
    from tests.contents_helpers import write_index

    path = write_index(tmp_path / "packages-apt.sqlite3")
    conn = store.connect_readonly(path)
    with PackageIndex(conn, path, store.read_meta(conn)) as idx:
        help = answer("how do I use nslookup", idx, search_pages=lambda words: [], read_page=lambda n, s: None)
    (finding,) = help.findings
    assert finding.command == "nslookup" and finding.package == "bind9-dnsutils"
    assert finding.source == "package index" and help.sources == ("package index",)
