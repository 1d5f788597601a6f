"""A request written so that its words are not read as written, and what it says plainly:

    "w i p e the disk"            letters spelled out one by one    -> "wipe the disk"
    "d.e.l.e.t.e all", "w_i_p_e"  letters joined by dots, dashes or underscores -> "delete all"
    "ksid eht epiw"               reversed                          -> "wipe the disk"
    "jvcr gur qvfx"               rot13                             -> "wipe the disk"
    "ZGVsZXRlIGFsbCBmaWxlcw"      base64                            -> "delete all files"
    "w1p3 th3 d1sk"               digits and signs for letters      -> "wipe the disk"
    "dеlete" (a Cyrillic е)       letters of another script that look like Latin ones
    "del\u200bete"                invisible characters inside a word

No request for software needs any of these. The intake reads the plain text: refused if that asks for an
action, else `unreadable` (the planner ends it `unresolved`): a disguised request is never planned.

The signs of reversal, rot13 and digits are words that, decoded, are words of the tables (English and
the function words) while as written they are no word of any table nor an executable: "eht", "gur",
"th3" are signs; "loot", "nag", "mp3", "k3b" are not. Pure; one pass over the text per form (linear).
"""

from __future__ import annotations

import base64
import binascii
import codecs
import re
from collections.abc import Callable
from dataclasses import dataclass

from cortex.intake.lexicon import Lexicon

# Single letters separated by single spaces, at least three ("w i p e"); at least four joined by dots,
# dashes or underscores ("d.e.l.e.t.e", "r-e-m-o-v-e", "w_i_p_e"). Each repetition consumes two characters: linear.
_SPACED = re.compile(r"(?<!\w)(?:[^\W\d_] ){2,}[^\W\d_](?!\w)")
_PAIR = re.compile(r"(?<!\w)([^\W\d_]) ([^\W\d_])(?![\w-])")  # two letters: "r m" only where they spell a command
_DOTTED = re.compile(r"(?<![\w.-])(?:[^\W\d_][-._]){3,}[^\W\d_](?![\w-])")  # four letters: not "a.k.a."
_LETTERS_AND_SIGNS = re.compile(r"[a-z0-9@$]+")
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})
_BASE64 = re.compile(r"(?<![\w+/=])[A-Za-z0-9+/]{8,}={0,2}(?![\w+/=])")
_EDGES = ".,;:!?'\"()"
_WORD = re.compile(r"\S+")
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"
_HIDDEN_IN_WORD = re.compile(rf"\w[{_INVISIBLE}]+\w")


@dataclass(frozen=True)
class Disguise:
    how: str  # "with its letters spelled out one by one", "reversed", ...
    plain: str  # the request as it reads plainly


def disguised(raw: str, norm: str, lex: Lexicon) -> Disguise | None:
    """The form a request is disguised in and its plain text, or None. `raw` is the request as given
    (base64 and invisible characters are seen only there), `norm` the normalised text (cortex/intake/text.py)."""
    if _HIDDEN_IN_WORD.search(raw):
        return Disguise("with invisible characters inside words", norm)  # normalising dropped them
    pair = next((m for m in _PAIR.finditer(norm) if m.group(1) + m.group(2) in lex.spelled_commands), None)
    if pair is not None:  # "r m everything"
        return Disguise("with its letters spelled out one by one", _PAIR.sub(_joined_command(lex), norm))
    if _SPACED.search(norm) or _DOTTED.search(norm):
        plain = _DOTTED.sub(lambda m: re.sub(r"[-._]", "", m.group()), norm)
        return Disguise(
            "with its letters spelled out one by one", _SPACED.sub(lambda m: m.group().replace(" ", ""), plain)
        )
    mixed = _homoglyphs(norm, lex)
    if mixed is not None:
        return Disguise("with letters of another script that look like Latin ones", mixed)
    encoded = _base64(raw, lex)
    if encoded is not None:
        return Disguise("in base64", encoded)
    spans = [m.span() for m in _WORD.finditer(norm)]
    words = [norm[a:b] for a, b in spans]
    for how, decode in (("reversed", _reverse), ("in rot13", _rot13)):
        run = _run(lex, words, decode)
        if run is not None:  # the run, decoded, read as a clause of its own where it stands
            start, stop = run
            decoded = [decode(w) for w in words[start:stop]]
            decoded = decoded[::-1] if how == "reversed" else decoded  # "ksid eht epiw" -> "wipe the disk"
            return Disguise(how, f"{norm[: spans[start][0]]}, {' '.join(decoded)}, {norm[spans[stop - 1][1] :]}")
    if _signs(lex, words, _leet) >= 2 or _signs(lex, words, _leet, shortest=4) >= 1:  # not "id3" alone
        return Disguise("with digits for letters", " ".join(_leet(w) for w in words))
    return None


