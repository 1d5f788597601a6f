"""Reading a request for the package search: words, light stemming, related forms, synonyms, intent.

    analyse("a tool to edit PDFs in the terminal")
    -> Query(words=("edit", "pdf"), interface="commandline", use_tags={"use::editing"}, ...)

The vocabulary (stop words, interface and kind words, verbs -> debtags, synonyms) is data:
cortex/data/search_terms.yaml. Everything here is pure.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise

from cortex import data

_WORD = re.compile(r"[a-z0-9][a-z0-9+]*")
_E_PREFIX = re.compile(r"\be-(book|books|mail|mails|reader|readers|commerce)\b")  # e-book = ebook
# English clitics: "it's", "app's", "doesn't", "I'm" are one word each, not a word and a stray letter.
# A command-line option as typed in a need: "safer than rm -rf", "like ls --color".
_OPTION = re.compile(r"(?<![\w-])--?[a-z][a-z0-9-]*")
_CLITIC = re.compile(r"(?<=[a-z])(?:n't|['\u2019](?:s|t|re|ll|ve|m|d))\b")


@dataclass(frozen=True)
class Vocabulary:
    """The data of cortex/data/search_terms.yaml, inverted for lookups."""

    stop_words: frozenset[str]
    style_words: frozenset[str]
    interface_of: Mapping[str, str]
    kind_of: Mapping[str, frozenset[str]]
    use_tags_of: Mapping[str, frozenset[str]]
    synonyms: Mapping[str, tuple[str, ...]]
    compounds: Mapping[tuple[str, str], str] = field(default_factory=dict)
    language_of: Mapping[str, str] = field(default_factory=dict)  # word -> the programming language it names


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:

    doc = data.load("search_terms.yaml")
    interface_of = {w: kind for kind, words in doc["interface_words"].items() for w in words}
    kind_of: dict[str, set[str]] = {}
    for kind, words in doc["kind_words"].items():
        for w in words:
            kind_of.setdefault(str(w), set()).add(kind)
    use_of: dict[str, set[str]] = {}
    for tag, words in doc["use_tags"].items():
        for w in words:
            use_of.setdefault(str(w), set()).add(f"use::{tag}")
    return Vocabulary(
        stop_words=frozenset(str(w) for w in doc["stop_words"]),
        style_words=frozenset(str(w) for w in doc["style_words"]),
        interface_of=interface_of,
        kind_of={k: frozenset(v) for k, v in kind_of.items()},
        use_tags_of={k: frozenset(v) for k, v in use_of.items()},
        synonyms={str(k): tuple(str(x) for x in v) for k, v in doc["synonyms"].items()},
        compounds={tuple(str(k).split()): str(v) for k, v in (doc.get("compounds") or {}).items()},  # type: ignore[misc]
        language_of={str(w): str(lang) for lang, ws in (doc.get("languages") or {}).items() for w in ws},
    )


def words_of(text: str) -> list[str]:
    """Lower-case words: letters, digits and '+' (g++, c++); 'I/O', 'e-book' and 'e-mail' are one word;
    C# and F# are the languages' spelled-out names ("csharp"), not the letters C and F."""
    low = _CLITIC.sub("", spelled_out(text.lower().replace("i/o", "io")))
    return _WORD.findall(_E_PREFIX.sub(r"e\1", low))


_SHARP = re.compile(r"\b([cfCF])#")


