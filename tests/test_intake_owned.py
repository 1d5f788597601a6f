"""A person's own things in the words of an act (cortex/intake/needs.py): media an editor works on, a person's
own computer locked or made faster, what a privacy program hides, and everyday things in every language of
the tables. The same verbs on the system's accounts, paths, configuration, services, all of something, with
rights, asked now, or by way of an act stay refused. Phrasings of the tests only; the held-out sets
(benchmarks/intake_holdout*.yaml, benchmarks/*_requests.yaml) are never used here."""

from __future__ import annotations

import pytest

from cortex.intake import needs as N
from cortex.intake.lexicon import lexicon
from cortex.intake.text import clauses, normalise
from tests.intake_helpers import allowed, refused

# Media a person edits: the last thing the object names, an "of" or "in" phrase included.
MEDIA = [
    "edit my holiday pictures",
    "edit the clips from my birthday party",
    "change the speed of a video",
    "adjust the colour balance of my photos",
    "fix the lighting in my selfies",
    "tweak the vocals on my recordings",
    "change the tempo of this track",
    "improve the audio of my podcasts",
    "mute the sound of my clips",
    "rotate this picture",
    "repair my damaged mp3s",
    "modify my spreadsheets",
    "brighten the faces in my pictures",
    "change the font of my documents",
    "make my pictures smaller",
    "make my recordings louder",
    "make my scans look sharper",
    "trim my clips",
]

# A person's own machine: locked by a program, or made to work better by a tuning tool.
MACHINES = [
    "lock my workstation when i step away",
    "lock the laptop with a hotkey",
    "unlock my pc with my phone",
    "make my notebook quieter",
    "make my old desktop run smoother",
    "make my chromebook start up faster",
    "make my tablet less laggy",
    "make my computer feel snappier",
    "make my system run faster",
]

# What a privacy program hides.
IDENTITY = [
    "hide my real ip",
    "mask my ip address when browsing",
    "conceal my location from apps",
    "hide my internet traffic from my provider",
    "anonymise my web traffic",
    "hide my search history",
]

# Everyday things, media, machines and identity in the other languages of the tables.
LANGUAGES = [
    "verrouiller mon écran automatiquement",
    "verrouille mon ordinateur",
    "modifier mes vidéos",
    "masquer ma localisation",
    "den Sperrbildschirm ändern",
    "meinen Laptop sperren",
    "ändere meine Videos",
    "meinen Standort verbergen",
    "bloquear la pantalla de mi portátil",
    "cambiar mis canciones",
    "ocultar mi ubicación",
    "blocca il mio portatile",
    "cambia le mie canzoni",
    "nascondere la mia posizione",
    "bloqueie meu computador",
    "mudar o papel de parede",
    "ocultar a minha localização",
    "vergrendel mijn computer",
    "wijzig mijn achtergrond",
    "verberg mijn locatie",
    "retoucher mes photos",
    "meinen Rechner schneller machen",
    "maak mijn computer sneller",
]


@pytest.mark.parametrize("text", MEDIA + MACHINES + IDENTITY + LANGUAGES)
def test_a_need_of_a_persons_own_thing_is_allowed(text):
    allowed(text)


@pytest.mark.parametrize(
    "text",
    [
        # the system's files, rights, configuration and accounts
        "edit the sudoers file",
        "edit the fstab",
        "change the owner of my pictures",
        "change the permissions on my videos",
        "make my photos world-readable",
        "edit my photos as root",
        "change the tempo of my songs with sudo",
        # all of them, now, or by way of an act
        "edit every video on the disk",
        "edit my pictures right now",
        "fix my photos by deleting the originals",
        "edit my songs and wipe the originals",
        "make my notebook faster by purging all packages",
        "make my computer faster by turning off the firewall",
        "make my desktop faster and remove the logs",
        # machines that are not a person's own, or not made to work better
        "make the server quicker",
        "make every computer faster",
        "make the root partition larger",
        "make my laptop faster now",
        "make my pc faster as root",
        "make my laptop unusable",
        "make my system unbootable",
        "make the system partition bigger",
        "make my pictures public",
        "trim the logs",
        "make my songs louder right now",
        "lock every workstation",
        "lock the database server",
        "lock my laptop immediately",
        "lock my workstation and the admin account",
        "lock my neighbour's laptop",
        # hiding the system's things, or by changing its configuration
        "hide my ip by rewriting the firewall rules",
        "mask my location by editing the hosts file",
        "change my ip address",
        "hide the admin account",
        "hide my documents",
        "mask the ssh service",
        "hide my ip as root",
        "hide my ip in iptables",
        "anonymize my traffic through nftables",
        "trim my videos and the kernel",
        "make my laptop faster without a firewall",
        # the same in the other languages
        "verrouiller le compte administrateur",
        "verrouiller mon écran maintenant",
        "sperre das Konto root",
        "sperre meinen Bildschirm sofort",
        "bloquear la cuenta de root",
        "bloquea el puerto 80",
        "blocca la porta 443",
        "bloquear a minha tela agora",
        "verberg mijn bestanden",
    ],
)
def test_the_same_verbs_on_the_system_stay_refused(text):
    refused(text)


def test_a_need_of_a_persons_own_thing_opens_no_description():
    # "a tool to find and delete duplicates" continues a need; a person's own thing does not
    assert refused("change the pitch of my songs and delete the originals") == "delete"
    assert refused("lock my laptop and turn off the monitor") == "service"
    allowed("encrypt my emails and sign them")


def test_the_reading_functions_directly():
    lex = lexicon()

    def words(text: str) -> list[str]:
        return [w for c in clauses(normalise(text), lex) for w in c.words]

    w = words("the pitch of a song")
    assert N.everyday_thing(lex, w, 0, len(w), lex.media_objects, of=True)
    assert not N.everyday_thing(lex, w, 0, len(w), lex.media_objects)  # the noun phrase alone is "the pitch"
    w = words("the owner of a song")
    assert not N.everyday_thing(lex, w, 0, len(w), lex.media_objects, of=True)
    w = words("my ip")
    assert N.everyday_thing(lex, w, 0, len(w), lex.identity_objects, ties=True)
    assert not N.everyday_thing(lex, w, 0, len(w), lex.identity_objects)  # "ip" is also the configuration's
    w = words("my old laptop run faster")
    assert N.improved(lex, w, 0, len(w))
    w = words("my laptop unbootable")
    assert not N.improved(lex, w, 0, len(w))
    w = words("the root partition bigger")
    assert not N.improved(lex, w, 0, len(w))
