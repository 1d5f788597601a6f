"""Terminal text: control sequences stripped, rich markup escaped, at every print site that shows
paths, model output, package descriptions or server messages."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from cortex import paths
from cortex.cli.main import main
from cortex.exit_codes import ExitCode
from cortex.termtext import clean, markup, one_line, utf8_safe

ESC = "\x1b"
HOSTILE = [
    f"{ESC}[2J{ESC}[H",  # clear screen, cursor home
    f"{ESC}]0;pwned{ESC}\\",  # OSC window title, ST-terminated
    f"{ESC}]8;;http://evil.example{ESC}\\click{ESC}]8;;{ESC}\\",  # OSC 8 hyperlink
    f"{ESC}]52;c;Y3VybCBldmls\x07",  # OSC 52: write the clipboard, BEL-terminated
    "\x9b2J",  # C1 CSI
    "\x9d0;title\x9c",  # C1 OSC ... C1 ST
    f"{ESC}P1$qm{ESC}\\",  # DCS
    f"{ESC}c",  # RIS: full reset
    f"{ESC}(0",  # charset switch (nF)
    "\r\x08\x07\x00\x7f",  # CR, BS, BEL, NUL, DEL
    "\u202eevil",  # bidi override
]


@pytest.mark.parametrize("sequence", HOSTILE)
def test_clean_strips_every_control_sequence(sequence):
    out = clean(f"before {sequence} after")
    assert out.startswith("before ") and out.endswith(" after")
    assert not any(ch in out for ch in "\x1b\x9b\x9d\x9c\x07\x00\x7f\r\u202e")
    assert "2J" not in out and "pwned" not in out and "Y3Vy" not in out


def test_clean_keeps_text_newlines_tabs_and_unicode():
    text = "Größe: 5 MB\n\tnext line — ok ✓ 日本語"
    assert clean(text) is text or clean(text) == text


def test_an_unterminated_string_sequence_is_dropped_to_the_end():
    assert clean(f"ok{ESC}]0;title that never ends") == "ok"


def test_lone_surrogates_become_replacement_characters():
    assert clean("caf\udce9") == "caf\ufffd" and utf8_safe("x\ud800y") == "x\ufffdy"
    clean("caf\udce9").encode("utf-8")


def test_markup_escapes_rich_tags_and_one_line_folds_whitespace():
    console = Console(file=io.StringIO(), width=200, no_color=True)
    hostile = "/tmp/[/]weird[bold]/[link=http://e]x[/link]\\"
    console.print(f"[dim]{markup(hostile)}[/dim]")
    assert console.file.getvalue().strip() == hostile
    assert one_line("a\n\n b\t c ") == "a b c"


@given(st.text())
@settings(max_examples=200, deadline=None)
def test_clean_never_leaves_control_characters(text):
    out = clean(text)
    out.encode("utf-8")
    assert all(ch in "\n\t" or not (ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F) for ch in out)
    assert clean(out) == out  # idempotent


@given(st.text())
@settings(max_examples=200, deadline=None)
def test_markup_always_renders_literally(text):
    console = Console(file=io.StringIO(), width=10_000, no_color=True, highlight=False, soft_wrap=True)
    console.print(f"[bold]{markup(text)}[/bold]", end="")
    assert console.file.getvalue() == clean(text).expandtabs(8) or "\t" in text or "\n" in text


# ----- at the print sites ---------------------------------------------------------------------------------


def test_dry_run_with_markup_in_the_data_dir_and_an_unusable_history(tmp_path, monkeypatch, capsys):
    home = tmp_path / "home[" / "]x[bold]"
    home.mkdir(parents=True)
    monkeypatch.setenv("CORTEX_HOME", str(home))
    paths.data_dir().mkdir(parents=True, exist_ok=True)
    (paths.data_dir() / "history.db").mkdir()  # a directory where the database should be: unusable
    code = main(["install", "hello"])
    captured = capsys.readouterr()
    assert code == ExitCode.OK, captured.err
    assert "the plan was not recorded in the history" in captured.err and "internal error" not in captured.err
    assert code == ExitCode.OK and main(["config", "path"]) == ExitCode.OK
    assert str(home) in capsys.readouterr().out


def test_doctor_prints_paths_with_markup_literally(tmp_path, monkeypatch, capsys):
    home = tmp_path / "d[" / "]x"
    home.mkdir(parents=True)
    monkeypatch.setenv("CORTEX_HOME", str(home))
    assert main(["doctor"]) in (ExitCode.OK, ExitCode.DOCTOR_WARNINGS, ExitCode.DOCTOR_FAILURES)
    assert str(home) in capsys.readouterr().out


def test_model_answer_escape_sequences_never_reach_the_terminal(openai_server, monkeypatch, capsys):
    answer = f"safe{ESC}[2J{ESC}]0;title\x07\x9b2J text"
    for name, value in (("OPENAI_BASE_URL", openai_server.url + "/v1"), ("OPENAI_API_KEY", "test-key"),
                        ("OPENAI_MODEL", "gpt-test"), ("CORTEX_PROVIDER", "openai")):  # fmt: skip
        monkeypatch.setenv(name, value)
    for argv in (["ask", "hi"], ["ask", "--no-stream", "hi"]):
        openai_server.reply(answer)
        assert main(argv) == ExitCode.OK
        out = capsys.readouterr().out
        assert "safe" in out and " text" in out and ESC not in out and "\x9b" not in out and "title" not in out
    openai_server.reply(answer)
    assert main(["ask", "--json", "hi"]) == ExitCode.OK
    assert "title" in json.loads(capsys.readouterr().out)["text"]  # JSON keeps the text, escaped by JSON itself


def test_error_messages_are_printed_without_control_sequences(monkeypatch, capsys):
    monkeypatch.setenv("CORTEX_PROVIDER", f"ev{ESC}[2Jil")
    assert main(["ask", "hi"]) == ExitCode.CONFIG
    err = capsys.readouterr().err
    assert ESC not in err and "\\x1b" in err  # the value is quoted with repr(): visible, not interpreted


def test_a_server_error_body_with_escapes_is_printed_clean(capsys):
    from cortex.cli.context import Context
    from cortex.cli.main import _report
    from cortex.errors import ServerError

    exc = ServerError(f"openai: HTTP 500: {ESC}]0;owned\x07{ESC}[31mboom", provider="openai", hint=f"retry{ESC}[2J")
    assert _report(Context(), exc) == ExitCode.PROVIDER
    err = capsys.readouterr().err
    assert "HTTP 500: boom" in err and "hint: retry" in err and ESC not in err and "owned" not in err


def test_package_manager_progress_prints_hostile_output_as_text():
    from cortex.progress import ProgressEvent, RichProgress

    console = Console(file=io.StringIO(), width=200, no_color=True)
    with RichProgress(console) as progress:
        progress(ProgressEvent("step", message="[/]step"))
        progress(ProgressEvent("install", "p", 50.0, f"Unpacking [bold]x{ESC}[2J"))
        progress(ProgressEvent("lock", message="Could not get lock [/var/lib/dpkg/lock]"))
        progress(ProgressEvent("error", "pkg[/]", message=f"dpkg: error {ESC}]0;t\x07[/]"))
    out = console.file.getvalue()
    assert "pkg[/]: dpkg: error [/]" in out and "[/var/lib/dpkg/lock]" in out and ESC not in out


@given(st.text(alphabet=st.sampled_from(list("ab[]\\/#@ =")), max_size=30))
@settings(max_examples=500, deadline=None)
def test_brackets_and_backslashes_render_literally(text):
    """rich's grammar is in its brackets and the backslashes before them: a text made of little else."""
    console = Console(file=io.StringIO(), width=10_000, no_color=True, highlight=False, soft_wrap=True)
    console.print(f"[bold]{markup(text)}[/bold]", end="")
    assert console.file.getvalue() == text


@pytest.mark.parametrize("text", ["\\[", "\\\\[", "a\\", "a\\\\", "\\[bold]", "[/]", "\\[a][b]", "x["])
def test_known_markup_edges_render_literally(text):
    console = Console(file=io.StringIO(), width=10_000, no_color=True, highlight=False, soft_wrap=True)
    console.print(f"[dim]{markup(text)}[/dim]", end="")
    assert console.file.getvalue() == text