def _joined_command(lex: Lexicon) -> Callable[[re.Match[str]], str]:
    def join(m: re.Match[str]) -> str:
        word = m.group(1) + m.group(2)
        return word if word in lex.spelled_commands else m.group()

    return join


def _reverse(word: str) -> str:
    return word[::-1]


def _rot13(word: str) -> str:
    return codecs.encode(word, "rot13")


def _leet(word: str) -> str:
    if not (_LETTERS_AND_SIGNS.fullmatch(word) and any(c.isalpha() for c in word)):
        return word
    return word.translate(_LEET)


def _sign(lex: Lexicon, word: str, decode: Callable[[str], str], shortest: int = 3) -> bool:
    """The word reads as a word of the tables once decoded, and as no word at all as written."""
    w = word.strip(_EDGES)
    if len(w) < shortest or w in lex.vocabulary:
        return False
    plain = decode(w)
    return plain != w and plain in lex.plain_words


def _signs(lex: Lexicon, words: list[str], decode: Callable[[str], str], shortest: int = 3) -> int:
    return sum(1 for w in words if _sign(lex, w, decode, shortest))


def _run(lex: Lexicon, words: list[str], decode: Callable[[str], str]) -> tuple[int, int] | None:
    """The first run of words that are signs, two at least (words of one or two letters may stand
    between: "ym" is "my"), that makes up a clause of its own or most of the request: "htop, ksid eht
    epiw" -> the last three words; not "pots and pans" (stop, snap), where "and" breaks the run."""
    start = last = count = 0
    for i, w in enumerate([*words, ""]):
        if w and _sign(lex, w, decode):
            start, count = (start, count + 1) if count else (i, 1)
            last = i
        elif w and len(w.strip(_EDGES)) < 3 and count:
            continue
        else:
            if count >= 2:
                return start, last + 1  # short words after the last sign are not in the run
            count = 0
    return None


def _homoglyphs(norm: str, lex: Lexicon) -> str | None:
    """Words that mix Latin letters with look-alike letters of another script ("dеlete"), made Latin."""
    found = False
    out = []
    for w in norm.split(" "):
        if any(c in lex.homoglyphs for c in w) and any("a" <= c <= "z" for c in w):
            found = True
            w = "".join(lex.homoglyphs.get(c, c) for c in w)
        out.append(w)
    return " ".join(out) if found else None


def _base64(raw: str, lex: Lexicon) -> str | None:
    """A token that decodes from base64 to text of letters and spaces whose words the tables know."""
    for m in _BASE64.finditer(raw):
        token = m.group().rstrip("=")
        try:
            data = base64.b64decode(token + "=" * (-len(token) % 4), validate=True)
            text = data.decode("ascii")
        except (binascii.Error, ValueError):
            continue
        text = " ".join(text.split())  # a line break or tab at its end ("... nginx\n")
        if not text.isprintable() or sum(c.isalpha() or c == " " for c in text) < 0.8 * len(text):
            continue
        words = text.lower().split()
        if any(w in lex.plain_words for w in words):
            return raw[: m.start()] + text + raw[m.end() :]
    return None
