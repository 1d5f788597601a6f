"""Well-known stacks and setups (cortex/data/stacks.yaml): recognise one in a request, pure.

    find("django development with a postgres database") -> StackMatch(django-postgres, extras=())
    find("php development with composer and xdebug")    -> StackMatch(php-dev, extras=("composer", "xdebug"))
    find("slice 3d models for my 3d printer")            -> None ("slice", "models" are not printing's words)

A stack matches when all the words of one of its phrases are in the request and every piece of the
request (split on "and", ",", "with", ...) that holds one of those words is made only of the stack's
own words: a request that merely mentions "printer" is not a request for a printing setup. The pieces
left over are extra parts the planner resolves on their own (names, or needs in the stack's ecosystem).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from cortex.packages.query import stem, vocabulary, words_of
from cortex.planning.split import heading_list, pieces


@dataclass(frozen=True)
class Component:
    role: str
    packages: tuple[str, ...]  # alternatives: the first the index has fills the role
    why: str
    when: frozenset[str] = frozenset()  # stems: only when the request names one ("imap"); empty: always


@dataclass(frozen=True)
class Stack:
    key: str
    title: str
    phrases: tuple[frozenset[str], ...]  # stemmed words of each phrase
    covers: frozenset[str]  # stemmed words the stack answers on its own
    components: tuple[Component, ...]

    @property
    def head_words(self) -> tuple[str, ...]:
        """The words of all the stack's phrases."""
        return tuple(sorted({w for p in self.phrases for w in p}))

    @property
    def ecosystem_words(self) -> tuple[str, ...]:
        """The phrase words that name the stack's ecosystem, for "php ... xdebug" -> php-xdebug: not the
        generic ones ("python development with a linter" looks for a linter of Python's, not any
        package that says "development")."""
        return tuple(w for w in self.head_words if w not in _GENERIC) or self.head_words


@dataclass(frozen=True)
class StackMatch:
    stack: Stack
    phrase: frozenset[str]
    extras: tuple[str, ...] = ()  # pieces of the request the stack does not answer
    words: frozenset[str] = frozenset()  # the request's content words (stems)

    @property
    def components(self) -> tuple[Component, ...]:
        """The stack's components this request asks for: the core ones, and those it names."""
        return tuple(c for c in self.stack.components if not c.when or c.when & self.words)


# Phrase words that say what kind of setup, not whose: no ecosystem of their own.
_GENERIC = frozenset(
    stem(w)
    for w in ("development", "dev", "developer", "programming", "environment", "toolchain", "setup", "stack",
              "server", "host", "system", "app", "application", "build", "building")
)  # fmt: skip
# Words of a setup request that say nothing about which setup: "a ... environment for my team".
_FILLER = frozenset(
    stem(w) for w in ("setup", "set", "up", "stack", "environment", "full", "complete", "basic", "team")
)


def _stems(text: str) -> frozenset[str]:
    return frozenset(stem(w) for w in words_of(text))


@lru_cache(maxsize=1)
def stacks() -> tuple[Stack, ...]:
    """The stacks of cortex/data/stacks.yaml."""
    from cortex import data

    doc = data.load("stacks.yaml") or []
    out = []
    for entry in doc:
        out.append(
            Stack(
                key=str(entry["key"]),
                title=str(entry["title"]),
                phrases=tuple(_stems(str(p)) for p in entry["match"]),
                covers=frozenset(stem(str(w)) for w in entry.get("covers") or ()),
                components=tuple(
                    Component(
                        str(c["role"]),
                        tuple(str(p) for p in c["packages"]),
                        str(c["why"]),
                        frozenset(stem(str(w)) for w in c.get("when") or ()),
                    )
                    for c in entry["components"]
                ),
            )
        )
    return tuple(out)


def _content(text: str) -> frozenset[str]:
    stop = vocabulary().stop_words
    return frozenset(stem(w) for w in words_of(text) if w not in stop) - _FILLER


def find(request: str, table: tuple[Stack, ...] | None = None) -> StackMatch | None:
    """The stack the request asks for, with the pieces it leaves over; None when it names none."""
    parts = pieces(request)
    contents = [_content(p) for p in parts]
    # "write my thesis in latex: the tex distribution and an editor": the heading says what the parts
    # are for; it is no part of its own.
    headed = heading_list(request) is not None
    # Phrases may hold words the ranking ignores ("debian" in "building debian packages").
    present = frozenset(stem(w) for w in words_of(request))
    best: StackMatch | None = None
    for stack in stacks() if table is None else table:
        for phrase in stack.phrases:
            if not phrase or not phrase <= present:
                continue
            if best is not None and len(phrase) <= len(best.phrase):
                continue
            # Any of the stack's own phrases is the stack: "a lapp stack with apache, postgres and php".
            own = frozenset(stack.head_words) | stack.covers
            extras = []
            fits = True
            for n, (text, content) in enumerate(zip(parts, contents, strict=True)):
                if content <= own:
                    continue
                if content & phrase:  # the phrase's piece says more than the stack: "3d printer"
                    fits = False
                    break
                if not (headed and n == 0):
                    extras.append(text)
            if fits:
                best = StackMatch(stack, phrase, tuple(extras), present - _FILLER)
    return best


# Words that make a request for a language's (or a platform's) development setup: "julia programming",
# "clojure development", "arduino dev". The setup words may stand beside them ("a kotlin dev environment").
_DEVELOPMENT = frozenset(
    stem(w) for w in ("development", "dev", "developer", "programming", "coding", "toolchain", "sdk")
)


def language_named(request: str) -> str | None:
    """The one word a development request names beside its development words ("julia programming" ->
    "julia", "a clojure dev environment" -> "clojure"); None for anything else ("game programming in c"
    names two things, "python" alone no development). Pure: whether the word is a language's package is
    the planner's question (`Planner._language`)."""
    stop = vocabulary().stop_words
    typed = [w for w in words_of(request) if w not in stop]
    stems = [stem(w) for w in typed]
    if not any(s in _DEVELOPMENT for s in stems):
        return None
    rest = [w for w, s in zip(typed, stems, strict=True) if s not in _DEVELOPMENT and s not in _FILLER]
    return rest[0] if len(rest) == 1 else None


# Debian sections of languages' toolchains and development platforms.
_DEVELOPMENT_SECTIONS = frozenset(
    ("devel", "interpreters", "lisp", "java", "haskell", "ocaml", "python", "perl", "ruby", "rust", "golang",
     "javascript", "php", "cli-mono", "electronics", "embedded", "math", "gnu-r")
)  # fmt: skip


def is_development_package(section: str, tags: tuple[str, ...] | list[str]) -> bool:
    """A language's or a platform's development package: in a section of toolchains, or tagged as a
    compiler, interpreter, IDE or language (debtags devel::*)."""
    return section.split("/")[-1] in _DEVELOPMENT_SECTIONS or any(
        t.startswith(("devel::compiler", "devel::interpreter", "devel::ide", "devel::lang:")) for t in tags
    )
