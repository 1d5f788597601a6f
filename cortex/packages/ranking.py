"""Pure ranking of packages for a described need ("something to edit PDFs").

Full-text relevance alone picks the wrong package most of the time (`redis` -> freeradius-redis), so
the score adds signals that say "this is the program people mean":

- coverage: how much of the request (weighted by word rarity) the name, summary, debtags and long
  description cover;
- name: the package is named after the request's words (`redis` -> redis, redis-server, redis-tools;
  cortex/packages/names.py);
- debtags: role::program, the interface asked for (graphical / terminal), use::editing for "edit", ...;
- tasks: Debian's task-* metapackages point at the usual choice (task-web-server -> apache2);
- popularity: how many packages depend on it or recommend it, and its priority;
- demotion: libraries, -dev, -doc, -dbg, -data, -common, fonts, transitional and dummy packages, and
  language modules (python3-*, ruby-*, ...) unless the request asks for that kind of thing.

Everything here is a function of its arguments; the index does the I/O.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

from cortex.packages.names import name_signal
from cortex.packages.priors import BLEND_PREFIXES, Prior
from cortex.packages.query import (  # re-exported: the index and tests use them through this module
    Query,
    Vocabulary,
    analyse,
    forms,
    index_forms,
    module_names,
    stem,
    vocabulary,
    words_match,
    words_of,
)
from cortex.packages.records import Candidate, PackageInfo

__all__ = [
    "Query", "Vocabulary", "analyse", "coverage", "forms", "idf_weight", "index_forms", "interface_fit", "module_names", "name_signal",
    "rank", "score", "stem", "vocabulary", "words_match", "words_of",
]  # fmt: skip
_DEMOTED_SUFFIXES = ("-dev", "-doc", "-dbg", "-dbgsym", "-data", "-common", "-examples", "-tests", "-l10n", "-locale")
_LIB_SECTIONS = {"libs", "libdevel", "oldlibs", "debug", "doc", "localization", "translations"}
_LANG_PREFIXES = {
    "python": ("python3-", "python-", "pypy-"),
    "perl": ("lib",),  # libfoo-perl: handled through the -perl suffix below
    "ruby": ("ruby-",),
    "node": ("node-",),
}
_OTHER_MODULE_PREFIXES = (
    "r-cran-",
    "r-bioc-",
    "golang-",
    "elpa-",
    "php-",
    "lua-",
    "ocaml-",
    "haskell-",
    "librust-",
    "octave-",
)
_LIB_TAGS = {
    "role::shared-lib",
    "role::devel-lib",
    "role::documentation",
    "role::app-data",
    "role::data",
    "role::dummy",
}


def _tag_words(tags: Iterable[str], facets: tuple[str, ...] = ()) -> list[str]:
    """Words of the debtag values; only those of `facets` when given, else all but the noisy ones."""
    out: list[str] = []
    for t in tags:
        facet, _, value = t.partition("::")
        if facets:
            if facet not in facets:
                continue
        elif facet in _WEAK_FACETS or facet in ("implemented-in", "culture", "uitoolkit", "suite", "scope", "devel"):
            continue
        out += words_of(value.replace(":", " "))
    return out


# A file format the program can read or export says less than what it is for: "edit PDFs" should not
# find a guitar tablature editor because it exports PDF.
_WEAK_FACETS = ("works-with-format",)


def _stems(words: Iterable[str]) -> frozenset[str]:
    return frozenset(stem(w) for w in words)


@lru_cache(maxsize=4096)
def _glue_forms(word: str) -> tuple[str, ...]:
    return tuple(sorted(w for w in forms(word) if len(w) >= 3))


def _glued_match(parts: list[str], word: str) -> bool:
    """A name part that starts or ends with a form of `word` (sqlitebrowser ~ browse)."""
    ends = _glue_forms(word)
    return any(p.startswith(ends) or p.endswith(ends) for p in parts)


@lru_cache(maxsize=8192)
def _description_stems(text: str) -> frozenset[str]:
    return _stems(words_of(text)) if text else frozenset()


def coverage(query: Query, info: PackageInfo, idf: Mapping[str, float], ships: str = "") -> tuple[float, list[str]]:
    """How much of the request the package's name, summary, description and tags cover, in [0, 1];
    the words of a command it `ships` count as covered, as its own name's would."""
    fields = (
        (NAME_STRENGTH, _stems(words_of(info.name.replace("-", " ").replace(".", " ") + " " + ships))),
        (0.85, _stems(words_of(info.summary))),
        (0.6, _stems(_tag_words(info.tags))),
        (0.35, _stems(_tag_words(info.tags, _WEAK_FACETS))),
        (DESCRIPTION_STRENGTH, _description_stems(info.description)),
    )
    # Debian names often glue words together: sqlitebrowser, hexedit, borgbackup, pdfarranger.
    glued = [p for p in info.name.split("-") if len(p) > 4]
    tags = frozenset(info.tags)
    total = got = 0.0
    matched: list[str] = []
    used: set[str] = set()  # a synonym covers one word of the need: "color" is not screen, night and eyes
    for w in query.words:
        weight = idf.get(w, 1.0) * (HEAD_WEIGHT if w in query.head else 1.0)
        total += weight
        best = 0.0
        same = forms(w)
        done = _participles(w, same)
        for strength, bag in fields:
            if strength > best and not same.isdisjoint(bag):
                if strength == NAME_STRENGTH and w not in bag:
                    # A name holding a relative of the word (picker for "pick", crack for "cracker",
                    # tracker for "track") says no more of it than a summary would.
                    strength = NAME_RELATIVE_STRENGTH
                if done and strength > DESCRIPTION_STRENGTH and (same - done).isdisjoint(bag):
                    # "encrypt" met only by a summary's "encrypted": a thing already done to, not the
                    # doing (a long description's prose says "mirrored", "stored" of what it does)
                    strength *= PARTICIPLE_SHARE
                best = max(best, strength)
        if best < 0.9 and len(w) >= 3 and glued and _glued_match(glued, w):
            best = 0.9
        if best < 0.85:
            best = max(best, _synonym_cover(query.expansions.get(w, ()), fields, best, used))
        if best < USE_TAG_STRENGTH and not query.word_uses.get(w, frozenset()).isdisjoint(tags):
            # "listen to internet radio": tagged for that use (use::playing) though its text says "browser".
            best = USE_TAG_STRENGTH
        if best:
            matched.append(w)
        got += weight * best
    return (got / total if total else 0.0), matched


