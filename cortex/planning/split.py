"""Pure text handling of a request: strip command-like prefixes, split "curl and wget" into parts,
and tell a named program ("sublime text") from a described need ("a tool to take screenshots")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from cortex.intake.lexicon import common_table, every_language, harmless_options, install_commands
from cortex.packages.foreign_names import names_a_system


def _alternatives(words: tuple[str, ...]) -> str:
    return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))


# Greetings, thanks and filler words set off by punctuation before or after the request ("hi, i need
# nginx", "thanks! now install vim", "htop, thanks!"): the intake's tables, in every language it reads.
_SOCIAL = every_language("social_formulas")
_COURTESY_BEFORE = re.compile(
    r"^(?:(?:" + _alternatives((*_SOCIAL, *every_language("lead_fillers"))) + r")\s*[,!.:;]+\s*)+", re.IGNORECASE
)
_COURTESY_AFTER = re.compile(
    r"(?:\s*[,!.:;]+\s*(?:" + _alternatives((*_SOCIAL, *every_language("trailing_fillers"))) + r"))+\s*[.!]*$",
    re.IGNORECASE,
)


# A package manager's install command, as the intake's tables type it ("sudo apt-get install",
# "pacman -S", "pip3 install", "npm i").
_COMMAND = (
    r"(?:sudo\s+)?(?P<manager>" + _alternatives(install_commands().managers) + r")\s+"
    r"(?:(?:" + _alternatives(harmless_options()) + r")\s+)*"
    r"(?:" + _alternatives(install_commands().subcommands) + r")\s+"
)
# The verb "install" in each language the intake reads ("instala", "installiere", "installeer"), but
# for forms that are also English words ("installer for windows apps" is a need).
_HOMOGRAPHS = frozenset(common_table("english_homographs"))
_INSTALL_VERBS = tuple(w for w in every_language("install") if "instal" in w and " " not in w and w not in _HOMOGRAPHS)
_PREFIX = re.compile(
    r"^\s*(?:please\s+|can\s+you\s+|could\s+you\s+)*"
    r"(?:(?:(?:" + _alternatives(every_language("lead_fillers")) + r")\s+)*"  # "now install vim"
    r"(?:" + _COMMAND + r"|(?:" + _alternatives(_INSTALL_VERBS) + r")\s+(?:me\s+)?"
    r"|i\s+(?:need|want)\s+(?:to\s+install\s+)?|i'd\s+like\s+|give\s+me\s+|get\s+me\s+|set\s+up\s+))?",
    re.IGNORECASE,
)
_INSTALL_COMMAND = re.compile(r"^" + _COMMAND + r"(?P<names>.+)$", re.IGNORECASE)
# Any verb that asks for software in the intake's tables ("get", "grab", "necesito"): see `asked_name`.
_ASKING_VERB = re.compile(
    r"^(?:" + _alternatives(tuple(w for w in every_language("install") if w not in _HOMOGRAPHS)) + r")\s+",
    re.IGNORECASE,
)
# The options a request may carry with an install, which the intake lets through (its harmless_options).
_FLAGS = re.compile(r"(?:^|\s)(?:" + _alternatives(harmless_options()) + r")(?=\s|$)")
_SEPARATORS = re.compile(r"\s*,\s*(?:and\s+)?|\s+(?:and|with|plus|&|\+|along\s+with|as\s+well\s+as)\s+", re.IGNORECASE)
# "with"/"plus" also join a need to its qualifier ("backups with deduplication"): a split on them holds
# only when every piece is a package name (the planner checks).
_WEAK = re.compile(r"\s+(?:with|plus|along\s+with)\s+", re.IGNORECASE)


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


_ARTICLES = frozenset({"a", "an", "the", "some", "any", "something", "anything", "me", "my"})
# Words that make a request a described need rather than the name of a program.
_NEED_WORDS = _wordset(
    """tool tools app apps application applications program programs utility utilities software package packages
    editor editors server servers client clients player players viewer viewers manager managers library libraries
    framework frameworks compiler compilers interpreter browser browsers suite ide environment database databases
    runtime sdk kit toolkit headers bindings plugin plugins extension extensions module modules driver drivers
    font fonts theme themes icons language languages docs documentation shell terminal emulator desktop game games
    firmware daemon service services engine
    for to that which who can like similar alternative replacement support with from into on in of per between
    how way something"""
)
# Verbs that open a described need ("extract rar archives", "measure network throughput").
_VERBS = _wordset(
    """extract convert measure see view edit take record play watch monitor manage compress decompress back backup
    download upload browse load test read write scan check find search sync share run build compile debug draw
    chat stream mount encrypt decrypt analyze analyse capture burn rip transfer resize crop create learn track
    show list open print host serve send receive block filter protect secure clean organize organise translate
    type take split merge join generate benchmark profile trace inspect control remote access speed make keep fix
    repair recover restore limit count store save boot flash design paint sketch render animate mix listen schedule
    automate deploy emulate virtualize simulate solve plot calculate compute detect identify query graph visualize
    diff compare rename annotate sign verify hash notify remind dictate speak transcribe optimize optimise shrink
    reduce sort format convert"""
)
_AGENT = re.compile(r"^[a-z]{3,}(?:er|or|ers|ors)$")
# An activity after a first word ("time tracking", "photo editing", "screen recording") is a need too.
_ACTIVITY = re.compile(r"^[a-z]{3,}ing$")
_WORD = re.compile(r"[a-z0-9][a-z0-9+.#_-]*", re.IGNORECASE)


@dataclass(frozen=True)
class Part:
    """One asked-for thing: its text and whether it reads like a program's name."""

    text: str
    name_like: bool
    weak: bool = False  # split off by "with"/"plus": valid only if it is a package name


