"""Whose thing a verb acts on, for cortex/intake/reading.py: a verb that would change the system reads as a
need for a program when what it acts on is a person's own everyday thing, and a task a program does reads
as an act when it is done to another's system or with rights.

    "lock my screen when i walk away"        a person's screen, handled over and over  -> a need
    "lock the root account"                  an account of the system                  -> refused
    "change the pitch of a song"             a person's media                          -> a need (an editor)
    "make my laptop faster"                  a person's machine, made to work better   -> a need
    "hide my ip"                             what a privacy program hides              -> a need
    "hide my ip by editing iptables"         by way of an act                          -> refused
    "let someone see my desktop remotely"    a person and a task a program does        -> a need
    "let everyone ssh in as root"            everyone, rights                          -> refused
    "block websites on my kids computer"     what blocking keeps out                   -> a need
    "scan my neighbour's network"            another's system                          -> refused
    "see all passwords as root"              a task done with rights                   -> refused

Pure functions of the words and the tables (cortex/data/intake_*.yaml: the things are listed per language);
each looks at a clause a bounded number of times.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Sequence

from cortex.intake import lexicon as L
from cortex.intake import objects as S
from cortex.intake.lexicon import Lexicon, Phrases, Verb


def immediate(lex: Lexicon, words: Sequence[str]) -> bool:
    """The clause says it asks now ("lock my screen now", "encrypt my emails right away")."""
    return lex.immediacy_words.find(words) is not None


def everyday(lex: Lexicon, words: Sequence[str], k: int, end: int, verb: Verb, system: bool) -> bool:
    """A verb that changes how a thing works for a person, on a person's own thing, the last its object
    names: an everyday thing (`everyday_verbs` on `everyday_objects`: "lock my screen", "make my laptop
    battery last longer", "encrypt my emails", or for each of many, `distributive`), media an editor works
    on (`editing_verbs` on `media_objects`, an "of" phrase included: "edit my photos", "change the pitch of
    a song"), a person's own machine (`machine_verbs`: "lock my computer"; or made faster, `improved`), and
    what a privacy program hides (`concealing_verbs` on `identity_objects`: "hide my ip"). `system` says the
    object names rights, a command, a device or a repository. Not all of something, not the configuration
    in the noun phrase ("lock the root account", "change the owner of my photos"), not asked now
    (`immediate`), and not when what follows the thing acts ("set a timer to shut down the computer")."""
    if verb.klass not in (L.ACTION, L.MODIFY) or system:
        return False
    if S.acts_after(lex, words, S.span(lex, words, k, end), end):
        return False
    m = verb.meaning
    return (
        (m in lex.everyday_verbs and everyday_thing(lex, words, k, end))
        or (m in lex.editing_verbs and everyday_thing(lex, words, k, end, lex.media_objects, of=True))
        or (m in lex.machine_verbs and everyday_thing(lex, words, k, end, lex.personal_machines))
        or (m in lex.concealing_verbs and _concealed(lex, words, k, end))
        or (m in lex.causative_verbs and improved(lex, words, k, end))
    )


def everyday_thing(
    lex: Lexicon,
    words: Sequence[str],
    k: int,
    end: int,
    things: Phrases | None = None,
    of: bool = False,
    ties: bool = False,
) -> bool:
    """The last thing the object's noun phrase names is one of `things` (everyday things unless said:
    "my laptop battery", "the brightness of my screen"), or the clause says for each of many
    (`distributive`), and it is not asked now (see `everyday`). With `of`, the noun phrase runs on over its
    "of" phrases and those of `media_links` ("the pitch | of a song", "the bass | in my music"); with `ties`, a thing as long as a word of the configuration is
    the thing ("my ip")."""
    table = lex.everyday_objects if things is None else things
    whole = _with_of(lex, words, k, end, lex.media_links if of else frozenset())  # "the screen | of every user"
    stop = whole if of else S.span(lex, words, k, end)
    if all_of_something(lex, words, k, end) and not distributive(lex, words, k, end):
        return False  # "dim the screen of every user", "... for all users", not "... every hour"
    if any(S.target_at(lex.config_targets, words, i, whole) for i in range(stop, whole)):
        return False  # "change the volume of each user"
    last = False  # the last thing the noun phrase names is one of them ("my laptop | battery")
    i = S.head(lex, words, k, stop)
    while i < stop:
        m = table.match(words, i, stop)
        c = lex.config_targets.match(words, i, stop)
        if m is not None and (c is None or m[0] > c[0] or (ties and m[0] == c[0])):  # not "the display manager"
            last, i = True, i + m[0]
            if table is lex.media_objects and i < stop and words[i] in lex.media_files:
                i += 1  # "my png files"
            continue
        if c is not None or S.target_at(lex.config_targets, words, i, stop):
            return False  # "the root account", "my password"
        if S.target_at(lex.data_targets, words, i, stop) or S.target_at(lex.storage_targets, words, i, stop):
            last = False
        i += 1
    return (last or (things is None and distributive(lex, words, k, end))) and not immediate(lex, words)


def _concealed(lex: Lexicon, words: Sequence[str], k: int, end: int) -> bool:
    """ "hide my ip from websites": a person's identity hidden, and nothing of the configuration after it
    ("hide my ip in iptables")."""
    after = S.span(lex, words, k, end)
    return everyday_thing(lex, words, k, end, lex.identity_objects, ties=True) and not S.target(
        lex.config_targets, words, after, end
    )


def improved(lex: Lexicon, words: Sequence[str], k: int, end: int) -> bool:
    """ "make my laptop faster", "make my old pc boot faster", "make my photos smaller": a person's own
    machine (`personal_machines`) or media (`media_objects`), after at most two words that name nothing of
    the system, made to work better (`improvements`, after a verb of how it works, `performance_verbs`): a
    need for a tuning tool or an editor. Not all of them, not with rights or the configuration after it
    ("make my laptop faster as root"), not now."""
    h = k  # past determiners only: "system" is a machine here, not a word of schedule ("a system reboot")
    while h < end and (words[h] in lex.determiners or words[h] in lex.indefinite):
        h += 1
    if any(words[x] in lex.universal.words for x in range(k, h)):
        return False
    for i in range(h, min(end, h + 3)):
        machine = lex.personal_machines.match(words, i, end) or lex.media_objects.match(words, i, end)
        if machine is not None:
            break
        if any(S.target_at(t, words, i, end) for t in (lex.config_targets, lex.data_targets, lex.storage_targets)):
            return False  # "make the root partition bigger"
    else:
        return False
    at = i + machine[0]
    if at < end and lex.media_objects.match(words, i, end) is not None:  # "my png files", "my webp images"
        more = lex.media_objects.match(words, at, end)
        at += more[0] if more is not None else int(words[at] in lex.media_files)
    verb = lex.performance_verbs.match(words, at, end)
    at += verb[0] if verb is not None else 0
    better = lex.improvements.match(words, at, end)
    if better is None:
        return False
    after = at + better[0]
    return not (
        all_of_something(lex, words, after, end)
        or S.target(lex.config_targets, words, after, end)
        or lex.privilege_words.find(words, after, end) is not None
        or privileged(lex, words, after, end)
        or immediate(lex, words)
    )


def caused(lex: Lexicon, words: Sequence[str], k: int, end: int, verb: Verb, system: bool) -> bool:
    """ "make my computer read text aloud", "make my pc wake up at 7am": a verb that makes a thing do a
    task a program does (`causative_verbs`). Not with rights or the configuration in the thing or the
    task ("make sshd listen on all interfaces", "make root see my files"), nor all of something."""
    if verb.meaning not in lex.causative_verbs or system:
        return False
    h = S.head(lex, words, k, end)
    if any(words[x] in lex.universal.words for x in range(k, h)):
        return False
    for i in range(h + 1, min(end, h + 4)):  # the thing is a short noun phrase
        task = lex.verb_at(words, i)
        if task is None:
            continue
        if task[1].klass != L.CAPABILITY:
            return False
        return not (
            S.target(lex.config_targets, words, h, i)
            or lex.privilege_words.find(words, h, end) is not None
            or all_of_something(lex, words, i, end)
            or S.target(lex.config_targets, words, i + task[0], end)
            or privileged(lex, words, i, end)
            or immediate(lex, words)
        )
    return False


def all_of_something(lex: Lexicon, words: Sequence[str], k: int, end: int) -> bool:
    """A word for all of something that is not a time ("all users", "every file"; not "every hour")."""
    for i in range(k, end):
        m = lex.universal.match(words, i, end)
        if m is not None and not (i + m[0] < end and lex.time_words.match(words, i + m[0], end)):
            return True
    return False


def _with_of(lex: Lexicon, words: Sequence[str], k: int, end: int, links: frozenset[str] = frozenset()) -> int:
    """Where the object's noun phrase ends, an "of" phrase included ("the screen of every user"), and the
    phrases after `links` ("the bass | in my music")."""
    stop = S.span(lex, words, k, end)
    while stop < end and (words[stop] in lex.phrase_ends or words[stop] in links):
        stop = S.span(lex, words, S.head(lex, words, stop + 1, end), end)  # past "every", "my"
    return stop


def permitted(lex: Lexicon, words: Sequence[str], k: int, end: int, verb: Verb, system: bool) -> bool:
    """ "let someone see and control my desktop", "allow my kids to play games": a verb that permits, a
    person (not everyone or anyone) and a task a program does. Not with rights, the configuration or a
    command in the task ("let my friend log in as root")."""
    if verb.meaning not in lex.permitting_verbs or system:
        return False
    # The task a program does for them: one of a program's tasks, or a change of their own data
    i = S.head(lex, words, k, end)
    if any(words[x] in lex.universal.words for x in range(k, i)):
        return False  # "let all users ...", "allow everyone to ..."
    m = lex.persons.match(words, i, end)
    speaker = m is None and i > k  # "let me edit pdfs": the speaker, no noun phrase of its own
    if speaker:
        i, m = k, lex.persons.match(words, k, end)
    if m is None:
        return False
    i += m[0]
    if i < end and words[i] == "to":
        i += 1
    task = lex.verb_at(words, i) if i < end else None
    if task is None or not (task[1].klass == L.CAPABILITY or (task[1].klass == L.MODIFY and task[1].kind == "config")):
        return False
    after = i + task[0]  # ("edit documents together"); rights are in what they do, not in the task's verb
    return not (
        (speaker and after < end and words[after] in lex.determiners)  # "let me read the logs": a right of mine
        or lex.universal.find(words, after, end) is not None
        or S.target(lex.config_targets, words, after, end)
        or lex.privilege_words.find(words, after, end) is not None
        or privileged(lex, words, after, end)
        or immediate(lex, words)
    )


def unwanted(lex: Lexicon, words: Sequence[str], k: int, end: int, verb: Verb) -> bool:
    """ "block websites on my kids computer", "stop robocalls": what a preventing verb keeps out, the head
    of its object's noun phrase; not all of it ("block all websites")."""
    if verb.meaning not in lex.preventing_verbs:
        return False
    stop = S.span(lex, words, k, end)
    if S.head(lex, words, k, stop) > k:
        return False  # "block the sites", "block all sites": a particular thing, or all of one
    for i in range(k, stop):  # "block distracting websites": the noun phrase ends with what is kept out
        m = lex.unwanted_content.match(words, i, stop)
        if m is not None and i + m[0] == stop:
            return True
    return False


def others(lex: Lexicon, words: Sequence[str], k: int, end: int) -> bool:
    """The object is another's: "my neighbour's network", "someone else's computer", "the neighbours wifi"."""
    for i in range(k, end):
        w = words[i]
        if w.endswith("'s") and w[:-2] in lex.others:
            return True
        if (
            w in lex.others
            and i + 1 < end
            and (S.target_at(lex.data_targets, words, i + 1, end) or S.target_at(lex.config_targets, words, i + 1, end))
        ):
            return True
    return False


def others_thing(lex: Lexicon, words: Sequence[str], k: int, end: int) -> bool:
    """A thing of another's system named in words[k:end] ("my neighbour's wifi", "someone else's
    computer"): another's, then a thing of data or configuration; not a person ("my neighbour's kid")."""
    for i in range(k, end - 1):
        w = words[i]
        owner = w[:-2] if w.endswith("'s") else w
        if owner in lex.others and (
            S.target_at(lex.data_targets, words, i + 1, end) or S.target_at(lex.config_targets, words, i + 1, end)
        ):
            return True
    return False


def means(lex: Lexicon, words: Sequence[str], k: int, end: int) -> tuple[int, int, Verb] | None:
    """The first act named as the means of what is asked ("by deleting my photos", "through disabling
    apparmor"): where its verb starts, how many words it takes, and the verb; None when there is none.
    A task a program does as the means ("by comparing hashes") is not an act; a gerund the tables do not
    know acts when what follows it names the system ("by rewriting the firewall rules"; not "by dragging
    the sliders")."""
    for i in range(k, end - 1):
        if words[i] in lex.means_markers and words[i + 1].endswith("ing"):
            found = S.gerund(lex, words, i + 1, end)  # at most once per clause: the reading stays linear
            if found is None:
                unknown = Verb(words[i + 1], words[i + 1], L.ACTION, "unknown")
                return (i + 1, 1, unknown) if _names_the_system(lex, words, i + 2, end) else None
            if found[1].klass in (L.CAPABILITY, L.INSTALL):
                return None
            return i + 1, found[0], found[1]
    return None


def _names_the_system(lex: Lexicon, words: Sequence[str], k: int, end: int) -> bool:
    """The words name the system's configuration, rights, data or storage."""
    tables = (lex.config_targets, lex.data_targets, lex.storage_targets, lex.privilege_words)
    return any(S.target(t, words, k, end) for t in tables)


def _marked(
    markers: Phrases, skipped: Container[str], follows: Callable[[int], bool], words: Sequence[str], k: int, end: int
) -> bool:
    """Whether a phrase of `markers` in words[k:end] is followed, past any `skipped` words, by what
    `follows(at)` accepts."""
    for i in range(k, end):
        m = markers.match(words, i, end)
        if m is None:
            continue
        at = i + m[0]
        while at < end and words[at] in skipped:
            at += 1
        if at < end and follows(at):
            return True
    return False


def privileged(lex: Lexicon, words: Sequence[str], k: int, end: int) -> bool:
    """Done as, with or through rights: "as root", "with sudo", "using root privileges"."""
    return _marked(
        lex.privileged_means_markers,
        lex.indefinite,
        lambda at: lex.privileged_means.match(words, at, end) is not None,
        words,
        k,
        end,
    )


def all_of_storage(lex: Lexicon, words: Sequence[str], k: int, end: int) -> bool:
    """The words name all of a disk or drive ("over the whole disk", "across every partition")."""
    return _marked(
        lex.universal, lex.determiners, lambda at: S.target_at(lex.storage_targets, words, at, end), words, k, end
    )


def distributive(lex: Lexicon, words: Sequence[str], k: int, end: int) -> bool:
    """The clause ends saying a program does it for each of many ("... of each application separately")."""
    longest = lex.distributive_manners.longest
    return any(tuple(words[i:end]) in lex.distributive_manners for i in range(max(k, end - longest), end))
