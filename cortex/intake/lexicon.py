"""The intake's tables (cortex/data/intake_*.yaml), loaded once into sets and phrase maps.

Every language file maps its words onto the English verbs of intake_en.yaml, so a verb's meaning
(its kind and class) is written down once. Phrases of several words are matched word by word,
longest first, by `Phrases.match`.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import ClassVar

from cortex.system import yamlio

LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl")

# Verb classes (see intake_en.yaml `verbs`).
INSTALL = "install"
CAPABILITY = "capability"
ACTION = "action"
DESTRUCTIVE = "destructive"
MODIFY = "modify"
RUN = "run"


@dataclass(frozen=True)
class Verb:
    """What a verb means: its class (how to read its object) and the kind of action it names."""

    word: str  # as it appears in the request
    meaning: str  # the English verb it stands for
    klass: str
    kind: str = ""
    language: str = "en"
    # What the verb destroys, when it destroys only that: "storage" ("format the disk", not "format c
    # code"), "firmware" ("flash the bios", not "flash my arduino"); "" for anything.
    objects: str = ""


class Phrases:
    """Phrases of one or more words, matched at a position of a word list, longest first."""

    def __init__(self, items: Mapping[tuple[str, ...], object]) -> None:
        self._items = dict(items)
        self.longest = max((len(k) for k in self._items), default=0)
        self.words = frozenset(k[0] for k in self._items if len(k) == 1)

    def match(self, words: Sequence[str], i: int, end: int | None = None) -> tuple[int, object] | None:
        """(length, value) of the longest phrase that starts at words[i] (and ends by `end`), or None."""
        stop = len(words) if end is None else end
        for n in range(min(self.longest, stop - i), 0, -1):
            value = self._items.get(tuple(words[i : i + n]))
            if value is not None:
                return n, value
        return None

    def find(self, words: Sequence[str], start: int = 0, end: int | None = None) -> tuple[int, int] | None:
        """(position, length) of the first phrase in words[start:end]."""
        stop = len(words) if end is None else end
        for i in range(start, stop):
            m = self.match(words, i, stop)
            if m is not None:
                return i, m[0]
        return None

    def __contains__(self, words: object) -> bool:
        return isinstance(words, tuple) and words in self._items


def _unaccented(word: str) -> str:
    """The word without its accents ("éteins" -> "eteins")."""
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


def _add_unaccented(
    others: Iterable[Verb], verbs: dict[tuple[str, ...], Verb], foreign: dict[tuple[str, ...], Verb], shared: set[str]
) -> None:
    """Each verb of another language also without its accents ("eteins" for "éteins": typed on a keyboard
    without them), where that form is no other word of the tables."""
    for verb in others:
        plain = _key(_unaccented(verb.word))
        if plain != _key(verb.word) and plain not in verbs and len(" ".join(plain)) >= 4 and not (set(plain) & shared):
            verbs[plain] = foreign[plain] = Verb(
                " ".join(plain), verb.meaning, verb.klass, verb.kind, verb.language, verb.objects
            )


def _finite_forms(word: str, language: str) -> tuple[str, ...]:
    """The present-tense forms a German or Dutch infinitive takes at the end of a subordinate clause,
    where the verb goes ("ich will, dass du die Firewall abschaltest", "ik wil dat je de schijf wist"):
    German du/er forms (abschalt-est, lösch-st, lösch-t), Dutch stem and stem + t (wis, wist; uitzet)."""
    if " " in word or not word.endswith("en") or len(word) < 6:
        return ()
    stem = word[:-2]
    if language == "de":
        return (stem + "est", stem + "et") if stem.endswith(("t", "d")) else (stem + "st", stem + "t")
    if language == "nl":
        if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "aeiou":
            stem = stem[:-1]  # uitzetten -> uitzet, wissen -> wis
        return (stem,) if stem.endswith(("t", "d")) else (stem, stem + "t")
    return ()


def _finite(
    others: Iterable[Verb], verbs: Mapping[tuple[str, ...], Verb], shared: set[str]
) -> dict[tuple[str, ...], Verb]:
    """Each German and Dutch verb in its finite forms (`_finite_forms`), where such a form is no other
    word of the tables nor an English word; read only where the verb of a subordinate clause stands,
    at its end ("entfernt" and "versteckt" are adjectives elsewhere)."""
    out: dict[tuple[str, ...], Verb] = {}
    for verb in others:
        for form in _finite_forms(verb.word, verb.language):
            key = (form,)
            if key not in verbs and form not in shared and len(form) >= 4:
                out.setdefault(key, Verb(form, verb.meaning, verb.klass, verb.kind, verb.language, verb.objects))
    return out


def _key(phrase: object) -> tuple[str, ...]:
    return tuple(str(phrase).lower().split())


def _phrases(values: Iterable[object], value: object = True) -> Phrases:
    return Phrases({_key(v): value for v in values if str(v).strip()})


@dataclass(frozen=True)
class Wishes:
    """The tables of wishes and questions, each merged over the languages (keys in `KEYS` order)."""

    KEYS: ClassVar[tuple[str, ...]] = (
        "wish_frames",
        "wish_openings",
        "wish_closings",
        "denying_closings",
        "denied_wants",
        "wish_states",
        "wish_modals",
        "unwanted_markers",
        "wished_haves",
    )
    frames: Phrases  # "how about", "i wish": a wish or question about what follows
    openings: Phrases  # "it would be" ... (two words at most) ... a closing: "if", "to"
    closings: Phrases
    denying_closings: Phrases  # "... better without": the closing denies what follows
    denied: Phrases  # "i don't need", "no more": a want denied
    states: Phrases  # gone, away, off, not running: a state wished for
    modals: Phrases  # should, ought to: "the firewall should go"
    unwanted_markers: Phrases  # anymore, installed: "i don't want nginx anymore"
    haves: Phrases  # "there were", "i had": after a frame, what follows is asked for


@dataclass(frozen=True)
class Lexicon:
    """Every table the intake reads, merged over the languages it knows."""

    separators: Phrases
    joiners: Phrases
    unjoined: Phrases  # "en train de": a joiner of another language that joins nothing here
    lead_fillers: Phrases
    trailing_fillers: Phrases
    social_formulas: Phrases  # "good morning", "thanks, that worked": a clause of one asks for nothing
    social_tails: Phrases  # "... for your help", "... to me": after a social formula, still nothing asked
    prefixes: Phrases
    determiners: frozenset[str]
    universal: Phrases
    indefinite: frozenset[str]
    subjects: frozenset[str]
    addressee: Phrases
    need_nouns: frozenset[str]
    openers: Phrases
    verbs: Phrases  # phrase -> Verb (install, capability and the acting verbs)
    verb_languages: Mapping[str, frozenset[str]]  # a verb form of other languages -> all that have it
    foreign_verbs: Phrases  # non-English verb forms that are no English word: found anywhere in a clause
    final_verbs: Phrases  # German and Dutch finite forms, read at a clause's end only ("... die Firewall abschaltest")
    listeners: frozenset[str]  # "du", "je": who a subordinate clause's final verb is said to
    data_targets: Phrases
    config_targets: Phrases
    repository_targets: Phrases
    other_sources: Phrases  # "from upstream", "from testing": a source outside the configured archive
    action_nouns: Phrases
    kind_words: Phrases
    manner_words: Phrases
    place_words: Phrases
    privilege_words: Phrases
    time_words: Phrases
    automation_words: Phrases
    clock_words: Phrases  # nightly, every hour: a time, not only "automatically"
    plural_pronouns: frozenset[str]
    verb_adverbs: frozenset[str]  # always, never: "always uninstall what is asked" is the verb's
    language_words: Mapping[str, frozenset[str]]  # each other language's own words (no English word)
    participles: frozenset[str]  # action participles of every language ("deleted", "gelöscht")
    past_auxiliaries: frozenset[str]  # got, was, were: "my files got deleted" tells what happened
    passive_auxiliaries: frozenset[str]  # be, get, werden ...: "the disk should be wiped"
    slips: Mapping[str, str]  # a mistyped acting verb -> the verb ("remvoe" -> "remove")
    upgrade_nouns: frozenset[str]  # "install all updates": an object that is an upgrade, not software
    self_acting: frozenset[str]  # "automatic updates": a program's job, not an order
    upkeep_verbs: frozenset[str]  # restart, update: done over and over or on a condition, a program's job
    condition_markers: Phrases  # when, if: "restart apache if it stops responding"
    adding_verbs: frozenset[str]  # add, put: an install unless they act on the system's configuration
    tool_manners: Phrases  # "easily", "with a gui": how a program lets one do it
    interrupting_kinds: frozenset[str]  # an acting verb of these kinds inside an install ends it
    software_targets: Phrases  # what removing means uninstalling ("remove orphaned packages")
    releases: frozenset[str]  # suites of the archive ("nginx/experimental" selects one)
    versioned: frozenset[str]  # interpreters asked for with a version ("python 3")
    commands_alone: frozenset[str]  # executables named after their action: a command even alone
    storage_targets: Phrases
    firmware_targets: Phrases  # what flash acts on when it changes this machine
    flashed_devices: Phrases  # a device of its own whose firmware is flashed with a program
    state_words: Phrases
    copulas: frozenset[str]
    tool_questions: Phrases  # "what can i use?": the other clauses describe the job
    pronouns: frozenset[str]  # it, them: "... photos and want to resize them"
    foreign_programs: frozenset[str]  # windows, exe, android: "run this windows exe on linux"
    platforms: frozenset[str]  # linux, ubuntu: where a foreign program is run
    sameness: Phrases  # the same: "run the same command on a bunch of hosts"
    quantities: Phrases  # many, a bunch of: of hosts
    host_words: frozenset[str]  # hosts, servers, machines
    inabilities: Phrases  # i can't: "i can't open rar files" describes a need
    wh_questions: frozenset[str]  # which, what: "which folders are using my disk space"
    deletion_places: Phrases  # the trash: "move my files to the trash" deletes them
    telling_verbs: frozenset[str]  # alert me, warn me: a task only when told of something
    told_of: Phrases  # when, if, about: "alert me when a server goes down"
    state_questions: Phrases  # is, are, does: "is my hard drive dying" asks about a state
    knowledge_questions: Phrases  # "how does": "how does dns work" asks for knowledge
    knowledge_closers: Phrases  # work, mean: what ends such a question
    relative_starts: frozenset[str]
    instrument_verbs: frozenset[str]
    conversion_words: frozenset[str]
    arranging_verbs: frozenset[str]
    schedule_modifiers: frozenset[str]
    scheduled_objects: Phrases
    boot_times: Phrases
    operation_kinds: frozenset[str]
    personal_objects: Phrases
    human_languages: Phrases
    acting_objects: frozenset[str]
    phrase_ends: frozenset[str]
    preventing_verbs: frozenset[str]
    prevention_markers: Phrases
    desire_words: Phrases
    injection_markers: Phrases
    other_language_words: Phrases
    kinds: Mapping[str, Mapping[str, str]]
    package_managers: frozenset[str]
    install_subcommands: frozenset[str]
    harmless_options: frozenset[str]
    executables: frozenset[str]
    executables_in_phrases: frozenset[str]
    managers_in_phrases: frozenset[str]  # go, port: a command only with an install or removal subcommand
    latin_letters: frozenset[str]
    english_homographs: frozenset[str]
    everyday_objects: Phrases  # a person's things a program handles ("lock my screen", "encrypt my emails")
    everyday_verbs: frozenset[str]  # lock, encrypt, make, change ...: how a thing works for a person
    media_objects: Phrases  # a person's photos, songs, videos, documents: what an editor works on
    media_files: frozenset[str]  # file, files: "my png files" are media
    editing_verbs: frozenset[str]  # edit, change, fix ...: on media, a need for an editor ("edit my photos")
    media_links: frozenset[str]  # in, on: "the bass in my music" names the music
    personal_machines: Phrases  # a person's own computer ("lock my computer", "make my laptop faster")
    machine_verbs: frozenset[str]  # lock, unlock: what a program does to a person's own machine
    improvements: Phrases  # faster, quieter, more responsive: "make my laptop faster" asks for tuning
    performance_verbs: Phrases  # run, boot, respond: "make my laptop boot faster"
    identity_objects: Phrases  # a person's ip, location, traffic: what a privacy program hides
    concealing_verbs: frozenset[str]  # hide, mask, anonymize: "hide my ip" asks for a vpn or tor
    causative_verbs: frozenset[str]  # make: "make my computer read text aloud"
    immediacy_words: Phrases  # "now", "right away": an act asked for now, not a program
    permitting_verbs: frozenset[str]  # let, allow: with a person and a task, a program that lets them
    persons: Phrases
    unwanted_content: Phrases  # what blocking keeps out ("block websites"), not part of the system
    distributive_manners: Phrases  # "separately", "per application": how a program lets one do it
    others: frozenset[str]  # "my neighbour's network": another's system
    covert: Phrases  # "without them knowing": a program hidden from whoever it acts on
    means_markers: frozenset[str]  # "by deleting my photos": the act that is the means
    privileged_means: Phrases  # "as root", "use sudo to ...": an act with rights
    privileged_means_markers: Phrases
    article_names: Phrases  # "john the ripper": a program's name, not a verb and its object
    function_words: frozenset[str]  # determiners, fillers, joiners: a clause of only these names nothing
    admin_objects: Phrases  # phrase -> "accounts" or "boot": what the system administers, never a package
    admin_places: Phrases  # grub, the boot menu: a program's name too, but never where software goes
    beneficiaries: frozenset[str]  # for, für, pour: "install firefox for all users" names who it is for
    naming_words: Phrases  # called, named, namens: "a user called bob"
    creation_words: frozenset[str]  # new, neuen, nouvel: "new user frank"
    exposing_verbs: frozenset[str]  # print, send: the system's secrets shown or sent now
    secrets: Phrases  # password, passwort: "a new password" asks to change one
    destinations: frozenset[str]  # to, zur, au: "au groupe docker" names the group
    movements: Phrases  # to, out of, and the destinations: where a task moves something
    relatives: frozenset[str]  # that, which, who: after a noun, a relative clause that describes it
    comma_relatives: Phrases  # "ein tool, das ...": a relative clause of the need noun before the comma
    verb_prefixes: frozenset[str]  # "un install", "re-boot": a prefix written apart from its verb
    relative_verb_first: frozenset[str]  # languages whose relative clause's verb follows the pronoun
    relative_verb_last: frozenset[str]  # languages whose relative clause's verb ends it (German, Dutch)
    particles: frozenset[str]  # auf, an, hinzu, aan, toe: the particle of a separable verb, closing a clause
    vocabulary: frozenset[str]  # every word of every table, and the executables
    plain_words: frozenset[str]  # English words of the tables and function words, of three letters or more
    spelled_commands: frozenset[str]  # rm, su: executables of two letters that are no everyday word
    homoglyphs: Mapping[str, str]  # a look-alike letter of another script -> the Latin letter
    wishes: Wishes  # wishes and questions about the system's state (cortex/intake/wishes.py)

    def verb_at(self, words: Sequence[str], i: int) -> tuple[int, Verb] | None:
        m = self.verbs.match(words, i)
        if m is None:
            return None
        n, verb = m
        assert isinstance(verb, Verb)
        return n, Verb(" ".join(words[i : i + n]), verb.meaning, verb.klass, verb.kind, verb.language, verb.objects)


_FILES = ("common", *LANGUAGES, "other")
_CACHE_NAME = "intake-tables.json"


def _load(name: str) -> dict[str, object]:
    doc = _documents()[name]
    assert isinstance(doc, dict), name
    return doc


@lru_cache(maxsize=1)
def _documents() -> dict[str, object]:
    """The parsed data files. Parsing YAML costs tens of milliseconds per process, so the parsed form
    is kept as JSON in the cache directory, keyed by a hash of the files (best effort)."""
    import json

    from cortex import data, paths

    texts = [data.text(f"intake_{name}.yaml") for name in _FILES]
    key = hashlib.sha256("\0".join(texts).encode("utf-8")).hexdigest()
    cache = paths.cache_dir() / _CACHE_NAME
    try:
        cached = json.loads(cache.read_text("utf-8"))
        if cached.get("key") == key:
            return dict(cached["documents"])
    except (OSError, ValueError, AttributeError):
        pass
    documents = {name: yamlio.load(text) for name, text in zip(_FILES, texts, strict=True)}
    _write_cache(cache, json.dumps({"key": key, "documents": documents}, ensure_ascii=False))
    return documents


def _write_cache(path: Path, text: str) -> None:
    """Atomic (temporary file + rename); a cache that cannot be written is simply not kept."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except OSError:
        pass


