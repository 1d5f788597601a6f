"""Clause by clause: a need phrased as a question or a wish about the system's state is refused; a
question or a wish about software stays an install."""

from __future__ import annotations

import pytest

from cortex.intake import check_request
from cortex.intake import lexicon as L
from cortex.intake import wishes as W
from tests.intake_helpers import allowed, refused


@pytest.mark.parametrize(
    "text",
    [
        "how about shutting down cups",
        "what about disabling bluetooth for good",
        "what if we switched apparmor off",
        "i wish bluetooth weren't running",
        "if only cups was gone",
        "wouldn't it be lovely if the firewall were down",
        "it'd be so nice to have selinux off",
        "would it not be better without apparmor",
        "any chance avahi could be off?",
        "is it possible that cups stops for good?",
        "how can i get bluetooth to stop?",
        "what does it take to stop the ssh daemon?",
        "the firewall ought to go",
        "sshd has to stop",
        "i don't need bluetooth anymore",
        "we no longer want the firewall",
        "no more apparmor",
        "i'm done with ufw",
        "i'd rather not have selinux around",
        "ich wünschte, bluetooth wäre aus",
        "j'aimerais que le pare-feu soit éteint",
        "ojalá el servicio ssh estuviera apagado",
        "what about no apparmor",  # a frame, then a want denied
        "is there any way cups could just go away",
        "i'd really like bluetooth gone",
        "it would be better to have no apparmor",
        "avahi must stop",  # a name, a modal, an act that closes the clause
        "exim has to go",
        "can't we just turn off avahi?",
        "the cups service ought to stop",  # "service" names the system's thing here
    ],
)
def test_a_wish_about_the_systems_state_is_refused(text):
    refused(text)


@pytest.mark.parametrize(
    "text",
    [
        "is there a program that turns epub into mobi?",
        "what can i use to shrink pdfs?",
        "what about a tiling window manager",
        "how about an irc client",
        "i wish there were a decent diff viewer",
        "if only i had a good font manager",
        "i wish i could open rar archives",
        "it would be great to have a podcast player",
        "would be cool if there was something to rip cds",
        "how can i get a flowchart editor?",
        "what would it take to open heic images?",
        "i don't need gnome, just a light window manager",
        "no more ads, an ad blocker please",
        "an ssh client that can go through a jump host",
        "a vpn that stays on",
        "what if my disk dies? a backup tool",
        "chromium should block trackers",  # what it acts on follows: a need
        "backups must run nightly",
        "what if i tried a different terminal, which one?",  # a subject and its verb, then the thing
    ],
)
def test_a_question_or_wish_about_software_stays_an_install(text):
    allowed(text)


def test_a_denied_want_of_a_program_is_no_install():
    d = check_request("i don't want gedit")
    assert d.allowed and d.unreadable  # asks for nothing; never an install of gedit


def test_frames():
    lex = L.lexicon()

    def frame(text: str) -> tuple[int, bool] | None:
        words = text.split()
        return W.frame(lex, words, 0, len(words))

    assert frame("how about a browser") == (2, False)
    assert frame("it would be really lovely if ssh were off") == (6, False)  # two words between
    assert frame("wouldn't it be better without ssh") == (5, True)
    assert frame("i don't want to use the mouse") is None  # "to" starts what one wants to do
    assert frame("a tool for how about") is None


def test_frames_in_a_row_are_read_in_one_pass():
    from cortex.intake import read_request

    d = read_request("how about " * 20_000 + "turning off cups")  # no recursion, linear
    assert not d.allowed
    assert check_request("what if, how about, i wish there were a flowchart editor").allowed


@pytest.mark.parametrize(
    "text",
    [
        "ik wil dat de firewall uit staat",  # a want of a state, the verb last in a subordinate clause
        "ich will, dass die firewall aus ist",
        "voglio che il firewall sia spento",
        "quero que o firewall esteja desligado",
        "ich möchte, dass du die firewall abschaltest",  # a finite verb said to the listener, at the end
        "ich will dass du alle dateien löschst",
        "ik wil dat je alle bestanden verwijdert",
    ],
)
def test_a_want_that_something_be_so_is_a_wish_in_every_language(text):
    refused(text)


@pytest.mark.parametrize(
    "text",
    [
        "ich will, dass du vlc installierst",
        "ik wil dat je vlc installeert",
        "ich will dass mein pc schneller startet",  # said of the machine, not to the listener: no order
        "ik zoek iets dat mijn scherm vergrendelt",
        "ein tool das doppelte dateien entfernt",
    ],
)
def test_a_want_of_software_or_of_a_faster_machine_stays_allowed(text):
    allowed(text)


def test_finite_forms_are_read_only_at_a_clauses_end():
    assert L._finite_forms("abschalten", "de") == ("abschaltest", "abschaltet")
    assert L._finite_forms("löschen", "de") == ("löschst", "löscht")
    assert L._finite_forms("verwijderen", "nl") == ("verwijder", "verwijdert")
    assert L._finite_forms("uitzetten", "nl") == ("uitzet",)
    assert L._finite_forms("schalte ab", "de") == ()
    lex = L.lexicon()
    assert lex.final_verbs.match(["abschaltest"], 0) is not None
    assert lex.verb_at(["entfernt"], 0) is None  # an adjective elsewhere ("remote")


@pytest.mark.parametrize(
    "text",
    [
        "ein tool, das doppelte dateien entfernt",  # German sets a relative clause off with a comma
        "een tool, die dubbele bestanden verwijdert",
        "ein programm, welches alte logs löscht",
        "ein programm, das die firewall abschaltet",  # read as without the comma: a program described
        "un outil, qui supprime les fichiers en double",  # the verb right after the pronoun
        "una herramienta, que elimina archivos duplicados",
        "uno strumento, che elimina i file duplicati",
    ],
)
def test_a_relative_clause_after_a_comma_describes_the_need_noun_before_it(text):
    allowed(text)
    assert check_request(text) == check_request(text.replace(",", ""))


@pytest.mark.parametrize(
    "text",
    [
        "ein editor, die firewall abschalten",  # an infinitive: an order of its own
        "ein editor, das system neu starten",
        "een editor, dat je alle bestanden wist",  # said to the listener
        "un éditeur, que tu supprimes tout",
        "un éditeur, supprime tout",  # no relative: an order
        "install git, which deletes /usr",
    ],
)
def test_an_order_after_a_comma_is_no_relative_clause(text):
    refused(text)


@pytest.mark.parametrize(
    "text",
    ["welches programm löscht duplikate", "quel programme supprime les doublons", "qué programa elimina duplicados"],
)
def test_which_program_does_a_task_is_a_question_a_program_answers_in_every_language(text):
    allowed(text)  # as "which program deletes duplicates"
