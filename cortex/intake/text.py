"""A request's text -> tokens -> clauses. One pass each, linear in the length of the request.

    "install htop, then delete /usr"  ->  [install htop] [delete /usr]       (separator: strong)
    "curl and wget"                   ->  [curl] [wget]                      (joiner: weak)

Clauses break at punctuation (, ; . ! ? : ( ) [ ] { } dashes), at tabs and line and paragraph breaks (newline,
CR, U+2028, U+2029, ...), at separator phrases ("and then", "also", "afterwards") and at joiners
("and", "plus", "&"), each language's own words included (cortex/data/intake_*.yaml).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from cortex.intake.lexicon import Lexicon

WORD = "word"
OPTION = "option"  # -rf, --purge, --
PATH = "path"  # /usr, ~/x, ./tool, *
ASSIGN = "assign"  # if=/dev/zero, Dpkg::Options::=--force-all
NUMBER = "number"

_BREAK_CHARS = "\n\r\t\v\f\x85\u2028\u2029"
_PUNCT = ",;!?¡¿()[]{}…—–\u2015"
# Each alternative consumes at least one character and none nests a repetition: linear.
_PIECE = re.compile(
    rf"[{_BREAK_CHARS}]|[^\S{_BREAK_CHARS}]+|[{re.escape(_PUNCT)}\"<>|&`]|[^\s{re.escape(_PUNCT)}\"<>|&`]+"
)
_OPTION = re.compile(r"--?[a-z0-9]|--\Z")
# Characters that hide text or change its direction are refused before this (lexical rules); these
# only break words apart or join them invisibly, so they are dropped.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff\u180e"))
# A word spelled out letter by letter ("r-e-m-o-v-e", "d.e.l.e.t.e") is read as the word.
_SPELLED = re.compile(r"(?:[^\W\d_][-.]){2,}[^\W\d_]")
_JOINED = re.compile(r"[^\W_]+(?:_+[^\W_]+)+")  # words joined by underscores
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201b": "'", "\u2032": "'", "\u00b4": "'"})


@dataclass(frozen=True)
class Token:
    text: str  # lower case, NFKC
    kind: str = WORD


@dataclass(frozen=True)
class Clause:
    """Consecutive tokens that say one thing; `weak` when a joiner ("and") tied it to the previous one."""

    tokens: tuple[Token, ...]
    weak: bool = False

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(t.text for t in self.tokens)

    @property
    def text(self) -> str:
        return " ".join(self.words)


def normalise(text: str) -> str:
    """NFKC (full-width and compatibility letters become plain ones), curly quotes made plain, invisible
    joiners dropped, lower case."""
    return unicodedata.normalize("NFKC", text).translate(_INVISIBLE).translate(_QUOTES).lower()


def _kind(word: str) -> str:
    if _OPTION.match(word):
        return OPTION
    if word[0] in "/~*" or word.startswith(("./", "../")) or word in (".", ".."):
        return PATH
    if "=" in word:
        return ASSIGN
    if word.isdigit():
        return NUMBER
    return WORD


def tokens(text: str) -> Iterator[Token | None]:
    """Tokens of normalised text; None where a clause breaks (punctuation, line breaks)."""
    for m in _PIECE.finditer(text):
        piece = m.group()
        first = piece[0]
        if first in _BREAK_CHARS or first in _PUNCT:
            yield None
        elif first.isspace() or first in '"<>|`':
            continue  # lexical rules have refused shell operators already; quotes carry nothing
        elif piece == "&":
            yield Token("&")
        else:
            word = piece.strip("'")
            end = ""
            while word and word[-1] in ".:":
                end, word = word[-1], word[:-1]
            if word in ("", "-", "--") and piece not in ("--",):
                yield None
                continue
            if _SPELLED.fullmatch(word):
                word = word[::2]
            kind = _kind(word or piece)
            if kind == WORD and _JOINED.fullmatch(word):
                # "rm_rf_slash", "delete_all_files": words joined by underscores (no package name has one)
                yield from (Token(part, _kind(part)) for part in word.split("_") if part)
            else:
                yield Token(word or piece, kind)
            if end:
                yield None


def _prefixes_joined(toks: list[Token], lex: Lexicon) -> list[Token]:
    """A verb's prefix written apart or with a hyphen is the verb ("un install nginx", "re-boot the
    server", "de-install apache2"), where the joined word is a verb of the tables (`verb_prefixes`)."""
    out: list[Token] = []
    for tok in toks:
        head, dash, rest = tok.text.partition("-")
        if dash and rest and head in lex.verb_prefixes and lex.verbs.match([head + rest], 0) is not None:
            out.append(Token(head + rest, WORD))  # "re-boot"
            continue
        prev = out[-1].text if out else ""
        if tok.kind == WORD and prev in lex.verb_prefixes and lex.verbs.match([prev + tok.text], 0) is not None:
            out[-1] = Token(prev + tok.text, WORD)  # "un install"
            continue
        out.append(tok)
    return out


def clauses(text: str, lex: Lexicon) -> list[Clause]:
    """The clauses of normalised text (empty ones left out)."""
    out: list[Clause] = []
    segment: list[Token] = []

    def flush(toks: list[Token]) -> None:
        """Split one punctuation-free segment at separator phrases and joiners."""
        toks = _prefixes_joined(toks, lex)
        words = [t.text for t in toks]
        start, i, weak = 0, 0, False
        while i < len(words):
            sep = lex.separators.match(words, i) if toks[i].kind == WORD else None
            joiner = None if sep or toks[i].kind != WORD else lex.joiners.match(words, i)
            article = i == start + 1 and i + 1 < len(words) and words[i] in lex.determiners
            if joiner is not None and article and lex.verbs.match(words, start):
                joiner = None  # "para o serviço ssh": an article after a verb ("o" is also "or")
            if joiner is not None and lex.unjoined.match(words, i) is not None:
                joiner = None  # "est en train de": no "and"
            found = sep or joiner
            if found is None:
                i += 1
                continue
            if start < i:
                out.append(Clause(tuple(toks[start:i]), weak))
            weak = joiner is not None
            i += found[0]
            start = i
        if start < len(toks):
            out.append(Clause(tuple(toks[start:]), weak))

    for tok in tokens(text):
        if tok is None:
            flush(segment)
            segment = []
        else:
            segment.append(tok)
    flush(segment)
    return out
