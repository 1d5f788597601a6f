"""Offline help: answer an admin question from this machine's man pages, package index and Contents.

    help = answer("how do I list listening TCP ports?", index)
    help.findings[0]  -> Finding(command="ss", package="iproute2", installed=True,
                                 lines=("-l, --listening  Display only listening sockets ...",), ...)

Used when no model that follows instructions is configured (`cortex ask` never streams the bundled
270M base model's free text), and as context for a capable model. Every line it shows is quoted from
a man page or the package index; the ranking is lexical (question words, their synonyms and stems vs.
page summaries and option text), so it is labelled as offline help, not as an answer.
"""

from __future__ import annotations

import math
import re
import shutil
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from cortex.assist import manpages
from cortex.assist.manpages import ManEntry, ManPage
from cortex.packages.query import forms, stem, words_of

__all__ = ["Finding", "Help", "answer", "question_terms"]

SYNONYM_WEIGHT = 0.5
NAMED_BONUS = 2.5  # the question names the command itself ("how do I use rsync ...")
NAME_WEIGHT = 0.5  # a word of the page's name counts less than one of its summary
# Everyday admin questions are mostly about the base system's tools: a command from a package of
# Debian priority required/important/standard weighs more (its page is on every machine).
PRIORITY_PRIOR = {"required": 1.5, "important": 1.2, "standard": 0.8}
PAGES_READ = 3  # candidates whose page is rendered: their matching option lines settle close calls
SHOWN_LINES = 3
HEAD = 40  # candidates that get the package-based signals
SOURCE_READ = 12  # candidates whose page source is read to re-rank them
SOURCE_WEIGHT = 1.0
MAX_QUESTION = 400  # characters of the question read
MAX_TERMS = 16
_ADMIN_DIRS = ("/usr/sbin", "/sbin")


@dataclass(frozen=True)
class Finding:
    """One command that fits the question, with the lines of its page that match it."""

    command: str
    section: str
    summary: str
    package: str = ""
    installed: bool = False
    synopsis: str = ""
    lines: tuple[str, ...] = ()  # option or example lines, verbatim from the page
    source: str = "man page"  # or "package index" for a command this machine has no page for
    score: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "command": self.command,
            "section": self.section,
            "summary": self.summary,
            "package": self.package,
            "installed": self.installed,
            "synopsis": self.synopsis,
            "lines": list(self.lines),
            "source": self.source,
            "score": round(self.score, 3),
        }


@dataclass(frozen=True)
class Help:
    """What the machine itself knows about a question, best finding first."""

    question: str
    findings: tuple[Finding, ...] = ()
    sources: tuple[str, ...] = field(default_factory=tuple)

    @property
    def command(self) -> str | None:
        return self.findings[0].command if self.findings else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "command": self.command,
            "sources": list(self.sources),
            "findings": [f.to_dict() for f in self.findings],
        }


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[frozenset[str], dict[str, tuple[str, ...]]]:
    from cortex import data

    doc = data.load("assist_terms.yaml") or {}
    stop = frozenset(str(w) for w in doc.get("stop_words") or ())
    synonyms = {stem(str(k)): tuple(str(v) for v in vals or ()) for k, vals in (doc.get("synonyms") or {}).items()}
    return stop, synonyms


def question_terms(question: str) -> dict[str, float]:
    """The question's content words (stemmed) with a weight: 1 for its own words, less for synonyms."""
    stop, synonyms = _vocabulary()
    terms: dict[str, float] = {}
    for word in words_of(question):
        if word in stop or len(word) < 2:
            continue
        s = _stem(word)
        terms[s] = 1.0
        for syn in synonyms.get(stem(word), ()):
            for w in words_of(syn):
                terms.setdefault(_stem(w), SYNONYM_WEIGHT)
    return terms


def _stem(word: str) -> str:
    """query.stem, and 'running' -> 'run' (the light stemmer leaves 'runn')."""
    s = stem(word)
    if len(s) > 3 and s[-1] == s[-2] and s[-1] in "bdgmnprt" and s != word:
        s = s[:-1]
    return s


def _text_stems(text: str) -> frozenset[str]:
    out: set[str] = set()
    for w in words_of(text.replace("‐ ", "")):
        out |= forms(_stem(w))
    return frozenset(out)


def _matches(terms: dict[str, float], text_stems: frozenset[str]) -> list[str]:
    return [t for t in terms if t in text_stems or forms(t) & text_stems]


