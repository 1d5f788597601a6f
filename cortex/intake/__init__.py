"""Intake: `cortex install` only installs. The request is read before any index lookup or model call.

    check_request(text) -> IntakeDecision(allowed, rule, reason, matched, unreadable)

The reading, in order (each step linear in the length of the request):
1. size: more than MAX_CHARS characters or MAX_WORDS words is a usage error (exit 2);
2. characters: control characters and text-direction overrides are refused;
3. lexical rules (cortex/intake/shell.py): shell operators, substitution, redirection, URLs, local
   package files, system paths, prompt markup;
4. clauses (cortex/intake/text.py): split at punctuation, line breaks, "and then", "also", "and", ...;
   a relative clause set off by a comma is joined back to the need noun before it ("ein tool, das ...");
5. each clause's verb and object (cortex/intake/reading.py; what an object names, objects.py; the forms a
   verb takes, forms.py: "shut ufw down", "sda must be wiped", "uninstal nginx"; whose thing a verb acts
   on, needs.py: "lock my screen" is a need, "scan my neighbour's network" an act; a short verb of another
   language beside its language anywhere in the request, languages.py), from the tables in
   cortex/data/intake_*.yaml (English, German, French, Spanish, Italian, Portuguese, Dutch).

Closed world: only a clause whose verb asks for software ("install", "I need", "give me"), names a
task a program does ("convert", "monitor"), or that has no verb ("nginx", "a tool to ...") is an
install. A request with any other clause is refused whole, naming what was recognised. A request
in a script or language cortex does not read, or one made of filler words only, is not refused but
`unreadable`: the planner ends it `unresolved` without searching.

What is *not* refused: tools whose job involves destruction ("a tool to securely wipe disks",
"recover files I deleted with rm -rf"): installing them changes nothing but the package set.
See docs/SAFETY.md.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from cortex.intake import languages as G
from cortex.intake import lexicon as tables
from cortex.intake import reading as R
from cortex.intake.disguise import Disguise, disguised
from cortex.intake.lexicon import Lexicon
from cortex.intake.shell import hidden_characters, lexical
from cortex.intake.text import Clause, clauses, normalise

__all__ = [
    "MAX_CHARS",
    "MAX_WORDS",
    "IntakeDecision",
    "check_request",
    "read_request",
    "refusal_hint",
    "unreadable_hint",
]

# The documented size limit of a request (docs/SAFETY.md): longer text is a usage error, not a search.
MAX_CHARS = 4096
MAX_WORDS = 400

_HINT = "Ask for the software you want installed, e.g. `cortex install htop`; cortex never runs shell commands."
_NO_SOFTWARE = "The request names no software."


@dataclass(frozen=True)
class IntakeDecision:
    allowed: bool
    rule: str = ""
    reason: str = ""
    matched: str = ""  # the text that triggered the rule
    # Allowed, but nothing in it can be planned (filler words only, a language cortex does not read):
    # the planner ends the request `unresolved` with this reason, without searching.
    unreadable: str = ""


def check_request(text: str) -> IntakeDecision:
    """Allow or refuse a request; on refusal, name the rule, what was recognised, and where to go instead.

    Raises UsageError for a request over the size limit.
    """
    if len(text) > MAX_CHARS or len(text.split()) > MAX_WORDS:
        from cortex.errors import UsageError

        raise UsageError(
            f"The request is too long ({len(text):,} characters, {len(text.split()):,} words); "
            f"cortex install reads at most {MAX_CHARS:,} characters and {MAX_WORDS:,} words.",
            hint="Name the software, or describe it in a sentence or two.",
        )
    return read_request(text)


def read_request(text: str) -> IntakeDecision:
    """The reading itself, without the size limit (benchmarks time it on long inputs)."""
    return _read(text, plain=False)


def _read(text: str, plain: bool) -> IntakeDecision:
    """With `plain`, the text is the plain reading of a disguised request, not looked at for disguises again."""
    found = hidden_characters(text)
    if found is not None:
        return IntakeDecision(False, found.rule, f"The request was refused: {found.reason}.", found.matched)
    norm = normalise(text)
    found = lexical(norm)
    if found is not None:
        return IntakeDecision(False, found.rule, f"The request was refused: {found.reason}.", found.matched)
    lex = tables.lexicon()
    disguise = None if plain else disguised(text, norm, lex)
    if disguise is not None:
        return _undisguised(disguise)
    readings: list[R.Reading] = []
    previous: R.Reading | None = None
    all_words: list[str] = []
    parts = _relatives_joined(clauses(norm, lex), lex)
    spoken = [G.spoken_in(lex, c) for c in parts]
    seen: dict[str, int] = {}
    for langs in spoken:
        for lang in langs:
            seen[lang] = seen.get(lang, 0) + 1
    asked = any(R.tool_question(lex, c) for c in parts)  # "..., what can i use?"
    for at, (clause, langs) in enumerate(zip(parts, spoken, strict=True)):
        elsewhere = frozenset(lang for lang, n in seen.items() if n > (lang in langs))
        reading = R.read_clause(_with_shared_object(parts, at, lex), lex, previous, elsewhere, asked)
        all_words += clause.words
        if reading.kind == R.REFUSE:
            return _refused(reading, lex)
        readings.append(reading)
        if reading.kind != R.EMPTY:
            previous = reading
    marker = lex.injection_markers.find(all_words)
    if marker is not None:
        i, n = marker
        injected = R.Reading(R.REFUSE, " ".join(all_words[max(0, i - 3) : i + n + 3]), action="injection")
        return _refused(injected, lex, rule="injection")
    script = _script(norm, lex)
    if script:
        return IntakeDecision(True, "language", unreadable=script)
    if any(r.kind == R.UNREADABLE for r in readings):
        return IntakeDecision(True, "language", unreadable=_language_reason())
    if not any(r.asks for r in readings):
        return IntakeDecision(True, "no-software", unreadable=_NO_SOFTWARE)
    return IntakeDecision(True)


def _with_shared_object(parts: list[Clause], at: int, lex: Lexicon) -> Clause:
    """A clause that is only a verb, joined by "and" to one that opens with a verb, acts on that one's
    object: "resize and convert images" reads "resize images", "stop and remove nginx" reads "stop nginx"."""
    clause = parts[at]
    words = clause.words
    alone = lex.verb_at(words, 0) if words else None
    if alone is None or alone[0] != len(words) or at + 1 >= len(parts) or not parts[at + 1].weak:
        return clause
    nxt = parts[at + 1]
    then = lex.verb_at(nxt.words, 0)
    if then is None or then[0] >= len(nxt.words):
        return clause
    return Clause(clause.tokens + nxt.tokens[then[0] :], clause.weak)


def _relatives_joined(parts: list[Clause], lex: Lexicon) -> list[Clause]:
    """A relative clause set off with a comma belongs to the need noun before it: "ein tool, das doppelte
    dateien entfernt", "un outil, qui supprime les fichiers en double" are read as one described need, as
    they are without the comma. Only after a need noun, and only when the clause's verb is a finite one
    said of that noun (`_relative_verb`): "ein editor, die firewall abschalten" (an infinitive: an order)
    and "install git, which deletes /usr" stay clauses of their own."""
    out: list[Clause] = []
    for clause in parts:
        prev = out[-1] if out else None
        words = clause.words
        if (
            prev is not None
            and not clause.weak
            and len(words) >= 3
            and prev.words[-1] in lex.need_nouns
            and lex.comma_relatives.match(words, 0) is not None
            and _relative_verb(lex, words)
            and not any(w in lex.listeners for w in words)
        ):
            out[-1] = Clause(prev.tokens + clause.tokens, prev.weak)
        else:
            out.append(clause)
    return out


def _relative_verb(lex: Lexicon, words: Sequence[str]) -> bool:
    """The relative clause's verb stands where its language puts it, in a finite form: last in German and
    Dutch (not the infinitive an order is written in: "die firewall abschalten"), right after the
    pronoun in French, Spanish, Italian and Portuguese ("qui supprime", "que elimina")."""
    after = lex.verb_at(words, 1)
    if after is not None and after[1].language in lex.relative_verb_first:
        return True
    if words[-1].endswith("en"):
        return False
    if lex.final_verbs.match(words, len(words) - 1) is not None:
        return True
    found = lex.verb_at(words, len(words) - 1)
    return found is not None and found[0] == 1 and found[1].language in lex.relative_verb_last


def _undisguised(disguise: Disguise) -> IntakeDecision:
    """A disguised request is read plainly: refused if that asks for an action, else unreadable."""
    said = _short(disguise.plain)
    inner = _read(disguise.plain, plain=True)
    if not inner.allowed:
        reason = f'The request is written {disguise.how}; read plainly ("{said}"): {inner.reason}'
        return IntakeDecision(False, inner.rule, reason, inner.matched)
    return IntakeDecision(
        True,
        "disguised",
        unreadable=f"The request is written {disguise.how}; cortex reads only requests written plainly.",
    )


def refusal_hint() -> str:
    return _HINT


def unreadable_hint() -> tuple[str, ...]:
    """What to do about a request the intake could not read (see IntakeDecision.unreadable)."""
    return ('Name the package, or describe it in English, e.g. `cortex install "a tool to edit PDFs"`.',)


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


def _refused(r: R.Reading, lex: Lexicon, rule: str = "") -> IntakeDecision:
    action = r.action if r.action in lex.kinds else "unknown"
    pointer = lex.kinds[action]["pointer"]
    said = _short(r.text)
    if r.rule == "command-line":
        head = f"This is a command line (`{said}`), not a request for software"
    elif r.rule == "option":
        head = f"This passes options to a program (`{said}`), not a request for software"
    elif r.rule == "release":
        head = f"This picks a release of the archive (`{said}`)"
    elif action == "injection":
        head = f'This holds instructions to a model ("{said}")'
    elif r.rule == "state-change":
        head = f'This asks for a change to the system ("{said}")'
    elif r.language != "en" and r.meaning:
        head = f'This asks to {r.meaning} ("{said}")'
    else:
        head = f"This asks to {said}"
    reason = f"{head}; cortex install only installs software. {pointer}"
    return IntakeDecision(False, rule or _rule_name(r, action), reason, r.text)


def _rule_name(r: R.Reading, action: str) -> str:
    if r.rule in ("command-line", "option", "state-change", "unknown-verb"):
        return r.rule
    return action


def _script(text: str, lex: Lexicon) -> str:
    """A reason when the request has letters of a script or language cortex does not read."""
    for c in text:
        if c.isalpha() and not c.isascii() and c not in lex.latin_letters:
            name = unicodedata.name(c, "")
            script = name.split(" ")[0].title() if name else "an unknown"
            if script == "Latin":
                return _language_reason()
            return (
                f"The request is written in {script} script, which cortex does not read, and the package "
                "index does not know its words."
            )
    return ""


def _language_reason() -> str:
    return (
        "The request is in a language cortex does not read (it reads English, German, French, Spanish, "
        "Italian, Portuguese and Dutch), and the package index does not know its words."
    )