# Where an aside starts at the end of a request: a parenthesis, a comma, a dash, or "like on".
_ASIDE = re.compile(
    r"(?:\s*\((?P<paren>[^()]*)\)|\s*(?:,|;|—|–|\s-)\s*(?P<tail>[^,;—–()]*)|\s+(?P<like>like\s+on\s+[^,;—–()]*))\s*$"
)


def _without_aside(text: str) -> str:
    """The text without a last remark that only names the system a name is from ("zlib-devel (fedora
    name)", "base-devel, but on debian"; foreign_names.yaml); twice, for "build-base (alpine), on debian"."""
    for _ in range(2):
        m = _ASIDE.search(text)
        if m is None or m.start() == 0:
            return text
        if not names_a_system(m.group("paren") or m.group("tail") or m.group("like") or ""):
            return text
        text = text[: m.start()].rstrip()
    return text


_FILLER = re.compile(
    r"^(?:the\s+)?(?:latest|newest|current)\s+(?:version\s+of\s+)?"
    r"|(?:\s+(?:" + _alternatives(every_language("trailing_fillers")) + r"))+$",  # "vlc plz", "htop now please"
    re.IGNORECASE,
)


def normalize(request: str) -> str:
    """The request without command prefixes ("sudo apt install", "please install"), -y flags and filler
    ("the latest ...", "... please")."""
    text = " ".join(request.split())
    text = text.strip().strip("\"'").strip()
    text = _COURTESY_BEFORE.sub("", text, count=1) or text  # "hello." alone is the program hello
    text = (_COURTESY_AFTER.sub("", text, count=1) or text).rstrip(".!?")
    text = _without_aside(_PREFIX.sub("", text, count=1))
    text = _FLAGS.sub(" ", text)
    text = _FILLER.sub("", " ".join(text.split()))
    return _FILLER.sub("", text).strip().rstrip(".!?")


@dataclass(frozen=True)
class ModuleInstall:
    """ "pip install requests numpy": a language manager's install command, its language (the naming of
    the archive's packages of its modules) and the module names."""

    command: str
    language: str
    names: tuple[str, ...]


# What may follow a module's name in a language manager's command: a version ("typescript@5").
_VERSION = re.compile(r"(?<=.)@[^/@]*$")


def module_install(request: str) -> ModuleInstall | None:
    """The request as a language manager's install command ("pip install requests"), or None."""
    text = " ".join(request.split()).strip().strip("\"'").strip().rstrip(".!?")
    m = _INSTALL_COMMAND.match(text)
    if m is None:
        return None
    language = install_commands().module_managers.get(m.group("manager").lower(), "")
    flags = set(harmless_options())
    names = tuple(_VERSION.sub("", w).lower() for w in m.group("names").split() if w.lower() not in flags)
    if not language or not names:
        return None
    return ModuleInstall(text, language, names)


def asked_name(text: str) -> str:
    """What follows a verb that asks for software, when it reads as a name ("get btop" -> "btop"); "" for
    any other text. The planner takes it only when it is a package's exact name: after "fetch mail",
    "add subtitles" the verb is the need's own."""
    m = _ASKING_VERB.match(text)
    rest = text[m.end() :].strip() if m is not None else ""
    return rest if rest and is_name_like(rest) else ""


def is_need_word(word: str) -> bool:
    """A generic word of a described need ("editor", "server", "a"): never a package name of its own."""
    return word.lower() in _NEED_WORDS or word.lower() in _ARTICLES


def words(text: str) -> list[str]:
    return [w.lower().rstrip(".") for w in _WORD.findall(text)]


def is_name_like(text: str) -> bool:
    """True for what reads like a program's name ("nginx", "docker compose", "visual studio code")."""
    ws = words(text)
    if not ws or len(ws) > 3:
        return False
    if len(ws) == 1:
        return ws[0] not in _ARTICLES and ws[0] not in _NEED_WORDS
    if ws[0] in _VERBS or any(_AGENT.match(w) or _ACTIVITY.match(w) for w in ws[1:]):
        return False
    return not any(w in _ARTICLES or w in _NEED_WORDS for w in ws)


def _is_noun_phrase(text: str) -> bool:
    """ "a web server", "an email client": a need of its own, as opposed to half a sentence."""
    ws = words(text)
    return len(ws) >= 2 and ws[0] in ("a", "an", "some")


# Nouns that say what kind of thing a need is, and nothing of what it does.
_GENERIC_NEEDS = _wordset(
    "tool tools app apps application applications program programs utility utilities software package packages "
    "library libraries plugin plugins extension extensions addon addons add-on add-ons"
)


