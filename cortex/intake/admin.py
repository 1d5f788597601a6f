"""What the system administers, for cortex/intake/reading.py: accounts and groups, the kernel command line
and the boot loader's entries, the rules passwords follow. No package is one of these, so a clause that
acts on one, or names one as where something goes, asks for a change to the system:

    "add me to the docker group"              a group, where "me" goes         -> refused (accounts)
    "create a user called bob"                an account, named                -> refused (accounts)
    "add nomodeset to the kernel command line" the boot configuration          -> refused (boot)
    "add quiet splash to grub"                a boot loader, as where it goes  -> refused (boot)
    "a tool to manage users and groups"       a description of a program      -> a need
    "install grub", "grub customizer"         a program's name                 -> an install

The thing must be the head of its noun phrase ("a user called bob", "the docker group"), not the first
half of a program's ("a user management program", "a group chat app"); nothing is read past a
beneficiary ("install firefox for all users") or a description ("... to manage users"). Pure, one pass.
"""

from __future__ import annotations

from collections.abc import Sequence

from cortex.intake import objects as S
from cortex.intake.lexicon import Lexicon


def administered(
    lex: Lexicon,
    words: Sequence[str],
    k: int,
    end: int,
    *,
    bare: bool = False,
    install: bool = False,
    task: bool = False,
) -> str:
    """The kind of thing administered ("accounts", "boot") that words[k:end] act on, or "".

    With `bare` (a clause with no verb: "new user frank", "au groupe docker"), the thing counts only after
    "new", a determiner or a word of destination, or before a naming word ("a user called bob"), never
    alone ("user accounts"). With `task` (a verb of a task a program does: "show", "take", "manage"), only
    where something goes in or out of ("take bob out of the sudo group") or a particular part of the boot
    configuration ("show the grub menu"), not "manage users" or "back up my account".
    After an install verb the thing counts after an article too ("i want a user account for my son"), not
    alone ("install users and groups tool"). A name right after the thing ("create user bob") counts after
    a verb that acts, or after "new" or "the" ("new user frank"); after an install verb only a naming word
    does ("get me a user named tim"), since "install the user manual" asks for a package."""
    place = False  # the last word was one of place: "to | grub", "in | the boot menu", "out of | the group"
    moved = False  # and that place is where something is moved: "to", "out of"
    within = k  # the end of the last phrase of place
    named = 0  # words since it that are no determiner
    for i in range(k, end):
        w = words[i]
        if w in lex.need_nouns or w in lex.beneficiaries:
            return ""  # "a backup tool for my account", "install firefox for all users"
        m = lex.openers.match(words, i, end)
        # "who", "qui", and "that" after a noun ("a browser that ..."; "delete that user" is a determiner)
        after_noun = i > k and lex.place_words.match(words, i - 1, end) is None
        relative = w in lex.relatives and (w not in lex.determiners or after_noun)
        if relative or (m is not None and i + m[0] < end and _describes(lex, words, i + m[0], end)):
            return ""  # "... to manage users", "... that users can't exit", "see who is in the group"
        kind = _thing(lex, words, i, end)
        if kind is not None and _counts(lex, words, k, i, end, kind, moved, bare, install, task):
            return kind[1]
        if place and w not in lex.determiners and lex.admin_places.match(words, i, end) is not None:
            return "boot"  # "add quiet splash to grub"
        at = lex.place_words.match(words, i, end)
        if at is not None:
            place, within, named = True, i + at[0], 0
            moved = lex.movements.match(words, i, end) is not None
        elif w not in lex.determiners and i >= within:
            named += 1  # one name may stand before the thing: "to the | docker | group"
            place = moved = place and moved and named == 1
    return ""


def _counts(
    lex: Lexicon,
    words: Sequence[str],
    k: int,
    i: int,
    end: int,
    kind: tuple[int, str],
    moved: bool,
    bare: bool,
    install: bool,
    task: bool,
) -> bool:
    """Whether the thing at words[i] is what the clause acts on (see `administered`)."""
    before = words[i - 1] if i > k else ""
    back = words[max(k, i - 2) : i]  # "the | docker | group", "uit de | groep"
    destined = any(w in lex.destinations for w in back)
    marked = destined or any(w in lex.creation_words or w in lex.determiners for w in back)
    if task and not (moved or (kind[1] == "boot" and marked)):
        return False
    if (bare or task or install) and not (marked or (install and before in lex.indefinite)):
        return _named(
            lex, words, _after(lex, words, i + kind[0], end), end
        )  # "install users and groups tool" asks for a tool

    apposition = (
        (not install and not bare and not task) or before in lex.creation_words or destined or (bare and marked)
    )
    return _head(lex, words, i, end, kind[0], apposition)