def harmless_options() -> tuple[str, ...]:
    """The options a request may carry with an install (intake_common.yaml): the planner drops them."""
    return common_table("harmless_options")


def common_table(key: str) -> tuple[str, ...]:
    """One list of intake_common.yaml, lower case."""
    return tuple(_list(_load("common"), key))


def language_table(language: str, key: str) -> dict[str, str]:
    """One mapping of a language's file (intake_de.yaml `need_words`, ...), lower case; {} when absent."""
    value = _load(language).get(key) or {}
    assert isinstance(value, dict), key
    return {str(k).lower(): str(v).lower() for k, v in value.items()}


def language_list(language: str, key: str) -> tuple[str, ...]:
    """One list of a language's file, lower case."""
    return tuple(_list(_load(language), key))


def language_words(language: str) -> tuple[str, ...]:
    """Every word of a language's file's lists (its verbs, fillers, determiners, ...), lower case."""
    doc = _load(language)
    words = {w for value in doc.values() if isinstance(value, list) for v in value for w in str(v).lower().split()}
    return tuple(sorted(words))


def every_language(key: str) -> tuple[str, ...]:
    """One table of every language's file (intake_en.yaml, intake_de.yaml, ...), merged, lower case."""
    return tuple(w for lang in LANGUAGES for w in _list(_load(lang), key))


