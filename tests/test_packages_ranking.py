"""Pure ranking: request analysis, word forms, and the signals that order candidates."""

from __future__ import annotations

import pytest

from cortex.packages import names
from cortex.packages.ranking import (
    analyse,
    coverage,
    forms,
    index_forms,
    name_signal,
    rank,
    stem,
    words_match,
    words_of,
)
from cortex.packages.records import PackageInfo


def pkg(name: str, summary: str = "", **kw) -> PackageInfo:
    return PackageInfo(name=name, version="1.0", summary=summary, **kw)


def test_words_of_keeps_plus_and_joins_io():
    assert words_of("g++ and C++") == ["g++", "and", "c++"]
    assert words_of("simple top-like I/O monitor") == ["simple", "top", "like", "io", "monitor"]


def test_c_sharp_and_f_sharp_are_the_languages_not_the_letters():
    assert words_of("C# development and an F# compiler") == ["csharp", "development", "and", "an", "fsharp", "compiler"]
    assert words_of("abc#def") == ["abc", "def"]  # only a word that is the letter itself


@pytest.mark.parametrize(("word", "expected"), [("PDFs".lower(), "pdf"), ("editing", "edit"), ("libraries", "library"),
                                                 ("boxes", "box"), ("glass", "glass"), ("is", "is")])  # fmt: skip
def test_stem(word, expected):
    assert stem(word) == expected


def test_related_forms_but_not_bare_prefixes():
    assert words_match("edit", "editor")
    assert words_match("compress", "compression")
    assert words_match("archive", "archiver")
    assert words_match("measure", stem("measuring"))
    assert not words_match("photoshop", "photo")
    assert not words_match("screenshot", "screen")
    assert "python3" in forms("python")
    assert "measuring" in index_forms("measure") and "files" in index_forms("file")


def test_a_final_e_gives_way_to_a_vowel_ending():
    # rotate ~ rotation ("log rotation utility"), generate ~ generator, both ways.
    assert words_match("rotate", "rotation") and words_match("rotation", "rotate")
    assert words_match("generate", "generator") and words_match("generate", "generation")
    assert words_match("compile", "compilation")
    assert not words_match("rotate", "rotor") and not words_match("note", "nation")


def test_comparatives_meet_their_adjective():
    # "something safer than rm": safe-rm; "a pomodoro timer": a timer is a time tool, both ways.
    assert words_match("safer", "safe") and words_match("safe", "safer")
    assert words_match("nicer", "nice") and words_match("timer", "time")
    assert not words_match("user", "us") and not words_match("paper", "pap")


def test_two_joined_words_of_a_longer_need_name_no_program():
    # Like one word of it: "send a file to another computer" is not a request for `sendfile`.
    assert name_signal(analyse("send a file to another computer"), "sendfile")[0] == 0.0
    assert name_signal(analyse("check the health of my disks"), "health-check")[0] == 0.0
    assert name_signal(analyse("system monitor"), "system-monitor")[0] == 3.0  # the whole request: named


def test_what_a_need_is_packaged_as_is_no_word_of_it():
    # "a video editing setup": kdenlive's summary says nothing of a setup, nor should it.
    assert analyse("a video editing setup").words == analyse("video editing").words
    assert analyse("a penetration testing toolkit").words == analyse("penetration testing").words


def test_prepositions_are_no_words_of_the_need():
    # "run containers without root": a summary that says "without" ("meant to be run without root")
    # matches nothing the need asks for.
    assert analyse("run containers without root").words == ("container", "root")
    assert "against" not in analyse("play go against the computer").words
    infos = [
        pkg("weborf", "webserver meant to be run without root"),
        pkg("rootlesskit", "fake root for rootless containers"),
    ]
    assert rank(analyse("run containers without root"), infos, idf={})[0].name == "rootlesskit"


def test_analyse_drops_stop_words_and_keeps_intent():
    q = analyse("I want a tool to edit PDFs in the terminal")
    assert q.raw_words == ("edit", "pdfs")
    assert q.words == ("edit", "pdf")
    assert q.interface == "commandline"
    assert "use::editing" in q.use_tags
    assert analyse("a terminal").raw_words == ("terminal",)  # alone, the style word is the subject
    assert analyse("python data analysis libraries").kinds >= {"python", "library"}
    assert analyse("a gui to browse sqlite databases").interface == "graphical"
    assert "bittorrent" in analyse("a torrent client").expansions["torrent"]


def test_name_guesses_join_adjacent_words():
    assert analyse("web server").name_guesses == ("web", "server", "web-server", "webserver", "server-web")


