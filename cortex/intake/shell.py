"""Lexical rules: shell syntax, URLs, files and characters that no request for software contains.

They run on the whole normalised request before it is read clause by clause. Every pattern is
linear in the length of the text: no pattern starts with an unanchored repetition that could be
retried from every position (`\\w+\\s*\\(` on a 100,000-character word was quadratic).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern[str]
    reason: str


def _r(name: str, pattern: str, reason: str) -> Rule:
    return Rule(name, re.compile(pattern, re.IGNORECASE | re.VERBOSE), reason)


_SYSTEM_DIRS = r"(?:etc|boot|dev|root|usr|var|bin|sbin|lib\w{0,8}|proc|sys|home|opt|srv|mnt|media|tmp|run|snap)"

# Order matters only for which rule is reported.
RULES: tuple[Rule, ...] = (
    _r(
        "shell-function",
        r":\s{0,8}\(\s{0,8}\)\s{0,8}\{|\(\s{0,8}\)\s{0,8}\{",
        "a shell function definition (fork bomb)",
    ),
    _r(
        "pipe-to-shell",
        r"\b(?:curl|wget|fetch)\b[^\n|]{0,400}\|\s{0,8}(?:sudo\s+)?(?:ba|z|k|da|c|tc|fi)?sh\b",
        "downloading a script and piping it to a shell",
    ),
    _r("command-substitution", r"\$\(|`|\$\{|[<>]\(", "shell command substitution"),
    _r("shell-variable", r"\$[a-z_]", "a shell variable"),
    _r("command-chaining", r"&&|\|", "shell command separators or pipes"),
    _r("redirection", r"[<>]", "shell redirection or markup (`<`, `>`)"),
    _r("escaped-characters", r"\\[nrtx0u]|%0[ad]|%00|\\\\", "escaped line breaks or characters"),
    _r(
        "url",
        r"\b(?:https?|ftp|file|git|ssh|rsync)://|\bwww\.",
        "downloading from a URL (cortex installs only from the distribution's archive)",
    ),
    _r("ppa", r"\bppa:\S", "a PPA, a repository outside the distribution's archive"),
    _r(
        "local-package-file",
        r"\w\.(?:deb|rpm|apk|run|sh|appimage|snap|flatpakref|pkg\.tar\.\w{1,4}|bin)(?=[\s'\",;.!?)]|$)",
        "installing a local file or script",
    ),
    _r(
        "system-path",
        rf"(?:^|[\s'\"(=:,])(?:/{_SYSTEM_DIRS}(?=[/\s'\",;.!?)]|$)|/(?=[\s'\",;!?)*]|$)|~(?=[/\s'\",;!?)]|$))",
        "a system file or directory (cortex installs packages; it never touches files)",
    ),
    _r(
        "package-removal",
        r"(?<!\S)[a-z0-9][a-z0-9+.-]{0,100}-(?=\s|$)(?!\s+(?:and|or|und|oder|et|ou|y|o|e|en|of|\d)\b)",
        "a package name ending in `-`, which asks apt to remove the package",
    ),
    _r(
        "wildcard",
        r"(?<![\w*.-])[a-z0-9][a-z0-9+.-]{0,100}[a-z0-9]\*(?=[\s,;!?)]|$)",
        "a wildcard (`*`) that names many packages at once",
    ),
    _r("markup", r"\[/?inst\]|<<\s{0,4}sys\s{0,4}>>|\#\#\#\s{0,8}\w", "model prompt markup"),
    _r(
        "role-marker",
        r"(?:^|[\n\r\u2028\u2029.;!?]\s{0,8})\s{0,8}(?:system|assistant|user|human|developer|ai|model|instructions?)\s{0,4}:",
        "a role marker addressed to a model (`system:`, `assistant:`)",
    ),
)

# Characters that hide text or reverse its direction (Trojan Source), control characters other than
# line breaks and tabs.
_HIDDEN = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
_LINE_CONTROLS = frozenset("\t\n\r\v\f\x85")


@dataclass(frozen=True)
class Finding:
    rule: str
    reason: str
    matched: str


def hidden_characters(text: str) -> Finding | None:
    """Control characters, and characters that hide or reorder text."""
    for c in text:
        if c in _HIDDEN or (unicodedata.category(c) == "Cc" and c not in _LINE_CONTROLS):
            return Finding("control-characters", "control characters in the request", repr(c))
    return None


# A name set in backticks as in Markdown and said to be one ("need the `ncdu` tool", "the `dig`
# command"): one word, after a space or the start and before a noun that names it, is the word, not a
# command substitution ("install `whoami`", "vim `id`", "nginx`reboot`" stay refused).
_CODE_NAME = re.compile(
    r"(?:(?<=\s)|^)`([a-z0-9][a-z0-9.+_-]{0,63})`(?=\s+(?:tool|utility|command|package|program|binary)s?\b)"
)


def lexical(text: str) -> Finding | None:
    """The first lexical rule that the (normalised) text breaks."""
    text = _CODE_NAME.sub(r"\1", text)
    for rule in RULES:
        m = rule.pattern.search(text)
        if m:
            return Finding(rule.name, rule.reason, m.group(0).strip() or m.group(0))
    return None
