"""Described needs in the other languages the intake reads (German, French, Spanish, Italian,
Portuguese, Dutch), read word by word into the English the index's summaries are written in: "un
lecteur de musique" -> "player music", "ein Bildbearbeitungsprogramm" -> "image editing program".

The ranking treats a need as a bag of words, so a word-for-word reading is enough for it: each word of
a language's `need_words` table (cortex/data/intake_XX.yaml) becomes its English word, a German or
Dutch compound of such words is split into them ("Bild|bearbeitungs|programm"), and the languages'
function words (articles, prepositions) are dropped once something was translated. Pure.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from cortex.intake.lexicon import LANGUAGES, language_list, language_table, language_words, lexicon
from cortex.packages.english import is_word

# The letters a German or Dutch compound puts between its parts ("Bearbeitung|s|programm").
_LINKS = ("", "s", "n", "en", "e", "es")
# The shortest part a compound is split into, and the shortest compound tried.
_SHORTEST_PART = 3
_SHORTEST_COMPOUND = 7
_WORD = re.compile(r"[^\W\d_][\w'-]*", re.UNICODE)


@lru_cache(maxsize=1)
def _table() -> Mapping[str, str]:
    """Every language's foreign word -> English word (English itself left out)."""
    out: dict[str, str] = {}
    for lang in LANGUAGES:
        if lang != "en":
            for word, english in language_table(lang, "need_words").items():
                out.setdefault(word, english)
    return out


def _compound(word: str, table: Mapping[str, str], depth: int = 0) -> list[str] | None:
    """The English words of a compound made of the table's words ("bildbearbeitungsprogramm"), longest
    first part first; None when it is not one."""
    if word in table and depth:
        return [table[word]]
    if depth > 3 or len(word) < _SHORTEST_PART:
        return None
    for cut in range(len(word) - _SHORTEST_PART, _SHORTEST_PART - 1, -1):
        head = word[:cut]
        if head not in table:
            continue
        for link in _LINKS:
            rest = word[cut:]
            if not rest.startswith(link) or len(rest) - len(link) < _SHORTEST_PART:
                continue
            tail = _compound(rest[len(link) :], table, depth + 1)
            if tail is not None:
                return [table[head], *tail]
    return None


def translated(need: str) -> tuple[str, dict[str, str]]:
    """`need` read into English word by word, and what was read as what ({} when nothing was: the
    need as given). A word that is its own English word ("video") counts as nothing read, and nothing
    is read unless one of the words read is no English word ("lecteur", not only "capture")."""
    table = _table()
    words = [w.lower() for w in _WORD.findall(need)]
    out: list[str] = []
    read: dict[str, str] = {}
    for w in words:
        if w in table:
            out.append(table[w])
            if table[w] != w:
                read[w] = table[w]
            continue
        parts = _compound(w, table) if len(w) >= _SHORTEST_COMPOUND else None
        if parts is not None:
            out += parts
            read[w] = " ".join(parts)
            continue
        out.append(w)
    foreign_grammar = [w for w in words if w in _grammar() and not is_word(w)]
    if not any(not is_word(w) for w in read) and len(foreign_grammar) < 2:
        return need, {}  # "capture packets", "games for my sons": English words, read as English
    if not read:  # "ich brauche einen Browser": the need's words are English already
        read = {w: "" for w in foreign_grammar}
    dropped = _dropped()
    kept = [w for w in out if w not in dropped or w in read.values()]
    return " ".join(kept), read


@lru_cache(maxsize=1)
def _dropped() -> frozenset[str]:
    """The words a read need loses: the intake's function words of every language and `_grammar`."""
    return lexicon().function_words | _grammar()


@lru_cache(maxsize=1)
def _grammar() -> frozenset[str]:
    """The other languages' words of the intake's tables (its verbs of wanting, fillers, ...: "zum"),
    English words aside, and each language's `need_grammar` ("von", "ik heb ... nodig"): words that say
    nothing of what the program does."""
    words: set[str] = set()
    stated: set[str] = set()
    for lang in LANGUAGES:
        if lang != "en":
            words |= set(language_words(lang)) - set(language_table(lang, "need_words"))
            stated |= set(language_list(lang, "need_grammar"))
    return frozenset(w for w in words if not is_word(w)) | stated