@lru_cache(maxsize=4096)
def _participles(word: str, same: frozenset[str]) -> frozenset[str]:
    """The past participles among a need word's forms (encrypt -> encrypted, plot -> plotted); none for a
    word that is one itself."""
    if word.endswith("ed"):
        return frozenset()
    return same & {word + "ed", word + "d", word + word[-1:] + "ed"}


def _synonym_cover(
    synonyms: Iterable[str], fields: Iterable[tuple[float, frozenset[str]]], best: float, used: set[str]
) -> float:
    """How well a word's synonyms cover it (a synonym counts 0.7 of the word), each synonym once."""
    found, which = best, ""
    for syn in synonyms:
        if syn in used:
            continue
        related = forms(syn)
        for strength, bag in fields:
            if strength * SYNONYM_SHARE > found and not related.isdisjoint(bag):
                found, which = strength * SYNONYM_SHARE, syn
    if which:
        used.add(which)
    return found


_MODULE_KINDS = frozenset(("library", *_LANG_PREFIXES))


def _is_language_package(name: str, language: str) -> bool:
    if language == "perl":
        return name.endswith("-perl")
    return name.startswith(_LANG_PREFIXES[language])


def library_like(info: PackageInfo, kinds: frozenset[str]) -> str:
    """Why this package is not a program for a program request ('' when it is one)."""
    name, summary = info.name, info.summary.lower()
    if "transitional" in summary or "dummy" in summary:
        return "transitional/dummy package"
    if "library" not in kinds:
        if name.startswith("lib") and not name.startswith(("libreoffice", "librecad", "libvirt-daemon")):
            return "library"
        if info.section in _LIB_SECTIONS:
            return f"section {info.section}"
        if _LIB_TAGS & set(info.tags) and "role::program" not in info.tags:
            return "not a program (debtags role)"
    if name.endswith(_DEMOTED_SUFFIXES) and not ("doc" in kinds and name.endswith("-doc")):
        return "support package (" + name.rsplit("-", 1)[1] + ")"
    if name.startswith("fonts-") and "font" not in kinds:
        return "font"
    for kind, prefixes in _LANG_PREFIXES.items():
        if kind not in kinds and kind != "perl" and name.startswith(prefixes):
            return f"{kind} module"
    if name.endswith("-perl") and "perl" not in kinds:
        return "perl module"
    if name.startswith(_OTHER_MODULE_PREFIXES) and "library" not in kinds:
        return "language module"
    return ""


