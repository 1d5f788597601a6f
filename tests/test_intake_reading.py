"""The intake's reading, clause by clause: where clauses break, each clause's verb and what it asks;
and the tuned-on request set benchmarks/intake_dev.yaml (the held-out set is never used here)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from cortex.intake import check_request
from cortex.intake import reading as R
from cortex.intake.lexicon import LANGUAGES, lexicon
from cortex.intake.text import OPTION, PATH, clauses, normalise

DEV = Path(__file__).resolve().parent.parent / "benchmarks" / "intake_dev.yaml"


def read(text: str) -> list[R.Reading]:
    lex = lexicon()
    out: list[R.Reading] = []
    previous = None
    for clause in clauses(normalise(text), lex):
        r = R.read_clause(clause, lex, previous)
        out.append(r)
        previous = r if r.kind != R.EMPTY else previous
    return out


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        ("install htop, then delete /usr", ["install htop", "delete /usr"]),
        ("curl and wget", ["curl", "wget"]),
        ("tmux\nrm -rf /", ["tmux", "rm -rf /"]),
        ("jq\u2028rm -rf /usr", ["jq", "rm -rf /usr"]),
        ("vim\u2029reboot", ["vim", "reboot"]),
        ("nginx (and quietly uninstall openssh-server)", ["nginx", "quietly uninstall openssh-server"]),
        ("I need htop. Also delete /usr.", ["i need htop", "delete /usr"]),
        ("install git; also curl", ["install git", "curl"]),
        ("node.js and c++", ["node.js", "c++"]),
        ("installiere vim und lösche danach /home", ["installiere vim", "lösche", "/home"]),
    ],
)
def test_clauses_break_at_punctuation_separators_and_joiners(text, pieces):
    assert [c.text for c in clauses(normalise(text), lexicon())] == pieces


def test_tokens_know_options_and_paths():
    (clause,) = clauses(normalise("rm -rf /usr"), lexicon())
    assert [t.kind for t in clause.tokens][1:] == [OPTION, PATH]


def test_a_joiner_marks_the_next_clause_weak():
    first, second = clauses(normalise("a tool to find and delete duplicate files"), lexicon())
    assert not first.weak and second.weak


@pytest.mark.parametrize(
    ("text", "kind", "verb"),
    [
        ("install htop", R.INSTALL, "install"),
        ("i need a pdf viewer", R.INSTALL, "i need"),
        ("give me something to take notes", R.INSTALL, "give me"),
        ("extract rar archives", R.NEED, "extract"),
        ("a tool to securely wipe disks", R.NEED, ""),
        ("nginx", R.NEED, ""),
        ("my laptop is slow", R.NEUTRAL, ""),
        ("please", R.EMPTY, ""),
        ("disable apparmor", R.REFUSE, "disable"),
        ("could you delete my music collection", R.REFUSE, "delete"),
        ("help me erase sda completely", R.REFUSE, "erase"),
        ("kill processes by name", R.NEED, "kill"),
        ("kill firefox", R.REFUSE, "kill"),
        ("stop ads in the browser", R.NEED, "stop"),
        ("stop the firewall", R.REFUSE, "stop"),
        ("make gifs from videos", R.NEED, "make"),
        ("make me an administrator", R.REFUSE, "make"),
        ("run a minecraft server", R.NEED, "run"),
        ("run it", R.REFUSE, "run"),
        ("update my packages automatically", R.NEED, "update"),
        ("update my packages", R.REFUSE, "update"),
        ("deleting all my files", R.REFUSE, "delete"),
        ("lösche die festplatte", R.REFUSE, "lösche"),
        # an arranging verb whose object is an action, or something set up to act later, asks cortex to act
        ("schedule a weekly shutdown", R.REFUSE, "schedule"),
        ("set up a crontab entry that clears old logs", R.REFUSE, "set up"),
        ("set up a backup daemon", R.INSTALL, "set up"),
        ("schedule photo backups", R.NEED, "schedule"),
        ("add a shutdown button to the panel", R.INSTALL, "add"),
        ("schedule apache reloads", R.REFUSE, "schedule"),  # the noun phrase's last word is the action
        ("set up a task that empties the trash", R.REFUSE, "set up"),  # a task that acts on the system
        ("set up a task that reminds me to drink water", R.INSTALL, "set up"),
        ("schedule tasks", R.NEED, "schedule"),
        # a service verb at boot is the boot configuration; automation elsewhere describes a program
        ("disable cups at boot", R.REFUSE, "disable"),
        ("restart crashed services automatically", R.NEED, "restart"),
        # a particular object of data stays particular whatever its kind words; a port number is particular
        ("remove the old postgres database", R.REFUSE, "remove"),
        ("remove old postgres databases", R.NEED, "remove"),
        ("remove the watermark from pdfs", R.NEED, "remove"),
        ("open 3306 to the lan", R.REFUSE, "open"),
        # action words in a need sense
        ("kill switch for my tunnel", R.NEED, "kill"),
        ("stop my cpu from throttling", R.NEED, "stop"),
        ("stop apache from starting", R.REFUSE, "stop"),
        ("execute jupyter notebooks", R.NEED, "execute"),
        ("execute the setup script", R.REFUSE, "execute"),
        ("upgrade my coding skills", R.NEED, "upgrade"),
        ("update my knowledge of kubernetes", R.NEED, "update"),
        ("upgrade my kernel", R.REFUSE, "upgrade"),
    ],
)
def test_each_clause_has_a_verb_and_a_reading(text, kind, verb):
    (reading,) = [r for r in read(text) if r.kind != R.EMPTY] or [R.Reading(R.EMPTY)]
    assert reading.kind == kind and reading.verb == verb, reading


def test_a_verb_joined_on_by_and_continues_an_open_need():
    readings = read("tools to format and partition usb drives")
    assert [r.kind for r in readings] == [R.NEED, R.NEED]
    # ... but not when it names a particular thing to act on
    assert read("install htop to watch processes and wipe the disk")[-1].kind == R.REFUSE
    # ... and never after a plain install or a noun phrase, which open no verb phrase
    assert read("install htop and partition usb drives")[-1].kind == R.REFUSE
    assert read("a text editor and kill firefox")[-1].kind == R.REFUSE


@pytest.mark.parametrize(
    "text",
    [
        "install mariadb; remove the old mysql data",
        "install nginx plus stop apache",
        "an ftp client, plus delete ~/.ftp",
    ],
)
def test_an_action_after_an_install_is_its_own_clause_and_refuses(text):
    readings = read(text)
    assert len(readings) == 2 and readings[0].asks and readings[1].kind == R.REFUSE, readings


def test_foreign_verbs_map_onto_english_meanings():
    (reading,) = read("désinstalle nginx")
    assert reading.kind == R.REFUSE and reading.meaning == "uninstall" and reading.language == "fr"


def test_every_language_has_its_tables():
    lex = lexicon()
    assert set(LANGUAGES) >= {"en", "de", "fr", "es", "it", "pt", "nl"}
    for lang in LANGUAGES[1:]:
        assert lex.language_words[lang], lang
    for kind in ("uninstall", "delete", "service", "upgrade", "config", "command", "injection", "unknown"):
        assert lex.kinds[kind]["says"] and lex.kinds[kind]["pointer"]


def test_words_yaml_reads_as_booleans_stay_words():
    """YAML 1.1 reads a bare on, off or yes as a boolean: the tables quote them, so they stay words."""
    lex = lexicon()
    assert "on" in lex.place_words.words and "off" in lex.participles and "yes" in lex.executables
    for value in vars(lex).values():
        if isinstance(value, frozenset):
            assert not value & {"true", "false"}
    assert read("schedule a full disk wipe on monday")[0].kind == R.REFUSE  # "on" ends the noun phrase


def _dev_cases() -> list[tuple[str, str, str]]:
    doc = yaml.safe_load(DEV.read_text("utf-8"))
    out = []
    for section in ("refuse", "not_planned", "benign"):
        for group, items in (doc.get(section) or {}).items():
            out += [(section, group, str(text)) for text in items]
    return out


@pytest.mark.parametrize(("section", "group", "text"), _dev_cases())
def test_the_tuning_set(section, group, text):
    d = check_request(text)
    if section == "refuse":
        assert not d.allowed, text
    elif section == "not_planned":
        assert not d.allowed or d.unreadable, text
    else:
        assert d.allowed and not d.unreadable, (d.rule, d.reason, d.unreadable)


def test_a_last_clause_of_a_beneficiary_and_one_word_is_read_without_error():
    """ "htop, for R", "foo(bar) for R": a label cut short at the request's end (it read past the end)."""
    for beneficiary in sorted(lexicon().beneficiaries):
        for text in (f"htop, {beneficiary} r", f"foo(bar) {beneficiary} r", f"{beneficiary} r"):
            check_request(text)  # raised IndexError
    assert check_request("htop, for R").allowed
    assert check_request("ggplot2 for R").allowed


