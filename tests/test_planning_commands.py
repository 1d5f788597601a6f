"""Pure parts of commands in install requests: which words name a command, which provider is chosen."""

from __future__ import annotations

import pytest

from cortex.packages.commands import ALTERNATIVE, EXACT, CommandProvider
from cortex.packages.records import PackageInfo
from cortex.planning.commands import choose, command_named


@pytest.mark.parametrize(
    ("text", "name_like", "expected"),
    [
        ("dig", True, "dig"),
        ("mkfs.exfat", True, "mkfs.exfat"),
        ("the convert command", False, "convert"),
        ("the command convert", False, "convert"),
        ("the `dig` binary", False, "dig"),
        ("an executable pg_ctl", False, "pg_ctl"),
        ("the editor program", False, None),  # a described need
        ("a pdf tool", False, None),
        ("something to edit PDFs", False, None),
        ("image editor", True, None),  # two words: not one command
    ],
)
def test_command_named(text, name_like, expected):
    assert command_named(text, name_like) == expected


def provider(package, match=EXACT, on_path=True):
    return CommandProvider(package, f"/usr/bin/{package}", package, match, on_path)


def test_choose_by_priority_then_popularity_then_exact_name():
    infos = {
        "a": PackageInfo("a", "1", "", priority="optional", references=5),
        "b": PackageInfo("b", "1", "", priority="important", references=1),
        "c": PackageInfo("c", "1", "", priority="optional", references=50, source="c-src"),
        "d": PackageInfo("d", "1", "", priority="optional", references=5),
    }
    ranked = choose([provider("a"), provider("b"), provider("c"), provider("d", ALTERNATIVE)], infos)
    assert [p.package for p in ranked] == ["b", "c", "a", "d"]


def test_popularity_counts_through_the_project_s_main_package():
    """imagemagick-6.q16 (2 references) is referred to through imagemagick (139)."""
    infos = {
        "imagemagick-6.q16": PackageInfo("imagemagick-6.q16", "1", "", references=2, source="imagemagick"),
        "gm-compat": PackageInfo("gm-compat", "1", "", references=17, source="graphicsmagick"),
    }
    candidates = [provider("gm-compat"), provider("imagemagick-6.q16", ALTERNATIVE)]
    assert [p.package for p in choose(candidates, infos)] == ["gm-compat", "imagemagick-6.q16"]
    ranked = choose(candidates, infos, {"imagemagick": 139, "graphicsmagick": 30})
    assert [p.package for p in ranked] == ["imagemagick-6.q16", "gm-compat"]


def test_choose_prefers_path_and_drops_unknown_packages():
    infos = {"x": PackageInfo("x", "1", ""), "y": PackageInfo("y", "1", "")}
    ranked = choose([provider("x", on_path=False), provider("y"), provider("ghost")], infos)
    assert [p.package for p in ranked] == ["y"]
    only_outside = choose([provider("x", on_path=False)], infos)
    assert [p.package for p in only_outside] == ["x"]


def test_a_need_that_is_only_a_command_no_package_ships():
    from cortex.planning.floor import unshipped_command

    digikam = PackageInfo("digikam", "1", "digital photo management application")
    assert unshipped_command("the dig tool", digikam)  # a word match on the command's name
    assert not unshipped_command("the dig tool", digikam, ships="dig")  # Contents say it ships it
    assert not unshipped_command("the dig tool", PackageInfo("dig", "1", "dns lookup"))  # named like it
    assert not unshipped_command("the dig tool for dns lookups", digikam)  # more than the command
    assert not unshipped_command("a photo manager", digikam)  # names no command
    assert unshipped_command("the free command", PackageInfo("freeradius", "1", "RADIUS server"))
    from cortex.packages.query import analyse

    assert analyse("the free command").raw_words == ("free",)  # the command, not the word "command"


def test_without_contents_a_named_command_is_the_package_named_like_it(tmp_path):
    from cortex import plan as P
    from cortex.packages.apt import AptManager
    from cortex.planner import Planner
    from tests.index_helpers import index_of

    records = [
        PackageInfo("at", "1", "Delayed job execution and batch processing", section="admin"),
        PackageInfo("digikam", "1", "digital photo management application", section="graphics"),
        PackageInfo("bind9-dnsutils", "1", "Clients provided with BIND 9", section="net"),
        *(PackageInfo(f"filler{i}", "1", f"filler command number {i}", section="utils") for i in range(50)),
    ]
    with index_of(records, tmp_path) as idx:
        planner = Planner(idx, AptManager(), use_model=False)
        plan = planner.plan("the at command")
        assert plan.packages == ("at",) and plan.chosen[0].backend == "exact"
        assert planner.plan("the dig tool").status == P.UNRESOLVED  # not digikam
        # a well-known name of the command (aliases.yaml: dig -> bind9-dnsutils)
        plan = planner.plan("i need the dig command")
        assert plan.packages == ("bind9-dnsutils",) and plan.chosen[0].backend == "alias"