def answer(
    question: str,
    index: Any = None,
    *,
    read_page: Callable[[str, str], ManPage | None] = manpages.page,
    search_pages: Callable[[Sequence[str]], list[ManEntry]] = manpages.apropos,
    read_source: Callable[[str, str], str] = manpages.source_text,
) -> Help:
    """Offline help for `question`: man pages first, the package index and Contents for the rest.

    Only the question's start is read (MAX_QUESTION): a pasted log is no question for apropos.
    """
    terms = dict(list(question_terms(question[:MAX_QUESTION]).items())[:MAX_TERMS])
    if not terms:
        return Help(question)
    words = [w for w in words_of(question[:MAX_QUESTION]) if _stem(w) in terms]
    entries = search_pages([*words, *(t for t, w in terms.items() if w < 1)])
    entries = [e for e in entries if e.section[:1] in ("1", "8")]
    sources = ["man pages"] if entries else []
    named = _named_commands(question[:MAX_QUESTION], index)
    scored = _score_entries(terms, entries, named, index)
    scored = _rerank_by_source(terms, scored, read_source)
    # The best few are rendered: an option line that matches ("-l, --listening") settles close calls.
    top = scored[:PAGES_READ]
    with ThreadPoolExecutor(max_workers=len(top) or 1) as pool:
        pages = list(pool.map(lambda item: read_page(item[1].name, item[1].section), top))
    findings = [_finding(terms, entry, score, page, index) for (score, entry), page in zip(top, pages, strict=True)]
    findings.sort(key=lambda f: -f.score)
    if index is not None:
        extra = _index_findings(question[:MAX_QUESTION], terms, index, {f.command for f in findings}, named)
        if extra:
            sources.append("package index")
        # A word of the question that some package ships as a command ("read", "check") is weak
        # evidence next to a page that matches the question: second place. A command the question
        # points at ("with dig", "use `dig`", "the dig command") leads.
        strong = _pointed_at(question[:MAX_QUESTION])
        lead = [f for f in extra if f.command in strong]
        rest = [f for f in extra if f.command not in strong]
        findings = [*lead, *findings[:1], *rest, *findings[1:]]
    return Help(question, tuple(findings[:3]), tuple(sources))


_POINTER = re.compile(
    r"(?:\b(?:use|using|with|via|run|running)\s+`?([\w.+-]+)`?)|`([\w.+-]+)`|\b([\w.+-]+)\s+command\b", re.I
)


def _pointed_at(question: str) -> set[str]:
    """Words the question presents as a command: after use/using/with/via/run, in backticks, or before
    "command"."""
    return {w.lower() for m in _POINTER.finditer(question) for w in m.groups() if w}


def _named_commands(question: str, index: Any) -> set[str]:
    """Words of the question that are commands here (on PATH, or shipped by a package per Contents)."""
    out = set()
    tokens = question.lower().replace("?", " ").replace(",", " ").split()
    for word in dict.fromkeys([*tokens, *words_of(question)]):  # "tar.gz" names tar too
        word = word.strip("`'\".:;()")
        if len(word) < 2 or not all(c.isalnum() or c in "-_.+" for c in word):
            continue
        on_disk = shutil.which(word) or any(shutil.which(word, path=d) for d in _ADMIN_DIRS)
        if on_disk or (index is not None and any(p.match == "exact" for p in index.command_providers(word, limit=3))):
            out.add(word)
    stop, _ = _vocabulary()
    return {w for w in out if w not in stop}


def _score_entries(
    terms: dict[str, float], entries: list[ManEntry], named: set[str], index: Any = None
) -> list[tuple[float, ManEntry]]:
    """Entries scored by the question terms their summary (and, less, their name) carry, rarer terms
    weighing more; commands of the base system a little more (PRIORITY_PRIOR)."""
    summaries = {e: _text_stems(e.summary) for e in entries}
    names = {e: _text_stems(e.name.replace("-", " ").replace("_", " ")) for e in entries}
    df = {t: sum(1 for e in entries if _matches({t: 1.0}, summaries[e] | names[e])) for t in terms}
    n = len(entries) or 1
    idf = {t: math.log(1 + n / df[t]) if df[t] else 0.0 for t in terms}
    out = []
    for e in entries:
        in_summary = set(_matches(terms, summaries[e]))
        in_name = set(_matches(terms, names[e])) - in_summary
        score = sum(terms[t] * idf[t] for t in in_summary) + NAME_WEIGHT * sum(terms[t] * idf[t] for t in in_name)
        if score <= 0:
            continue
        if e.name in named:
            score += NAMED_BONUS
        elif any(len(w) > 2 and w in e.name for w in named):  # pkill, killall for "kill"
            score += NAME_WEIGHT
        out.append((score, e))
    out.sort(key=lambda item: (-item[0], item[1].section, len(item[1].name), item[1].name))
    best: dict[str, tuple[float, ManEntry]] = {}
    for score, e in out:
        best.setdefault(e.name, (score, e))
    ranked = list(best.values())
    if index is not None:
        # A named command's siblings count as named: "kill ... by name" means pkill (procps, like
        # kill), "restart a systemd service" systemctl, "copy ... over ssh" scp.
        named_packages = {p for p in (_package(n, index) for n in named) if p}
        head = []
        for score, e in ranked[:HEAD]:
            package = _package(e.name, index)
            if e.name not in named and package in named_packages:
                score += NAMED_BONUS
            head.append((score + _priority_prior(package, index), e))
        ranked = sorted(head, key=lambda item: -item[0]) + ranked[HEAD:]
    return ranked


