"""Whether a word is an English word: pyspellchecker's English frequency list (about 160,000 words),
loaded once, on first use (about 0.1 s), so that only a request with a word the archive does not know
pays for it."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache


@lru_cache(maxsize=1)
def _words() -> Mapping[str, int]:
    from spellchecker import SpellChecker

    return SpellChecker(language="en").word_frequency.dictionary  # word -> frequency


def is_word(word: str) -> bool:
    """Whether `word` (lowercase) is in the English word list."""
    return word in _words()