@dataclass(frozen=True)
class InstallCommands:
    """How package managers' install commands are typed (intake_common.yaml), for the planner to read
    "sudo apt install nginx" or "pip install requests" as a request."""

    managers: tuple[str, ...]  # longest first: "apt-get" before "apt"
    subcommands: tuple[str, ...]
    module_managers: Mapping[str, str]  # pip -> python: whose install names one language's modules


@lru_cache(maxsize=1)
def install_commands() -> InstallCommands:
    common = _load("common")
    modules = common.get("module_managers") or {}
    assert isinstance(modules, dict), "module_managers"
    return InstallCommands(
        managers=tuple(sorted(_list(common, "package_managers"), key=len, reverse=True)),
        subcommands=tuple(str(w) for w in common["install_subcommands"]),  # type: ignore[attr-defined]
        module_managers={str(k).lower(): str(v) for k, v in modules.items()},
    )


def _list(doc: Mapping[str, object], key: str) -> list[str]:
    value = doc.get(key) or []
    assert isinstance(value, list), key
    return [str(v).lower() for v in value]


def _admin_objects(merged: Callable[[str], list[str]]) -> Phrases:
    """Each thing the system administers -> its kind of refusal (accounts, boot)."""
    return Phrases({_key(w): kind for kind, key in (("accounts", "account_objects"), ("boot", "boot_objects"))
                    for w in merged(key)})  # fmt: skip


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The merged tables (read once per process)."""
    from cortex.intake.forms import slips_of

    common = _load("common")
    docs = {lang: _load(lang) for lang in LANGUAGES}
    en = docs["en"]

    meanings: dict[str, tuple[str, str, str]] = {}
    for word, spec in dict(en["verbs"]).items():  # type: ignore[call-overload]
        meanings[str(word)] = (str(spec["class"]), str(spec["kind"]), str(spec.get("objects") or ""))
    verbs: dict[tuple[str, ...], Verb] = {}
    foreign: dict[tuple[str, ...], Verb] = {}

    def merged(key: str) -> list[str]:
        return [w for doc in docs.values() for w in _list(doc, key)]

    english_words: set[str] = set()
    for value in en.values():
        if isinstance(value, (list, dict)):
            english_words |= {w for v in value for w in str(v).lower().split()}
    function_words = {
        w
        for doc in docs.values()
        for key in ("separators", "joiners", "trailing_fillers", "determiners", "openers", "indefinite")
        for p in _list(doc, key)
        for w in p.split()
    }

    for lang, doc in docs.items():
        for w in _list(doc, "capability"):
            verbs.setdefault(_key(w), Verb(w, w, CAPABILITY, "", lang))
    for lang, doc in docs.items():
        for w in _list(doc, "install"):
            verbs[_key(w)] = Verb(w, "install", INSTALL, "", lang)
    for word, (klass, kind, objects) in meanings.items():
        verbs[_key(word)] = Verb(word, word, klass, kind, "en", objects)
    shared = english_words | function_words
    meanings_keys = {_key(w) for w in meanings}
    verb_languages: dict[str, set[str]] = {}
    others: list[Verb] = []
    for lang, doc in docs.items():
        if lang == "en":
            continue
        for word, meaning in dict(doc.get("verbs") or {}).items():  # type: ignore[call-overload]
            verb_languages.setdefault(" ".join(_key(word)), set()).add(lang)
            klass, kind, objects = meanings[str(meaning)]
            verb = Verb(str(word), str(meaning), klass, kind, lang, objects)
            if _key(word) not in meanings_keys:  # "stop", "open", "execute" stay English
                verbs[_key(word)] = verb
            words = _key(word)
            if len(" ".join(words)) >= 4 and not (set(words) & shared):
                foreign[words] = verb
            others.append(verb)
    _add_unaccented(others, verbs, foreign, shared)
    finite = _finite(others, verbs, shared)

    known = english_words | {w for doc in docs.values() for v in doc.values() if isinstance(v, list) for p in v
                             for w in str(p).lower().split()}  # fmt: skip
    foreign_words = {w for doc in docs.values() for v in doc.values() if isinstance(v, dict) for k in v
                     for w in str(k).lower().split()}  # fmt: skip
    other = [
        str(w)
        for words in dict(_load("other")["words"]).values()  # type: ignore[call-overload]
        for w in words
        if not set(str(w).lower().split()) <= known
    ]
    return Lexicon(
        separators=_phrases(merged("separators")),
        joiners=_phrases(merged("joiners")),
        unjoined=_phrases(merged("unjoined")),
        lead_fillers=_phrases(merged("lead_fillers")),
        trailing_fillers=_phrases(merged("trailing_fillers")),
        social_formulas=_phrases(merged("social_formulas")),
        social_tails=_phrases(merged("social_tails")),
        prefixes=_phrases(merged("prefixes")),
        determiners=frozenset(p for p in merged("determiners") if " " not in p),
        universal=_phrases(merged("universal")),
        indefinite=frozenset(merged("indefinite")),
        subjects=frozenset(merged("subjects")),
        addressee=_phrases(merged("addressee")),
        need_nouns=frozenset(merged("need_nouns")),
        openers=_phrases(merged("openers")),
        verbs=Phrases(verbs),
        verb_languages={w: frozenset(langs) for w, langs in verb_languages.items()},
        foreign_verbs=Phrases(foreign),
        final_verbs=Phrases(finite),
        listeners=frozenset(merged("listeners")),
        data_targets=_phrases(merged("data_targets")),
        config_targets=_phrases(merged("config_targets")),
        repository_targets=_phrases(_list(common, "repository_targets")),
        other_sources=_phrases([*_list(common, "other_sources"), *_list(common, "releases")]),
        action_nouns=_phrases(_list(en, "action_nouns")),
        kind_words=_phrases(_list(en, "kind_words")),
        manner_words=_phrases(_list(en, "manner_words")),
        place_words=_phrases(_list(en, "place_words")),
        privilege_words=_phrases(_list(en, "privilege_words")),
        time_words=_phrases(_list(en, "time_words")),
        automation_words=_phrases(_list(en, "automation_words")),
        clock_words=_phrases(_list(en, "clock_words")),
        plural_pronouns=frozenset(_list(en, "plural_pronouns")),
        verb_adverbs=frozenset(_list(en, "verb_adverbs")),
        language_words={
            lang: frozenset(
                w
                for v in doc.values()
                if isinstance(v, (list, dict))
                for p in v
                for w in str(p).lower().split()
                if w not in english_words
            )
            for lang, doc in docs.items()
            if lang != "en"
        },
        participles=frozenset(merged("action_participles")),
        past_auxiliaries=frozenset(merged("past_auxiliaries")),
        passive_auxiliaries=frozenset(merged("passive_auxiliaries")),
        slips=slips_of(
            (
                w
                for w, (klass, kind, _) in meanings.items()
                if klass in (ACTION, DESTRUCTIVE) and kind != "injection" and " " not in w
            ),
            frozenset(known | function_words | set(_list(common, "executables")) | foreign_words),
        ),
        upgrade_nouns=frozenset(_list(en, "upgrade_nouns")),
        self_acting=frozenset(_list(en, "self_acting")),
        upkeep_verbs=frozenset(_list(en, "upkeep_verbs")),
        condition_markers=_phrases(_list(en, "condition_markers")),
        adding_verbs=frozenset(_list(en, "adding_verbs")),
        tool_manners=_phrases(_list(en, "tool_manners")),
        interrupting_kinds=frozenset(_list(en, "interrupting_kinds")),
        software_targets=_phrases(merged("software_targets")),
        releases=frozenset(_list(common, "releases")),
        versioned=frozenset(_list(common, "versioned")),
        commands_alone=frozenset(_list(common, "commands_alone")),
        storage_targets=_phrases(_list(en, "storage_targets")),
        firmware_targets=_phrases(_list(en, "firmware_targets")),
        flashed_devices=_phrases(_list(en, "flashed_devices")),
        state_words=_phrases(merged("state_words")),
        copulas=frozenset(merged("copulas")),
        tool_questions=_phrases(_list(en, "tool_questions")),
        pronouns=frozenset(_list(en, "pronouns")),
        foreign_programs=frozenset(_list(en, "foreign_programs")),
        platforms=frozenset(_list(en, "platforms")),
        sameness=_phrases(_list(en, "sameness")),
        quantities=_phrases(_list(en, "quantities")),
        host_words=frozenset(_list(en, "host_words")),
        inabilities=_phrases(_list(en, "inabilities")),
        wh_questions=frozenset(merged("wh_questions")),
        deletion_places=_phrases(_list(en, "deletion_places")),
        telling_verbs=frozenset(_list(en, "telling_verbs")),
        told_of=_phrases(_list(en, "told_of")),
        state_questions=_phrases(merged("state_questions")),
        knowledge_questions=_phrases(merged("knowledge_questions")),
        knowledge_closers=_phrases(merged("knowledge_closers")),
        relative_starts=frozenset(_list(en, "relative_starts")),
        instrument_verbs=frozenset(_list(en, "instrument_verbs")),
        conversion_words=frozenset(_list(en, "conversion_words")),
        arranging_verbs=frozenset(_list(en, "arranging_verbs")),
        schedule_modifiers=frozenset(_list(en, "schedule_modifiers")),
        scheduled_objects=_phrases(_list(en, "scheduled_objects")),
        boot_times=_phrases(_list(en, "boot_times")),
        operation_kinds=frozenset(_list(en, "operation_kinds")),
        personal_objects=_phrases(_list(en, "personal_objects") + _list(en, "human_languages")),
        human_languages=_phrases(_list(en, "human_languages")),
        acting_objects=frozenset(_list(en, "acting_objects")),
        phrase_ends=frozenset(_list(en, "phrase_ends")),
        preventing_verbs=frozenset(_list(en, "preventing_verbs")),
        prevention_markers=_phrases(_list(en, "prevention_markers")),
        desire_words=_phrases(_list(en, "desire_words")),
        injection_markers=_phrases(merged("injection_markers") + _list(en, "injection_markers")),
        other_language_words=_phrases(other),
        kinds={str(k): {str(a): str(b) for a, b in v.items()} for k, v in dict(common["kinds"]).items()},  # type: ignore[call-overload]
        package_managers=frozenset(install_commands().managers),
        install_subcommands=frozenset(install_commands().subcommands),
        harmless_options=frozenset(harmless_options()),
        executables=frozenset(_list(common, "executables")),
        executables_in_phrases=frozenset(_list(common, "executables_in_phrases")),
        managers_in_phrases=frozenset(_list(common, "managers_in_phrases")),
        latin_letters=frozenset(str(common["latin_letters"])),
        english_homographs=frozenset(_list(common, "english_homographs")),
        everyday_objects=_phrases(merged("everyday_objects")),
        everyday_verbs=frozenset(_list(en, "everyday_verbs")),
        media_objects=_phrases(merged("media_objects")),
        media_files=frozenset(_list(en, "media_files")),
        editing_verbs=frozenset(_list(en, "editing_verbs")),
        media_links=frozenset(_list(en, "media_links")),
        personal_machines=_phrases(merged("personal_machines")),
        machine_verbs=frozenset(_list(en, "machine_verbs")),
        improvements=_phrases(merged("improvements")),
        performance_verbs=_phrases(_list(en, "performance_verbs")),
        identity_objects=_phrases(merged("identity_objects")),
        concealing_verbs=frozenset(_list(en, "concealing_verbs")),
        causative_verbs=frozenset(_list(en, "causative_verbs")),
        immediacy_words=_phrases(merged("immediacy_words")),
        permitting_verbs=frozenset(_list(en, "permitting_verbs")),
        persons=_phrases(merged("persons")),
        unwanted_content=_phrases(_list(en, "unwanted_content")),
        distributive_manners=_phrases(_list(en, "distributive_manners")),
        others=frozenset(_list(en, "others")),
        covert=_phrases(_list(en, "covert")),
        means_markers=frozenset(_list(en, "means_markers")),
        privileged_means=_phrases(_list(en, "privileged_means")),
        privileged_means_markers=_phrases(_list(en, "privileged_means_markers")),
        article_names=_phrases(_list(en, "article_names")),
        function_words=frozenset(
            function_words | set(merged("indefinite")) | {w for p in merged("determiners") for w in p.split()}
        ),
        admin_objects=_admin_objects(merged),
        admin_places=_phrases(merged("admin_places")),
        beneficiaries=frozenset(merged("beneficiaries")),
        naming_words=_phrases(merged("naming_words")),
        creation_words=frozenset(merged("creation_words")),
        secrets=_phrases(merged("secrets")),
        exposing_verbs=frozenset(_list(en, "exposing_verbs")),
        destinations=frozenset(merged("destinations")),
        movements=_phrases(merged("movements") + merged("destinations")),
        particles=frozenset(merged("particles")),
        relatives=frozenset(merged("relatives")),
        comma_relatives=_phrases(merged("comma_relatives")),
        verb_prefixes=frozenset(_list(en, "verb_prefixes")),
        relative_verb_first=frozenset(lang for lang, doc in docs.items() if doc.get("relative_verb") == "first"),
        relative_verb_last=frozenset(lang for lang, doc in docs.items() if doc.get("relative_verb") == "last"),
        vocabulary=frozenset(known | function_words | foreign_words | set(_list(common, "executables"))),
        plain_words=frozenset(w for w in english_words | function_words if len(w) >= 3),
        wishes=Wishes(*(_phrases(merged(key)) for key in Wishes.KEYS)),
        spelled_commands=frozenset(
            w for w in _list(common, "executables") if len(w) == 2 and w not in _list(common, "executables_in_phrases")
        ),
        homoglyphs={str(p)[0]: str(p)[1] for p in common["homoglyphs"]},  # type: ignore[attr-defined]
    )