def spelled_out(text: str) -> str:
    """C# and F# as the words the index holds for them ("csharp", "fsharp"): the request's words and the
    full-text index's (cortex/packages/store.py) are read the same way."""
    return _SHARP.sub(r"\1sharp", text) if "#" in text else text


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A deliberately light stemmer: plurals and -ing, so 'editing'/'edits' meet 'edit'."""
    w = word
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 5 and w.endswith("ing"):
        w = w[:-3]
    elif len(w) > 4 and w.endswith("es") and w[-3] in "sxz":
        w = w[:-2]
    elif len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
        w = w[:-1]
    return w


# Endings that turn one word into a relative (edit -> editor, compress -> compression, archive -> archiver);
# a bare prefix match would also pair "photoshop" with "photo" and "screenshot" with "screen".
_SUFFIXES = ("er", "or", "ion", "ation", "ed", "al", "ive", "ment", "ity", "ic", "ical", "ize", "ise", "ly",
             "ication", "able", "ist", "ure", "y", "2", "3")  # fmt: skip
_E_SUFFIXES = ("r", "d", "rs")


@lru_cache(maxsize=4096)
def forms(word: str) -> frozenset[str]:
    """The stems that count as the same word as `word` (its relatives by one common ending), in British
    and American spelling alike (organise ~ organizer, colour ~ color, modelling ~ modeler)."""
    out = set(_forms(word))
    for other in spelling_variants(word):
        out |= _forms(other)
    return frozenset(out)


# British and American spellings of one word: -ise/-yse and -ize/-yze with their endings, -our and -or,
# -tre and -ter, a doubled l before an ending (modelling, travelled).
_IZE = re.compile(r"(?<=[a-z]{3})([iy])([sz])(e|es|ed|er|ers|ing|ation|ations|able)?$")
_OUR = re.compile(r"(?<=[a-z]{2}[lvnmbi])our(s|ed|ing|ful|ite|ites|al|ist)?$")
_OR = re.compile(r"(?<=[a-z]{2}[lvnmbi])or(s|ed|ing|ful|ite|ites|al|ist)?$")
_TRE = re.compile(r"(?<=[a-z]{2}[^aeiou])(tre|ter)(s|d)?$")
_ELL = re.compile(r"(?<=[a-z]{3})ell(ing|ed|er|ers)?$")
_EL = re.compile(r"(?<=[a-z]{2}[^aeiou])el(ing|ed|er|ers)?$")


@lru_cache(maxsize=4096)
def spelling_variants(word: str) -> tuple[str, ...]:
    """The other spelling of `word` where British and American English differ by rule (pure; several
    rules may apply, each gives one variant): organise -> organize, analyze -> analyse, colour ->
    color, color -> colour, centre -> center, modell(ing) -> model(ing), model -> modell."""
    out: list[str] = []
    m = _IZE.search(word)
    if m and (m.group(3) is not None or len(word) >= 7):  # a stem (organis-ing); not "quiz", "basis"
        out.append(word[: m.start()] + m.group(1) + ("z" if m.group(2) == "s" else "s") + (m.group(3) or ""))
    m = _OUR.search(word)
    if m:
        out.append(word[: m.start()] + "or" + (m.group(1) or ""))
    else:
        m = _OR.search(word)
        if m and len(word) >= 5:
            out.append(word[: m.start()] + "our" + (m.group(1) or ""))
    m = _TRE.search(word)
    if m:
        out.append(word[: m.start()] + ("ter" if m.group(1) == "tre" else "tre") + (m.group(2) or ""))
    m = _ELL.search(word)
    if m:
        out.append(word[: m.start()] + "el" + (m.group(1) or ""))
    else:
        m = _EL.search(word)
        if m:
            out.append(word[: m.start()] + "ell" + (m.group(1) or ""))
    return tuple(o for o in dict.fromkeys(out) if o != word)


def _forms(word: str) -> set[str]:
    out = {word}
    # A final -e goes before an ending that starts with a vowel: rotate ~ rotation, generate ~ generator.
    e_root = word[:-1] if word.endswith("e") and len(word) >= 5 else ""
    for suffix in _SUFFIXES:
        out.add(word + suffix)
        if e_root and suffix[0] in _VOWELS:
            out.add(e_root + suffix)
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            out.add(word[: -len(suffix)])
            if suffix[0] in _VOWELS and word[-len(suffix) - 1] not in _VOWELS:
                out.add(word[: -len(suffix)] + "e")  # rotation ~ rotate
    if word.endswith("e"):
        out.update(word + s for s in _E_SUFFIXES)
        if len(word) >= 5:
            out.add(word[:-1])  # measure ~ measur(ing)
    else:
        out.add(word + "e")
    for s in _E_SUFFIXES:
        if word.endswith("e" + s) and len(word) >= 5:
            out.add(word[: -len(s)])
    if _doubles(word):  # plot ~ plott(ing), plotter; scan ~ scanner
        out.update(word + word[-1] + s for s in ("", "er", "ed"))
    if len(word) >= 4 and word[-1] == word[-2] and word[-1] in _DOUBLING and _doubles(word[:-1]):
        out.add(word[:-1])  # plott(ing) ~ plot
    return out


_DOUBLING = frozenset("bdglmnprt")
_VOWELS = frozenset("aeiou")


def _doubles(word: str) -> bool:
    """A short word whose last consonant doubles before -ing/-er/-ed (plot, scan, log, chat)."""
    return (
        len(word) >= 3
        and word[-1] in _DOUBLING
        and word[-2] in _VOWELS
        and word[-3] not in _VOWELS
        and (len(word) < 4 or word[-4] not in _VOWELS)
    )


_INDEX_ENDINGS = ("", "s", "es", "ing", "er", "ers", "or", "ors", "ion", "ions", "ation", "ed", "r", "rs", "d")


@lru_cache(maxsize=4096)
def index_forms(word: str) -> frozenset[str]:
    """The tokens the full-text index may hold for `word`: a few common relatives, plain and plural
    (fewer than `forms`: each one costs a lookup in the index's vocabulary)."""
    base = stem(word)
    roots = {word, base, base[:-1] if base.endswith("e") and len(base) >= 5 else base, *spelling_variants(base)}
    for suffix in _SUFFIXES:  # editor -> edit
        if base.endswith(suffix) and len(base) - len(suffix) >= 4:
            roots.add(base[: -len(suffix)])
    out = {r + e for r in roots for e in _INDEX_ENDINGS}
    out.update(r + r[-1] + e for r in roots if _doubles(r) for e in ("ing", "er", "ers", "ed"))
    return frozenset(t for t in out if t.isalnum())


def words_match(a: str, b: str) -> bool:
    """Same stem, or related by one common ending (edit ~ editor, compress ~ compression)."""
    return b in forms(a)


@dataclass(frozen=True)
class Query:
    """A request, analysed: its content words, their synonyms, and what kind of program it asks for."""

    text: str
    words: tuple[str, ...]  # content words, stemmed, in order
    raw_words: tuple[str, ...]  # content words as typed
    named_words: tuple[str, ...] = ()  # the same with style words kept ("git gui"), for name guesses
    expansions: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # word -> synonym stems
    interface: str = ""  # "graphical" | "commandline" | ""
    kinds: frozenset[str] = frozenset()
    use_tags: frozenset[str] = frozenset()
    head: frozenset[str] = frozenset()  # stems of the words before "for/to/so/that ..." ("a wiki for my team")
    word_uses: Mapping[str, frozenset[str]] = field(default_factory=dict)  # word stem -> its use:: debtags
    commands: tuple[str, ...] = ()  # words the need marks as command names ("the dig tool", "provides pdftotext")

    @property
    def name_guesses(self) -> tuple[str, ...]:
        """Package names the words could be: each word, and adjacent pairs joined (web server -> web-server)."""
        out = list(dict.fromkeys(self.raw_words))
        for a, b in pairwise(self.named_words or self.raw_words):  # "git gui" -> git-gui
            out += [f"{a}-{b}", f"{a}{b}", f"{b}-{a}"]  # "a gui for git" -> git-gui too
        return tuple(out)

    def search_terms(self) -> tuple[str, ...]:
        """Every word worth retrieving on: the content words and their synonyms."""
        terms = list(self.raw_words) + list(self.words)
        for syns in self.expansions.values():
            terms += syns
        return tuple(dict.fromkeys(t for t in terms if t))


# Style words that are also programs of their own ("a terminal" is a terminal emulator).
_STYLE_THINGS = frozenset({"terminal", "console"})


def says_nothing(text: str, vocab: Vocabulary | None = None) -> bool:
    """Whether a described need names nothing a program does: only stop words ("a good tool", "something
    useful", "install the usual stuff"), and no command it names ("the free command" names `free`)."""
    vocab = vocab or vocabulary()
    ws = words_of(_OPTION.sub(" ", text.lower()))
    content = [w for w in ws if w not in vocab.stop_words and (w not in vocab.style_words or w in _STYLE_THINGS)]
    return bool(ws) and not content and not named_commands(text, vocab)


def analyse(text: str, vocab: Vocabulary | None = None) -> Query:
    """Request text -> Query. Stop words and intent words go; interface, kind and use:: hints are kept."""
    vocab = vocab or vocabulary()
    # A command's options are no words of the need: "safer than rm -rf" is about rm.
    all_words = _joined(words_of(_OPTION.sub(" ", text.lower())), vocab.compounds)
    raw: list[str] = []
    interface = ""
    kinds: set[str] = set()
    use_tags: set[str] = set()
    for w in all_words:
        kinds |= vocab.kind_of.get(w, frozenset())
        use_tags |= vocab.use_tags_of.get(w, frozenset()) | vocab.use_tags_of.get(stem(w), frozenset())
        if w in vocab.interface_of:
            interface = interface or vocab.interface_of[w]
        if w not in vocab.stop_words:
            raw.append(w)
    commands = named_commands(text, vocab)
    if commands:  # "the convert command", "provides pdftotext": the marking words are not the need
        # "the free command": the command itself when nothing else is left (free is a stop word).
        raw = [w for w in raw if w not in _MARKING_WORDS] or [c for c in commands if c in all_words] or raw
    # "music player for the terminal": the interface is a style, not a subject ("a terminal" is one).
    named = tuple(raw)
    styled = [w for w in raw if w not in vocab.style_words]
    only_style = bool(raw) and not styled
    if styled:
        raw = styled
    elif raw:
        # "a terminal", "a console": the thing itself, asked for by its name, not an interface; "a gui"
        # alone names nothing to search for
        interface = ""
        raw = [w for w in raw if w in _STYLE_THINGS]
    # "a tool": better to search for the words than for nothing ("the at command": for `at`)
    if not raw and not only_style:
        raw = [w for w in all_words if len(w) > 1 and w not in _MARKING_WORDS and w in commands] or [
            w for w in all_words if len(w) > 1
        ]
    word_uses = {}
    for w in raw:
        uses = vocab.use_tags_of.get(w, frozenset()) | vocab.use_tags_of.get(stem(w), frozenset())
        if uses:
            word_uses[stem(w)] = uses
    expansions = {}
    own = {f for w in raw for f in forms(stem(w))}
    for w in raw:
        syns = vocab.synonyms.get(w) or vocab.synonyms.get(stem(w)) or ()
        # A synonym that is another word of the need adds nothing but a second count of that word.
        found = tuple(dict.fromkeys(stem(s) for s in syns if stem(s) not in own))
        if found:
            expansions[stem(w)] = found
    head = _head(all_words, vocab)
    if head:
        # "an ide for python beginners": a language in the need's context is what the program is for,
        # not a request for that language's modules (a language in the head is: "python libraries for ...").
        context_only = {
            k
            for w in all_words
            for k in vocab.kind_of.get(w, frozenset())
            if k in LANGUAGE_KINDS and stem(w) not in head
        }
        in_head = {k for w in all_words if stem(w) in head for k in vocab.kind_of.get(w, frozenset())}
        kinds -= context_only - in_head
    return Query(
        text=text,
        words=tuple(stem(w) for w in raw),
        raw_words=tuple(raw),
        named_words=named,
        expansions=expansions,
        interface=interface,
        kinds=frozenset(kinds),
        use_tags=frozenset(use_tags),
        head=head,
        word_uses=word_uses,
        commands=commands,
    )


def _joined(words: list[str], compounds: Mapping[tuple[str, str], str]) -> list[str]:
    """Two words that mean one joined into it ("back up" -> backup, "log in" -> login)."""
    out: list[str] = []
    i = 0
    while i < len(words):
        pair = tuple(words[i : i + 2])
        if len(pair) == 2 and pair in compounds:
            out.append(compounds[pair])
            i += 2
        else:
            out.append(words[i])
            i += 1
    return out


# Kinds that ask for one language's modules (cortex/packages/ranking.py prefers python3-*, ruby-*, ...).
LANGUAGE_KINDS = frozenset(("python", "perl", "ruby", "node"))
# How Debian names one language's module for a thing W (python3-redis, ruby-rack, node-express, libyaml-perl).
_MODULE_NAMES = {
    "python": ("python3-{}",),
    "ruby": ("ruby-{}",),
    "node": ("node-{}",),
    "perl": ("lib{}-perl",),
    "lua": ("lua-{}",),
    "go": ("{}",),  # "go install github.com/junegunn/fzf@latest": a program, named by its path's last part
}


# What a language's own index prefixes to some module names, which Debian's names drop (PyYAML is
# python3-yaml, python-dateutil is python3-dateutil).
_OWN_PREFIXES = {"python": ("python-", "py"), "ruby": ("ruby-",), "node": ("node-",), "perl": (), "lua": ("lua",)}
# Languages whose modules are named by a path ("github.com/junegunn/fzf"): the package is its last part.
_PATH_NAMED = frozenset({"go"})


def module_packages(language: str, module: str) -> tuple[str, ...]:
    """The archive's names to try, in order, for a module of a language's own index: ("python",
    "PyYAML") -> python3-pyyaml, python3-yaml; ("node", "@types/node") -> node-types-node. Pure."""
    name = module.lower().rsplit("/", 1)[-1] if language in _PATH_NAMED else module.lower()
    name = name.lstrip("@").replace("::", "-").replace("/", "-").replace("_", "-").replace(".", "-")
    own = next((p for p in _OWN_PREFIXES.get(language, ()) if name.startswith(p)), "")
    stems = [s for s in (name, name[len(own) :]) if len(s) >= 2]
    return tuple(dict.fromkeys(pattern.format(s) for s in stems for pattern in _MODULE_NAMES.get(language, ())))


def module_names(query: Query) -> tuple[str, ...]:
    """The package names of the asked-for language's modules for the need's other words: "a python
    client library for redis" -> python3-redis (and python3-client). Pure: the index says which exist."""
    vocab = vocabulary()
    out = []
    for kind, patterns in _MODULE_NAMES.items():
        if kind not in query.kinds:
            continue
        for w in query.raw_words:
            if w.isalnum() and not vocab.kind_of.get(w):
                out += [pattern.format(w) for pattern in patterns]
    return tuple(dict.fromkeys(out))


# Words that end the head of a need: what comes after them is its purpose or context.
_HEAD_END = frozenset(("for", "to", "so", "that", "which", "from", "on", "in", "when", "where", "like", "of", "with"))


def _head(all_words: list[str], vocab: Vocabulary) -> frozenset[str]:
    """The content words before the first purpose/context word, when there are words after it too."""
    for i, w in enumerate(all_words):
        if w in _HEAD_END:
            head = [x for x in all_words[:i] if x not in vocab.stop_words and x not in vocab.style_words]
            rest = [x for x in all_words[i + 1 :] if x not in vocab.stop_words]
            return frozenset(stem(x) for x in head) if head and rest else frozenset()
    return frozenset()


# A command as typed: letters, digits and . _ + - inside (mkfs.exfat, pg_dump, clang-format, g++).
_COMMAND = r"`?(?P<cmd>[a-z0-9][a-z0-9._+-]*[a-z0-9+]|[a-z0-9])`?"
_MARKER = r"(?:tool|utility|binary|program|executable)s?\b"
# Ways a need names a command outright. A word that is also an everyday word (make, time, file, screen,
# less, at) counts only when marked like this: "a tool to make backups" is no request for `make`.
_NAMED = (
    re.compile(r"\bthe\s+" + _COMMAND + r"\s+commands?\b"),  # "the at command", "the free command"
    re.compile(r"\bthe\s+" + _COMMAND + r"\s+" + _MARKER),  # "the dig tool"; not "the only tool"
    # "convert command"; not "X binary/executable": "edit binary files" names no `edit`.
    re.compile(r"(?<![\w`.+-])" + _COMMAND + r"\s+commands?\b"),
    re.compile(r"\b(?:provides?|providing|ships?|shipping)\s+(?:the\s+)?" + _COMMAND),  # "provides pdftotext"
    re.compile(r"\blike\s+" + _COMMAND),  # "a tool like htop"
    re.compile(r"`(?P<cmd>[a-z0-9][a-z0-9._+-]*)`"),  # "`dig`"
)
# A word shaped like a command and like no everyday word: a dot, underscore or dash inside it
# (mkfs.exfat, pg_dump, clang-format). Digits alone do not count: mp3, ext4, python3 are words of needs.
_SHAPED = re.compile(r"(?<![\w.+-])[a-z][a-z0-9+]*(?:[._-][a-z0-9+]+)+(?![\w+-])")
_MARKING_WORDS = frozenset(("command", "commands", "binary", "binaries", "executable", "executables", "provide",
                            "provides", "providing", "ship", "ships", "shipping"))  # fmt: skip
# Words that qualify a tool rather than name one, and happen to be commands too (only, free, last).
_QUALITIES = frozenset(("only", "simple", "first", "last", "free", "same", "right", "main", "default", "other",
                        "whole", "usual", "standard", "official", "proper", "real", "old", "new"))  # fmt: skip
_NOT_COMMANDS = frozenset(("the", "a", "an", "command", "tool", "utility", "binary", "program", "executable"))


def named_commands(text: str, vocab: Vocabulary | None = None) -> tuple[str, ...]:
    """The words `text` names as commands, in order: marked ones ("the dig tool", "provides pdftotext",
    "like htop", `dig`), and words shaped like a command (mkfs.exfat). Pure: whether a package ships
    them is the index's to say."""
    vocab = vocab or vocabulary()
    low = text.lower()
    found: list[tuple[int, str]] = []
    for i, pattern in enumerate(_NAMED):
        for m in pattern.finditer(low):
            name = m.group("cmd")
            # Only "the X command" and `X` may name a stop word ("the at command"); "like a", "provides
            # the", "the only tool" name nothing.
            if name in _NOT_COMMANDS or (0 < i < len(_NAMED) - 1 and (name in vocab.stop_words or name in _QUALITIES)):
                continue
            found.append((m.start("cmd"), name))
    found += [(m.start(), m.group(0)) for m in _SHAPED.finditer(_E_PREFIX.sub(r"e\1", low))]
    return tuple(dict.fromkeys(name for _, name in sorted(found)))
