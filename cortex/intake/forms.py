"""Forms a verb takes in a request besides its dictionary form, for cortex/intake/reading.py:

    "shut ufw down", "haal firefox van mijn computer af"   a separable verb: head ... particle
    "the firewall should be switched off"                  a passive: the state asked for, not a program
    "uninstal nginx", "remvoe python", "purgee sshd"       a slip of the keyboard on an acting verb
    "d3l3t3 everything", "uninst4ll nginx"                 digits for letters

Pure functions of the words and the tables; each looks at a clause once (linear).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from cortex.intake import lexicon as L
from cortex.intake import objects as S
from cortex.intake.lexicon import Lexicon, Verb
from cortex.intake.text import Token

# Digits and signs that stand for letters ("d3l3t3"); only in a word that also has letters.
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})


def separable(lex: Lexicon, words: Sequence[str], j: int, end: int) -> tuple[Verb, int, int] | None:
    """A verb whose particle closes the clause ("shut ufw down", "log everyone out", "wirf screen runter",
    "ik heb een editor nodig": a subject may stand before the head): the verb of the phrase head +
    particle, and where its object starts and ends. None when the clause's head and last word form no
    verb of the tables, or when the head alone already reads as that phrase."""
    if end - j < 3:
        return None
    # the head alone, or after a subject ("ich schalte die firewall ab") or with it ("ik heb ... nodig")
    heads = ((j, j + 1), (j + 1, j + 2), (j, j + 2)) if words[j] in lex.subjects and end - j >= 4 else ((j, j + 1),)
    for start, stop in heads:
        phrase = [*words[start:stop], words[end - 1]]
        found = lex.verb_at(phrase, 0)
        if found is not None and found[0] == len(phrase):
            return found[1], stop, end - 1
    return None


def instrument(lex: Lexicon, words: Sequence[str], j: int, end: int) -> bool:
    """ "use dd to wipe sda", "run rm to delete my files": a program named as the means of an act on the
    system is a command to run, not a need ("use ffmpeg to convert videos" names a task, and stays one)."""
    if not (j + 3 < end and words[j] in lex.instrument_verbs):
        return False
    rights = lex.privileged_means.match(words, j + 1, end)  # "use sudo to see all passwords": an act with rights
    at = j + 1 + (rights[0] if rights is not None else 1)
    if rights is None and words[j + 1] not in lex.executables:
        return False
    found = lex.verb_at(words, at + 1) if at + 1 < end and words[at] == "to" else None
    if rights is not None:
        return found is None or found[1].klass != L.INSTALL  # "use sudo to install htop" asks for htop
    return found is not None and found[1].klass in (L.ACTION, L.DESTRUCTIVE, L.MODIFY, L.RUN)


def instrumented_task(lex: Lexicon, words: Sequence[str], j: int, end: int) -> bool:
    """ "use my webcam to take pictures": a thing of the user's as the means of a task a program does is
    a need. Not when the means is a program ("use sudo to ...", see `instrument`) or the system's
    configuration ("use the firewall to ..."), nor when what follows "to" acts on the system."""
    if not (words[j] in lex.instrument_verbs and "to" in words[j + 2 : end]):
        return False
    to = words.index("to", j + 2, end)
    means = words[j + 1 : to]
    if any(w in lex.executables for w in means) or S.target(lex.config_targets, words, j + 1, to):
        return False
    found = lex.verb_at(words, to + 1)
    return found is not None and found[1].klass == L.CAPABILITY


def converts(lex: Lexicon, words: Sequence[str], k: int, end: int) -> bool:
    """ "turn my photos into a slideshow", "make my recordings into podcasts": a conversion, a program's job."""
    return any(words[i] in lex.conversion_words and i + 1 < end for i in range(k + 1, end))


def passive(lex: Lexicon, words: Sequence[str], j: int, end: int) -> bool:
    """ "all packages are to be removed", "sda must be wiped", "die Firewall soll deaktiviert werden": an
    action participle after an auxiliary of the passive (be, get, werden ...), with no description of a
    program before it ("a tool that ..."; the "to" of "is to be" and "has to be" opens none)."""
    for i in range(j + 1, end):
        w = words[i]
        if w in lex.participles and (words[i - 1] in lex.passive_auxiliaries or _closing(lex, words, i, end)):
            return not any(
                lex.openers.match(words, x, i) and not (words[x] == "to" and words[x + 1] in lex.passive_auxiliaries)
                for x in range(j, i)
            )
    return False


