"""Described needs in the other languages the intake reads, read word by word into English
(cortex/planning/foreign.py), and the planner's use of that reading."""

from __future__ import annotations

import pytest

from cortex import plan as P
from cortex.planning.foreign import translated
from tests.test_planner import Info, planner


@pytest.mark.parametrize(
    ("need", "english"),
    [
        ("un lecteur de musique", "player music"),
        ("un editor de texto", "editor text"),
        ("een muziekspeler", "music player"),  # a compound of the table's words
        ("ein Bildbearbeitungsprogramm", "image editing program"),  # with the linking s
        ("ik heb een teksteditor nodig", "text editor"),  # the language's words of wanting go
        ("quiero un programa para editar fotos", "program edit photos"),
        ("ich brauche einen Browser", "browser"),  # nothing to read but the words around an English one
    ],
)
def test_a_need_in_another_language_is_read_into_english(need, english):
    text, read = translated(need)
    assert text == english and read


@pytest.mark.parametrize(
    "need", ["capture packets", "games for my sons", "disco music", "a tool to burn dvds", "nginx", "ein"]
)
def test_english_is_left_as_it_is(need):
    # "capture" (French: screenshot), "sons" (French: sounds), "disco" (Spanish: disk) are English words
    assert translated(need) == (need, {})


def test_the_planner_ranks_the_english_reading_and_says_so():
    packages = [
        Info("mpd", "music player daemon", section="sound"),
        Info("lecteur-tool", "a tool of no use", section="utils"),
    ]
    plan = planner(packages=packages).plan("un lecteur de musique")
    assert plan.status == P.PLANNED and plan.packages == ("mpd",)
    assert "Read 'musique' as 'music'." in plan.notes


def test_a_compound_that_reads_as_name_like_is_a_need():
    packages = [Info("other-tool", "unrelated", section="utils"), Info("mpd", "music player daemon")]
    plan = planner(packages=packages).plan("een muziekspeler")
    assert plan.status == P.PLANNED and plan.packages == ("mpd",)