def interface_fit(query: Query, info: PackageInfo) -> float:
    """How well the package's interface matches the one the need asks for: 1 yes, 0 unknown or not
    asked, below 0 the other one ("with a gui" and a command-line tool)."""
    return _interface_signal(query, info, set(info.tags))[0]


def languages_named(text: str) -> frozenset[str]:
    """The programming languages `text` names (search_terms.yaml `languages`): "a linter for python"."""
    language_of = vocabulary().language_of
    return frozenset(language_of[w] for w in words_of(text) if w in language_of)


def package_languages(info: PackageInfo) -> frozenset[str]:
    """The programming languages a package is of: its devel::lang debtags, and those its name or summary
    names (python3-flask, "MVC ruby based framework")."""
    known = set(vocabulary().language_of.values())
    tagged = {t.partition("lang:")[2] for t in info.tags if t.startswith("devel::lang:")}
    return frozenset(tagged & known) | languages_named(f"{info.name.replace('-', ' ')} {info.summary}")


def other_language(query_text: str, info: PackageInfo) -> bool:
    """Whether the need names a programming language and the package is of others only ("a web
    framework for python" and rails)."""
    asked = languages_named(query_text)
    if not asked:
        return False
    has = package_languages(info)
    return bool(has) and asked.isdisjoint(has)


_GRAPHICAL_HINT = re.compile(r"\b(gtk\+?|gtk3|qt[56]?|gui|graphical|gnome|kde|plasma|xfce|desktop|x11|wayland)\b")
_TERMINAL_HINT = re.compile(r"\b(command[- ]line|console|terminal|ncurses|curses|text[- ]mode|text[- ]based|tui|cli)\b")
_PLUGIN_HINT = re.compile(
    r"\b(plug-?ins?|extensions?|add-?ons?|modules? for|components? for|bindings?|major mode|mode for)\b"
)


def _interface_signal(query: Query, info: PackageInfo, tags: set[str]) -> tuple[float, str]:
    summary = info.summary.lower()
    if query.interface == "graphical":
        if tags & {"interface::x11", "interface::graphical"} or info.name.endswith(("-gtk", "-qt", "-gui")):
            return 1.0, "graphical interface"
        if _GRAPHICAL_HINT.search(summary):
            return 0.6, "graphical interface (description)"
        if tags & {"interface::commandline", "interface::text-mode", "interface::daemon"} or _TERMINAL_HINT.search(
            summary
        ):
            return -OPPOSITE_INTERFACE, ""  # a daemon has no window either: "a database gui" is no database
    elif query.interface == "commandline":
        if tags & {"interface::commandline", "interface::text-mode", "uitoolkit::ncurses"}:
            return 1.0, "terminal interface"
        if _TERMINAL_HINT.search(summary) or info.name.endswith(("-cli", "-nox")):
            return 0.6, "terminal interface (description)"
        if tags & {"interface::x11", "interface::graphical"} or info.name.endswith(("-gtk", "-qt")):
            return -0.8 * OPPOSITE_INTERFACE, ""
    return 0.0, ""


# Archive sections named by everyday words (music -> sound, picture -> graphics) through the synonyms.
_SECTION_WORDS = {"sound": "audio", "editors": "editor", "httpd": "web", "vcs": "version", "comm": "modem"}


