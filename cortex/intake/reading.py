"""One clause, read: its verb (or none), the verb's object, and whether the clause asks for software.

    "install htop"                    verb install       -> an install
    "a tool to securely wipe disks"   no verb            -> a described need (what follows "to" is the need)
    "kill processes by name"          verb kill + a kind of thing, said how -> a described need
    "kill firefox"                    verb kill + a particular thing        -> refused (kind: kill)
    "disable apparmor"                verb disable (an action)              -> refused (kind: service)
    "obliterate the disk"             an unknown verb before "the"          -> refused (closed world)

Closed world: a clause is an install only when its verb asks for software (install, get, need, ...),
when it names a task a program does (convert, edit, monitor, ...), or when it has no verb at all. Any
other verb, listed or not, refuses the request. Pure: `read_clause` is a function of its arguments.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from cortex.intake import admin as A  # what the system administers
from cortex.intake import forms as F
from cortex.intake import languages as G
from cortex.intake import lexicon as L
from cortex.intake import needs as N  # whose thing a verb acts on
from cortex.intake import objects as S  # what an object names
from cortex.intake import wishes as W  # wishes and questions about the system's state
from cortex.intake.commands import command_line
from cortex.intake.lexicon import Lexicon, Phrases, Verb
from cortex.intake.text import ASSIGN, NUMBER, OPTION, PATH, WORD, Clause, Token

_DEVICE = re.compile(
    r"(?:s|h|v|xv)d[a-z]\d{0,3}|nvme\d{1,3}(?:n\d{1,3}(?:p\d{1,3})?)?|mmcblk\d{1,3}(?:p\d{1,3})?|md\d{1,3}"
)

# Reading.kind values.
INSTALL = "install"  # an install verb and its object
NEED = "need"  # a described need or a program's name
NEUTRAL = "neutral"  # a statement that asks nothing ("my laptop is slow")
EMPTY = "empty"  # only filler words
REFUSE = "refuse"
UNREADABLE = "unreadable"  # words of a language cortex does not read


@dataclass(frozen=True)
class Reading:
    """How one clause reads. For a refusal, `action` is the kind of action (cortex/data/intake_common.yaml)."""

    kind: str
    text: str = ""  # the clause from its verb on, as read
    verb: str = ""
    meaning: str = ""  # the English verb for a verb of another language
    action: str = ""
    rule: str = ""
    language: str = "en"
    opaque: bool = False  # an open description of a need: a verb joined on by "and" continues it

    @property
    def asks(self) -> bool:
        return self.kind in (INSTALL, NEED)


@dataclass(frozen=True)
class _Object:
    """Facts about the words after a verb."""

    empty: bool
    definite: bool  # starts with the/my/this/all ...: a particular thing
    universal: bool  # all, every, everything ...
    all_of: bool  # all of something, not a time ("every file", not "every week")
    kind: bool  # duplicate, old, metadata, ads ...: a kind of thing
    manner: bool  # by name, securely, on the command line ...
    automation: bool  # automatically, every hour, when they crash ...
    place: bool  # from my server, in /var: where the action happens
    data: bool
    config: bool
    repository: bool
    action_noun: bool
    privilege: bool
    command: bool  # a path, an option or an assignment
    device: bool  # a device name (sda, nvme0n1) or a number (port 22, pid 1): a particular thing


def _has(phrases: Phrases, words: Sequence[str], start: int, end: int) -> bool:
    return phrases.find(words, start, end) is not None


def _object(lex: Lexicon, toks: Sequence[Token], words: Sequence[str], j: int, end: int) -> _Object:
    first = words[j] if j < end else ""
    definite = first in lex.determiners and first not in lex.indefinite
    place = automation = manner = False
    # a place after a description says where the program described acts ("ban ips that hammer ssh on my
    # server"), not a particular thing to act on
    described = next((i for i in range(j + 1, end) if lex.manner_words.match(words, i, end)), end)
    for i in range(j, end):
        m = lex.place_words.match(words, i, end)
        if m and i + m[0] < end and i < described:
            after = i + m[0]
            if words[after] in lex.determiners or toks[after].kind in (PATH, NUMBER):
                place = True
        if words[i] in ("every", "each") and i + 1 < end and _has(lex.time_words, words, i + 1, min(end, i + 3)):
            automation = True
    automation = automation or any(
        lex.automation_words.match(words, i, end) and not (words[i] in lex.self_acting and i + 1 < end)
        for i in range(j, end)
    )  # "automatic updates" names the object, "update my packages automatically" the program
    for i in range(j + 1, end):  # a manner word right after the verb is part of the object
        m = lex.manner_words.match(words, i, end)
        if m:
            manner = True
            break
    return _Object(
        empty=j >= end,
        definite=definite,
        universal=_has(lex.universal, words, j, end),
        all_of=N.all_of_something(lex, words, j, end),
        kind=_has(lex.kind_words, words, j, end),
        manner=manner or automation,
        automation=automation,
        place=place,
        data=S.target(lex.data_targets, words, j, end),
        config=S.target(lex.config_targets, words, j, end),
        repository=_has(lex.repository_targets, words, j, end),
        action_noun=_action_noun(lex, words, j, end),
        privilege=_has(lex.privilege_words, words, j, end),
        command=any(
            t.kind in (PATH, ASSIGN) or (t.kind == OPTION and t.text not in lex.harmless_options) for t in toks[j:end]
        ),
        device=any(t.kind == NUMBER or _DEVICE.fullmatch(t.text) for t in toks[j:end]),
    )


def _action_noun(lex: Lexicon, words: Sequence[str], j: int, end: int) -> bool:
    """An action named as a noun ("a reboot", "the upgrade"), not the first half of one ("a restart button")."""
    for i in range(j, end):
        m = lex.action_nouns.match(words, i, end)
        if m is not None and not (i + m[0] < end and words[i + m[0]] in lex.need_nouns):
            return True
    return False


def _particular(lex: Lexicon, toks: Sequence[Token], words: Sequence[str], k: int, end: int) -> bool:
    """The object names a particular thing of the system: all of something, a device, a path, the
    configuration, or a definite thing of data ("the disk", "my files")."""
    obj = _object(lex, toks, words, k, end)
    return obj.universal or obj.command or obj.device or obj.config or obj.privilege or (obj.definite and obj.data)


def _strip(lex: Lexicon, words: Sequence[str], j: int, end: int) -> tuple[int, int, bool]:
    """Drop lead-ins ("please", "could you", "help me") and trailing filler ("for me", "now");
    returns the new bounds and whether an adverb of manner ("securely") stood before the verb."""
    adverb = False
    while j < end:
        m = lex.prefixes.match(words, j, end) or lex.lead_fillers.match(words, j, end)
        verb = lex.verbs.match(words, j, end)
        if m and verb is not None and verb[0] > m[0]:
            break  # "go back to the old kernel": a verb, not the filler "go"
        if m and words[j] in lex.indefinite and not lex.verbs.match(words, j + 1, end):
            break  # "um formatador de código": an article, not the filler "um"
        if m:
            j += m[0]
        elif (
            (words[j].endswith("ly") or words[j] in lex.verb_adverbs)
            and j + 1 < end
            and lex.verbs.match(words, j + 1, end)
        ):
            adverb = adverb or words[j] in lex.manner_words.words
            j += 1
        else:
            break
    while end > j:
        for n in range(min(lex.trailing_fillers.longest, end - j), 0, -1):
            if tuple(words[end - n : end]) in lex.trailing_fillers:
                end -= n
                break
        else:
            break
    return j, end, adverb


def _refuse(action: str, text: str, verb: Verb | None = None, rule: str = "") -> Reading:
    if verb is None:
        return Reading(REFUSE, text, action=action, rule=rule or action)
    return Reading(REFUSE, text, verb.word, verb.meaning, action, rule or action, verb.language)


def _opener_after(lex: Lexicon, words: Sequence[str], j: int, end: int) -> bool:
    return any(lex.openers.match(words, i, end) for i in range(j + 1, end))


# The rule of a refusal for a change to a person's particular data ("encrypt my files"): lifted when the
# request asks which tool to use (`asked`); never shown (the refusal's rule is its kind).
_PARTICULAR = "particular"


def tool_question(lex: Lexicon, clause: Clause) -> bool:
    """A clause that asks which program to use ("what can i use?", "which app?", "any recommendations?"),
    nothing after the question but function words ("what should i use for that")."""
    words = clause.words
    j, end, _ = _strip(lex, words, 0, len(words))
    m = lex.tool_questions.match(words, j, end) if j < end else None
    return m is not None and all(w in lex.function_words for w in words[j + m[0] : end])


def read_clause(
    clause: Clause,
    lex: Lexicon,
    previous: Reading | None = None,
    elsewhere: frozenset[str] = frozenset(),
    asked: bool = False,
) -> Reading:
    """How `clause` reads; `previous` is the clause before it (a verb joined on by "and" may continue it);
    `elsewhere`, the languages whose words the request's other clauses hold (see `languages`).

    A particular thing joined on by "and" to a verb's object is that verb's object too: "lock my screen
    and the root account" asks to lock the root account, "delete old logs and my photos" to delete my
    photos (read once more, with the verb before it). A name joined on is asked for ("kill processes by
    name and htop"), and an install verb's objects are each asked for already. A verb alone before the
    joiner reads what follows as its object ("crie o grupo devs": "o" is also an article).

    With `asked` (the request asks which tool to use: "..., what can i use?"), a change to a person's
    particular data is the job asked about ("encrypt my files, what should i use?"); a change to the
    configuration, rights, accounts or all of something, and every destructive act, stay refused. A
    pronoun after a verb that destroys only storage stands for the media the clause before names, when
    that clause names no storage ("i have photos and want to resize them")."""
    reading = _read_clause(clause, lex, previous, elsewhere)
    if reading.kind == REFUSE:
        return _reread(clause, lex, reading, previous, elsewhere, asked)
    shared = _shares_verb(clause, previous)
    first = clause.tokens[0].text
    particular = first in lex.determiners and first not in lex.indefinite
    # a verb alone before a joiner that is also an article ("crie o grupo ...": "o" is "or" in Spanish)
    alone = previous is not None and previous.text == previous.verb
    if not (shared and (particular or alone)) or reading.kind != NEED or reading.verb or previous is None:
        return reading
    verb = tuple(Token(w) for w in previous.verb.split())
    again = _read_clause(Clause(verb + clause.tokens, False), lex, None, elsewhere)
    return again if again.kind == REFUSE else reading


def _reread(
    clause: Clause, lex: Lexicon, reading: Reading, previous: Reading | None, elsewhere: frozenset[str], asked: bool
) -> Reading:
    """A refused clause read once more: as the job a tool question asks about, or with its pronoun for the
    media named before (see `read_clause`) or, after a verb of running, for a program of another platform
    named before ("i got a windows exe, how do i run it on linux": run on this one, see `objects.ported`)."""
    said = reading.text.split()
    if asked and reading.rule == _PARTICULAR and not A.administered(lex, said, 1, len(said)):
        return Reading(NEED, reading.text, reading.verb, reading.meaning, language=reading.language)
    if reading.action not in ("format", "command") or previous is None:
        return reading
    before = previous.text.split()
    if reading.action == "format":
        if S.target(lex.storage_targets, before, 0, len(before)):
            return reading  # "i have a usb stick and want to format it"
        named = [w for i, w in enumerate(before) if lex.media_objects.match(before, i) is not None]
    else:  # "i got a windows exe, how do i run it on linux"
        named = [w for w in before if w.lstrip(".") in lex.foreign_programs and w not in lex.package_managers]
    pronouns = {i for i, t in enumerate(clause.tokens) if t.text in lex.pronouns}
    if not named or not pronouns:
        return reading
    noun = Token(named[-1])
    toks = tuple(noun if i in pronouns else t for i, t in enumerate(clause.tokens))
    if reading.action == "command" and not S.ported(lex, [t.text for t in toks], 0, len(toks)):
        return reading  # "i got a windows exe, run it": run now, on no other platform
    return _read_clause(Clause(toks, clause.weak), lex, None, elsewhere)


def _wished(
    clause: Clause, lex: Lexicon, words: Sequence[str], framed: tuple[int, bool], end: int, elsewhere: frozenset[str]
) -> Reading:
    """A clause in a frame of wish or question: the state wished for a thing is refused, a want denied
    of a thing of the system too; anything else is read as its own clause ("how about a browser").
    Frames in a row are dropped in one pass ("how about no firewall", "what if ... how about ...")."""
    at, denies = framed
    while not denies:
        again = W.frame(lex, words, at, end)
        if again is None:
            break
        at, denies = again  # each frame is at least one word: linear
    text = " ".join(words[at:end])
    if denies:
        if W.denied(lex, words, at, end):
            return _refuse("uninstall", text, rule="state-change")  # "i don't need the firewall"
        if words[0] in lex.subjects:
            return Reading(NEUTRAL, text)  # "i don't need libreoffice, just abiword"
    start = at
    has = None if denies else lex.wishes.haves.match(words, at, end)
    if has is not None and at + has[0] < end:  # "i wish there were a good git gui": the gui is asked for
        start = at + has[0]
    elif not denies and words[at] in lex.subjects and at + 2 < end and words[at + 2] in lex.indefinite:
        start = at + 2  # "what if i used a tiling wm": the thing after the subject and its verb
    reading = _read_clause(Clause(clause.tokens[start:end], False), lex, None, elsewhere, frames=False)
    if reading.kind != REFUSE and not denies and W.wished_state(lex, words, at, end, framed=True):
        return _refuse("unknown", text, rule="state-change")  # "i wish the firewall weren't running"
    return reading  # "how about turning off selinux" is read as turning it off


def _shares_verb(clause: Clause, previous: Reading | None) -> bool:
    """Joined on by "and" to a need read from a verb: the verb may act on this clause too."""
    return clause.weak and previous is not None and previous.kind == NEED and bool(previous.verb)


def _administered_noun(lex: Lexicon, words: Sequence[str], j: int, end: int, skip: bool, described: bool) -> str:
    """A clause with no verb that names a thing the system administers ("new user frank", "a new account
    named test"), unless it describes a program (a need noun ends the scan) or `skip` (a verb before it
    may act on it: read once more with that verb); or, unless `described`, that moves someone into one with
    a word no table reads as a verb ("stick tom in sudoers")."""
    if skip:
        return ""
    return A.administered(lex, words, j, end, bare=True) or ("" if described else A.placed(lex, words, j, end))


def _read_clause(
    clause: Clause, lex: Lexicon, previous: Reading | None, elsewhere: frozenset[str], frames: bool = True
) -> Reading:
    """See `read_clause`; without `frames`, the clause is what a frame of wish or a statement of what a
    person cannot do asked about, read once (no frame, no such statement is read in it again)."""
    toks = clause.tokens
    words = [t.text for t in toks]
    j, end, adverb = _strip(lex, words, 0, len(words))
    if j >= end:
        # A word that is also a program asked for by name ("at") is that program, never filler.
        if all(w in lex.function_words for w in words) and not (len(words) == 1 and words[0] in lex.executables):
            return Reading(EMPTY)
        j, end = 0, len(words)  # "hello", "yes": a name that is also a filler word
    framed = (W.frame(lex, words, 0, len(words)) or W.frame(lex, words, j, end)) if frames else None
    if framed is not None and not _verb_across(lex, words, framed[0]):
        # before or after lead-ins: "how about ...", "i wish ...", "i don't need ..."
        return _wished(clause, lex, words, framed, end, elsewhere)
    toks = toks[:end]
    text = " ".join(words[j:end])
    if lex.other_language_words.find(words, j, end) is not None:
        return Reading(UNREADABLE, text, rule="language")
    first = toks[j]
    if first.kind in (OPTION, PATH, ASSIGN):
        return _refuse("command", text, rule="option" if first.kind == OPTION else "command-line")
    if any(t.kind == WORD and S.release(lex, t.text) for t in toks[j:end]):
        return _refuse("upgrade", text, rule="release")  # "nginx/experimental"

    command = command_line(lex, toks, words, j, end)
    if command == INSTALL:
        return Reading(INSTALL, text, words[j], "install")  # "sudo apt install nginx"
    if command:
        return _refuse(command, text, rule="command-line")
    if F.instrument(lex, words, j, end):
        return _refuse("command", text, rule="command-line")  # "use dd to wipe sda"
    if F.instrumented_task(lex, words, j, end):
        return Reading(NEED, text, words[j], words[j], opaque=True)  # "use my webcam to take pictures"

    silent = _silent(lex, words, j, end, text)
    if silent is not None:
        return silent
    found, activity = _opening_verb(lex, toks, words, j, end, elsewhere)
    if activity:
        return Reading(NEED, text, words[j], words[j])  # "formatting usb sticks": what a program is for
    inherited = clause.weak and previous is not None and previous.opaque
    split = F.separable(lex, words, j, end)  # "shut ufw down": the verb of head + particle
    if (
        split is not None
        and split[0].klass != L.CAPABILITY
        and (found is None or found[0] == split[1] - j)
        and (split[0].klass != L.INSTALL or any(w not in lex.function_words for w in words[split[1] : split[2]]))
    ):
        # "ik heb een editor nodig": an install verb too, its object between head and particle ("set me
        # up" names nothing to install, and is read as before)
        verb, k, stop = split
        read = _read_verb(lex, toks, words, j, k, stop, verb, text, adverb, inherited)
        return _administering(read, lex, toks, words, k, stop, verb, inherited)
    if found is not None and first.kind == WORD:
        n, verb = found
        ordering = inherited and previous is not None and bool(previous.verb)  # "compile and ..."
        read = _read_verb(lex, toks, words, j, j + n, end, verb, text, adverb, inherited, ordering=ordering)
        return _administering(read, lex, toks, words, j + n, end, verb, inherited)
    return _read_noun(lex, toks, words, j, end, text, clause, previous, elsewhere, frames)


_DOMAIN_WORDS = frozenset({"in", "with", "for", "on", "from"})


def _opening_verb(
    lex: Lexicon, toks: Sequence[Token], words: Sequence[str], j: int, end: int, elsewhere: frozenset[str]
) -> tuple[tuple[int, Verb] | None, bool]:
    """The verb the clause opens with (a verb, a gerund, a slip of a verb) and its length, or None; and
    whether it is a gerund followed by a kind of thing, an activity (`_activity`)."""
    verb_here = lex.verb_at(words, j)
    doing = S.gerund(lex, words, j, end) if verb_here is None else None
    found = verb_here or doing or F.slipped(lex, words, j)
    if found is None or not G.counts(lex, found[1], words, j, found[0], end, elsewhere):
        return None, False
    return found, found is doing and _activity(lex, toks, words, j + found[0], end)


def _activity(lex: Lexicon, toks: Sequence[Token], words: Sequence[str], k: int, end: int) -> bool:
    """After a gerund that opens the clause, a kind of thing and no time or condition ("formatting usb
    sticks", "web scraping in python"): an activity named like "photo editing", what a program is for.
    An order says which thing ("formatting the disk", "cleaning up my home") or when ("... at midnight")."""
    if k >= end or words[k] in lex.determiners:
        return False
    h = S.head(lex, words, k, end)
    # a kind is plural ("usb sticks", "duplicate photos"); "scraping in python" names a field, no object
    last = next((n for n in range(h, end) if words[n] in _DOMAIN_WORDS), end)
    if not (words[k] in _DOMAIN_WORDS or (last > h and S.plural(words[last - 1]))):
        return False
    return not (
        _particular(lex, toks, words, k, end) or S.timed(lex, words, k, end) or S.conditional(lex, words, k, end)
    )


def _verb_across(lex: Lexicon, words: Sequence[str], at: int) -> bool:
    """A verb that starts inside a frame and goes on past it ("how can i get | rid of snap": the verb is
    *get rid of*, not the frame *how can i get*)."""
    for i in range(max(0, at - 3), at):
        found = lex.verb_at(words, i)
        if found is not None and i + found[0] > at:
            return True
    return False


def _social(lex: Lexicon, words: Sequence[str], j: int, end: int) -> bool:
    """words[j:end] are one greeting, thanks or remark (`social_formulas`), at most with what may follow
    one (`social_tails`: "... for your help"), and nothing else."""
    found = lex.social_formulas.match(words, j, end) if j < end else None
    if found is None:
        return False
    rest = j + found[0]
    tail = lex.social_tails.match(words, rest, end) if rest < end else None
    return rest == end or (tail is not None and rest + tail[0] == end)


def _silent(lex: Lexicon, words: Sequence[str], j: int, end: int, text: str) -> Reading | None:
    """Only filler words (a word that is also a program asked for by name, "at", is that program), or a
    label ("para mi hijo", though "para" also stops): the clause asks nothing."""
    if all(w in lex.function_words for w in words[j:end]) and not (end - j == 1 and words[j] in lex.executables):
        return Reading(EMPTY)
    if _social(lex, words, j, end) or _social(lex, words, 0, len(words)):
        return Reading(EMPTY)  # "good morning", "thanks a lot": said to a person, asking for nothing
    return Reading(NEUTRAL, text) if _label(lex, words, j, end) else None


def _administering(
    reading: Reading,
    lex: Lexicon,
    toks: Sequence[Token],
    words: Sequence[str],
    k: int,
    end: int,
    verb: Verb,
    inherited: bool,
) -> Reading:
    """What a clause that starts with a verb does not refuse is refused still when it acts on a thing the
    system administers ("add me to the docker group", "set up a new user named tim", "add nomodeset to
    the kernel command line"; after a verb of a task, a particular one: "show the grub menu"), unless a verb joined on continues a described need ("a tool to list users
    and add them to groups") or the clause says how a program should let one do it ("create users in
    bulk")."""
    if reading.kind == REFUSE or S.tool_manner(lex, words, k, end):
        return reading
    if inherited and verb.klass != L.INSTALL and not _particular(lex, toks, words, k, end):
        return reading
    # a task a program does counts only on a particular thing: "take bob out of the sudo group", not "manage users"
    task = verb.klass == L.CAPABILITY
    administered = A.administered(lex, words, k, end, task=task, install=verb.klass == L.INSTALL)
    return _refuse(administered, text=reading.text, verb=verb) if administered else reading


# Over the complexity limit on purpose: one decision per verb class (install, capability, action, destructive, modify, run,
# injection), read in order like a table; split up, the closed-world rule would be spread over functions.
def _read_verb(  # noqa: C901
    lex: Lexicon,
    toks: Sequence[Token],
    words: Sequence[str],
    j: int,
    k: int,
    end: int,
    verb: Verb,
    text: str,
    adverb: bool,
    inherited: bool,
    means: bool = True,
    ordering: bool = False,
) -> Reading:
    """A clause that starts with a known verb; its object is words[k:end]. With `means`, an act named as
    the means ("... by deleting my photos") is read first, as its own clause. With `ordering`, the clause
    it is joined on to is itself led by a verb ("compile and run this code"), not by a need noun
    ("a tool to write and run the tests")."""
    act = N.means(lex, words, k, end) if means else None
    if act is not None:
        at, n, v = act
        said = " ".join([v.word, *words[at + n : end]])  # "disable apparmor", not "disabling apparmor"
        inner = _read_verb(lex, toks, words, at, at + n, end, v, said, False, False, means=False)
        if inner.kind == REFUSE:
            return inner
    obj = _object(lex, toks, words, k, end)
    klass = verb.klass
    opaque = _opener_after(lex, words, k - 1, end)
    need = Reading(NEED, text, verb.word, verb.meaning, language=verb.language, opaque=True)
    # "a tool to find and delete duplicate files": a verb joined on by "and" continues the described
    # need, unless it names a particular thing to act on ("... and wipe the disk").
    particular = _particular(lex, toks, words, k, end)
    # "schedule a reboot", "set up a cron job that deletes ...": one action arranged, even after "and";
    # "a tool to wipe disks and schedule reboots" continues the need.
    arranged = "" if S.self_updating(lex, words, k, end) else S.arranged(lex, words, k, end, verb)
    one = k < end and (words[k] in lex.determiners or words[k] in lex.indefinite)
    if arranged and (one or not inherited):
        return _refuse(arranged, text, verb)
    # "kill firefox whenever it freezes": one thing destroyed on a condition or at a time is an order,
    # joined on to a description too
    ordered = klass == L.DESTRUCTIVE and _ordered_for_one(lex, obj, words, k, end)
    # "compile and run this code": a particular thing to run now is an order, joined on to a task too
    run_now = ordering and klass == L.RUN and obj.definite
    if inherited and klass in (L.CAPABILITY, L.DESTRUCTIVE, L.MODIFY, L.RUN) and not (particular or ordered or run_now):
        return need
    if S.personal(lex, obj.config or obj.data or obj.command or obj.device or obj.privilege, words, k, end, verb):
        return need  # "upgrade my skills in typing": a person's, not the system's
    if klass != L.INSTALL and N.others(lex, words, k, end):
        return _refuse("others", text, verb)  # "scan my neighbour's network": another's system
    system = obj.command or obj.device or obj.repository
    if (
        N.everyday(lex, words, k, end, verb, system or obj.privilege)
        or N.permitted(lex, words, k, end, verb, system)
        or N.caused(lex, words, k, end, verb, system)
    ):
        # "lock my screen when i walk away", "let someone see my desktop", "make my pc wake up at 7": a need
        # of a person's own thing opens no description, so a verb joined on is read alone ("edit my
        # photos and delete the originals")
        return Reading(NEED, text, verb.word, verb.meaning, language=verb.language)
    if klass == L.CAPABILITY:
        if N.privileged(lex, words, k, end):
            return _refuse("command", text, verb)  # "see all passwords as root"
        if verb.word in lex.telling_verbs and lex.told_of.find(words, k, end) is None:
            return _refuse("unknown", text, verb)  # "let me know how to disable selinux": not when something happens
        if verb.meaning in lex.exposing_verbs and (obj.definite or obj.universal) and _secret_head(lex, words, k, end):
            return _refuse("config", text, verb)  # "print all saved wifi passwords": the system's secrets, now
        return need
    if (obj.empty and klass in (L.MODIFY, L.RUN)) or (
        klass in (L.DESTRUCTIVE, L.MODIFY) and S.compound(lex, words, k, end)
    ):
        return need  # "make" (the program), "partition editor", "format converter"
    if klass == L.INSTALL:
        if obj.empty:
            return Reading(EMPTY, text, verb.word)
        if obj.command and verb.word not in lex.package_managers:
            return _refuse("command", text, verb, rule="option")
        if (
            F.state_after_target(lex, words, k, end)
            or _has(lex.state_words, words, k, end)
            or F.wanted_state(lex, toks, words, k, end)
        ):
            return _refuse("config", text, verb, rule="state-change")  # "set up passwordless sudo", "I want sda wiped"
        if (obj.repository and not any(w in lex.need_nouns for w in words[k:end])) or _from_elsewhere(
            lex, words, k, end
        ):
            return _refuse("repository", text, verb)  # "install nginx from backports"; "a tool to manage ppas" asks
        if _against_others(lex, words, k, end):
            return _refuse("others", text, verb)  # "install a tool to hack my neighbour's wifi"
        if obj.device and verb.word in lex.arranging_verbs and not any(w in lex.need_nouns for w in words[k:end]):
            return _refuse("format", text, verb)  # "set up a raid 1 with sda and sdb" acts on the disks
        if verb.word in lex.arranging_verbs and (obj.privilege or (obj.definite and obj.config)):
            return _refuse("config", text, verb)  # "set up root login over ssh", "set up the firewall to ..."
        if words[end - 1] in lex.upgrade_nouns and not S.self_updating(lex, words, k, end):
            return _refuse("upgrade", text, verb, rule="not-an-install")  # "install all updates"
        caused = W.caused(lex, words, k, end)
        if caused:
            return _refuse(caused, text, verb)  # "get firefox to quit"
        embedded = _embedded(lex, toks, words, k + 1, end)
        if embedded is not None:  # "install emacs uninstall vim"
            return embedded
        return Reading(INSTALL, text, verb.word, verb.meaning, language=verb.language, opaque=opaque)
    if klass == L.DESTRUCTIVE:
        if verb.objects == "firmware":  # "flash the bios"; not "flash my arduino", "flash an iso to a usb stick"
            whose = [w.removesuffix("'s") for w in words[k:end]]  # "my router's firmware"
            own = S.target(lex.firmware_targets, words, k, end) and lex.flashed_devices.find(whose) is None
            return _refuse(verb.kind, text, verb) if own else need
        if obj.empty or obj.command:
            return _refuse(verb.kind, text, verb)
        if verb.kind == "policy":  # "ensure users change passwords monthly", not "ensure my backups run"
            system = obj.privilege or obj.action_noun or obj.universal or S.target(lex.config_targets, words, k, end)
            return _refuse(verb.kind, text, verb) if system else need
        storage = (
            S.target(lex.storage_targets, words, k, end) or obj.device or (verb.language != "en" and obj.data)
        )  # a device name is storage ("format sdb1")
        if verb.objects == "storage" and not storage:
            return need  # "format c code", "partition a big table"
        if N.unwanted(lex, words, k, end, verb) and not (obj.universal or obj.device or obj.config):
            return need  # "block websites on my kids computer", "stop robocalls"
        prevented = S.prevented(lex, words, k, end, verb)
        if prevented is not None:
            if prevented or N.everyday_thing(lex, words, k, end):  # "stop my screen from turning off"
                return need
            return _refuse(verb.kind, text, verb)
        if (
            verb.kind == "delete"
            and not (obj.manner or adverb)
            and _has(lex.software_targets, words, k, S.span(lex, words, k, end))
        ):
            return _refuse("uninstall", text, verb)  # "remove orphaned packages", "clean up old kernels"
        if verb.kind == "kill" and (obj.definite or obj.universal) and not (obj.manner or adverb):
            return _refuse(verb.kind, text, verb)  # "end the frozen editor": a particular program, whatever its kind
        if obj.kind and not (obj.definite and _has(lex.data_targets, words, k, S.span(lex, words, k, end))):
            return need  # "remove old kernels", but not "drop the old mysql database"
        if obj.universal or obj.definite or obj.place or obj.device:
            return _refuse(verb.kind, text, verb)
        if ordered:
            return _refuse(verb.kind, text, verb)  # "kill firefox whenever it freezes": an order with a condition
        if obj.manner or adverb:
            return need
        return _refuse(verb.kind, text, verb)
    if klass == L.MODIFY:
        if obj.empty or obj.command or obj.device:  # "open 5432 to the internet"
            return _refuse(verb.kind, text, verb)
        if obj.repository:
            return _refuse("repository", text, verb)
        if S.tool_manner(lex, words, k, end) and not (obj.privilege or obj.all_of):
            return need  # "change my keyboard layout easily", "rename files in bulk"
        config = S.target(lex.config_targets, words, k, S.span(lex, words, k, end))  # not "with a password"
        if obj.privilege or config or obj.action_noun:
            return _refuse(verb.kind if verb.kind not in ("repository", "delete") else "config", text, verb)
        if lex.deletion_places.find(words, k, end) is not None:
            return _refuse("delete", text, verb)  # "move my files to the trash": deleting them
        adding = verb.meaning in lex.adding_verbs  # "put vim on my laptop" adds software there
        if obj.data and not obj.all_of and F.converts(lex, words, k, end):
            return need  # "turn my photos into a slideshow video"
        if (
            obj.data
            and not obj.all_of
            and verb.kind == "config"
            and (obj.automation or S.conditional(lex, words, k, end))
        ):
            return need  # "rotate the logs every week", "copy my photos to the nas every night": a program's job
        storage = S.target(lex.storage_targets, words, k, S.span(lex, words, k, end))
        if obj.data and not (obj.all_of or storage) and obj.definite and verb.kind in ("config", "firewall"):
            # "encrypt my files", "open my rar files": a need when the request asks which tool to use;
            # not "encrypt my disk" (storage)
            return _refuse("config", text, verb, rule=_PARTICULAR)
        if obj.data and (obj.definite or obj.all_of):
            return _refuse(verb.kind if verb.kind != "repository" else "config", text, verb)
        if adding:
            return Reading(INSTALL, text, verb.word, verb.meaning, language=verb.language, opaque=opaque)
        return need
    if klass == L.RUN:
        head = words[k] if k < end else ""
        bare = head in lex.executables and head not in lex.executables_in_phrases
        if obj.empty or obj.command or bare or head in lex.package_managers:
            return _refuse("command", text, verb)
        if obj.definite and not (S.ported(lex, words, k, end) or S.fanned_out(lex, words, k, end)):
            return _refuse("command", text, verb)  # "run this script", not "run this windows exe on linux"
        return need
    boot = verb.kind == "service" and _has(lex.boot_times, words, k, end)  # "enable sshd at boot"
    if (
        klass == L.ACTION
        and verb.meaning in lex.upkeep_verbs
        and (S.conditional(lex, words, k, end) or (obj.automation and verb.kind != "power"))
        and not (boot or obj.privilege or N.immediate(lex, words) or _steered(lex, words, k, end))
        and not (verb.kind == "service" and _arranged_for_one(lex, words, k, end))
    ):
        # "update my packages automatically", "restart services every night", "reboot when the kernel
        # updates": a program that does it; "disable the firewall every night" stays an order, and so does
        # a reboot at a time ("reboot the server every night", as "schedule a nightly reboot"), and one
        # thing kept running at a time ("restart nginx every hour": arranged, not a program's job)
        return need
    if klass == L.ACTION and _action_compound(lex, words, k, end):
        return need  # "reboot notifier for servers", "shutdown timer": the action names a kind of program
    return _refuse(verb.kind, text, verb, rule="unknown-verb" if verb.kind == "unknown" else "")


def _action_compound(lex: Lexicon, words: Sequence[str], k: int, end: int) -> bool:
    """An action verb that is the first half of a program's noun ("reboot notifier", "shutdown timer",
    "uninstall tool"): the need noun right after it is no thing the system runs or is configured by
    ("restart service", "reboot server", "disable driver" stay orders), nor a device ("reboot switch")."""
    return (
        k < end
        and words[k] in lex.need_nouns
        and lex.flashed_devices.match(words, k, k + 1) is None
        and lex.data_targets.match(words, k, k + 1) is None
        and lex.config_targets.match(words, k, k + 1) is None
    )


def _ordered_for_one(lex: Lexicon, obj: _Object, words: Sequence[str], k: int, end: int) -> bool:
    """One thing, with a condition, a time or "automatically" ("opera whenever it hangs", "slack at 6pm")."""
    when = obj.automation or S.conditional(lex, words, k, end) or S.timed(lex, words, k, end)
    return when and S.one_thing(lex, words, k, end)


def _secret_head(lex: Lexicon, words: Sequence[str], k: int, end: int) -> bool:
    """The object's noun phrase ends in a secret ("the saved wifi passwords", "my ssh keys"), not one that
    names a part of it ("my password strength")."""
    stop = S.span(lex, words, k, end)
    return any((m := lex.secrets.match(words, i, stop)) is not None and i + m[0] == stop for i in range(k, stop))


def _arranged_for_one(lex: Lexicon, words: Sequence[str], k: int, end: int) -> bool:
    """One thing restarted or reloaded at a time, with no condition ("restart nginx every hour"): an order
    arranged, as a reboot at a time is; a kind of thing ("restart services every night") or a condition
    ("restart nginx if it crashes") is a program's job, and so is updating at a time (unattended-upgrades)."""
    return S.timed(lex, words, k, end) and S.one_thing(lex, words, k, end) and not S.conditional(lex, words, k, end)


def _steered(lex: Lexicon, words: Sequence[str], k: int, end: int) -> bool:
    """What an upkeep verb's object says besides a time or a condition changes the system: a place it goes
    ("reboot into windows", "upgrade to testing"), a release, an action's participle ("restart sshd with
    root login enabled"), rights ("... as root"), or the boot configuration ("update grub every boot")."""
    if k < end and words[k] in lex.destinations | {"into", "onto"}:
        return True
    stop = next((i for i in range(k, end) if lex.condition_markers.match(words, i, end)), end)  # not "... when
    h = S.head(lex, words, k, stop)  # the kernel updates"
    return (
        any(w in lex.participles or w in lex.releases or S.release(lex, w) for w in words[k:stop])
        or N.privileged(lex, words, k, end)
        or (h < stop and lex.admin_places.match(words, h, stop) is not None and h + 1 == S.span(lex, words, h, stop))
        or bool(A.administered(lex, words, k, stop))
    )


def _read_noun(
    lex: Lexicon,
    toks: Sequence[Token],
    words: Sequence[str],
    j: int,
    end: int,
    text: str,
    clause: Clause,
    previous: Reading | None,
    elsewhere: frozenset[str],
    again: bool = True,
) -> Reading:
    """A clause that does not start with a known verb: a program's name, a described need, a
    statement, or an unknown verb. Without `again`, a statement of what a person cannot do is not read
    once more."""
    head = words[j]
    named = lex.article_names.match(words, j, end)
    if named is not None:  # "john the ripper": a program's name, not a verb and its object
        return _embedded(lex, toks, words, j + named[0], end) or Reading(NEED, text)
    described = head in lex.indefinite or head in lex.need_nouns or (j + 1 < end and words[j + 1] in lex.need_nouns)
    opener = _opener_after(lex, words, j, end)
    if lex.addressee.match(words, j, end):
        return _refuse("injection", text, rule="injection")
    # "welches programm löscht duplikate": which program does a task, as "which program deletes duplicates"
    asked = head in lex.wh_questions and j + 1 < end and words[j + 1] in lex.need_nouns
    foreign = None if opener or asked else G.foreign_verb(lex, words, j, end, elsewhere)
    if foreign is not None:
        i, n, verb = foreign
        rest = [*toks[j:i], *toks[i + n : end]]
        said = [t.text for t in rest]
        read = _read_verb(lex, rest, said, 0, 0, len(rest), verb, text, False, False)
        return _administering(read, lex, rest, said, 0, len(rest), verb, False)
    if (
        (F.state_after_target(lex, words, j, end) and not opener)
        or F.passive(lex, words, j, end)
        or W.wished_state(lex, words, j, end, framed=False)  # "the firewall should go"
    ):
        return _refuse("unknown", text, rule="state-change")  # "the firewall disabled", "sda must be wiped"
    administered = _administered_noun(lex, words, j, end, _shares_verb(clause, previous), opener or described)
    if administered or _granted(lex, words, j, end):  # "new user frank", "au groupe docker", "full access"
        return _refuse(administered or "config", text, rule="state-change")
    if _asks_nothing(lex, words, j, end, described or opener):
        # "i ...", "my laptop is slow", "is my hard drive dying", "for my kid"; but "i can't open rar files"
        # and "which folders are using my disk space" describe a need
        lack = _described_lack(lex, toks, words, j, end, elsewhere) if again else None
        return lack or Reading(NEUTRAL, text)
    nxt = toks[j + 1] if j + 1 < end else None
    if nxt is not None and not described and head not in lex.determiners and toks[j].kind == WORD:
        # "kill 1234" names a process; "flurpmatic 3000", "gimp 2" end in a model or version number
        number = nxt.kind == NUMBER and j + 2 < end
        verb_slot = (nxt.text in lex.determiners and nxt.text not in lex.indefinite) or nxt.kind == PATH or number
        relative = j + 2 < end and _relative_verb_at(lex, words, j + 2) and lex.openers.match(words, j + 1, end)
        if verb_slot and relative:
            # "fonts that look like arial", "terminal that can split into panes", "ssh that survives my
            # flaky wifi": a noun the tables do not know as a verb, and its relative clause
            verb_slot = False
        # "pour random bytes over the whole disk": an unknown verb acting on all of a disk
        verb_slot = verb_slot or (
            not opener and S.unknown_head(lex, words, j, end) and N.all_of_storage(lex, words, j + 1, end)
        )
        if verb_slot or (head.endswith(("ize", "ise", "ify")) and len(head) > 5):
            if (
                clause.weak
                and previous is not None
                and previous.opaque
                and not _particular(lex, toks, words, j + 1, end)
            ):
                return Reading(NEED, text, opaque=True)  # "... restarts my services and emails me"
            return _refuse("unknown", text, Verb(head, head, L.ACTION, "unknown"), rule="unknown-verb")
    last = lex.verb_at(words, end - 1)
    short = end - j <= 3 and last is not None and last[1].kind in ("power", "upgrade", "service")
    if end - j > 1 and short and last is not None and last[1].klass == L.ACTION and not opener:
        return _refuse(last[1].kind, text, last[1])  # "a dist-upgrade", "the firewall off"
    if (
        words[end - 1] in lex.action_nouns.words
        and end - j > 1
        and not (opener or described or S.self_updating(lex, words, j, end))  # "unattended upgrades" is a program
    ):
        return _refuse("upgrade", text, rule="not-an-install")
    if not described and any(t.kind == OPTION and t.text not in lex.harmless_options for t in toks[j:end]):
        return _refuse("command", text, rule="option")
    embedded = None if described else _embedded(lex, toks, words, j + 1, end)
    if embedded is not None:  # "nginx uninstall apache"
        return embedded
    return _described(lex, words, j, end, text, opener, described)


def _relative_verb_at(lex: Lexicon, words: Sequence[str], i: int) -> bool:
    """words[i] begins a relative clause's verb: a word of `relative_starts` ("can", "look") or the
    third person of one or of a verb of the tables ("splits", "keeps", "survives" is not one)."""
    w = words[i]
    if w in lex.relative_starts:
        return True
    for stem in (w[:-1], w[:-2]) if w.endswith("s") and not w.endswith("ss") else ():
        if stem in lex.relative_starts or lex.verb_at([stem], 0) is not None:
            return True
    return False


def _described(lex: Lexicon, words: Sequence[str], j: int, end: int, text: str, opener: bool, noun: bool) -> Reading:
    """A clause with no verb: a described need ("a pdf viewer" opens no verb phrase to continue), unless
    the program it describes (after an `opener` or a need `noun`) acts on another's system ("a tool to
    scan my neighbour's network") or is hidden from whoever it acts on ("... without them knowing")."""
    if (opener or noun) and _against_others(lex, words, j, end):
        return _refuse("others", text, rule="others")
    return Reading(NEED, text, opaque=opener)


def _suite(lex: Lexicon, word: str) -> bool:
    """A suite of the archive named on its own, or with its codename: "testing", "bookworm-backports"."""
    return word in lex.releases or (word.count("-") == 1 and all(p in lex.releases for p in word.split("-")))


def _from_elsewhere(lex: Lexicon, words: Sequence[str], k: int, end: int) -> bool:
    """ "install nginx from upstream", "... from testing": from a source outside the configured archive."""
    for i in range(k, end - 1):
        if words[i] == "from":
            at = i + 1 + (words[i + 1] in ("the", "its", "their") and i + 2 < end)
            if lex.other_sources.match(words, i + 1, end) is not None or lex.other_sources.match(words, at, end):
                return True
            if _suite(lex, words[at]):  # "... from bookworm-backports"
                return True
    return False


def _against_others(lex: Lexicon, words: Sequence[str], j: int, end: int) -> bool:
    """A program asked for by an act on another's system ("a tool to hack my neighbour's wifi") or
    hidden from whoever it acts on ("spyware for my kid's laptop without them knowing")."""
    return N.others_thing(lex, words, j, end) or lex.covert.find(words, j, end) is not None


def _described_lack(
    lex: Lexicon, toks: Sequence[Token], words: Sequence[str], j: int, end: int, elsewhere: frozenset[str]
) -> Reading | None:
    """A statement that describes a need: what a person cannot do (`inabilities`: "i can't open rar files"),
    read as its own clause and kept only when that asks for software ("i can't delete this folder" asks
    nothing, as before); or a question of which things are doing something (`wh_questions`, a copula, the
    gerund of no acting verb: "which folders are using my disk space"), a question a program answers."""
    m = lex.inabilities.match(words, j, end)
    if m is not None and j + m[0] < end:
        read = _read_clause(Clause(tuple(toks[j + m[0] : end]), False), lex, None, elsewhere, frames=False)
        return read if read.kind in (INSTALL, NEED) else None
    if words[j] not in lex.wh_questions or any(w in lex.participles for w in words[j:end]):
        return None
    for i in range(j + 1, min(end - 1, j + 4)):
        if words[i] in lex.copulas and words[i + 1].endswith("ing"):
            doing = S.gerund(lex, words, i + 1, end)
            acting = doing is not None and doing[1].klass not in (L.CAPABILITY, L.INSTALL)
            return None if acting else Reading(NEED, " ".join(words[j:end]))
    return None


def _asks_nothing(lex: Lexicon, words: Sequence[str], j: int, end: int, described: bool) -> bool:
    """A statement ("i ...", "my laptop is slow", unless `described`), a question about a thing's state
    ("is my hard drive dying"), or a label: a beneficiary, a determiner and at most four more words, none a
    verb, a gerund or a participle ("for my kid: a typing tutor"; "for my kid delete youtube" is read as an
    unknown verb and its object)."""
    if words[j] in lex.subjects or (not described and any(w in lex.copulas for w in words[j + 1 : end])):
        return True
    return (
        W.state_question(lex, words, j, end) or W.knowledge_question(lex, words, j, end) or _label(lex, words, j, end)
    )


def _label(lex: Lexicon, words: Sequence[str], j: int, end: int) -> bool:
    """A label: a beneficiary, a determiner and at most four more words, none a verb, a gerund or a
    participle ("for my kid", "für meine Tochter", "pour mon fils"). Not all of something, rights or the
    configuration ("for the root account", "for everyone"). A beneficiary that is also a verb ("para" stops
    in Spanish and Portuguese) labels only a person ("para mi hijo"; "para el servidor" stops it)."""
    if words[j] not in lex.beneficiaries or not (j + 2 <= end <= j + 6):
        return False
    article = j + 2 < end and len(words[j + 1]) <= 3 and words[j + 2] in lex.determiners
    if words[j + 1] not in lex.determiners and not article:
        return False  # "para a minha avó", "para os meus alunos": an article of another language before it
    if words[j + 1] in lex.universal.words or _names_the_configuration(lex, words, j + 1, end):
        return False  # "for the root account: a new password", "for everyone: full access"
    if lex.verb_at(words, j) is not None and not any(lex.persons.match(words, i, end) for i in range(j + 2, end)):
        return False
    return not any(
        lex.verb_at(words, i) is not None or W.english_gerund(lex, words, i, end) or words[i] in lex.participles
        for i in range(j + 1, end)
    )


def _granted(lex: Lexicon, words: Sequence[str], j: int, end: int) -> bool:
    """A clause with no verb that asks for rights ("full access", "root access for everyone") or a new
    secret of an account ("a new password", "una contraseña nueva"): a change to the system, unless it
    names a program ("a new password manager", "a file manager with root access")."""
    if any(w in lex.need_nouns for w in words[j:end]):
        return False
    for i in range(j, end):
        m = lex.state_words.match(words, i, end)
        after = i + m[0] if m is not None else end
        if m is not None and (after == end or words[after] in lex.beneficiaries or lex.place_words.match(words, after)):
            return True  # the head of its noun phrase: "root access for everyone", not "a root shell prompt theme"
        m = lex.secrets.match(words, i, end)
        if (
            m is not None
            and {words[i - 1] if i > j else "", words[i + m[0]] if i + m[0] < end else ""} & lex.creation_words
        ):
            return True
    return False


def _names_the_configuration(lex: Lexicon, words: Sequence[str], k: int, end: int) -> bool:
    """Rights, a thing of the configuration or a thing administered in words[k:end]."""
    return (
        S.target(lex.config_targets, words, k, end)
        or lex.privilege_words.find(words, k, end) is not None
        or lex.admin_objects.find(words, k, end) is not None
    )


def _embedded(lex: Lexicon, toks: Sequence[Token], words: Sequence[str], start: int, end: int) -> Reading | None:
    """An acting verb inside what is asked for, before any description of a program ("install emacs
    uninstall vim", "nginx purge apache2"): an action of the kinds that interrupt a request, or a
    verb that is plainly followed by its object ("the", "all", a device, a path). Not the first half of a
    noun ("a reboot button", "hot reload api", "format access library") nor a word of a model's
    instructions ("colored output")."""
    for i in range(start, end):
        if lex.openers.match(words, i, end):
            return None
        found = lex.verb_at(words, i)
        if found is None or found[1].language != "en" or found[1].kind in ("injection", "command"):
            continue
        n, verb = found
        after = i + n
        if after < end and words[after] in lex.need_nouns:
            continue
        interrupting = verb.klass == L.ACTION and verb.kind in lex.interrupting_kinds
        governs = after < end and (
            (
                words[after] in lex.determiners
                and words[after] not in lex.indefinite
                and not lex.openers.match(words, after)
            )
            or toks[after].kind == PATH
            or _DEVICE.fullmatch(words[after]) is not None
        )
        if interrupting or (verb.klass in (L.ACTION, L.DESTRUCTIVE) and governs):
            return _refuse(verb.kind, " ".join(words[i:end]), verb)
    return None
