"""What the words after a verb name, for the readings of cortex/intake/reading.py: the head of the
object's noun phrase and where it ends, an action arranged for later ("schedule a reboot", "set up a
cron job that deletes old files"), what is kept from happening ("stop my laptop from overheating"), and
what a person improves ("upgrade my skills in typing"). Pure functions of the words and the tables.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from cortex.intake import lexicon as L
from cortex.intake.lexicon import Lexicon, Phrases, Verb

_CLOCK = re.compile(r"\d{1,2}(?:[:.]\d\d)?(?:am|pm|h)?")  # a time of the clock: 7, 10pm, 22:00


def gerund(lex: Lexicon, words: Sequence[str], j: int, end: int) -> tuple[int, Verb] | None:
    """ "deleting all my files" -> delete."""
    w = words[j]
    if not w.endswith("ing") or len(w) < 6:
        return None
    for base in (w[:-3], w[:-3] + "e", w[:-4]):
        found = lex.verb_at([base, *words[j + 1 : end]], 0)
        if found is not None:
            return found
    return None


def head(lex: Lexicon, words: Sequence[str], k: int, end: int) -> int:
    """Where the object's head starts: past determiners, articles and words of schedule ("a nightly")."""
    i = k
    while i < end and (words[i] in lex.determiners or words[i] in lex.indefinite or words[i] in lex.schedule_modifiers):
        i += 1
    return i


def arranged(lex: Lexicon, words: Sequence[str], k: int, end: int, verb: Verb) -> str:
    """The kind of action a verb that arranges things asks for when its object is an action ("schedule a
    reboot" -> power) or something set up on the system to act later ("set up a cron job that deletes old
    files" -> config); "" otherwise ("schedule backups", "add a restart button", "set up a cron daemon")."""
    if verb.word not in lex.arranging_verbs and verb.meaning not in lex.arranging_verbs:
        return ""
    h = head(lex, words, k, end)
    if h < end and words[h] in lex.acting_objects and acts_after(lex, words, h + 1, end):
        return "config"  # "set up a job that deletes old files"
    stop = span(lex, words, h, end)
    for i in range(h, stop):
        m = lex.scheduled_objects.match(words, i, end)  # "a cron job that ...", "a systemd timer"
        if (
            m is not None
            and (i == h or i + m[0] == stop)
            and not (i + m[0] < end and words[i + m[0]] in lex.need_nouns)
        ):
            return "config"
        kind = action_word(lex, words, i, stop)  # the noun phrase ends with an action: "a reboot", "nginx restarts"
        if kind:
            return kind
    return ""


def bases(word: str) -> tuple[str, ...]:
    """A word and the forms it may have come from by a final -s ("deletes", "flushes", "empties")."""
    return (word, word[:-1], word[:-2], word[:-3] + "y") if word.endswith("s") else (word,)


def action_word(lex: Lexicon, words: Sequence[str], i: int, stop: int) -> str:
    """The kind of action named by the words from i to the end of the noun phrase: an action noun
    ("a reboot", "the deletion") or an acting verb used as one ("apache reloads"); "" when none."""
    m = lex.action_nouns.match(words, i, stop)
    if m is not None and i + m[0] == stop:
        named = lex.verb_at(words[i:stop], 0)
        return named[1].kind if named is not None and named[0] == m[0] else "config"
    if i + 1 != stop or words[i] in lex.need_nouns:  # "a kill switch" is a thing, not an action
        return ""
    for base in bases(words[i]):
        found = lex.verb_at([base], 0) if base else None
        if found is not None and found[1].klass in (L.ACTION, L.DESTRUCTIVE):
            return found[1].kind
    return ""


def acts_after(lex: Lexicon, words: Sequence[str], i: int, end: int, again: bool = True) -> bool:
    """Whether words[i:] open a description whose verb acts on the system ("that deletes old files",
    "to wipe /tmp"), not one that describes a task ("that reminds me"). With `again`, a verb that runs
    nothing named lets the next description decide, once."""
    m = lex.openers.match(words, i, end)
    if m is None or i + m[0] >= end:
        return False
    at = i + m[0]
    for base in bases(words[at]):  # "deletes", "flushes", "empties"; "shut down" (a verb of two words)
        found = lex.verb_at([base, *words[at + 1 : min(end, at + lex.verbs.longest)]], 0) if base else None
        if found is not None:
            if found[1].klass == L.RUN:  # "a job to run every night" runs nothing named: a scheduler's job,
                if at + 1 < end and not (  # unless what it does follows ("... every night that deletes ...")
                    lex.manner_words.match(words, at + 1, end) or lex.place_words.match(words, at + 1, end)
                ):
                    return True
                later = next((x for x in range(at + 1, end) if lex.openers.match(words, x, end)), None)
                return again and later is not None and acts_after(lex, words, later, end, again=False)
            return found[1].klass in (L.ACTION, L.DESTRUCTIVE, L.MODIFY, L.RUN)
    return False


