"""A need phrased as a question or a wish about the system's state rather than about software, for
cortex/intake/reading.py:

    "how about turning off selinux"          a frame, then an act        -> the act (refused)
    "i wish the firewall weren't running"    a frame, a thing, a state   -> refused (state-change)
    "wouldn't it be nice if ssh were off"    a frame with any adjective  -> refused
    "the firewall should go"                 the system's thing, a modal and a state -> refused
    "i don't need the firewall", "no more ufw"  a want denied, of a particular thing -> refused
    "how about a lightweight browser"        a frame, then a need        -> a need
    "is there a program that ...?", "what can i use to ...?"  a program asked about -> a need

A frame (`wish_frames`, or `wish_openings` + at most two words + `wish_closings`, in the tables: "it would be lovely
if") is dropped and the rest read as its own clause. Pure; each function looks at a clause once.
"""

from __future__ import annotations

from collections.abc import Sequence

from cortex.intake import lexicon as L
from cortex.intake import objects as S
from cortex.intake.lexicon import Lexicon


def frame(lex: Lexicon, words: Sequence[str], j: int, end: int) -> tuple[int, bool] | None:
    """Where what a wish or question frame asks about starts, and whether the frame denies a want
    ("i don't need ...", "no more ..."); None when the clause has no frame."""
    m = lex.wishes.denied.match(words, j, end)
    if m is not None and j + m[0] < end and words[j + m[0]] != "to":  # not "i don't want to use the mouse"
        return j + m[0], True
    m = lex.wishes.frames.match(words, j, end)
    # "ich will dass du ...", "i wish you would ...": what the listener is told to do, not a state wished for
    if m is not None and j + m[0] < end and lex.addressee.match(words, j + m[0], end) is None:
        at = j + m[0] + (words[j + m[0]] == "to" and j + m[0] + 1 < end)  # "is there a way | to ..."
        return at, False
    m = lex.wishes.openings.match(words, j, end)
    if m is None:
        return None
    for i in range(j + m[0], min(end, j + m[0] + 3)):  # "it would be | so lovely | if"
        for closings, denies in ((lex.wishes.closings, False), (lex.wishes.denying_closings, True)):
            close = closings.match(words, i, end)
            if close is not None and i + close[0] < end:
                return i + close[0], denies
    return None


def wished_state(lex: Lexicon, words: Sequence[str], j: int, end: int, framed: bool) -> bool:
    """A thing, then the state wished for it: "the firewall weren't running", "ssh were off", "my files
    gone", "apparmor stopped". Framed, the thing may be any word that is no person and no program asked
    for ("i wish nginx were off"); unframed, only a thing of the system's configuration, after a modal
    ("the firewall should go", "ssh has to stop")."""
    i = j
    while i < end and (words[i] in lex.determiners and words[i] not in lex.universal.words):
        i += 1
    if i >= end or words[i] in lex.subjects or words[i] in lex.indefinite or words[i] in lex.need_nouns:
        return False
    relative = any(words[x] != "to" and lex.openers.match(words, x, end) for x in range(i, end))
    program = any(w in lex.need_nouns and lex.config_targets.match([w], 0) is None for w in words[i:end])
    if relative or program:
        return False  # "ssh client that can go through proxies": a program described
    system = S.target_at(lex.config_targets, words, i, end)
    if not framed and not system:
        return _named_must(lex, words, i, end)  # "cups must stop"
    if not framed and lex.wishes.modals.find(words, i + 1, end) is None:
        return False
    # an acting verb is a state wished only for what is no data of a person's: "what if my computer crashes"
    acting = system or not S.target_at(lex.data_targets, words, i, end)
    return any(_state(lex, words, x, end, acting) for x in range(i + 1, end))


def _named_must(lex: Lexicon, words: Sequence[str], i: int, end: int) -> bool:
    """A name, a modal right after it and a state or an acting verb that closes the clause: "cups must
    stop", "nginx has to go"; not "chrome should block ads" (what it acts on follows) nor a word of the
    tables ("backups must run nightly")."""
    if words[i] in lex.vocabulary:
        return False
    while i + 1 < end and lex.config_targets.match(words, i + 1, end) is not None:
        i += 1  # "the cups service | must stop"
    m = lex.wishes.modals.match(words, i + 1, end)
    if m is None or i + 1 + m[0] >= end:
        return False
    at = i + 1 + m[0]
    state = lex.wishes.states.match(words, at, end)
    if state is not None:
        return at + state[0] == end
    found = lex.verb_at(words, at)
    return found is not None and at + found[0] == end and found[1].klass in (L.ACTION, L.DESTRUCTIVE)


