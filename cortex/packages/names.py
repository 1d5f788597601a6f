"""Whether a package is named after the words of a request, and how surely (pure).

    name_signal(analyse("redis"), "redis-server")  ->  (2.6, "named after 'redis'")

A whole request that is a name names the package; one word of a longer need names what the need is
about ("lint my bash scripts" is not `bash`), and a word of its context rather than its head names
what the program works with ("mount a folder from another machine over ssh" is not `ssh-tools`).
"""

from __future__ import annotations

from itertools import pairwise

from cortex.packages.query import Query, module_names, stem, words_of

_NAME_SUFFIXES = ("server", "client", "cli", "gtk", "gtk3", "qt", "tools", "utils", "bin", "daemon", "nox", "3", "2")
# Bonus (a penalty) for a package named exactly one word of a need of three words or more.
ONE_WORD_OF_NEED = 0.0
# Bonus for a name that starts with a word of the request (redis -> redis-tools).
PREFIX_NAME_BONUS = 0.6
# Bonus for a package that Provides a name made of two adjacent words of the need (nfs-server).
PROVIDES_BONUS = 2.6
# Bonus for the asked-for language's module named after a word of the need (python3-redis).
MODULE_NAME_BONUS = 2.6
# Bonus for a package named two adjacent words of a need of three words or more joined ("send a file
# to another computer" and `sendfile`, "check the health of my hard drive" and `health-check`): like a
# name made of one word, it names what the need does or is about, not the program (docs/INSTALL.md).
PAIR_NAME_BONUS = 0.0
# Bonus for a package named the first word of a two-word need, which only says what kind of thing the
# second one is ("an on screen keyboard" and `screen`).
MODIFIER_NAME_BONUS = 0.0
# Share of a name bonus left when the word it comes from is context, not the head, of a longer need.
CONTEXT_NAME_SHARE = 0.3


def name_signal(query: Query, name: str, provides: tuple[str, ...] = ()) -> tuple[float, str]:
    """Bonus for a package named after the request's words (or providing such a name), and why."""
    raw = query.raw_words
    parts = name.split("-")
    long_need = len(query.named_words or raw) >= 3
    for guess in query.name_guesses:
        if name == guess:
            # "screen recorder" is not a request for `screen`: one word of several names it less surely.
            whole = len(query.named_words or raw) == 1 or "-" in guess or guess not in raw
            if whole:
                if long_need and guess not in raw and not any(_in_head(query, w) for w in _pair_of(query, guess)):
                    # "a backup tool like time machine" asks for no `timemachine`: two words of the
                    # need's context joined name what it is like, not the program.
                    return 3.0 * CONTEXT_NAME_SHARE, f"named {guess!r} (words of the need's context)"
                if long_need and guess not in raw:
                    return PAIR_NAME_BONUS, f"named after two words of the need ({guess!r})"
                return 3.0, f"named {guess!r}"
            if long_need:
                # In a described need a word is what the need is about ("lint my bash scripts",
                # "plot data from a csv file"), not the program that meets it.
                return ONE_WORD_OF_NEED, f"named after one word of the need ({guess!r})"
            if _modifier(query, guess):
                # "an on screen keyboard": the first of two nouns says what kind of keyboard, the
                # second what it is; `screen` is no keyboard ("play sudoku" still names `sudoku`).
                return MODIFIER_NAME_BONUS, f"named after the need's modifier ({guess!r})"
            return 1.5, f"named {guess!r}"
    if name in module_names(query):
        # "a python client library for redis": the language's module for the thing it names.
        return MODULE_NAME_BONUS, "the asked-for language's module for a word of the need"
    for guess in query.name_guesses:
        if "-" in guess and guess in provides and any(_in_head(query, w) for w in _pair_of(query, guess)):
            # "nfs server": nfs-kernel-server Provides nfs-server; the archive says it is the one.
            return PROVIDES_BONUS, f"provides {guess!r}"
    bonus, why, word = _derived_name(query, name, parts)
    if bonus and long_need and word and not set(parts) <= set(words_of(query.text)):
        # Like a package named exactly one word of the need: "design a pcb for my electronics project"
        # is about a pcb, not a request for pcb-gtk, and "mount a folder from another machine over ssh"
        # not one for ssh-tools; a name the request spells out is named ("ssh tools to mount ...").
        return ONE_WORD_OF_NEED, f"named after one word of the need ({word!r})"
    return bonus, why


def _modifier(query: Query, word: str) -> bool:
    """Whether `word` is the first of a two-word need, which modifies the second (screen keyboard)."""
    named = query.named_words or query.raw_words
    return len(named) == 2 and named[0] == word and named[1] != word


def _pair_of(query: Query, guess: str) -> tuple[str, ...]:
    """The two adjacent words a joined name guess was made of ("git-gui", "gitgui", "gui-git")."""
    for a, b in pairwise(query.named_words or query.raw_words):
        if guess in (f"{a}-{b}", f"{a}{b}", f"{b}-{a}"):
            return (a, b)
    return ()


def _in_head(query: Query, word: str) -> bool:
    return not query.head or stem(word) in query.head


def _derived_name(query: Query, name: str, parts: list[str]) -> tuple[float, str, str]:
    """A name made from the request's words (redis-server, git-gui, pcb-gtk): bonus, why, the word."""
    raw = query.raw_words
    for w in raw:
        if parts[0] == w and len(parts) == 2 and parts[1] in _NAME_SUFFIXES:
            return 2.6, f"named after {w!r}", w
        if name in (w + "3", w + "2"):
            return 2.6, f"named after {w!r}", w
    words = set(raw) | set(query.words)
    if len(parts) > 1 and all(p in words or p in _NAME_SUFFIXES for p in parts):
        return 2.0, "name built from the request's words", ""
    for w in raw:
        if len(w) >= 3 and parts[0] == w:
            return PREFIX_NAME_BONUS, f"name starts with {w!r}", w
    return 0.0, "", ""