def conditional(lex: Lexicon, words: Sequence[str], k: int, end: int) -> bool:
    """After the object (or right after the verb), a condition and the event it waits for ("... if it stops
    responding", "reboot when the kernel updates"): when a program acts."""
    alone = k < end and lex.condition_markers.match(words, k, end) is not None  # "reboot | when ...": no object
    for i in range(k if alone else k + 1, end - 1):
        m = lex.condition_markers.match(words, i, end)
        if m is not None and i + m[0] < end:
            return True
    return False


def ported(lex: Lexicon, words: Sequence[str], k: int, end: int) -> bool:
    """ "run this windows exe on linux": a program of another platform (`foreign_programs`) run on this one
    (a word of place and one of `platforms`): a compatibility layer's job, not a command."""
    if not any(w.lstrip(".") in lex.foreign_programs for w in words[k:end]):
        return False
    return any(lex.place_words.match(words, i, end) and words[i + 1] in lex.platforms for i in range(k, end - 1))


def fanned_out(lex: Lexicon, words: Sequence[str], k: int, end: int) -> bool:
    """ "run the same command on a bunch of hosts": one command (`sameness`) on many machines (a word of
    `quantities`, then within two words one of `host_words`): a job for a tool that does that, not a
    command to run now ("run the same command again" stays one)."""
    m = lex.sameness.match(words, k, end)
    if m is None:
        return False
    for i in range(k + m[0], end):
        q = lex.quantities.match(words, i, end)
        if q is not None and any(w in lex.host_words for w in words[i + q[0] : min(end, i + q[0] + 2)]):
            return True
    return False


def personal(lex: Lexicon, system: bool, words: Sequence[str], k: int, end: int, verb: Verb) -> bool:
    """An acting verb on what a person improves ("upgrade my skills in typing", "reset my sleep schedule"),
    or typing in a human language ("type in japanese": a way to enter its script, not a command typed)."""
    if verb.kind == "command":
        m = lex.human_languages.match(words, k, end)
        return m is not None and k + m[0] == end
    if verb.klass not in (L.ACTION, L.DESTRUCTIVE, L.MODIFY) or verb.kind == "injection":
        return False
    if system:  # the object names the system's configuration, data, a device or a command
        return False
    # The noun phrase's last words name what is changed: "my touch typing skills", "my skills | in typing".
    stop = span(lex, words, k, end)
    for i in range(head(lex, words, k, stop), stop):
        m = lex.personal_objects.match(words, i, stop)
        if m is not None and i + m[0] == stop:
            return True
    return False


def prevented(lex: Lexicon, words: Sequence[str], k: int, end: int, verb: Verb) -> bool | None:
    """ "stop X from <doing>": None when the clause has no such shape; True when what is prevented is not
    the system's own operation ("stop my laptop from overheating"), False when it is ("stop nginx from
    running" asks to stop nginx)."""
    if verb.meaning not in lex.preventing_verbs:
        return None
    for i in range(k, end - 1):
        m = lex.prevention_markers.match(words, i, end)
        if m is None or i + m[0] >= end:
            continue
        if not words[i + m[0]].endswith("ing"):
            continue
        doing = gerund(lex, words, i + m[0], end)  # at most once per clause: the reading stays linear
        return doing is None or doing[1].kind not in lex.operation_kinds
    return None


def span(lex: Lexicon, words: Sequence[str], k: int, end: int) -> int:
    """Where the object's noun phrase ends: at its first word of place or manner ("the background | from
    my photos")."""
    for i in range(k + 1, end):
        if words[i] in lex.phrase_ends or lex.place_words.match(words, i, end) or lex.manner_words.match(words, i, end):
            return i
    return end


def target(phrases: Phrases, words: Sequence[str], start: int, end: int) -> bool:
    """A phrase of the table in words[start:end], or a last word that is a compound ending in one
    ("formatteer mijn usb-stick", "verander het root-wachtwoord"; not "make ido-mode display ...")."""
    return phrases.find(words, start, end) is not None or (end > start and _compound_of(phrases, words[end - 1]))


def _compound_of(phrases: Phrases, word: str) -> bool:
    return "-" in word and word.rsplit("-", 1)[1] in phrases.words


def tool_manner(lex: Lexicon, words: Sequence[str], k: int, end: int) -> bool:
    """The clause ends by saying how a program should let one do it ("easily", "with a gui", "in bulk")."""
    return any(tuple(words[i:end]) in lex.tool_manners for i in range(max(k, end - lex.tool_manners.longest), end))


