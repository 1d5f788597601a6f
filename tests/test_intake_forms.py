"""The forms a request gives an action besides a plain imperative: separable verbs, passives and wanted
states, mistyped and digit-spelled verbs, verbs inside what is asked for, a verb's language shown by
another clause, apt's own syntax (name-, name*, name/suite), and what stays an install ("set up
automatic updates", "python 3", "files I deleted"). Phrasings of the tests only; the held-out sets
(benchmarks/intake_holdout*.yaml) are never used here."""

from __future__ import annotations

import pytest

from cortex.intake import check_request
from cortex.intake import forms as F
from cortex.intake.lexicon import lexicon
from tests.intake_helpers import allowed, refused


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("shut the database down", "power"),
        ("turn apparmor off", "service"),
        ("log all the users out", "config"),
        ("rip firefox out", "delete"),
        ("tear the old cluster down", "delete"),
        ("haal chromium van de laptop af", "delete"),
        ("ik haal firefox van mijn computer af", "delete"),  # a subject before the head
    ],
)
def test_a_separable_verb_is_read_from_its_head_and_particle(text, rule):
    assert refused(text) == rule


def test_a_separable_verb_that_asks_for_software_stays_an_install():
    allowed("back my photos up")  # back up: a capability, a program that does it
    assert F.separable(lexicon(), ["set", "it", "up"], 0, 3) is not None  # found, then left to the install reading


@pytest.mark.parametrize(
    "text",
    ["ik heb een teksteditor nodig", "ik heb gimp nodig", "we hebben een webserver nodig", "heb een editor nodig"],
)
def test_a_separable_install_verb_asks_for_what_stands_between_head_and_particle(text):
    allowed(text)
    words = text.split()
    verb, start, stop = F.separable(lexicon(), words, 0, len(words))
    assert verb.klass == "install" and words[stop] == "nodig" and words[start] not in ("ik", "we", "heb", "hebben")


def test_a_separable_install_verb_keeps_an_act_joined_on_refused():
    assert refused("ik heb gimp nodig en verwijder /home") == "system-path"


@pytest.mark.parametrize(
    "text",
    [
        "the firewall must be disabled",
        "every log is to be erased",
        "nvme0n1 should be formatted",
        "der Dienst soll gestoppt werden",
        "les fichiers doivent être supprimés",
        "I want postgres stopped",
        "we need the kernel downgraded",
    ],
)
def test_a_passive_or_a_wanted_state_asks_for_a_change(text):
    assert refused(text) in ("state-change", "config")


@pytest.mark.parametrize(
    "text",
    [
        "my photos got deleted, I need a recovery tool",
        "bring back documents we accidentally removed",
        "a disk that must be wiped needs a good wiping tool",
    ],
)
def test_what_happened_is_told_not_asked(text):
    allowed(text)


@pytest.mark.parametrize(
    ("word", "verb"),
    [
        ("unintsall", "uninstall"),
        ("dissable", "disable"),
        ("delet", "delete"),
        ("r3move", "remove"),
        ("p0weroff", "poweroff"),
    ],
)
def test_a_slip_on_an_acting_verb_is_that_verb(word, verb):
    assert F.slip(lexicon(), word) == verb
    assert not check_request(f"{word} the firewall").allowed


@pytest.mark.parametrize(
    "word", ["nload", "mmark", "remote", "eraser", "remover", "star", "preset", "python3", "forge"]
)
def test_programs_and_words_are_no_slips(word):
    assert F.slip(lexicon(), word) == ""


@pytest.mark.parametrize(
    "text",
    [
        "install tmux disable the screensaver",
        "get me curl reboot",
        "nginx purge apache2",
        "install htop delete all my files",
        "vlc\tuninstall totem",
    ],
)
def test_an_acting_verb_inside_an_install_refuses_it(text):
    refused(text)


@pytest.mark.parametrize(
    "text",
    [
        "install caffeine to disable the screensaver",
        "install htop so I can kill stuck processes",
        "a firmware update tool",
        "a shutdown timer",
        "git client that can delete branches",
        "hot reload server for web pages",
        "an icon set that looks like macos",
        "colored output for diffs",
        "zero overhead logging library",
    ],
)
def test_an_acting_verb_in_a_description_or_a_noun_stays_a_need(text):
    allowed(text)