def test_name_signal():
    q = analyse("redis")
    assert name_signal(q, "redis")[0] == 3.0
    assert name_signal(q, "redis-server")[0] > 2
    assert name_signal(q, "freeradius-redis")[0] == 0
    assert name_signal(analyse("screen recorder"), "screen")[0] < name_signal(analyse("screen"), "screen")[0]


def test_a_package_providing_a_name_of_two_words_of_the_need_is_named_by_it():
    q = analyse("nfs server")
    assert name_signal(q, "nfs-kernel-server", ("knfs", "nfs-server"))[0] == names.PROVIDES_BONUS
    assert name_signal(q, "nfs-ganesha")[0] == names.PREFIX_NAME_BONUS  # only named like a word
    kernel = pkg("nfs-kernel-server", "support for NFS kernel server", provides=("nfs-server",))
    ganesha = pkg("nfs-ganesha", "NFS server in User Space")
    assert rank(q, [ganesha, kernel], idf={})[0].name == "nfs-kernel-server"
    # Made of context words it is no name for the need: "a backup tool for my nfs server".
    assert name_signal(analyse("a backup tool for my nfs server"), "nfs-kernel-server", ("nfs-server",))[0] < 1


def test_command_options_in_a_need_are_not_words():
    assert analyse("something safer than rm -rf that sends files to the trash").words == (
        "safer", "rm", "send", "file", "trash",
    )  # fmt: skip
    assert analyse("ls --color for e-mail and x-window").raw_words == ("ls", "email", "x", "window")


def test_a_name_joined_from_words_of_the_context_counts_less():
    # "time machine" is what the backup tool is like, not `timemachine` (an audio recorder).
    like = analyse("a system backup tool like time machine")
    assert name_signal(like, "timemachine")[0] == pytest.approx(3.0 * names.CONTEXT_NAME_SHARE)
    # Joined from a word of the head, it keeps its whole bonus: "a gui for git" is git-gui.
    assert name_signal(analyse("a gui for git"), "git-gui")[0] == 3.0
    assert name_signal(analyse("a time machine"), "timemachine")[0] == 3.0  # a short need: the name


def test_programs_beat_libraries_documentation_and_transitional_packages():
    q = analyse("pdf viewer")
    infos = [
        pkg("libpdfview-dev", "PDF viewer library - development files", section="libdevel"),
        pkg("pdfview-doc", "PDF viewer documentation", section="doc"),
        pkg("oldpdfview", "transitional package"),
        pkg("pdfview", "simple PDF viewer", tags=("role::program", "use::viewing")),
        pkg("python3-pdfview", "Python bindings for a PDF viewer"),
    ]
    ranked = rank(q, infos, idf={})
    assert ranked[0].name == "pdfview"
    assert any(r.startswith("demoted") for r in ranked[-1].reasons)


def test_library_requests_keep_libraries():
    q = analyse("python pdf library")
    infos = [pkg("python3-pdfview", "Python library for PDF files"), pkg("pdfview", "PDF viewer program")]
    assert rank(q, infos, idf={})[0].name == "python3-pdfview"


def test_interface_preference_and_task_membership():
    infos = [
        pkg("tplayer", "audio player", tags=("interface::commandline", "role::program")),
        pkg("gplayer", "audio player", tags=("interface::x11", "role::program")),
    ]
    assert rank(analyse("audio player for the terminal"), infos, idf={})[0].name == "tplayer"
    assert rank(analyse("graphical audio player"), infos, idf={})[0].name == "gplayer"
    web = [pkg("webthing", "web server"), pkg("apache2", "Apache HTTP Server")]
    ranked = rank(analyse("a web server"), web, idf={}, task_members={"apache2": "task-web-server"})
    assert "part of task-web-server" in ranked[[c.name for c in ranked].index("apache2")].reasons


def test_the_other_interface_outweighs_a_closer_text_match():
    # "a graphical git client": the command-line program covers the need's words better (its name is
    # one of them, and much depends on it), but the graphical front end is what was asked for.
    infos = [
        pkg("git", "git revision control client", tags=("interface::commandline", "role::program"), references=20),
        pkg("giggle", "GTK+ frontend for git", tags=("interface::x11", "role::program")),
    ]
    assert rank(analyse("a graphical git client"), infos, idf={})[0].name == "giggle"
    assert rank(analyse("a git client"), infos, idf={})[0].name == "git"  # no interface asked: unchanged


def test_rare_words_weigh_more():
    q = analyse("rar archive")
    infos = [pkg("unrarish", "extract rar files"), pkg("archiver", "archive manager")]
    ranked = rank(q, infos, idf={"rar": 5.0, "archive": 0.5})
    assert ranked[0].name == "unrarish"


