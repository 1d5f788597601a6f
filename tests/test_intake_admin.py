"""Clause by clause: what the system administers (accounts and groups, the boot configuration, password
policy) and ending programs without the word "kill". A program for the job stays an install."""

from __future__ import annotations

import pytest

from cortex.intake import lexicon as L
from cortex.intake.admin import administered
from tests.intake_helpers import allowed, refused


@pytest.mark.parametrize(
    "text",
    [
        "add me to the plugdev group",
        "put my account into the dialout group",
        "enrol the user jane in the lpadmin group",
        "set up a new user named quentin",
        "i'd like a guest account for visitors",
        "make another account called kiosk",
        "new user margo",
        "get rid of the group legacy",
        "add ursula to sudoers",
        "füge den benutzer jan zur gruppe audio hinzu",
        "lege einen neuen benutzer namens jan an",
        "ajoute-moi au groupe audio",
        "crée un nouvel utilisateur appelé paul",
        "añádeme al grupo audio",
        "crea un usuario nuevo llamado pablo",
        "aggiungimi al gruppo audio",
        "crea un utente chiamato paolo",
        "adicione-me ao grupo audio",
        "crie um usuário chamado paulo",
        "voeg mij toe aan de groep audio",
        "maak een nieuwe gebruiker genaamd piet aan",
        "pull mike out of the wheel group",  # a verb of a task, moving someone out of a group
        "coloque a usuária rita no grupo audio",
        "i'd like to be in the kvm group",  # the group two words after its determiner
        "nimm den benutzer jan in die gruppe kvm auf",  # a separable verb's particle closes the clause
        "zet mij in de groep kvm",
        "tire-me do grupo kvm",
        "benutzer lena anlegen",  # a clause-final infinitive
        "lena zur gruppe kvm hinzufügen",
        "crie o grupo auditores",  # "o" splits the clause; the verb alone takes what follows
        "sign me up for... no, sign me up to the lpadmin group",
        "a fresh account named demo, please",
        "a new user account",
        "quiero una cuenta nueva llamada ana",  # the adjective after the noun
        "voglio un utente nuovo chiamato ugo",
        "quero um novo usuário chamado rui",
    ],
)
def test_accounts_and_groups_are_refused(text):
    refused(text)


@pytest.mark.parametrize(
    "text",
    [
        "a tool to manage users and groups",
        "a utility for adding people to groups",
        "user administration software",
        "a group video call app",
        "get a group calendar",
        "install thunderbird for every user",
        "set up a chat server with user accounts",
        "user accounts",
        "a cli to put users in groups",
        "ein werkzeug zur benutzerverwaltung",
        "un logiciel pour gérer les groupes",
        "back up my user account",  # a task on a person's own account
        "install users and groups admin tool",  # after an install verb, a thing alone is no account
        "make sure my backups run",
        "take notes on my account",
        "manage users",
        "convert or compress videos",  # a verb alone before "or", and a task after it
        "a locked-down browser that users can't exit",  # a relative clause describes the program
        "see who is in the audio group",
    ],
)
def test_a_program_for_accounts_stays_an_install(text):
    allowed(text)


@pytest.mark.parametrize(
    "text",
    [
        "add i915.enable_psr=0 to the kernel command line",
        "put mitigations off in the boot parameters",
        "drop splash from the kernel options",
        "append noapic to grub",
        "make ubuntu the first boot entry",
        "set the boot order to usb first",
        "boot into recovery mode next time",
        "shorten the grub timeout",
        "füge acpi=off zu den kernelparametern hinzu",
        "entferne splash aus den bootparametern",
        "kernel option mem=4g",  # a value after it
        "ajoute quiet aux paramètres du noyau",
        "añade quiet a la línea de comandos del kernel",
    ],
)
def test_the_boot_configuration_is_refused(text):
    refused(text)


@pytest.mark.parametrize(
    "text",
    ["a gui to edit grub settings", "install grub-efi", "a boot menu theme", "install the linux kernel", "refind"],
)
def test_boot_programs_stay_installs(text):
    allowed(text)


@pytest.mark.parametrize(
    "text",
    [
        "expire the password of user kim",
        "force every account to pick a new password on next login",
        "lock out the guest account",
        "set the password expiration to 60 days",
        "enforce a minimum password length of 14",
        "ensure all users rotate their passwords",
        "disable the account lockout policy",
    ],
)
def test_password_and_account_policy_is_refused(text):
    refused(text)


@pytest.mark.parametrize(
    "text",
    [
        "a password generator",
        "a checker for password expiry",
        "a force feedback joystick driver",
        "a force directed graph layout library",
        "an end to end encrypted messenger",
        "ensure my photos get backed up",  # a policy verb on a person's things: a need
    ],
)
def test_policy_words_in_programs_stay_installs(text):
    allowed(text)


@pytest.mark.parametrize(
    "text",
    [
        "force quit thunderbird",
        "force-close the video player",
        "end the hung installer",
        "quit every open program",
        "exit the game that froze",
        "close all windows of libreoffice",
        "get vlc to quit",  # made to act on itself
        "quit the stuck updater",  # a particular program, whatever its kind
        "close the unresponsive window",
        "end whatever hangs",
        "termine o processo thunderbird",
        "forzar el cierre de thunderbird",
        "forcer la fermeture de thunderbird",
        "forza la chiusura di thunderbird",
        "forçar encerramento do thunderbird",
    ],
)
def test_ending_programs_without_kill_is_refused(text):
    assert refused(text) == "kill"


def test_a_verb_of_force_alone_is_refused():
    assert refused("forçar o") == "policy"  # "o" is also a joiner: "forçar" stands alone


def test_an_article_after_a_verb_is_no_joiner():
    # "o" after a verb is the article: the clause is "force the closing of thunderbird", a force quit
    assert refused("forçar o encerramento do thunderbird") == "kill"


@pytest.mark.parametrize(
    "text",
    [
        "something to force quit frozen apps",
        "a tool to end unresponsive programs",
        "an app that helps me quit smoking",
        "a habit tracker to quit sugar",
        "a tor exit relay",
        "install redshift to dim the screen at night",  # a purpose, not an act on itself
        "get my pc to stop overheating",
    ],
)
def test_a_program_that_ends_programs_stays_an_install(text):
    allowed(text)


def test_the_thing_must_head_its_noun_phrase():
    lex = L.lexicon()

    def kind(text: str, **kw: bool) -> str:
        words = text.split()
        return administered(lex, words, 0, len(words), **kw)

    assert kind("to the audio group") == "accounts"
    assert kind("a user called ann") == "accounts"
    assert kind("a user management program") == ""  # the first half of a program's name
    assert kind("firefox for all users") == ""  # who it is for
    assert kind("a program to manage users") == ""  # a description
    assert kind("quiet to grub") == "boot"  # a boot loader as where it goes
    assert kind("grub") == ""  # a boot loader as what is asked for
    assert kind("user accounts", bare=True) == ""  # alone, with no verb
    assert kind("new user ann", bare=True) == "accounts"
    assert kind("the user manual", install=True) == ""  # a name after it counts only after an acting verb