def _section_fits(query: Query, section: str) -> bool:
    word = stem(_SECTION_WORDS.get(section, section))
    if word in ("misc", "utils", "libs", "devel", "doc", "x11", "gnome", "kde", "xfce", "tasks", "metapackages"):
        return False
    related = forms(word)
    return any(w in related or not related.isdisjoint(query.expansions.get(w, ())) for w in query.words)


def score(
    query: Query,
    info: PackageInfo,
    *,
    idf: Mapping[str, float],
    text_rank: float = 0.0,
    task_of: str = "",
    prior: Prior | None = None,
    ships: str = "",
) -> Candidate:
    """One package's score for the request, with human-readable reasons.

    Three groups of signals, in this order: how well it fits (words, name, debtags, section, task),
    how much it is used (weighed by the fit), and what kind of package it is (language, library, plugin).
    `ships` is the command the need names that this package ships, per Contents ("" when none).
    """
    reasons: list[str] = []
    cov, matched = coverage(query, info, idf, ships)
    s = 6.0 * cov
    if matched:
        reasons.append("matches " + ", ".join(dict.fromkeys(matched)))
    if ships:  # the need named the program; shipping it says more than any description
        s += COMMAND_WEIGHT
        reasons.append(f"ships the command {ships}")
    s += _fit_signals(query, info, cov, task_of, reasons)
    s += _use_signals(query, info, cov, text_rank, prior, reasons)
    s += _kind_signals(query, info, reasons)
    return Candidate(info=info, score=s, reasons=tuple(reasons), ships=ships)


def _fit_signals(query: Query, info: PackageInfo, cov: float, task_of: str, reasons: list[str]) -> float:
    s = 0.0
    bonus, why = name_signal(query, info.name, info.provides)
    if bonus:
        s += bonus
        reasons.append(why)
    tags = set(info.tags)
    if "library" not in query.kinds:
        if "role::program" in tags:
            s += 0.6
            reasons.append("a program (debtags)")
        elif not tags:  # about half the archive has no debtags: unknown, not "not a program"
            s += 0.3
    bonus, why = _interface_signal(query, info, tags)
    s += bonus
    if why:
        reasons.append(why)
    uses = query.use_tags & tags
    if uses:  # like popularity, it confirms a fit rather than making one
        s += 1.2 * cov
        reasons.append(", ".join(sorted(uses)))
    if info.section and _section_fits(query, info.section):
        s += 0.5
        reasons.append(f"section {info.section}")
    if task_of:
        s += 1.5
        reasons.append(f"part of {task_of}")
    return s


def _use_signals(
    query: Query, info: PackageInfo, cov: float, text_rank: float, prior: Prior | None, reasons: list[str]
) -> float:
    s = 0.0
    if info.references:  # popularity helps only as far as the package fits the request
        # A library's worth shows in how many packages build on it; a program's much less so.
        weight, cap = (0.9, 4.0) if query.kinds & _MODULE_KINDS else (0.6, 2.5)
        s += min(cap, weight * math.log1p(info.references)) * cov
        if info.references >= 5:
            reasons.append(f"{info.references} packages depend on it or recommend it")
    if prior is not None:
        s += _prior_signal(query, info, prior, cov, reasons)
    if info.source == info.name:
        s += 0.4
    if info.priority in ("required", "important", "standard"):
        s += 0.3
    return s + 0.2 * text_rank


def _kind_signals(query: Query, info: PackageInfo, reasons: list[str]) -> float:
    s = 0.0
    languages = [k for k in _LANG_PREFIXES if k in query.kinds]
    if languages:  # "python data analysis libraries": the modules of that language, not programs
        ours = [k for k in languages if _is_language_package(info.name, k)]
        if ours:
            s += 1.0
            reasons.append(f"a {ours[0]} package")
        elif info.name not in languages:
            s -= 1.5
    demote = library_like(info, query.kinds)
    if demote:
        s -= 3.0
        reasons.append("demoted: " + demote)
    elif info.section == "tasks" or info.name.startswith("task-"):
        s -= 1.0
    elif info.name.startswith(_BLEND_LISTS):
        # games-card, education-astronomy: a Debian blend's list of dozens of programs, not one of them.
        s -= BLEND_LIST_PENALTY
        reasons.append("demoted: a Debian blend's list of programs")
    if "plugin" not in query.kinds and _PLUGIN_HINT.search(info.summary.lower()):
        s -= 1.2
        reasons.append("demoted: a plugin")
    return s


