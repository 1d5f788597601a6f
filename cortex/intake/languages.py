"""Which languages a request speaks, for the verbs of other languages that are short or also English
words ("pare", "stoppen", "active"): they count as verbs only beside another word of their language, in
the same clause or another clause of the request ("pare o serviço nginx" splits at "o").
"""

from __future__ import annotations

from collections.abc import Sequence

from cortex.intake.lexicon import Lexicon, Verb
from cortex.intake.text import Clause


def spoken_in(lex: Lexicon, clause: Clause) -> frozenset[str]:
    """The languages other than English whose own words the clause holds."""
    return frozenset(lang for lang, vocab in lex.language_words.items() if any(w in vocab for w in clause.words))


def counts(lex: Lexicon, verb: Verb, words: Sequence[str], i: int, n: int, end: int, elsewhere: frozenset[str]) -> bool:
    """A verb of another language that is short or also an English word ("active", "da") counts only
    beside another word of its language, in its clause or another clause of the request."""
    if verb.language == "en" or (len(verb.word) >= 4 and verb.word not in lex.english_homographs):
        return True
    return _spoken(lex, verb.language, words, i, n, _tally(lex, words, end), elsewhere)


def _tally(lex: Lexicon, words: Sequence[str], end: int) -> dict[str, int]:
    """How many words of each language words[:end] holds (one pass: the reading stays linear)."""
    out: dict[str, int] = {}
    for w in words[:end]:
        for lang, vocab in lex.language_words.items():
            if w in vocab:
                out[lang] = out.get(lang, 0) + 1
    return out


def _spoken(
    lex: Lexicon, language: str, words: Sequence[str], i: int, n: int, tally: dict[str, int], elsewhere: frozenset[str]
) -> bool:
    """Another word of the verb's language (of any language with that verb form: "stoppen" is German
    and Dutch) stands in the clause, besides the verb's own words, or in another clause of the request."""
    for lang in lex.verb_languages.get(" ".join(words[i : i + n]), frozenset({language})):
        vocab = lex.language_words.get(lang, frozenset())
        own = sum(1 for w in words[i : i + n] if w in vocab)
        if lang in elsewhere or tally.get(lang, 0) > own:
            return True
    return False


def foreign_verb(
    lex: Lexicon, words: Sequence[str], j: int, end: int, elsewhere: frozenset[str]
) -> tuple[int, int, Verb] | None:
    """A verb of another language anywhere in the clause ("bitte alle Dateien löschen"), counted only
    when another word of the request is of the same language (a lead-in counts: "kannst du nginx stoppen")."""
    tally: dict[str, int] | None = None
    for i in range(j, end):
        m = lex.foreign_verbs.match(words, i, end)
        if m is None:
            continue
        n, verb = m
        assert isinstance(verb, Verb)
        tally = _tally(lex, words, end) if tally is None else tally
        if _spoken(lex, verb.language, words, i, n, tally, elsewhere):
            return i, n, Verb(" ".join(words[i : i + n]), verb.meaning, verb.klass, verb.kind, verb.language)
    # a short verb that ends the clause, where German and Dutch put it ("hoe ik de schijf wis")
    last = (lex.verb_at(words, end - 1) or _final(lex, words, end - 1)) if end - j >= 2 else None
    if last is not None and last[0] == 1 and last[1].language != "en":
        verb = last[1]
        if _spoken(lex, verb.language, words, end - 1, 1, _tally(lex, words, end), elsewhere):
            return end - 1, 1, verb
    return None


def _final(lex: Lexicon, words: Sequence[str], i: int) -> tuple[int, Verb] | None:
    """A German or Dutch finite verb form at words[i] said to the listener ("dass du die Firewall
    abschaltest", "dat je alle bestanden verwijdert"); not one said of a thing ("dass mein PC schneller
    startet", "een app die mijn scherm vergrendelt")."""
    m = lex.final_verbs.match(words, i, i + 1)
    if m is None or not isinstance(m[1], Verb) or not any(w in lex.listeners for w in words[:i]):
        return None
    return m[0], m[1]