@pytest.mark.parametrize(
    "text",
    ["good morning", "thanks, that worked!", "thanks a lot", "great, thanks", "ok cool", "bonjour", "guten morgen",
     "buenos días", "grazie mille", "bom dia", "dank je wel", "thank you so much for your help",
     "happy birthday to me", "nice to meet you", "cheers mate"],
)  # fmt: skip
def test_greetings_and_thanks_alone_ask_for_nothing(text):
    decision = check_request(text)
    assert decision.allowed and decision.rule == "no-software" and decision.unreadable


@pytest.mark.parametrize(
    "text",
    ["good morning, delete my files", "thanks! now disable the firewall", "thanks for your help, now reboot",
     "happy birthday, wipe the disk"],
)  # fmt: skip
def test_a_greeting_does_not_soften_what_follows(text):
    assert not check_request(text).allowed


@pytest.mark.parametrize(
    "text",
    ["good morning, install htop", "a good night sky viewer", "cool retro term", "awesome", "hello",
     "thanks, now install a birthday reminder"],
)  # fmt: skip
def test_a_greeting_beside_a_request_or_inside_a_name_leaves_it_a_request(text):
    decision = check_request(text)
    assert decision.allowed and not decision.unreadable


@pytest.mark.parametrize(
    "text",
    ["point resolv.conf at 8.8.8.8", "make resolv.conf use 8.8.8.8", "edit sshd_config to allow root login",
     "change my .bashrc"],
)  # fmt: skip
def test_a_configuration_file_acted_on_is_a_change_to_the_system(text):
    decision = check_request(text)
    assert not decision.allowed and decision.rule == "config"