def self_updating(lex: Lexicon, words: Sequence[str], k: int, end: int) -> bool:
    """ "automatic updates", "unattended upgrades": what a program does by itself (unattended-upgrades)."""
    return end - k >= 2 and words[end - 1] in lex.upgrade_nouns and any(w in lex.self_acting for w in words[k:end])


def release(lex: Lexicon, word: str) -> bool:
    """ "nginx/experimental", "vim/bookworm-backports": a package of a chosen suite of the archive."""
    name, _, suite = word.rpartition("/")
    return bool(name) and (suite in lex.releases or suite.rpartition("-")[2] in lex.releases)


def compound(lex: Lexicon, words: Sequence[str], k: int, end: int) -> bool:
    """The verb is the first half of a noun: "partition editor", "format converter", "kill switch for my
    vpn"? A need noun that is also a thing to act on ("remove packages") does not make one."""
    if k < end and words[k] in lex.need_nouns and lex.data_targets.match(words, k, k + 1) is None:
        return True
    if not 1 <= end - k <= 4 or words[k] in lex.determiners:
        return False
    if words[end - 1] not in lex.need_nouns:
        return False
    if any(w in lex.determiners for w in words[k + 1 : end - 1]):
        return False  # "delete files from my server": a place, not a noun ("kill switch")
    # "remove orphaned packages": a kind of what the verb acts on, not a kind of program
    return not (lex.data_targets.match(words, end - 1, end) and end - k >= 2 and words[end - 2] in lex.kind_words.words)


def target_at(phrases: Phrases, words: Sequence[str], i: int, end: int) -> bool:
    """A phrase of the table starts at words[i], or words[i] is a compound whose last part is one."""
    return phrases.match(words, i, end) is not None or (i == end - 1 and _compound_of(phrases, words[i]))


def plural(word: str) -> bool:
    """A word an English imperative never is: a plural noun in -s ("fonts", "drivers"), not "press", "focus"."""
    return len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "as", "os"))


def unknown_head(lex: Lexicon, words: Sequence[str], j: int, end: int) -> bool:
    """A first word that no table reads as a noun or an English function word, and no plural noun
    ("backups of the whole disk"; "pour" is French filler, and an English verb), before no noun of a
    task ("fast search over all my disks": an adjective and what it says of a program)."""
    word = words[j]
    foreign = any(word in own for own in lex.language_words.values())
    task = j + 1 < end and (
        words[j + 1] in lex.need_nouns
        or lex.verb_at(words, j + 1) is not None
        or gerund(lex, words, j + 1, end) is not None
    )
    return not (
        task
        or plural(word)
        or word in lex.need_nouns
        or (word in lex.function_words and not foreign)
        or word in lex.kind_words.words
        or word in lex.data_targets.words
        or word in lex.config_targets.words
    )


def one_thing(lex: Lexicon, words: Sequence[str], k: int, end: int) -> bool:
    """The object is one thing, not a kind of thing: a name or a singular noun phrase before any word of
    place or manner ("firefox", "my vpn", "the web server", "it"); not a plural, a kind ("stuck apps",
    "spam"), something indefinite or all of something."""
    if k >= end or words[k] in lex.indefinite or lex.universal.match(words, k, end) is not None:
        return False
    h = head(lex, words, k, end)
    stop = span(lex, words, h, end)
    if h >= stop:  # "it": a determiner of another language, and one thing
        return words[k] in lex.pronouns and words[k] not in lex.plural_pronouns
    if any(lex.kind_words.match(words, i, stop) is not None for i in range(h, stop)):
        return False
    last = words[stop - 1]
    # a bare word no table knows is a name, whatever its ending ("postgres", "jenkins")
    many = plural(last) and (stop - k > 1 or last in lex.vocabulary)
    return not many and last not in lex.plural_pronouns


def timed(lex: Lexicon, words: Sequence[str], k: int, end: int) -> bool:
    """The object says a time of the clock or the calendar ("every hour", "nightly", "at midnight"), not
    only that a program acts by itself ("automatically") or a condition ("when it crashes")."""
    for i in range(k, end):
        if lex.clock_words.match(words, i, end) is not None:
            return True
        if words[i] in ("at", "after", "before", "until", "from") and i + 1 < end and _CLOCK.fullmatch(words[i + 1]):
            return True  # "at 10pm", "after 22:00"
        if words[i] in ("every", "each") and any(
            lex.time_words.match(words, n, end) is not None for n in range(i + 1, min(end, i + 3))
        ):
            return True
    return False
