"""Misspelled words of a described need, read as the archive's own words ("torent client" -> torrent).

A word is respelled only when it is neither a word of the archive's index (in the word's own spelling
or its plural) nor an English word, and exactly one letter's edit away (a letter dropped, added,
changed, or two swapped) lies a word that at least MIN_DOCUMENTS packages use. An English word among
those wins, then the most used. Short words are left as typed: at four letters and fewer, one edit
reaches too many unrelated words ("mkv", "vlc"). The English check is what keeps real words that the
archive's summaries happen not to use ("dying", "shred", "fleet") from being read as typos of words
they do use ("doing", "shared", "flext").

Pure: the index's word counts come in through `known`, a lookup from words to how many packages use
them, and the English word list through `is_word` (cortex.packages.english).
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterable, Mapping

# A word shorter than this is never respelled.
MIN_LENGTH = 5
# A replacement must be a word of at least this many packages' names, summaries or descriptions.
MIN_DOCUMENTS = 3

Known = Callable[[Iterable[str]], Mapping[str, int]]

_LETTERS = string.ascii_lowercase
_WORD = re.compile(r"[a-z]+")


def edits1(word: str) -> set[str]:
    """Every string one edit from `word`: a deletion, a transposition of neighbours, a replacement or an
    insertion of a lowercase letter."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    swaps = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    inserts = {a + c + b for a, b in splits for c in _LETTERS}
    return (deletes | swaps | replaces | inserts) - {word}


def corrections(words: Iterable[str], known: Known, is_word: Callable[[str], bool]) -> dict[str, str]:
    """word -> its replacement, for each respellable word of `words` (see the module's rule)."""
    candidates = [w for w in dict.fromkeys(words) if len(w) >= MIN_LENGTH and w.isascii() and w.isalpha()]
    if not candidates:
        return {}
    seen = known({f for w in candidates for f in _spellings(w)})
    out: dict[str, str] = {}
    for word in candidates:
        if any(seen.get(f, 0) for f in _spellings(word)) or is_word(word):
            continue
        near = [(term, docs) for term, docs in known(edits1(word)).items() if docs >= MIN_DOCUMENTS]
        if near:  # an English word first, then the most used, then by name (one answer, always the same)
            out[word] = max(near, key=lambda kv: (is_word(kv[0]), kv[1], kv[0]))[0]
    return out


def _spellings(word: str) -> tuple[str, ...]:
    """The word and its plural or singular: the spellings the index may hold it under."""
    return (word, word[:-1]) if word.endswith("s") else (word, word + "s")


def respelled(text: str, fixes: Mapping[str, str]) -> str:
    """`text` (lowercase) with each whole word in `fixes` replaced."""
    if not fixes:
        return text
    return _WORD.sub(lambda m: fixes.get(m.group(0), m.group(0)), text)