def rank(
    query: Query,
    infos: Iterable[PackageInfo],
    *,
    idf: Mapping[str, float],
    text_ranks: Mapping[str, float] | None = None,
    task_members: Mapping[str, str] | None = None,
    priors: Mapping[str, Prior] | None = None,
    shipped: Mapping[str, str] | None = None,
    limit: int = 20,
) -> list[Candidate]:
    """Score every package and return the best `limit`, best first (ties broken by name).

    `shipped`: package -> the command named in the request that it ships (from the index's Contents)."""
    text_ranks = text_ranks or {}
    shipped = shipped or {}
    task_members = task_members or {}
    priors = priors or {}
    scored = [
        score(
            query,
            i,
            idf=idf,
            text_rank=text_ranks.get(i.name, 0.0),
            task_of=task_members.get(i.name, ""),
            prior=priors.get(i.name),
            ships=shipped.get(i.name, ""),
        )
        for i in infos
    ]
    scored.sort(key=lambda c: (-c.score, c.info.name))
    return scored[:limit]


# How much more the head of a need counts than its purpose or context ("a wiki | for my team").
HEAD_WEIGHT = 2.0
_BLEND_LISTS = tuple(p for p in BLEND_PREFIXES if p != "task-")
BLEND_LIST_PENALTY = 2.5
# How much a word of the need counts when the package's name holds it, and when the name holds only a
# relative of it (picker for "pick"): as much as the summary.
NAME_STRENGTH = 1.0
NAME_RELATIVE_STRENGTH = 0.85
# How much a word found only in the long description counts (the name counts 1, the summary 0.85).
DESCRIPTION_STRENGTH = 0.4
# How much a word counts as covered when the package carries the use:: debtag the word maps to
# (search_terms.yaml, use_tags): as much as a word found in its debtags.
USE_TAG_STRENGTH = 0.6
# How much a need's word counts when a package's text has only its past participle ("encrypt" and
# "files encrypted with OpenSSL").
PARTICIPLE_SHARE = 0.3
# How much a synonym's match counts against the word's own.
SYNONYM_SHARE = 0.5
# Bonus for a package that ships a command the need names ("the dig tool"): about a named package's.
COMMAND_WEIGHT = 3.0
# Weights of the priors (cortex/packages/priors.py), chosen on the dev and tuning sets (docs/INSTALL.md).
CITATION_WEIGHT, CITATION_CAP = 0.35, 1.5
CURATED_WEIGHT, CURATED_CAP = 0.5, 1.0
SIBLINGS_WEIGHT, SIBLINGS_CAP = 0.5, 1.5


def _prior_signal(query: Query, info: PackageInfo, prior: Prior, cov: float, reasons: list[str]) -> float:
    """How much what other packages say of this one adds, as far as it fits the request."""
    out = 0.0
    # A name that is one of the request's own words is cited for the word, not the program (file, time).
    if prior.citations and info.name not in query.raw_words and info.name not in query.words:
        out += min(CITATION_CAP, CITATION_WEIGHT * math.log1p(prior.citations)) * cov
        if prior.citations >= 5:
            reasons.append(f"named in {prior.citations} other packages' descriptions")
    if prior.curated:
        out += min(CURATED_CAP, CURATED_WEIGHT * math.log1p(prior.curated)) * cov
        reasons.append(f"in {prior.curated} curated package lists (Debian blends, tasks)")
    if prior.siblings > 1:  # only the package named like its source has this prior: not its plugins
        out += min(SIBLINGS_CAP, SIBLINGS_WEIGHT * math.log(prior.siblings)) * cov
        if prior.siblings >= 4:
            reasons.append(f"one of {prior.siblings} packages of its source")
    return out


def idf_weight(doc_freq: int, total: int) -> float:
    """Inverse document frequency, floored so that a common word still counts a little."""
    return max(0.3, math.log((total + 1) / (doc_freq + 1)))


# The penalty for the opposite interface to the one asked for (a terminal program for "with a gui").
OPPOSITE_INTERFACE = 2.5