def test_rank_is_deterministic_and_limited():
    infos = [pkg(f"tool{i}", "same words") for i in range(30)]
    a = [c.name for c in rank(analyse("same words"), infos, idf={}, limit=5)]
    assert a == [c.name for c in rank(analyse("same words"), list(reversed(infos)), idf={}, limit=5)]
    assert len(a) == 5


def test_plugins_are_demoted_in_the_plural_too():
    infos = [
        pkg("monitoring-plugins-basic", "Plugins for nagios compatible monitoring systems"),
        pkg("sysmon", "system resource monitor"),
    ]
    ranked = rank(analyse("system monitor"), infos, idf={})
    assert ranked[0].name == "sysmon"
    assert "demoted: a plugin" in ranked[1].reasons


def test_a_component_for_a_server_is_no_server():
    infos = [
        pkg("jabber-muc", "Multi User Conference component for the Jabber IM server"),
        pkg("prosody", "Lightweight Jabber/XMPP server"),
    ]
    ranked = rank(analyse("a jabber server"), infos, idf={})
    assert ranked[0].name == "prosody" and "demoted: a plugin" in ranked[1].reasons


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("something to convert images with the convert command", ("convert",)),
        ("I need the dig tool for dns lookups", ("dig",)),
        ("a package that provides pdftotext", ("pdftotext",)),
        ("a tool like htop", ("htop",)),
        ("a tool to format disks with mkfs.exfat", ("mkfs.exfat",)),
        ("look names up with `dig`", ("dig",)),
        ("the at command", ("at",)),
        ("schedule jobs with `at`", ("at",)),
        # Everyday words that are also commands name nothing unless the need marks them.
        ("a tool to make backups", ()),
        ("check the time on the screen", ()),
        ("a file manager that shows less clutter", ()),
        ("convert images between formats on the command line", ()),
        ("run a command at a given time", ()),
        ("python3 libraries for mp3 tags", ()),
        ("edit binary files in hex", ()),
        ("the only tool that syncs phones", ()),
        ("memory usage with the free command", ("free",)),
        ("I need the pg_dump binary", ("pg_dump",)),
        ("a dock like the one on macos", ()),
        ("something that provides a web interface", ()),
    ],
)
def test_commands_a_need_names(text, expected):
    assert analyse(text).commands == expected


def test_marking_words_leave_the_need():
    q = analyse("a package that provides pdftotext")
    assert q.words == ("pdftotext",)
    assert analyse("something that provides a web interface").words == ("provide", "web", "interface")


def test_a_package_that_ships_the_named_command_leads():
    q = analyse("I need the dig tool for dns lookups")
    dnsutils = pkg("bind9-dnsutils", "Clients provided with BIND 9", references=40)
    digikam = pkg("digikam", "digital photo management application", references=10, tags=("role::program",))
    idf = {"dig": 3.0, "dns": 2.0, "lookup": 2.0}
    assert rank(q, [dnsutils, digikam], idf=idf)[0].info.name == "digikam"  # no Contents: the old guess
    ranked = rank(q, [dnsutils, digikam], idf=idf, shipped={"bind9-dnsutils": "dig"})
    assert ranked[0].info.name == "bind9-dnsutils"
    assert ranked[0].ships == "dig" and "ships the command dig" in ranked[0].reasons
    assert not ranked[1].ships


def test_clitics_and_function_words_are_not_words_of_a_need():
    assert words_of("it's my app's log, doesn't it") == ["it", "my", "app", "log", "does", "it"]
    q = analyse("make the screen warmer at night so it's easier on the eyes")
    assert "s" not in q.raw_words and "on" not in q.raw_words  # YAML once read the stop word `on` as true
    assert analyse("find out where my c program spends its time").raw_words == ("find", "c", "spends", "time")


def test_two_words_that_mean_one_are_joined():
    assert analyse("back up my home folder").raw_words == ("backup", "home", "folder")
    assert analyse("log in with ssh keys").raw_words[0] == "login"
    assert "back" in analyse("a tool to back").raw_words  # stop words alone are still searched for
    # "by mistake" says how it happened, as "accidentally" does: no word of the need.
    assert analyse("restore files i deleted by mistake").raw_words == ("restore", "files", "deleted")
    assert analyse("undelete a photo removed by accident").raw_words == ("undelete", "photo", "removed")


def test_a_synonym_that_is_another_word_of_the_need_is_not_an_expansion():
    q = analyse("a honeypot that traps ssh attackers")
    assert all("attacker" not in syns for syns in q.expansions.values())