def _package(command: str, index: Any) -> str:
    """The package that ships `command` on PATH (per Contents), or ''."""
    providers = [p for p in index.command_providers(command, limit=3) if p.match == "exact" and p.on_path]
    return providers[0].package if providers else ""


def _rerank_by_source(
    terms: dict[str, float], scored: list[tuple[float, ManEntry]], read_source: Callable[[str, str], str]
) -> list[tuple[float, ManEntry]]:
    """The best SOURCE_READ entries re-scored with the question's words their page's text holds.

    The roff source is read, not rendered (a millisecond per page): the words that a summary leaves
    out ("listening" for ss) are in the page's options and description.
    """
    head = scored[:SOURCE_READ]
    texts = {e: _text_stems(read_source(e.name, e.section)) for _, e in head}
    df = {t: sum(1 for s in texts.values() if t in s or forms(t) & s) for t in terms}
    n = len(head) or 1
    rescored = []
    for score, e in head:
        hit = _matches(terms, texts[e])
        rescored.append((score + SOURCE_WEIGHT * sum(terms[t] * math.log(1 + n / df[t]) for t in hit), e))
    rescored.sort(key=lambda item: -item[0])
    return rescored + scored[SOURCE_READ:]


def _priority_prior(package: str, index: Any) -> float:
    info = index.get(package) if package else None
    return PRIORITY_PRIOR.get(info.priority, 0.0) if info else 0.0


def _finding(terms: dict[str, float], entry: ManEntry, score: float, page: ManPage | None, index: Any) -> Finding:
    lines: list[tuple[float, str]] = []
    if page is not None:
        for flags, text in page.options:
            hit = _matches(terms, _text_stems(text))
            if hit:
                lines.append((sum(terms[t] for t in hit), f"{entry.name} {flags}  {text}"))
        for example in page.examples:
            hit = _matches(terms, _text_stems(example))
            if hit and entry.name in example:
                lines.append((sum(terms[t] for t in hit) + 0.25, example))
        lines.sort(key=lambda item: -item[0])
        # The page's two best lines add to the summary's score (only two: a long page matches many words).
        score += sum(w for w, _ in lines[:2])
    package, installed = _package_of(entry.name, index)
    return Finding(
        command=entry.name,
        section=entry.section,
        summary=entry.summary,
        package=package,
        installed=installed,
        synopsis=page.synopsis if page else "",
        lines=tuple(_clip(text) for _, text in lines[:SHOWN_LINES]),
        score=score,
    )


def _package_of(command: str, index: Any) -> tuple[str, bool]:
    installed = bool(shutil.which(command) or any(shutil.which(command, path=d) for d in _ADMIN_DIRS))
    if index is None:
        return "", installed
    found = [p for p in index.command_providers(command, limit=5) if p.match == "exact" and p.on_path]
    if not found:
        return "", installed
    if installed:
        have = _installed_packages()
        for p in found:
            if p.package in have:
                return p.package, True
    return found[0].package, installed


def _index_findings(
    question: str, terms: dict[str, float], index: Any, seen: set[str], named: Iterable[str]
) -> list[Finding]:
    """Commands this machine has no page for: named in the question, or shipped by the package the
    index ranks first for it (through Contents)."""
    out = []
    for command in sorted(set(named) - seen):
        providers = [p for p in index.command_providers(command, limit=3) if p.match == "exact"]
        if providers:
            info = index.get(providers[0].package)
            out.append(_index_finding(command, providers[0].package, info, NAMED_BONUS + 1.0))
    if out:
        return out
    for cand in index.search(question, limit=3)[:1]:
        info = cand.info
        commands = [
            p
            for p in index.commands_of(info.name)
            if p not in seen and _matches(terms, _text_stems(p + " " + info.summary))
        ]
        if commands:
            score = 0.5 * sum(terms[t] for t in _matches(terms, _text_stems(info.summary + " " + info.description)))
            out.append(_index_finding(commands[0], info.name, info, score))
    return out


def _clip(text: str, limit: int = 200) -> str:
    """A quoted line cut at a word boundary, marked when cut."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


@lru_cache(maxsize=1)
def _installed_packages() -> frozenset[str]:
    """Installed package names (the package manager's state, read once per process)."""
    from cortex.history.system import SystemPackages

    return frozenset(p.name for p in SystemPackages().state().values() if p.present)


def _index_finding(command: str, package: str, info: Any, score: float) -> Finding:
    installed = bool(shutil.which(command) or any(shutil.which(command, path=d) for d in _ADMIN_DIRS))
    return Finding(
        command=command,
        section="",
        summary=info.summary if info else "",
        package=package,
        installed=installed,
        source="package index",
        score=score,
    )