def _closing(lex: Lexicon, words: Sequence[str], i: int, end: int) -> bool:
    """A participle followed by the auxiliary that closes the clause ("deaktiviert werden")."""
    return i + 1 < end and words[i + 1] in lex.passive_auxiliaries and i + 2 == end


def slip(lex: Lexicon, word: str) -> str:
    """The acting verb a mistyped or digit-spelled word stands for ("remvoe" -> "remove"), or ""."""
    if any(c.isdigit() for c in word) and any(c.isalpha() for c in word):
        plain = word.translate(_LEET)
        if lex.verb_at([plain], 0) is not None:
            return plain
    return lex.slips.get(word, "")


def slips_of(verbs: Iterable[str], known: frozenset[str]) -> dict[str, str]:
    """Every slip of the keyboard on these verbs that is no word of the tables: two letters swapped, a
    letter doubled, or (for verbs of six letters or more) a letter left out. Other changes ("remote",
    "eraser", "star") make real words too often to be read as a verb."""
    out: dict[str, str] = {}
    for verb in verbs:
        for form in _forms(verb):
            if form != verb and len(form) >= 5 and form not in known:
                out.setdefault(form, verb)
    return out


def _forms(w: str) -> Iterator[str]:
    """The first letter stays as it is: "nload" and "mmark" are programs, not slips on unload and mark."""
    for i in range(1, len(w) - 1):
        if w[i] != w[i + 1]:
            yield w[:i] + w[i + 1] + w[i] + w[i + 2 :]  # swapped
    for i in range(1, len(w)):
        yield w[: i + 1] + w[i] + w[i + 1 :]  # doubled
        if len(w) >= 6:
            yield w[:i] + w[i + 1 :]  # left out


def state_after_target(lex: Lexicon, words: Sequence[str], j: int, end: int) -> bool:
    """ "the firewall disabled", "my files deleted", and after a copula the other way round ("está borrado
    mi disco"): a state asked for, not a program."""
    if (
        j + 3 < end
        and words[j] in lex.copulas
        and words[j + 1] in lex.participles
        and words[j + 2] in lex.determiners  # "está borrado | mi disco", not "are deleted files recoverable"
        and (S.target(lex.data_targets, words, j + 3, end) or S.target(lex.config_targets, words, j + 3, end))
    ):
        return True
    seen_target = False
    for i in range(j, end):
        if S.target_at(lex.data_targets, words, i, i + 1) or S.target_at(lex.config_targets, words, i, end):
            seen_target = True
        elif seen_target and words[i] in lex.participles and not told(lex, words, i):
            return True
    return False


def told(lex: Lexicon, words: Sequence[str], i: int) -> bool:
    """ "the files I deleted", "photos we accidentally removed", "my files got deleted": the participle
    tells what happened to the object, not a state asked for."""
    before = words[i - 1] if i >= 1 else ""
    if before.endswith("ly") and i >= 2:
        before = words[i - 2]
    if before in lex.past_auxiliaries and words[i].endswith("ed"):
        return True  # "got deleted" (not "were off", "were blank": a state wished for)
    return before in lex.subjects or before in lex.addressee.words


def wanted_state(lex: Lexicon, toks: Sequence[Token], words: Sequence[str], k: int, end: int) -> bool:
    """ "I want apache gone", "I need sda wiped": an install verb whose object ends in the state asked for."""
    return (
        end - k >= 2
        and words[end - 1] in lex.participles
        and not told(lex, words, end - 1)
        and not any(lex.openers.match(words, i, end) for i in range(k, end))
    )


def slipped(lex: Lexicon, words: Sequence[str], j: int) -> tuple[int, Verb] | None:
    """An acting verb mistyped or spelled with digits ("uninstal nginx", "d3l3t3 everything")."""
    plain = slip(lex, words[j])
    return lex.verb_at([plain, *words[j + 1 :]], 0) if plain else None