def test_one_synonym_covers_one_word_of_the_need():
    q = analyse("make the screen warmer at night")  # screen, warmer and night all expand to "color"
    colourful = pkg("tree", "displays an indented directory tree, in color")
    right = pkg("redshift", "Adjusts the color temperature of your screen")
    wrong, covered = coverage(q, colourful, {})
    fit, _ = coverage(q, right, {})
    assert not {"warmer", "night"} <= set(covered)
    assert wrong < fit / 2


def test_a_context_word_of_a_longer_need_names_no_program():
    q = analyse("mount a folder from another machine over ssh")
    assert name_signal(q, "ssh-tools")[0] == names.ONE_WORD_OF_NEED < name_signal(analyse("ssh tools"), "ssh-tools")[0]
    head = analyse("ssh tools to mount a remote folder")  # the head's own words name it
    assert name_signal(head, "ssh-tools")[0] > name_signal(q, "ssh-tools")[0]


def test_a_name_made_from_one_word_of_a_longer_need_counts_like_that_word():
    # "design a pcb for ...": pcb-gtk is no more named by the need than `pcb` is; nor rename-flac by "rename".
    q = analyse("design a pcb for my electronics project")
    assert name_signal(q, "pcb-gtk")[0] == name_signal(q, "pcb")[0] == names.ONE_WORD_OF_NEED
    assert (
        name_signal(analyse("rename a bunch of files at once with a regex"), "rename-flac")[0] == names.ONE_WORD_OF_NEED
    )
    assert name_signal(analyse("redis"), "redis-server")[0] > 2  # a short request still names it
    assert name_signal(analyse("pcb design"), "pcb-gtk")[0] > 2


def test_a_blend_metapackage_ranks_below_the_programs_it_lists():
    from cortex.packages.ranking import BLEND_LIST_PENALTY, score

    q = analyse("card games")
    blend = score(q, pkg("games-card", "Debian's card games", section="metapackages"), idf={})
    program = score(q, pkg("card-games", "Debian's card games", section="metapackages"), idf={})
    assert program.score - blend.score == pytest.approx(BLEND_LIST_PENALTY)
    assert any("blend" in r for r in blend.reasons)


def test_a_language_in_the_needs_context_asks_for_no_modules():
    assert "python" not in analyse("an ide for python beginners").kinds  # a program for Python
    assert "python" not in analyse("generate documentation for my python project").kinds
    assert "python" in analyse("python libraries for data analysis").kinds  # the head asks for modules
    assert "python" in analyse("python data analysis libraries").kinds  # no head/context split
    assert "ruby" in analyse("a ruby gem for parsing yaml").kinds


def test_the_asked_for_languages_module_is_named_after_the_needs_word():
    from cortex.packages.ranking import module_names

    q = analyse("redis a python client library")
    assert "python3-redis" in module_names(q) and "python3-python" not in module_names(q)
    assert name_signal(q, "python3-redis")[0] == names.MODULE_NAME_BONUS
    assert name_signal(q, "python3-django-redis")[0] < names.MODULE_NAME_BONUS
    assert module_names(analyse("a ruby gem for rack")) == ("ruby-rack",)  # "gem" says the language
    assert "libyaml-perl" in module_names(analyse("a perl module to parse yaml"))
    assert module_names(analyse("a tool to parse yaml")) == ()  # no language asked for


def test_a_kinds_well_known_member_is_covered_by_the_kind():
    q = analyse("lint my bash scripts")
    _, covered = coverage(q, pkg("shellcheck", "lint tool for shell scripts"), {})
    assert "bash" in covered  # bash is a shell, as the summary says
    _, covered = coverage(analyse("convert flac files"), pkg("soundconverter", "convert audio files"), {})
    assert "flac" in covered


def test_a_word_is_covered_by_the_use_debtag_it_maps_to():
    from cortex.packages.ranking import USE_TAG_STRENGTH, coverage

    q = analyse("listen to internet radio")
    assert "use::playing" in q.word_uses["listen"]
    tagged = pkg("streamtuner2", "Browser for Internet Radio Stations", tags=("use::playing",))
    untagged = pkg("streamtuner2", "Browser for Internet Radio Stations")
    with_tag, covered = coverage(q, tagged, {})
    without, not_covered = coverage(q, untagged, {})
    assert "listen" in covered and "listen" not in not_covered
    assert with_tag > without
    assert USE_TAG_STRENGTH < 0.85  # less than the word in the summary