def is_bare_need(piece: str) -> bool:
    """ "a library", "some plugins": an article and generic nouns only, which say of no need of their own."""
    ws = words(piece)
    if ws and ws[0] in _ARTICLES:
        ws = ws[1:]
    return bool(ws) and all(w in _GENERIC_NEEDS for w in ws)


# "with a gui", "with a simple web interface": the interface a need asks for, not a part of its own.
_INTERFACE_HEADS = _wordset("gui guis ui uis tui cli interface interfaces frontend front-end")
_INTERFACE_WORDS = _INTERFACE_HEADS | _wordset(
    "graphical web user text terminal console command-line nice simple good decent easy modern clean friendly "
    "proper basic minimal pretty intuitive"
)


def _is_interface(piece: str) -> bool:
    """ "a gui", "a simple web interface", "a terminal ui": only the interface a need should have."""
    ws = [w for w in words(piece) if w not in _ARTICLES]
    return bool(ws) and all(w in _INTERFACE_WORDS for w in ws) and any(w in _INTERFACE_HEADS for w in ws)


def split_request(request: str) -> list[Part]:
    """Split on "and", ",", "with", "plus" when every piece reads like a name or a need of its own ("a web
    server and a database"); else one described part.

    "curl and wget" -> [curl, wget]; "docker with compose" -> [docker, compose];
    "a tool to convert and resize images" stays one part (its pieces are not names).
    """
    text = normalize(request)
    if not text:
        return []
    pieces = [normalize(p) for p in _SEPARATORS.split(text) if p and p.strip()]  # "nginx and install curl"
    pieces = [p for p in pieces if p]
    if any(_is_interface(p) for p in pieces[1:]):
        return [Part(text, is_name_like(text))]  # "an ftp client with a gui": how the need is met, no part
    if any(is_bare_need(p) for p in pieces[1:]):
        return [Part(text, is_name_like(text))]  # "a music player with a library": a feature, no part
    if len(pieces) > 1 and all(is_name_like(p) or _is_noun_phrase(p) for p in pieces):
        weak = bool(_WEAK.search(text))
        return [Part(p, is_name_like(p), weak) for p in pieces]
    return [Part(text, is_name_like(text))]


def before_with(request: str) -> str:
    """What comes before the first "with"/"plus" of a request ("nginx" in "nginx with certbot for
    https"); "" when there is none."""
    text = normalize(request)
    m = _WEAK.search(text)
    return normalize(text[: m.start()]) if m else ""


_HEADING = re.compile(r"^(?P<head>[^:;,]{2,60}?)\s*:\s+(?P<items>[^:]+)$")


def heading_list(request: str) -> tuple[str, list[str]] | None:
    """ "avr toolchain: compiler, libc and avrdude" -> ("avr toolchain", ["compiler", "libc", "avrdude"]):
    a heading that says what the parts are for, a colon, then two or more parts; None for any other shape."""
    m = _HEADING.match(normalize(request))
    if m is None:
        return None
    items = [p for p in (normalize(x) for x in _SEPARATORS.split(m.group("items")) if x and x.strip()) if p]
    return (m.group("head").strip(), items) if len(items) >= 2 else None


_PIECE_SEPARATORS = re.compile(_SEPARATORS.pattern + r"|\s*:\s+|\s*;\s*", re.IGNORECASE)


def pieces(request: str) -> list[str]:
    """The request cut at every separator ("and", ",", "with", ":", ...), each piece normalized:
    "php development with composer and xdebug" -> ["php development", "composer", "xdebug"]."""
    text = normalize(request)
    return [p for p in (normalize(x) for x in _PIECE_SEPARATORS.split(text) if x and x.strip()) if p]


def name_variants(term: str, previous: str = "") -> list[str]:
    """Exact-name spellings to try for one part, most literal first.

    "docker compose" -> docker compose, docker-compose, dockercompose; "compose" after "docker" also
    tries docker-compose (the part continues the previous one, as in "docker with compose").
    """
    t = " ".join(term.lower().split())
    out = [t]
    ws = t.split()
    if len(ws) > 1:
        out += ["-".join(ws), "".join(ws)]
    if previous:
        prev = previous.lower().split()[-1]
        out += [f"{prev}-{t.replace(' ', '-')}", f"{prev}{t.replace(' ', '')}"]
    return list(dict.fromkeys(out))


_REFERENCE = re.compile(
    r"\s*,?\s*\b(?:like|similar\s+to|an?\s+alternative\s+to|alternative\s+to|instead\s+of|replacement\s+for|"
    r"such\s+as)\s+(?P<ref>[a-z0-9][\w.+ -]{0,40}?)\s*$",
    re.IGNORECASE,
)


def split_reference(text: str) -> tuple[str, str]:
    """ "an image editor like photoshop" -> ("an image editor", "photoshop"); no reference -> (text, "")."""
    m = _REFERENCE.search(text)
    if not m or m.start() == 0:
        return text, ""
    return text[: m.start()].strip(), m.group("ref").strip()
