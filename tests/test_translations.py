"""apt's Translation-en lists in the index: parsing, filling the rows, keeping the previous build's."""

from __future__ import annotations

import pytest

from cortex.errors import RefusedError
from cortex.packages import apt, translations
from cortex.packages.index import PackageIndex
from cortex.packages.records import ROW_FIELDS, PackageInfo, info_to_row
from cortex.plan import Step
from cortex.policy import REFRESH, PolicyContext, check

TEXT = """Package: dosbox
Description-md5: 0123
Description-en: x86 emulator with Tandy/Herc/CGA/EGA/VGA/SVGA graphics
 DOSBox is a x86 emulator. It has been designed to run old DOS games.
 .
 The following legacy sound devices are emulated.

Package: sl
Description-md5: 4567
Description-en: Correct you if you type `sl' by mistake
 Sl is a program that can display animations.

Package: dosbox
Description-md5: 89ab
Description-en: a second record of the same name
 ignored

Package: only-a-summary
Description-md5: cdef
Description-en: nothing more to say
"""
DESCRIPTION = ROW_FIELDS.index("description")


def test_parse_keeps_the_long_description_without_summary_or_separators():
    found = translations.parse(TEXT)
    assert found["dosbox"] == (
        "DOSBox is a x86 emulator. It has been designed to run old DOS games.\n\n"
        "The following legacy sound devices are emulated."
    )
    assert found["sl"] == "Sl is a program that can display animations."
    assert "only-a-summary" not in found  # a record without a long description adds nothing


def test_fill_adds_descriptions_only_where_a_row_has_none():
    rows = [
        info_to_row(PackageInfo(name="dosbox", version="1", summary="x86 emulator")),
        info_to_row(PackageInfo(name="sl", version="1", summary="steam locomotive", description="its own")),
        info_to_row(PackageInfo(name="hello", version="1", summary="hello")),
    ]
    filled = translations.fill(rows, translations.parse(TEXT))
    assert filled[0][DESCRIPTION].startswith("DOSBox is a x86 emulator")
    assert filled[1][DESCRIPTION] == "its own"
    assert filled[2] == tuple(rows[2])


def test_a_build_without_lists_keeps_the_previous_builds_descriptions(tmp_path):
    path = tmp_path / "packages-apt.sqlite3"
    PackageIndex.from_records(
        [PackageInfo(name="dosbox", version="1", summary="x86 emulator", description="runs old DOS games")], path=path
    ).close()

    class NoApt:
        name = "none"  # list_files is never asked: this manager has no apt lists

    assert translations.descriptions_for(NoApt(), path) == ({"dosbox": "runs old DOS games"}, "previous build")
    assert translations.descriptions_for(NoApt(), tmp_path / "missing.sqlite3") == ({}, "none")


def test_list_files_asks_apt_for_the_translation_targets(tmp_path):
    real = tmp_path / "deb.debian.org_debian_dists_bookworm_main_i18n_Translation-en.lz4"
    real.write_bytes(b"")
    seen = []

    def run(argv, **kw):
        import subprocess

        seen.append(argv)
        return subprocess.CompletedProcess(argv, 0, stdout=f"{real}\n{tmp_path / 'gone.lz4'}\n", stderr="")

    assert translations.list_files(run) == [str(real)]
    assert "Acquire::Languages=en" in seen[0] and "Identifier: Translations" in seen[0]


def test_the_refresh_step_turns_on_english_translations_and_only_those():
    ctx = PolicyContext(purpose=REFRESH)
    argv = tuple(apt.GRAMMAR.operations["refresh_contents"].argv)
    assert "Acquire::Languages=en" in argv
    check(Step(argv, "refresh", privileged=True), ctx)
    with pytest.raises(RefusedError):
        check(Step(("apt-get", "update", "-o", "Acquire::Languages=../x"), "x", privileged=True), ctx)


def test_the_long_description_counts_for_a_word_the_summary_lacks():
    from cortex.packages.ranking import DESCRIPTION_STRENGTH, analyse, coverage

    q = analyse("play old dos games")
    bare = PackageInfo(name="dosbox", version="1", summary="x86 emulator with graphics")
    described = PackageInfo(
        name="dosbox", version="1", summary="x86 emulator with graphics", description="It runs old DOS games."
    )
    assert coverage(q, described, {})[0] > coverage(q, bare, {})[0]
    assert 0 < DESCRIPTION_STRENGTH < 0.85  # less than the summary's own words