@pytest.mark.parametrize(
    ("word", "other"),
    [("organise", "organize"), ("organis", "organiz"), ("analyze", "analyse"), ("colour", "color"),
     ("colors", "colours"), ("centre", "center"), ("modell", "model"), ("model", "modell")],
)  # fmt: skip
def test_british_and_american_spellings_are_one_word(word, other):
    from cortex.packages.query import spelling_variants

    assert other in spelling_variants(word)
    assert words_match(word, other)


def test_spelling_variants_leave_other_words_alone():
    from cortex.packages.query import spelling_variants

    for word in ("hour", "four", "detour", "quiz", "basis", "water", "after", "monitor", "editor", "size", "is"):
        assert spelling_variants(word) == ()
    # "a photo manager to organise my pictures": the summary's organizer covers it, in search and score.
    assert words_match(stem("organising"), stem("organizer"))
    assert "organizer" in index_forms("organise")


def test_a_need_verb_met_only_by_its_participle_counts_less():
    from cortex.packages.ranking import PARTICIPLE_SHARE, coverage

    q = analyse("encrypt a file")
    cracker = pkg("bruteforce-x", "find the passphrase of files encrypted with a cipher")
    tool = pkg("crypt-x", "encrypt files with a cipher")
    weak, covered = coverage(q, cracker, {})
    strong, _ = coverage(q, tool, {})
    assert "encrypt" in covered and weak < strong
    assert PARTICIPLE_SHARE < 1.0
    # A word the need itself has as a participle, and the long description's prose, are not discounted.
    assert coverage(analyse("encrypted backups"), pkg("b", "backups encrypted"), {})[0] == pytest.approx(0.85)
    described = pkg("c", "file tool", description="Files are encrypted with a cipher.")
    assert "encrypt" in coverage(q, described, {})[1]


def test_a_name_holding_only_a_relative_of_a_word_counts_as_a_summary_would():
    from cortex.packages.ranking import NAME_RELATIVE_STRENGTH, NAME_STRENGTH, coverage

    assert coverage(analyse("crack"), pkg("crack"), {})[0] == NAME_STRENGTH
    assert coverage(analyse("cracker"), pkg("crack"), {})[0] < NAME_STRENGTH
    assert coverage(analyse("editor"), pkg("edit"), {})[0] == pytest.approx(NAME_RELATIVE_STRENGTH)
    assert coverage(analyse("pick a color"), pkg("color-picker"), {})[0] < 1.0
    # "a text editor": a package named `edit` says of it what a summary saying "editor" would.
    q = analyse("hex editor")
    named, _ = coverage(q, pkg("edit", "hex tool"), {})
    said, _ = coverage(q, pkg("xy", "hex editor"), {})
    assert named == pytest.approx(said)


def test_the_first_of_two_words_names_no_program():
    # "an on screen keyboard" is a keyboard, not `screen`; "play sudoku" still names `sudoku`.
    assert name_signal(analyse("an on screen keyboard"), "screen")[0] == names.MODIFIER_NAME_BONUS
    assert name_signal(analyse("play sudoku"), "sudoku")[0] > names.MODIFIER_NAME_BONUS
    assert name_signal(analyse("screen"), "screen")[0] == 3.0  # the whole request


def test_a_style_word_alone_is_the_thing_or_nothing():
    terminal = analyse("a terminal")  # a terminal emulator, asked for by its name: no interface wanted
    assert terminal.words == ("terminal",) and terminal.interface == ""
    assert analyse("a gui").words == ()  # names nothing to search for
    assert analyse("a music player for the terminal").interface == "commandline"


def test_merging_is_no_comparing():
    # A diff tool's use::comparing tag says nothing of merging PDF files into one.
    differ = pkg("pdfdiffer", "compare two PDF files", tags=("use::comparing", "works-with-format::pdf"))
    _, covered = coverage(analyse("merge pdf files"), differ, {})
    assert "merge" not in covered and "pdf" in covered


def test_a_package_of_another_language_only_is_of_another_language():
    from cortex.packages.ranking import languages_named, other_language, package_languages

    rails = pkg("rails", "MVC ruby based framework geared for web application development", tags=("devel::lang:ruby",))
    django = pkg("python3-django", "High-level Python web development framework")
    universal = pkg("ctags-ish", "source code indexer for Python, Ruby and Perl")
    assert languages_named("a web framework for python") == {"python"}
    assert languages_named("a tool to go to the c drive") == frozenset()  # everyday words and letters
    assert package_languages(rails) == {"ruby"} and package_languages(django) == {"python"}
    assert other_language("a web framework for python", rails)
    assert not other_language("a web framework for python", django)
    assert not other_language("a code indexer for python", universal)
    assert not other_language("a web framework", rails)  # no language asked
    assert not other_language("a python debugger", pkg("gdb-ish", "the debugger"))  # no language said
