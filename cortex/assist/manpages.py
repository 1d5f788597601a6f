"""This machine's manual pages: `apropos`/`whatis` entries and a page's sections, options and examples.

    apropos(["socket", "listen"])   -> [ManEntry("ss", "8", "another utility to investigate sockets"), ...]
    page("ss", "8")                 -> ManPage: sections by heading, option entries, example lines

I/O is man-db's own tools (apropos, man) with a C locale; parsing the rendered text is pure
(`parse_page`). Nothing here invents text: every line shown comes from a page on this machine.
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["ManEntry", "ManPage", "apropos", "available", "page", "parse_apropos", "parse_page"]

SECTIONS = "1,8"  # user and administration commands
TIMEOUT_S = 5
_ENTRY = re.compile(r"^(\S+) \((\w+)\)\s+- (.*)$")
_HEADING = re.compile(r"^([A-Z][A-Z0-9 ]+[A-Z0-9])\s*$")
_VERB = re.compile(r"^ {1,10}([a-z][a-z0-9-]+(?: [A-Z][A-Z.\[\]|]*)*)(?: {2,}(\S.*))?$")
_OPTION = re.compile(r"^ {1,10}(-{1,2}[A-Za-z0-9?][^\s].*?|-[A-Za-z0-9?])(?: {2,}(\S.*))?$")


@dataclass(frozen=True)
class ManEntry:
    """One apropos/whatis line: a page name, its section and its one-line summary."""

    name: str
    section: str
    summary: str


@dataclass(frozen=True)
class ManPage:
    """A rendered page, split for quoting: sections by heading, options (flags, text), example lines."""

    name: str
    section: str
    sections: dict[str, str] = field(default_factory=dict)
    options: tuple[tuple[str, str], ...] = ()
    examples: tuple[str, ...] = ()

    @property
    def synopsis(self) -> str:
        lines = [ln.strip() for ln in self.sections.get("SYNOPSIS", "").splitlines() if ln.strip()]
        return " ".join(lines[:2])[:200]


def available() -> bool:
    """Whether man-db's tools are installed (a minimal image may have neither them nor the pages)."""
    return shutil.which("apropos") is not None and shutil.which("man") is not None


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(LC_ALL="C.UTF-8", LANG="C.UTF-8", LANGUAGE="", MANWIDTH="100", MANPAGER="cat", PAGER="cat")
    env.pop("MANOPT", None)
    return env


def parse_apropos(text: str) -> list[ManEntry]:
    """apropos/whatis output -> entries (pages without a summary are left out)."""
    out = []
    for line in text.splitlines():
        m = _ENTRY.match(line.strip())
        if m and m.group(3).strip() != "(unknown subject)":
            out.append(ManEntry(m.group(1), m.group(2), m.group(3).strip()))
    return list(dict.fromkeys(out))


def apropos(words: Sequence[str], sections: str = SECTIONS) -> list[ManEntry]:
    """Pages whose name or summary mentions any of `words` (apropos's own OR), in sections `sections`."""
    words = [w for w in dict.fromkeys(words) if w and not w.startswith("-")]
    if not words or not available():
        return []
    return parse_apropos(_run(["apropos", "-s", sections, "--", *words]))


def whatis(names: Sequence[str], sections: str = SECTIONS) -> list[ManEntry]:
    """The summaries of the pages called exactly `names`."""
    names = [n for n in dict.fromkeys(names) if n and not n.startswith("-")]
    if not names or not available():
        return []
    return parse_apropos(_run(["whatis", "-s", sections, "--", *names]))


def page(name: str, section: str = "") -> ManPage | None:
    """The page rendered as plain text and parsed; None when this machine has no such page."""
    if not available() or name.startswith("-"):
        return None
    text = _run(
        ["man", "--no-hyphenation", "--no-justification", "-P", "cat", *([section] if section else []), "--", name]
    )
    return parse_page(name, section, text) if text.strip() else None


MAN_ROOT = Path("/usr/share/man")
_ROFF_ESCAPE = re.compile(r"\\f[BIRP]|\\f\(..|\\[&|^]|\\s[+-]?\d")


def source_text(name: str, section: str, limit: int = 60_000) -> str:
    """The page's roff source with font escapes dropped ('' when not under /usr/share/man): a cheap
    read (no groff) for ranking many pages before a few are rendered."""
    if "/" in name or not section.isalnum():
        return ""
    directory = MAN_ROOT / f"man{section[0]}"
    for candidate in (f"{name}.{section}.gz", f"{name}.{section}"):
        path = directory / candidate
        try:
            raw = gzip.decompress(path.read_bytes()) if candidate.endswith(".gz") else path.read_bytes()
        except (OSError, EOFError, gzip.BadGzipFile):
            continue
        text = raw[:limit].decode("utf-8", "replace")
        return _ROFF_ESCAPE.sub("", text).replace("\\-", "-")
    return ""


def _run(argv: list[str]) -> str:
    try:
        proc = subprocess.run(
            argv, capture_output=True, text=True, timeout=TIMEOUT_S, env=_env(), check=False, errors="replace"
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return proc.stdout


def parse_page(name: str, section: str, text: str) -> ManPage:
    """Rendered page text -> its sections, option entries and example lines (pure)."""
    text = re.sub(r".\x08", "", text)  # overstrike bold/underline, should a pager have kept them
    sections: dict[str, list[str]] = {}
    current = ""
    for line in text.splitlines():
        m = _HEADING.match(line)
        if m and not line.startswith(" "):
            current = m.group(1)
            sections.setdefault(current, [])
        elif current:
            sections[current].append(line)
    joined = {k: "\n".join(v).strip("\n") for k, v in sections.items()}
    options: list[tuple[str, str]] = []
    for heading, lines in sections.items():
        if "OPTION" in heading or heading == "DESCRIPTION":
            options += _options(lines)
        elif "COMMAND" in heading:  # systemctl's "restart PATTERN...", apt's "install": verbs, not flags
            options += _options(lines, verbs=True)
    examples = _examples(sections.get("EXAMPLES", []) + sections.get("EXAMPLE", []))
    return ManPage(name, section, joined, tuple(dict.fromkeys(options)), examples)


def _options(lines: list[str], verbs: bool = False) -> list[tuple[str, str]]:
    """Option entries: a line starting with a flag (or, with `verbs`, a subcommand), and the more
    indented lines that describe it."""
    out: list[tuple[str, str]] = []
    flags, indent = "", 0
    desc: list[str] = []
    for line in [*lines, ""]:
        stripped = line.strip()
        lead = len(line) - len(line.lstrip(" "))
        m = _OPTION.match(line) if stripped.startswith("-") else _VERB.match(line) if verbs else None
        if m and (not flags or lead <= indent):
            if flags:
                out.append((flags, " ".join(desc)))
            flags, desc, indent = m.group(1).strip(), [m.group(2)] if m.group(2) else [], lead
        elif flags and stripped and lead > indent:
            desc.append(stripped)
        elif flags and ((not stripped and desc) or stripped):
            out.append((flags, " ".join(desc)))
            flags, desc = "", []
    return [(f, re.sub(r"\s+", " ", d).strip()) for f, d in out if d]


def _examples(lines: list[str]) -> tuple[str, ...]:
    """Example lines, each with the explanation that follows it when there is one."""
    chunks: list[str] = []
    for line in lines:
        stripped = line.strip()
        if stripped:
            chunks.append(re.sub(r"\s+", " ", stripped))
    return tuple(chunks[:60])