def _state(lex: Lexicon, words: Sequence[str], x: int, end: int, acting: bool) -> bool:
    """A state wished for: a participle (gone, off, disabled), or, of what is no person's data (`acting`),
    a state (away, not running) or an acting verb ("stops")."""
    w = words[x]
    if w in lex.participles:
        return True
    if not acting:  # "what if my disk dies": a worry about a person's data, not a wish
        return False
    if lex.wishes.states.match(words, x, end) is not None:
        return True
    for base in S.bases(w):
        found = lex.verb_at([base], 0) if base else None
        if found is not None and found[1].klass in (L.ACTION, L.DESTRUCTIVE) and found[1].kind != "injection":
            return True
    return False


def denied(lex: Lexicon, words: Sequence[str], j: int, end: int) -> bool:
    """What a denied want names is a thing of the system to be rid of ("the firewall", "ufw") or one
    installed ("nginx anymore"), not a kind of thing ("a heavy desktop"), what a program keeps out ("no
    more ads") or a program one would rather not have ("i don't need libreoffice, just abiword")."""
    if j >= end or words[j] in lex.indefinite or words[j] in lex.need_nouns:
        return False
    if lex.kind_words.find(words, j, end) is not None or lex.unwanted_content.find(words, j, end) is not None:
        return False
    if any(lex.openers.match(words, i, end) for i in range(j, end)):
        return False  # "i don't need a tool that ...", "no more ads, a blocker for ..."
    installed = lex.wishes.unwanted_markers.find(words, j + 1, end) is not None  # "nginx anymore"
    return installed or S.target(lex.config_targets, words, j, end) or any(w in lex.executables for w in words[j:end])


def caused(lex: Lexicon, words: Sequence[str], k: int, end: int) -> str:
    """The kind of act an install verb's object is made to do to itself ("get firefox to quit", "get the
    firewall to stop"), or "": not a purpose ("install caffeine to disable the screensaver"), a program
    described ("get a tool to kill processes") nor a person's machine made to work better ("get my laptop
    to stop overheating")."""
    if k >= end or words[k] in lex.indefinite or words[k] in lex.need_nouns:
        return ""
    for i in range(k + 1, min(end - 1, k + 4)):
        if words[i] != "to":
            continue
        if any(w in lex.need_nouns for w in words[k:i]) or lex.personal_machines.find(words, k, i) is not None:
            return ""
        found = lex.verb_at(words, i + 1)
        if found is None or i + 1 + found[0] != end:  # it acts on itself: "... to quit", "... to stop"
            return ""
        verb = found[1]
        return verb.kind if verb.klass in (L.ACTION, L.DESTRUCTIVE) and verb.kind != "injection" else ""
    return ""


def state_question(lex: Lexicon, words: Sequence[str], j: int, end: int) -> bool:
    """ "is my hard drive dying", "are the fans of my laptop ok": a question about the state of a thing
    (`state_questions`, then a determiner), which asks nothing. Not about all of something, and not when a
    verb of the tables, an action's participle, a state wished for, a word of rights or a thing of the
    configuration follows ("is the disk wiped", "is it ok to wipe the disk", "is the firewall off", "is my
    root password weak")."""
    asked = lex.state_questions.match(words, j, end)
    if asked is None:
        return False
    j += asked[0] - 1  # "est-ce que | mon disque ..."
    if j + 2 >= end or words[j + 1] not in lex.determiners:
        return False
    if words[j + 1] in lex.universal.words:
        return False  # "are all my files deleted"
    for i in range(j + 1, end):
        if (
            words[i] in lex.participles
            or lex.openers.match(words, i, end) is not None
            or lex.wishes.states.match(words, i, end) is not None
            or lex.verb_at(words, i) is not None
            or english_gerund(lex, words, i, end)
            or S.target_at(lex.config_targets, words, i, end)
            or lex.privilege_words.match(words, i, end) is not None
        ):
            return False
    return True


def knowledge_question(lex: Lexicon, words: Sequence[str], j: int, end: int) -> bool:
    """ "what does a kernel do", "how does dns work": a question of how or why a thing works
    (`knowledge_questions`, a thing, then one of `knowledge_closers` at the end), which asks nothing. Not
    of what a person does ("how do i ..."), and not when a verb of the tables or an action's participle
    comes before the closer ("what does rm -rf do" asks about deleting)."""
    asked = lex.knowledge_questions.match(words, j, end)
    if asked is None:
        return False
    start = j + asked[0]
    if start >= end or words[start] in lex.subjects:
        return False
    for k in range(max(start + 1, end - 2), end):  # a closer is one or two words
        closer = lex.knowledge_closers.match(words, k, end)
        if closer is not None and k + closer[0] == end:
            return not any(words[i] in lex.participles or _acting(lex, words, i) for i in range(start, k))
    return False


def _acting(lex: Lexicon, words: Sequence[str], i: int) -> bool:
    found = lex.verb_at(words, i)
    return found is not None and found[1].klass in (L.ACTION, L.DESTRUCTIVE)


def english_gerund(lex: Lexicon, words: Sequence[str], i: int, end: int) -> bool:
    """ "updating", "wiping": an English verb's gerund ("failing" is no Italian "fai")."""
    found = S.gerund(lex, words, i, end)
    return found is not None and found[1].language == "en"