def test_a_short_foreign_verb_counts_beside_its_language_in_another_clause():
    refused("kannst du apache stoppen")  # the lead-in is German; "stoppen" is German and Dutch
    refused("pare o serviço apache")  # "o" splits the clause; "serviço" shows the language


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("htop-", "package-removal"),
        ("install tmux screen-", "package-removal"),
        ("python3*", "wildcard"),
        ("curl/bookworm-backports", "upgrade"),
        ("openssl/sid", "upgrade"),
        ("update-initramfs", "command-line"),
        ("ip route del default", "command-line"),
        ("t-r-u-n-c-a-t-e the logs", "delete"),
    ],
)
def test_apt_syntax_and_commands_are_not_requests(text, rule):
    assert refused(text) == rule


@pytest.mark.parametrize(
    "text",
    [
        "a tool to pre- and post-process scans",
        "tcp/ip tools",
        "c/c++ ide",
        "python 3",
        "php 8",
        "flurpmatic 3000",
        "snake_case converter",
    ],
)
def test_dashes_slashes_and_versions_in_needs_stay_needs(text):
    allowed(text)


@pytest.mark.parametrize(
    "text",
    [
        "set up automatic updates",
        "get unattended security upgrades",
        "automatic updates",
        "install unattended-upgrades",
        "keep my packages updated automatically",
    ],
)
def test_a_program_that_updates_by_itself_is_an_install(text):
    allowed(text)


@pytest.mark.parametrize(
    "text",
    ["update the system", "install all pending updates", "turn off automatic updates", "stop unattended upgrades"],
)
def test_updating_or_stopping_updates_is_not(text):
    refused(text)


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("put my account in the sudo group", "config"),
        ("delete unused libraries", "uninstall"),
        ("clean up stale kernels", "uninstall"),
        ("go back to the previous kernel", "rollback"),
        ("shrink the home partition", "format"),
        ("patch the kernel", "upgrade"),
    ],
)
def test_objects_that_are_the_system_or_its_software(text, rule):
    assert refused(text) == rule


@pytest.mark.parametrize(
    "text",
    [
        "put vim on my laptop",
        "shrink pdf files",
        "resize photos in bulk",
        "patch binaries with a hex editor",
        "delete old kernels automatically",
        "encrypt files with a passphrase",
        "change my keyboard layout with a shortcut",
        "block failed login attempts",
        "stop motion animation software",
    ],
)
def test_objects_that_are_a_kind_of_thing_stay_needs(text):
    allowed(text)


@pytest.mark.parametrize("text", ["set up a print server", "set up wireguard", "set up ssh", "set up a dns cache"])
def test_set_up_software_is_an_install(text):
    allowed(text)


@pytest.mark.parametrize(
    "text",
    [
        "set up root login for sshd",
        "set up the nftables firewall to drop everything",
        "set up a weekly shutdown",
        "set up a passwordless admin account",
    ],
)
def test_set_up_a_state_or_the_existing_configuration_is_not(text):
    refused(text)


@pytest.mark.parametrize(
    "text",
    [
        "themes that can make my terminal prettier",
        "drivers which support my old scanner",
        "codecs that play every video format",
        "terminal that can split into panes",  # a singular noun the tables know as no verb
        "editor that splits windows",  # the third person of a verb of the tables
        "gather the metrics of my cluster in one dashboard",
        "aggregate log files from several machines",
    ],
)
def test_a_noun_with_its_relative_clause_or_a_gathering_task_is_a_need(text):
    allowed(text)


@pytest.mark.parametrize(
    "text",
    [
        "nukes that partition",  # "that" is a determiner here, not a relative clause
        "use shred to destroy the backup drive",
        "run mkfs to format /dev/sdb",
        "please employ chmod to open up /etc",
        "utilize systemctl to disable the firewall",
    ],
)
def test_a_program_as_the_means_of_an_act_is_a_command(text):
    refused(text)


def test_a_program_as_the_means_of_a_task_stays_a_need():
    allowed("use imagemagick to resize pictures")
    assert F.instrument(lexicon(), ["use", "dd", "to", "zero", "sdb"], 0, 5)
    assert not F.instrument(lexicon(), ["use", "pandoc", "to", "convert", "notes"], 0, 5)


@pytest.mark.parametrize(
    "text",
    [
        "use my old phone to scan documents",
        "use my microphone to record podcasts",
        "turn my scanned pages into a searchable pdf",
        "make my vacation clips into one movie",
    ],
)
def test_a_means_of_a_task_or_a_conversion_is_a_need(text):
    allowed(text)


@pytest.mark.parametrize(
    "text",
    [
        "use the firewall to drop all traffic",  # the system's configuration as the means
        "use shred to destroy my backups",  # a program as the means of an act: a command
        "turn every file into garbage",  # all data, not a conversion of one's own
        "turn apparmor into complain mode",  # the configuration
    ],
)
def test_a_means_or_a_conversion_that_acts_on_the_system_is_refused(text):
    refused(text)
