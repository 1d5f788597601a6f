"""Which verified model proposal is planned (cortex/planning/proposals.py): pure tests."""

from __future__ import annotations

from cortex.packages.records import PackageInfo
from cortex.planning import proposals

FFMPEG = PackageInfo("ffmpeg", "1", "Tools for transcoding, streaming and playing of multimedia video files")
LIBAV = PackageInfo("libavcodec59", "1", "FFmpeg library with de/encoders for audio/video codecs - runtime files")
KRITA = PackageInfo("krita", "1", "pixel-based image manipulation program", tags=("role::program",))
EVINCE = PackageInfo("evince", "1", "Document (PostScript, PDF) viewer", tags=("role::program",))
CMUS = PackageInfo("cmus", "1", "lightweight ncurses audio player", tags=("role::program", "interface::text-mode"))
VLC = PackageInfo("vlc", "1", "multimedia player and streamer", tags=("role::program", "interface::x11"))


def test_the_first_proposal_that_fits_is_planned_in_the_models_order():
    picked = proposals.first_fitting("convert video files to another format", [LIBAV, FFMPEG, KRITA])
    assert picked is not None and picked[0] is FFMPEG and picked[1] >= proposals.PROPOSAL_FIT


def test_a_library_is_skipped_unless_the_need_asks_for_one():
    assert proposals.first_fitting("encode video", [LIBAV]) is None
    asked = proposals.first_fitting("a library to encode video in my program", [LIBAV])
    assert asked is not None and asked[0] is LIBAV


def test_a_proposal_that_covers_nothing_of_the_need_is_not_planned():
    assert proposals.first_fitting("a pdf viewer", [KRITA, EVINCE])[0] is EVINCE
    assert proposals.first_fitting("a pdf viewer", [KRITA]) is None


def test_the_opposite_interface_is_never_planned():
    assert proposals.first_fitting("play music in a gui", [CMUS, VLC])[0] is VLC
    assert proposals.first_fitting("play music in the terminal", [VLC]) is None


def test_a_name_that_is_a_word_of_the_need_is_no_fit():
    """build-essential for "build a family tree": the summary must say what the need asks."""
    builder = PackageInfo("build-essential", "1", "Informational list of build-essential packages")
    gramps = PackageInfo("gramps", "1", "Genealogical research program", tags=("role::program",))
    assert proposals.first_fitting("build a family tree", [builder]) is None
    assert proposals.first_fitting("genealogical research", [builder, gramps])[0] is gramps
