"""Pure tests of stacks, compositions, the relevance floor, model proposals and the terminal choice,
with the planner over the in-memory FakeIndex of tests/test_planner.py."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from cortex import plan as P
from cortex.cli import choose
from cortex.packages import priors
from cortex.planning import floor, stacks
from cortex.planning.split import heading_list, pieces
from tests.scripted import reply
from tests.test_planner import PACKAGES, Info, model_router, planner

EXTRA = [
    Info("apache2", "Apache HTTP Server"),
    Info("mariadb-server", "MariaDB database server"),
    Info("libapache2-mod-php", "server-side, HTML-embedded scripting language (Apache 2 module)"),
    Info("php", "server-side, HTML-embedded scripting language"),
    Info("php-cli", "command-line interpreter for the PHP scripting language"),
    Info("composer", "dependency manager for PHP"),
    Info("php-xdebug", "Xdebug Module for PHP"),
    Info("screen", "terminal multiplexer with VT100/ANSI terminal emulation"),
    Info("less", "pager program similar to more"),
    Info("at", "Delayed job execution and batch processing"),
    Info("certbot", "automatically configure HTTPS using Let's Encrypt"),
    Info("vim", "Vi IMproved - enhanced vi editor"),
    Info("vim-addon-manager", "manager of addons for the Vim editor"),
    Info("xfce4-power-manager-plugins", "power manager plugins for the Xfce panel"),
    Info("check", "unit test framework for C"),
    Info("e2fsprogs", "ext2/ext3/ext4 file system utilities"),
    Info("gcc-arm-none-eabi", "GCC cross compiler for ARM Cortex-R/M processors"),
    Info("openocd", "Open on-chip JTAG debug solution for embedded target devices"),
    Info("python3-requests", "elegant and simple HTTP library for Python3, built for human beings"),
    Info("request-tracker4", "extensible trouble-ticket tracking system"),
]


def compose_planner(router=None, relevance_floor=0.0, **kw):
    return planner(router, relevance_floor, packages=[*PACKAGES, *EXTRA], **kw)


# -- splitting ---------------------------------------------------------------------------------
def test_pieces_cut_at_every_separator():
    assert pieces("php development with composer and xdebug") == ["php development", "composer", "xdebug"]
    assert pieces("embedded dev for stm32: arm compiler, openocd and a debugger") == [
        "embedded dev for stm32",
        "arm compiler",
        "openocd",
        "a debugger",
    ]


@pytest.mark.parametrize(
    ("request_", "packages"),
    [("make", ("make",)), ("less", ("less",)), ("at", ("at",)), ("screen, make and less", ("screen", "make", "less"))],
)
def test_ordinary_words_that_are_package_names_stay_names(request_, packages):
    plan = compose_planner().plan(request_)
    assert plan.status == P.PLANNED and plan.packages == packages


# -- stacks ------------------------------------------------------------------------------------
def test_a_heading_then_a_colon_then_parts():
    assert heading_list("arm toolchain: compiler, c library and openocd") == (
        "arm toolchain",
        ["compiler", "c library", "openocd"],
    )
    assert heading_list("nginx: the web server") is None  # one part: no list
    assert heading_list("note: a b c") is None
    assert heading_list("a tool to convert images and resize them") is None  # no heading


def test_a_heading_is_no_extra_part_of_the_stack_its_parts_name():
    match = stacks.find("my shop online: a LAMP stack and composer")
    assert match is not None and match.stack.key == "lamp" and match.extras == ("composer",)
    # without the colon, the first piece is a part of its own
    assert stacks.find("my shop online, a LAMP stack and composer").extras == ("my shop online", "composer")


def test_a_named_stack_plans_each_component_with_why():
    plan = compose_planner().plan("a LAMP stack")
    assert plan.status == P.PLANNED and plan.backend == "stack"
    assert plan.packages[:3] == ("apache2", "mariadb-server", "libapache2-mod-php")
    assert all(c.why.startswith("LAMP stack") for c in plan.chosen)
    # php-mysql is not in this index: left out and said so, never invented
    assert "php-mysql" not in plan.packages and any("php-mysql" in n for n in plan.notes)


def test_a_stack_with_extras_resolves_them_in_its_ecosystem():
    plan = compose_planner().plan("php development with composer and xdebug")
    assert plan.packages == ("php-cli", "composer", "php-xdebug")


def test_a_word_of_a_stack_inside_another_need_is_not_the_stack():
    assert stacks.find("slice 3d models for my 3d printer") is None
    assert stacks.find("a printing setup with drivers for my printer").stack.key == "printing"


def test_stack_words_may_come_in_any_order_and_the_longest_phrase_wins():
    match = stacks.find("django development with a postgres database")
    assert match is not None and match.stack.key == "django-postgres" and match.extras == ()


def test_a_piece_that_names_the_stack_by_another_of_its_phrases_is_the_stack():
    # "apache postgres php" is the longest phrase here; "a lapp stack" names the same stack, no extra.
    match = stacks.find("a lapp stack with apache, postgres and php")
    assert match.stack.key == "lapp" and match.extras == ()


def test_a_stacks_ecosystem_is_named_by_its_own_words_not_generic_ones():
    python = next(s for s in stacks.stacks() if s.key == "python-dev")
    assert "python" in python.ecosystem_words
    assert not {"development", "dev", "programming", "environment"} & set(python.ecosystem_words)
    assert "development" in python.head_words  # still a word of its phrases when matching


def test_every_stack_entry_is_well_formed():
    table = stacks.stacks()
    assert len({s.key for s in table}) == len(table)
    for s in table:
        assert s.phrases and s.components and all(c.packages and c.why for c in s.components)


def test_a_named_program_with_a_need_in_its_ecosystem():
    idx = {"searches": {"certbot for https": [("certbot", 8.0)]}}
    plan = compose_planner(**idx).plan("nginx with certbot for https")
    assert plan.packages == ("nginx", "certbot")


def test_a_name_with_its_purpose_is_that_name():
    # No search at all: "certbot for https" names certbot, whatever "https" would find.
    assert compose_planner().plan("nginx with certbot for https").packages == ("nginx", "certbot")


def test_a_program_with_a_described_need_resolves_the_need_in_its_ecosystem():
    searches = {
        "a plugin manager": [("xfce4-power-manager-plugins", 9.0)],
        "vim a plugin manager": [("xfce4-power-manager-plugins", 9.0), ("vim", 8.5), ("vim-addon-manager", 8.0)],
    }
    plan = compose_planner(searches=searches).plan("vim with a plugin manager")
    assert plan.packages == ("vim", "vim-addon-manager")


def test_a_verb_joined_by_and_is_no_program_with_a_need():
    searches = {"check and repair a broken filesystem": [("e2fsprogs", 5.0)]}
    plan = compose_planner(searches=searches).plan("check and repair a broken filesystem")
    assert plan.packages == ("e2fsprogs",)  # not `check` (a C unit test framework) plus a need


def test_ecosystem_membership():
    from cortex.planning.compose import _belongs

    assert _belongs(Info("python3-redis", "Persistent key-value database (Python 3 library)"), ["redis"])
    assert _belongs(Info("texmaker", "cross-platform LaTeX editor"), ["latex"])
    assert _belongs(Info("vim-addon-manager"), ["vim"])
    assert not _belongs(Info("gedit", "official text editor of the GNOME desktop environment"), ["latex"])
    assert not _belongs(Info("vim", "Vi IMproved"), ["vim"])  # the program itself is not what goes with it


# -- relevance floor ---------------------------------------------------------------------------
def test_a_weak_best_candidate_is_unresolved_with_its_candidates():
    # neither candidate's name or summary covers "gizmo" or "quasar"
    idx = {"searches": {"a gizmo for my quasar": [("gimp", 2.0), ("krita", 1.5)]}}
    plan = compose_planner(relevance_floor=0.40, **idx).plan("a gizmo for my quasar")
    assert plan.status == P.UNRESOLVED and plan.packages == ()
    assert [c.name for c in plan.candidates] == ["gimp", "krita"]
    assert any("`gimp`" in s for s in plan.suggestions)
    assert plan.to_dict()["candidates"][0]["name"] == "gimp"


def test_an_unresolved_need_on_an_index_of_summaries_says_how_to_give_it_more_to_read():
    idx = {"searches": {"a gizmo for my quasar": [("gimp", 2.0), ("krita", 1.5)]}}
    described = compose_planner(relevance_floor=0.40, **idx)
    described.index.has_descriptions = True
    assert floor.RICHER_INDEX not in described.plan("a gizmo for my quasar").suggestions
    summaries = compose_planner(relevance_floor=0.40, **idx)
    summaries.index.has_descriptions = False
    assert summaries.plan("a gizmo for my quasar").suggestions[-1] == floor.RICHER_INDEX


def test_a_clear_fit_is_planned_with_its_fit_as_confidence():
    idx = {"searches": {"an image manipulation program": [("gimp", 8.0), ("krita", 4.0)]}}
    plan = compose_planner(relevance_floor=0.40, **idx).plan("an image manipulation program")
    assert plan.status == P.PLANNED and plan.packages == ("gimp",)  # "GNU Image Manipulation Program"
    gimp = next(i for i in PACKAGES if i.name == "gimp")
    assert plan.confidence == floor.fit("an image manipulation program", gimp) == 0.85  # summary words


def test_fit_is_the_share_of_the_need_the_package_covers():
    gimp = Info("gimp", "GNU Image Manipulation Program")
    assert floor.fit("image manipulation", gimp) == 0.85  # all of it, in the summary
    assert floor.fit("gimp", gimp) == 1.0  # in the name
    assert 0.0 < floor.fit("image manipulation for my cat photos", gimp) < 1.0
    assert floor.fit("a thing", gimp) == 0.0
    assert floor.clears(0.5, 0.45) and not floor.clears(0.4, 0.45)


# -- model proposals ---------------------------------------------------------------------------
def test_model_proposals_are_verified_and_unknown_names_dropped_and_counted():
    """A verified proposal that covers nothing of the need is not planned: the index's ranking decides,
    and the model is asked nothing more."""
    router, cls = model_router("proposer", reply('{"packages": ["photoshop-pro-9", "sublime-music"]}'))
    idx = {"searches": {"an image editor": [("gimp", 5.0), ("geany", 4.0)]}}
    p = compose_planner(router, **idx)
    plan = p.plan("an image editor")
    assert plan.packages == ("gimp",) and plan.backend == "ranking" and len(cls.requests) == 1
    assert p.proposals_dropped == 1
    assert any("1 name(s)" in n for n in plan.notes) and "photoshop-pro-9" not in str(plan.to_dict())


def test_a_fitting_proposal_is_planned_without_asking_the_model_again():
    router, cls = model_router("proposer2", reply('{"packages": ["photoshop-pro-9", "gimp-data", "krita", "gimp"]}'))
    idx = {"searches": {"an image editor": [("gimp", 5.0), ("geany", 4.0)]}}
    p = compose_planner(router, **idx)
    plan = p.plan("an image editor")
    assert plan.status == P.PLANNED and plan.packages == ("krita",)  # the first verified program that fits
    assert plan.backend == "proposer2" and len(cls.requests) == 1 and p.proposals_dropped == 1
    assert plan.chosen[0].why.startswith("proposed by proposer2, verified in the index")


def test_a_transitional_proposal_is_its_replacement():
    router, _ = model_router("proposer3", reply('{"packages": ["pdftool"]}'))
    packages = [
        Info(
            "pdftool", "transitional package for pdftool-ng, a tool for merging PDF documents", depends=("pdftool-ng",)
        ),
        Info("pdftool-ng", "a tool for merging and splitting PDF documents"),
    ]
    searches = {"merge pdf documents": [("pdftool-ng", 1.0)]}
    plan = planner(router, packages=packages, searches=searches).plan("merge pdf documents")
    assert plan.packages == ("pdftool-ng",) and plan.backend == "proposer3"


# -- the terminal choice -----------------------------------------------------------------------
def test_choice_is_offered_only_in_a_terminal(monkeypatch):
    plan = P.Plan(
        request="x",
        status=P.UNRESOLVED,
        reason="Nothing clearly fits 'x'.",
        candidates=(P.PackageChoice("gimp", summary="GNU Image Manipulation Program"), P.PackageChoice("krita")),
    )
    asked = []

    def ask(question, labels):
        asked.append(labels)
        return labels[0]

    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    assert choose.offer(plan, SimpleNamespace(json=False, yes=False), ask) == "gimp"
    assert asked[0] == ["gimp: GNU Image Manipulation Program", "krita", choose.NONE_OF_THESE]
    assert choose.offer(plan, SimpleNamespace(json=True, yes=False), ask) == ""
    assert choose.offer(plan, SimpleNamespace(json=False, yes=True), ask) == ""
    assert choose.offer(plan, SimpleNamespace(json=False, yes=False), lambda q, labels: labels[-1]) == ""
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert choose.offer(plan, SimpleNamespace(json=False, yes=False), ask) == ""
    assert len(asked) == 1


# -- priors ------------------------------------------------------------------------------------
def test_curated_counts_count_blend_and_task_lists_only():
    counts = priors.curated_counts(
        [
            ("education-astronomy", ["stellarium", "kstars"]),
            ("science-astronomy", ["stellarium", "task-foo"]),
            ("stellarium-data", ["stellarium"]),  # not a blend
        ]
    )
    assert counts == {"stellarium": 2, "kstars": 1}


# -- words of a need are not package names -----------------------------------------------------
def test_a_word_of_a_longer_need_gets_no_name_bonus():
    from cortex.packages.ranking import analyse, name_signal

    assert name_signal(analyse("lint my bash scripts"), "bash")[0] <= 0
    assert name_signal(analyse("plot data from a csv file"), "file")[0] <= 0
    assert name_signal(analyse("bash"), "bash")[0] > 0  # the whole request is the name


def test_the_head_of_a_need_is_what_comes_before_its_purpose():
    from cortex.packages.query import analyse

    assert analyse("a wiki for my team").head == frozenset({"wiki"})
    assert analyse("an image editor").head == frozenset()  # no purpose: every word counts the same
    assert "mak" not in analyse("software for making beats").words  # "making" is not `make`


def test_optional_components_come_only_when_the_request_names_them():
    bare = stacks.find("a mail server")
    full = stacks.find("a mail server with imap and spam filtering")
    assert [c.role for c in bare.components] == ["smtp server"]
    assert {"imap server", "spam filtering"} <= {c.role for c in full.components}


def test_a_later_name_is_tried_in_the_first_names_ecosystem():
    plan = compose_planner().plan("php with composer and xdebug")  # xdebug -> php-xdebug, not composer-xdebug
    assert plan.status == P.PLANNED and plan.packages == ("php", "composer", "php-xdebug")


@pytest.mark.parametrize(
    ("request_", "key"),
    [
        ("perl development", "perl-dev"),
        ("a lua programming environment", "lua-dev"),
        ("a tor relay", "tor-relay"),
        ("a file server for my home network", "file-server"),
        ("stm32 development with openocd", "embedded-arm"),
        ("a docker host", "docker-host"),
        ("music production software", "audio-production"),
        ("a flask app", "flask-dev"),
        ("python data analysis libraries", "data-science"),
        ("android app development", "android-dev"),
        ("a pxe boot server", "pxe-server"),
        ("a git server for my team", "git-server"),
        ("a media server for my tv", "media-server"),
        ("a central backup server", "backup-server"),
        ("a ci server", "ci-server"),
        ("machine learning in python", "machine-learning"),
        ("an ansible control node", "ansible-control"),
        ("avr development", "avr-dev"),
        ("fpga development with verilog", "fpga-dev"),
        ("web scraping with python", "web-scraping"),
        ("selenium browser automation in python", "browser-automation"),
        ("network troubleshooting tools", "network-diagnostics"),
        ("a central log server", "log-server"),
        ("a samba active directory domain controller", "samba-ad"),
    ],
)
def test_well_known_setups_are_stacks(request_, key):
    match = stacks.find(request_)
    assert match is not None and match.stack.key == key


def roles(request_: str) -> set[str]:
    """The roles of the components the stack a request names gets."""
    match = stacks.find(request_)
    assert match is not None
    return {c.role for c in match.components}


def test_an_hdl_setup_gets_the_simulator_of_the_language_it_names():
    assert roles("verilog simulation") == {"verilog simulator", "waveform viewer"}
    assert roles("vhdl simulation") == {"vhdl simulator", "waveform viewer"}
    assert {"synthesis", "verilog simulator"} <= roles("fpga development with verilog")


@pytest.mark.parametrize(
    "request_", ["a log viewer", "collect logs from my containers", "a web crawler to mirror a site", "fpga"]
)
def test_a_need_that_only_touches_a_setups_words_is_not_the_setup(request_):
    match = stacks.find(request_)
    assert match is None or match.stack.key not in ("log-server", "web-scraping", "fpga-dev")


def test_an_optional_component_of_a_setup_needs_its_word():
    assert "printer sharing" not in roles("a file server")
    assert "printer sharing" in roles("a file server that also shares my printer")
    assert "monitor" in roles("a tor relay and something to monitor it")
    assert "synthesizer" not in roles("a home recording studio")
    assert "synthesizer" in roles("a home music studio with jack, a daw and a synth")


@pytest.mark.parametrize(
    ("request_", "named"),
    [
        ("julia programming", "julia"),
        ("a clojure dev environment", "clojure"),
        ("arduino development", "arduino"),
        ("kotlin toolchain", "kotlin"),
        ("game programming in c", None),  # two things besides the development word
        ("python", None),  # no development word
        ("a development environment", None),  # nothing named
    ],
)
def test_a_development_request_names_one_thing(request_, named):
    assert stacks.language_named(request_) == named


def test_a_development_package_is_a_toolchains_section_or_tagged_as_one():
    assert stacks.is_development_package("devel", ())
    assert stacks.is_development_package("universe/interpreters", ())
    assert stacks.is_development_package("misc", ("devel::compiler", "role::program"))
    assert not stacks.is_development_package("misc", ("role::program", "interface::text-mode"))  # screen


@pytest.mark.parametrize(
    "request_", ["backup my server", "a music player that uses machine learning", "a git client", "a media player"]
)
def test_a_setups_words_in_another_need_are_not_the_setup(request_):
    assert stacks.find(request_) is None


def test_deep_learning_adds_its_library_to_machine_learning():
    assert "deep learning" not in roles("machine learning in python")
    assert "deep learning" in roles("deep learning with python")


@pytest.mark.parametrize("request_", ["nginx with discord", "nginx with discord for chat"])
def test_software_the_archive_lacks_beside_a_program_is_said_so_never_a_look_alike(request_):
    plan = compose_planner().plan(request_)
    assert plan.status == P.UNRESOLVED and plan.packages == ()
    assert "Discord is not in the distribution's archive" in plan.reason
    assert not {"purple-discord", "python3-discord"} & {c.name for c in plan.chosen}
    assert any("cortex install nginx" in s for s in plan.suggestions)  # the rest resolves, and it says so


@pytest.mark.parametrize("request_", ["nginx with some plugins", "nginx with extensions", "nginx with a library"])
def test_a_program_with_things_of_no_particular_kind_asks_which(request_):
    plan = planner().plan(request_)
    assert plan.status == P.UNRESOLVED and "no particular one" in " ".join((plan.reason, *plan.suggestions))


@pytest.mark.parametrize(
    ("request_", "key", "packages"),
    [
        ("a penetration testing toolkit", "pentest", ["nmap", "wireshark", "john"]),
        ("pentesting tools for wifi", "pentest", ["nmap", "wireshark", "john", "aircrack-ng"]),
        ("digital forensics tools", "forensics", ["sleuthkit", "autopsy", "foremost"]),
        ("ham radio software for satellites", "ham-radio", ["fldigi", "wsjtx", "gpredict"]),
        ("astronomy software", "astronomy", ["stellarium", "kstars"]),
        ("3d printing software to design models", "3d-printing", ["cura", "openscad"]),
        ("a tex setup", "latex", ["texlive-latex-recommended"]),
    ],
)
def test_setups_of_a_field_are_stacks_with_their_optional_parts(request_, key, packages):
    found = stacks.find(request_)
    assert found is not None and found.stack.key == key and not found.extras
    assert [c.packages[0] for c in found.components] == packages


@pytest.mark.parametrize("request_", ["a latex editor", "a 3d modelling program", "a radio player", "a star chart"])
def test_one_program_of_a_field_is_no_stack(request_):
    assert stacks.find(request_) is None