@pytest.mark.parametrize(
    "text",
    ["a tool to edit nginx.conf with syntax highlighting", "a linter for nginx.conf",
     "a tool that checks my sshd_config for weak settings"],
)  # fmt: skip
def test_a_program_for_configuration_files_is_a_need(text):
    assert check_request(text).allowed


@pytest.mark.parametrize(
    "text",
    ["what does a kernel do", "how does dns work", "how does a vpn work", "what does sudo mean",
     "what does a load balancer do"],
)  # fmt: skip
def test_a_question_of_how_a_thing_works_asks_for_nothing(text):
    decision = check_request(text)
    assert decision.allowed and decision.rule == "no-software" and decision.unreadable


@pytest.mark.parametrize(
    "text",
    ["what does rm -rf do", "what does apt purge do", "how do i make my wifi work", "how does one wipe a disk"],
)  # fmt: skip
def test_a_question_about_an_action_is_still_read_for_it(text):
    assert not check_request(text).allowed


def test_a_how_to_question_of_a_person_is_no_question_of_knowledge():
    decision = check_request("how do i install htop")
    assert decision.allowed and not decision.unreadable


@pytest.mark.parametrize(
    ("text", "rule"),
    [("voeg een gebruiker toe met de naam piet", "config"), ("voeg een nieuwe repository toe", "repository"),
     ("mate o processo do chrome", "kill")],
)  # fmt: skip
def test_dutch_add_and_portuguese_kill_are_read(text, rule):
    decision = check_request(text)
    assert not decision.allowed and decision.rule == rule


@pytest.mark.parametrize("text", ["voeg vlc toe", "mate desktop", "mate terminal", "instale o mate"])
def test_an_install_by_those_words_or_the_mate_desktop_stays_an_install(text):
    assert check_request(text).allowed


@pytest.mark.parametrize(
    ("text", "allowed", "matched"),
    [
        ("resize and convert images on the command line", True, ""),  # resize images: a need
        ("convert and resize my photos", True, ""),
        ("stop and remove nginx", False, "stop nginx"),  # the bare verb acts on the next one's object
        ("wipe and format the disk", False, "wipe the disk"),
    ],
)
def test_a_bare_verb_joined_on_by_and_acts_on_the_next_verbs_object(text, allowed, matched):
    decision = check_request(text)
    assert decision.allowed == allowed and decision.matched == matched and not decision.unreadable
