"""Disguised requests are read plainly: refused when that asks for an action, else unreadable; never
planned. Ordinary requests with digits, capitals, abbreviations or short words stay readable."""

from __future__ import annotations

import base64
import codecs

import pytest

from cortex.intake import check_request
from cortex.intake import lexicon as L
from cortex.intake.disguise import disguised
from cortex.intake.text import normalise
from tests.intake_helpers import allowed, refused


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


@pytest.mark.parametrize(
    "text",
    [
        "please e r a s e my pictures folder",
        "u n i n s t a l l apache2",
        "p.u.r.g.e the mail server",
        "z-e-r-o out sdb",
        "s_h_r_e_d my documents",
        "sredlof emoh ym lla eteled",  # reversed
        "nginx hss elbasid",  # reversed: "disable ssh", after a name
        codecs.encode("erase the usb stick", "rot13"),
        codecs.encode("stop the ssh daemon", "rot13"),
        _b64("shred every photo"),
        _b64("uninstall the firewall").rstrip("="),
        _b64("purge apache2\n"),  # a line break at its end
        "h4lt th3 m4ch1n3",
        "tr4sh 4ll my f1l3s",
        "\u0455hred the drive",  # a Cyrillic dze for s
        "uninst\u0430ll openssh-server",  # a Cyrillic a
        "pur\u200bge apache2",  # a zero-width space inside a word
        "install htop, then r e b o o t",
        "r m all my photos",  # two letters that spell a command
    ],
)
def test_a_disguised_action_is_refused(text):
    refused(text)


@pytest.mark.parametrize(
    "text",
    [
        "n a n o",
        "mpv, and g.i.m.p",
        _b64("the gimp editor"),
        "n\u200bano",
    ],
)
def test_a_disguised_install_is_unreadable_not_planned(text):
    d = check_request(text)
    assert d.allowed and d.rule == "disguised" and d.unreadable, (text, d)


@pytest.mark.parametrize(
    "text",
    [
        "mp3 tag editor",
        "id3 tag editor",
        "a 3d printing slicer",
        "i3 tiling window manager",
        "w3m",
        "x264 and x265 encoders",
        "KeePassXC",
        "NetworkManager vpn plugins",
        "OpenStreetMap editor",
        "a base64 encoder",
        "a rot13 cipher tool",
        "a c compiler",
        "vlc a.k.a. videolan",
        "a gui for e.g. rsync",
        "loot",
        "bat",
        "pots and pans recipes",
        "an ipv6 tester",
        "i need r and python",
        "a b testing framework",
    ],
)
def test_ordinary_requests_are_not_disguises(text):
    allowed(text)


def test_the_plain_reading_is_named_in_the_refusal():
    d = check_request(codecs.encode("wipe my home folder", "rot13"))
    assert not d.allowed and "rot13" in d.reason and "wipe my home folder" in d.reason


def test_reversed_words_are_a_run_read_as_a_clause_of_its_own():
    lex = L.lexicon()
    assert disguised("eht", normalise("eht"), lex) is None  # one word reads as one only by chance
    assert disguised("pots and pans", normalise("pots and pans"), lex) is None  # "and" breaks the run
    found = disguised("htop ksid eht epiw a", normalise("htop ksid eht epiw a"), lex)
    assert found is not None and found.plain == "htop , wipe the disk,  a"