def _thing(lex: Lexicon, words: Sequence[str], i: int, end: int) -> tuple[int, str] | None:
    m = lex.admin_objects.match(words, i, end)
    if m is not None:
        return m[0], str(m[1])
    w = words[i]
    if "-" in w:  # "kernel-kommandozeile", "root-konto": a compound whose last part is one
        last = lex.admin_objects.match([w.rsplit("-", 1)[1]], 0)
        if last is not None:
            return 1, str(last[1])
    return None


def _head(lex: Lexicon, words: Sequence[str], i: int, end: int, n: int, apposition: bool) -> bool:
    """The thing ends its noun phrase: the clause ends, or a word of place, a joiner, a name or a word
    that names it follows ("a user | called bob", "the group | to"), not a noun it is the first half of."""
    after = _after(lex, words, i + n, end)
    if after >= end:
        return True
    nxt = words[after]
    if nxt in lex.need_nouns:
        return False
    if _named(lex, words, after, end) or nxt in lex.phrase_ends or nxt in lex.determiners:
        return True
    if lex.place_words.match(words, after, end) or lex.joiners.match(words, after, end):
        return True
    if lex.openers.match(words, after, end) or nxt in lex.beneficiaries or (nxt in lex.particles and after + 1 == end):
        return True  # ... or the particle of a separable verb closes the clause ("maak de groep aan")
    # "user bob", "group docker": one name after the thing closes the clause (a particle may follow) or goes somewhere
    # ... or a clause-final verb: "gruppe sudo hinzufügen"
    last = words[after + 1] if after + 2 == end else ""
    closing = bool(last) and (
        last in lex.particles or (last not in lex.need_nouns and lex.verb_at(words, after + 1) is not None)
    )
    closes = after + 1 == end or closing
    return apposition and (closes or lex.place_words.match(words, after + 1, end) is not None)


def _after(lex: Lexicon, words: Sequence[str], after: int, end: int) -> int:
    """Past an adjective of creation after the noun ("una cuenta nueva | llamada tom")."""
    return after + 1 if after < end and words[after] in lex.creation_words else after


def _named(lex: Lexicon, words: Sequence[str], at: int, end: int) -> bool:
    """A naming word or a value follows: "a user called bob", "kernel parameter acpi=off"."""
    return at < end and (lex.naming_words.match(words, at, end) is not None or "=" in words[at])


def _describes(lex: Lexicon, words: Sequence[str], at: int, end: int) -> bool:
    """What follows an opener is a task (a verb, "that adds ..."), not a place ("to the docker group")."""
    if words[at] in lex.determiners or words[at] in lex.indefinite:
        return False
    return any(lex.verb_at([b, *words[at + 1 : end]], 0) is not None for b in S.bases(words[at]) if b) or (
        S.gerund(lex, words, at, end) is not None
    )


def placed(lex: Lexicon, words: Sequence[str], j: int, end: int) -> str:
    """A clause with no verb of the tables that puts someone into a thing administered: a word the tables do
    not read as a verb, at most two words (who is moved: "tom", "me", "the intern") and a word of movement
    before the thing ("stick tom in sudoers", "shove me into the wheel group"); the kind, or "".
    A need noun, a beneficiary or an opener before the movement ("a tool for users in groups", "users in the
    docker group") reads no move."""
    head = words[j]
    if head in lex.need_nouns or head in lex.determiners or head in lex.indefinite or head in lex.beneficiaries:
        return ""
    if _thing(lex, words, j, end) is not None:
        return ""  # "users in the docker group" names who, it moves no one
    for i in range(j + 1, min(end, j + 4)):
        w = words[i]
        if w in lex.need_nouns or w in lex.beneficiaries or _thing(lex, words, i, end) is not None:
            return ""
        m = lex.movements.match(words, i, end)
        if m is None:
            continue
        at = i + m[0]
        while at < end and words[at] in lex.determiners:
            at += 1
        for x in (at, at + 1):  # one name may stand before the thing: "into the | docker | group"
            kind = _thing(lex, words, x, end) if x < end else None
            if kind is not None and _head(lex, words, x, end, kind[0], True):
                return kind[1]
        return ""
    return ""
