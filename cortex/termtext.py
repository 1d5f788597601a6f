"""Text from outside cortex, made safe to print on a terminal.

Model answers, package descriptions, server error bodies, file paths and config values can hold
terminal control sequences (`ESC[2J` clears the screen, an OSC sets the window title or a
hyperlink, a C1 CSI does the same in one byte) and rich markup (`[/]` in a path is a MarkupError,
`[link=...]` is a forged link). Every print site passes such text through one of these first:

    clean(text)     strip control sequences: ESC/CSI/OSC/DCS/APC sequences, C0 controls except
                    newline and tab, DEL, C1 controls, and bidirectional overrides
    markup(text)    clean(), then escaped for rich markup (for strings printed with markup on)
    one_line(text)  clean(), every run of whitespace (newlines included) as one space

Standard library only: `markup()` follows rich's markup grammar without importing rich.
"""

from __future__ import annotations

import re
from typing import Any

# One alternation, longest forms first. String sequences (OSC, DCS, SOS, PM, APC) end at BEL or ST
# (ESC \ or the C1 ST 0x9c); an unterminated one runs to the end of the text and is dropped whole.
_SEQUENCES = re.compile(
    r"""
      (?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?       # CSI (7-bit or C1), parameters, final
    | (?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f]).*?(?:\x07|\x1b\\|\x9c|\Z)   # OSC, DCS, SOS, PM, APC
    | \x1b[\x20-\x2f]*[\x30-\x7e]?                                # other escape sequences (nF, Fp, Fe, Fs)
    """,
    re.VERBOSE | re.DOTALL,
)
# Left after the sequences: lone controls. C0 but tab and newline, DEL, C1, and the bidi controls
# that reorder what is shown (U+202A-U+202E, U+2066-U+2069).
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_WHITESPACE = re.compile(r"\s+")
# rich's markup grammar (rich/markup.py): "[" followed by this is a tag, and a run of 2k+1 backslashes
# before it prints k backslashes and the tag as text; any other "[" prints as text, after rich has
# turned each backslash-bracket pair into a bare bracket.
_BRACKET = re.compile(r"(\\*)\[")
_TAG_BODY = re.compile(r"[a-z#/@][^[]*?]")
_TRAILING_BACKSLASHES = re.compile(r"(\\+)\Z")
_SURROGATES = re.compile("[\ud800-\udfff]")


def clean(text: Any) -> str:
    """`text` (any value, via str()) without terminal control sequences; newlines and tabs are kept.

    Lone surrogates (bytes that were not UTF-8, decoded with surrogateescape) become U+FFFD, so the
    result can always be encoded as UTF-8.
    """
    value = text if isinstance(text, str) else str(text)
    if value.isprintable():  # the common case: nothing to strip, nothing to replace
        return value
    value = _CONTROLS.sub("", _SEQUENCES.sub("", value))
    return utf8_safe(value)


def utf8_safe(text: str) -> str:
    """Lone surrogates as U+FFFD: the text encodes as UTF-8 whatever bytes it was decoded from."""
    return _SURROGATES.sub("\ufffd", text)


def markup(text: Any) -> str:
    """clean(), then escaped so that rich prints it literally inside a markup string.

    rich.markup.escape() covers tags only: a backslash before any other bracket, or a pair of them at
    the end before the closing tag, was lost. Every bracket and the backslashes before it are escaped
    here by the grammar above; a run at the end is doubled, as the closing tag of the style follows.
    """
    value = clean(text)

    def bracket(match: re.Match[str]) -> str:
        run = match.group(1)
        if _TAG_BODY.match(value, match.end()):
            return run * 2 + "\\["
        return run + "\\[" if run else "["

    return _TRAILING_BACKSLASHES.sub(lambda m: m.group(1) * 2, _BRACKET.sub(bracket, value))


def one_line(text: Any) -> str:
    """clean(), with newlines and runs of whitespace folded into single spaces (for table cells)."""
    return _WHITESPACE.sub(" ", clean(text)).strip()
