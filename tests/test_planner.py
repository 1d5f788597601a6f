"""The planner, pure given an index, a package manager and a router: splitting, exact names, aliases,
Provides, absent software, model choice through a scripted provider, ranking fallback, removals."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from cortex import plan as P
from cortex.config import Settings
from cortex.llm.router import LLMRouter
from cortex.llm.types import TaskType
from cortex.planner import Planner, check_removals, ranking_confidence, simulate
from cortex.planning.split import asked_name, is_name_like, split_request
from tests.scripted import reply, scripted


@dataclass(frozen=True)
class Info:
    name: str
    summary: str = ""
    version: str = "1.0-1"
    origin: str = "Debian"
    section: str = "utils"
    priority: str = "optional"
    provides: tuple[str, ...] = ()
    essential: bool = False
    download_size: int = 1000
    installed_size: int = 4000
    description: str = ""
    tags: tuple[str, ...] = ()
    depends: tuple[str, ...] = ()


@dataclass(frozen=True)
class Cand:
    info: Info
    score: float
    reasons: tuple[str, ...] = ()


PACKAGES = [
    Info("nginx", "small, powerful, scalable web/proxy server", section="httpd"),
    Info("curl", "command line tool for transferring data with URL syntax"),
    Info("wget", "retrieves files from the web"),
    Info("g++", "GNU C++ compiler"),
    Info("make", "utility for directing compilation"),
    Info("docker.io", "Linux container runtime"),
    Info("docker-compose", "define and run multi-container Docker applications"),
    Info("python3-pip", "Python package installer"),
    Info("postgresql", "object-relational SQL database (supported version)"),
    Info("redis-server", "Persistent key-value database with network interface"),
    Info("redis-tools", "Persistent key-value database with network interface (client)"),
    Info("exim4-daemon-light", "lightweight Exim MTA (v4) daemon", provides=("mail-transport-agent",)),
    Info("gimp", "GNU Image Manipulation Program", section="graphics"),
    Info("krita", "pixel-based image manipulation program", section="graphics"),
    Info("gimp-data", "data files for GIMP"),
    Info("purple-discord", "Discord messaging service plugin for libpurple"),
    Info("python3-discord", "API wrapper for Discord written in Python"),
    Info("geany", "fast and lightweight IDE"),
    Info("slack", "configuration management program for lazy admins"),
    Info("sublime-music", "native GTK *sonic client"),
    Info("libc6", "GNU C Library: Shared libraries", priority="required", essential=True),
]
ALIASES = {"docker": "docker.io", "postgres": "postgresql", "pip": "python3-pip", "pip3": "python3-pip"}


@dataclass
class FakeIndex:
    """An in-memory stand-in for PackageIndex with the same query methods."""

    packages: list[Info] = field(default_factory=lambda: list(PACKAGES))
    searches: dict[str, list[tuple[str, float]]] = field(default_factory=dict)

    def get(self, name):
        return next((p for p in self.packages if p.name == name), None)

    def resolve_term(self, term):
        key = term.lower().strip()
        for k in (key, key.replace(" ", "-")):
            if self.get(k):
                return [self.get(k)]
        if key in ALIASES:
            return [self.get(ALIASES[key])]
        return [p for p in self.packages if key in p.provides]

    def search(self, query, limit=20):
        if query in self.searches:
            return [Cand(self.get(n), s, ("text",)) for n, s in self.searches[query]][:limit]
        ws = query.lower().split()
        hits = [p for p in self.packages if any(w in p.name or w in p.summary.lower() for w in ws)]
        return [Cand(p, 10.0 - i) for i, p in enumerate(hits)][:limit]

    def suggest(self, term):
        return [p.name for p in self.packages if term.lower() in p.name][:3]


class FakeManager:
    name = "apt"

    def __init__(self, removed=()):
        self.removed = list(removed)
        self.simulated: list[list[str]] = []

    def valid_name(self, name):
        return bool(name) and not name.startswith("-")

    def install_argv(self, names):
        return ["apt-get", "install", "-y", *names]

    def simulate(self, names):
        self.simulated.append(list(names))
        return FakeSimulation(True, [(n, "1.0") for n in names], self.removed)


@dataclass(frozen=True)
class FakeSimulation:
    ok: bool
    new: list
    removed: list
    error: str = ""

    def to_dict(self):
        return {
            "ok": self.ok,
            "new": [{"name": n, "version": v} for n, v in self.new],
            "removed": [{"name": n, "version": v} for n, v in self.removed],
            "download_bytes": None,
            "disk_bytes": None,
        }


def planner(router=None, relevance_floor=0.0, **kw) -> Planner:
    # The fake scores are arbitrary: the floor is off unless a test is about it.
    return Planner(FakeIndex(**kw), FakeManager(), router, relevance_floor=relevance_floor)


def model_router(name, *answers):
    cls = scripted(name, *answers)
    flags = {"routing.tasks": {TaskType.PACKAGE_SELECTION.value: [name]}, "limits.backoff": 0.001}
    return LLMRouter(Settings.load(flags=flags)), cls


# -- splitting ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("request_", "parts"),
    [
        ("curl and wget", ["curl", "wget"]),
        ("g++ and make", ["g++", "make"]),
        ("docker with compose", ["docker", "compose"]),
        ("curl, wget and git", ["curl", "wget", "git"]),
        ("sudo apt-get install -y nginx", ["nginx"]),
        ("please install vim", ["vim"]),
        ("install nginx and install curl", ["nginx", "curl"]),
        ("the latest nginx please", ["nginx"]),
        ("install vim.", ["vim"]),
        ("a tool to convert and resize images", ["a tool to convert and resize images"]),
        ("a web server and a database", ["a web server", "a database"]),
        ("nginx and an ftp server", ["nginx", "an ftp server"]),
        ("python data analysis libraries", ["python data analysis libraries"]),
        ("an ftp client with a gui", ["an ftp client with a gui"]),  # the interface asked for, no part
        ("a backup tool with a simple web interface", ["a backup tool with a simple web interface"]),
        ("a web server and a database with a gui", ["a web server and a database with a gui"]),
        ("a music player with a library", ["a music player with a library"]),  # a feature, no part
    ],
)
def test_split(request_, parts):
    assert [p.text for p in split_request(request_)] == parts


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("get btop", "btop"),
        ("grab ripgrep", "ripgrep"),
        ("necesito gimp", "gimp"),
        ("get notified when a web page changes", ""),  # a described need: the verb is its own
        ("get the htop package", ""),
        ("nginx", ""),
    ],
)
def test_a_verb_that_asks_for_software_before_a_name(text, name):
    assert asked_name(text) == name


@pytest.mark.parametrize(
    "text", ["nginx", "sublime text", "docker compose", "visual studio code", "g++", "ping", "string theory"]
)
def test_name_like(text):
    assert is_name_like(text)


@pytest.mark.parametrize(
    "text",
    ["a web server", "extract rar archives", "screen recorder", "office suite", "time tracking", "photo editing"],
)
def test_described(text):
    assert not is_name_like(text)


# -- exact, alias, provides: no model call ------------------------------------------------------
@pytest.mark.parametrize(
    ("request_", "packages", "backend"),
    [
        ("nginx", ("nginx",), "exact"),
        ("curl and wget", ("curl", "wget"), "exact"),
        ("g++ and make", ("g++", "make"), "exact"),
        ("docker", ("docker.io",), "alias"),
        ("postgres", ("postgresql",), "alias"),
        ("pip3", ("python3-pip",), "alias"),
        ("mail-transport-agent", ("exim4-daemon-light",), "provides"),
        ("docker compose", ("docker-compose",), "exact"),
        ("docker with compose", ("docker.io", "docker-compose"), "alias+exact"),
        ("redis", ("redis-server",), "ranking"),
        ("curl wget g++", ("curl", "wget", "g++"), "exact"),
        ("curl docker", ("curl", "docker.io"), "exact+alias"),
    ],
)
def test_names_resolve_without_a_model(request_, packages, backend):
    router, cls = model_router("never")
    plan = planner(router).plan(request_)
    assert plan.status == P.PLANNED, plan.reason
    assert plan.packages == packages
    assert plan.backend == backend
    assert cls.requests == []  # no model call
    assert plan.steps[0].argv == ("apt-get", "install", "-y", *packages)
    assert all(c.summary and c.version for c in plan.chosen)


def test_with_joins_a_qualifier_when_the_pieces_are_not_packages():
    idx = {"searches": {"backups with deduplication": [("gimp", 3.0)]}}
    plan = planner(**idx).plan("backups with deduplication")
    assert plan.status == P.PLANNED and plan.packages == ("gimp",) and plan.backend == "ranking"


def test_name_matches():
    from cortex.planning.absent import name_matches

    assert name_matches("redis", "redis-server") and name_matches("python pandas", "python3-pandas")
    assert name_matches("docker compose", "docker-compose") and name_matches("libre office", "libreoffice")
    assert not name_matches("discord", "purple-discord") and not name_matches("sublime text", "sublime-music")
    assert not name_matches("discord", "python3-discord")
    assert name_matches("tomcat", "tomcat10") and name_matches("borg", "borgbackup")
    assert name_matches("postgresql", "postgresql-15") and not name_matches("postgresql", "postgresql-15-postgis-3")
    assert not name_matches("zoom", "zoom-player") and not name_matches("gimp", "gimp-data")
    # A name and a version: the versioned package that adds one word, not its docs or a second word.
    assert name_matches("openjdk 17", "openjdk-17-jdk") and name_matches("openjdk 17", "openjdk-17-jre")
    assert not name_matches("openjdk 17", "openjdk-17-doc")
    assert not name_matches("openjdk 17", "openjdk-17-jre-headless")
    assert not name_matches("openjdk 17", "openjdk-11-jdk")
    # A plural of a name's part is that part ("jupyter notebooks"); "ss" is no plural, one word is never split.
    assert name_matches("jupyter notebooks", "jupyter-notebook") and name_matches("python widgets", "python3-widget")
    assert not name_matches("glass", "glas") and not name_matches("notebooks", "notebook-tools")


def test_like_a_known_program_puts_its_archive_alternatives_first():
    idx = {"searches": {"an image editor": [("gimp-data", 9.0), ("krita", 5.0)]}}
    plan = planner(**idx).plan("an image editor like photoshop")
    assert plan.status == P.PLANNED and plan.packages == ("gimp",)
    plan = planner(**idx).plan("an image editor similar to krita")
    assert plan.packages == ("krita",)
    plan = planner(searches={"a chat tool": [("curl", 1.0)]}).plan("a chat tool like slack")
    assert plan.packages == ("curl",)  # the archive's `slack` is another program: not a reference


def test_split_reference():
    from cortex.planning.split import split_reference

    assert split_reference("an image editor like photoshop") == ("an image editor", "photoshop")
    assert split_reference("something similar to sublime text") == ("something", "sublime text")
    assert split_reference("a terminal music player") == ("a terminal music player", "")


@pytest.mark.parametrize("request_", ["nginx scalable", "scalable nginx", "gimp manipulation program"])
def test_a_name_beside_words_of_its_own_summary_is_that_package(request_):
    plan = planner().plan(request_)
    assert plan.status == P.PLANNED and len(plan.packages) == 1
    assert plan.packages[0] in request_.split()


def test_a_name_beside_words_its_package_does_not_say_is_no_package():
    plan = planner().plan("nginx bananas")
    assert plan.status == P.UNRESOLVED and not plan.packages


def test_english_words_that_name_no_package_are_a_need():
    plan = planner(searches={"pixel manipulation": [("krita", 3.0)]}).plan("pixel manipulation")
    assert plan.status == P.PLANNED and plan.packages == ("krita",) and plan.backend == "ranking"


def test_a_made_up_name_beside_a_word_is_a_program_the_archive_lacks():
    plan = planner(searches={"gitea forge": [("krita", 3.0)]}).plan("gitea forge")
    assert plan.status == P.UNRESOLVED and not plan.packages and "gitea forge" in plan.reason


def test_a_need_is_not_split_into_package_names():
    plan = planner(searches={"make editor": [("geany", 2.0)]}).plan("make editor")
    assert plan.packages == ("geany",)


def test_refused_request_never_reaches_the_index_or_model():
    plan = planner().plan("install htop && rm -rf ~")
    assert plan.status == P.REFUSED and plan.rule == "command-chaining" and not plan.packages


# -- absent software --------------------------------------------------------------------------
@pytest.mark.parametrize("request_", ["discord", "spotify", "sublime text", "visual studio code", "figma", "slack"])
def test_absent_software_is_unresolved_with_suggestions(request_):
    plan = planner().plan(request_)
    assert plan.status == P.UNRESOLVED
    assert plan.packages == ()
    assert plan.suggestions


def test_no_alias_substitutes_an_alternative_for_software_the_archive_lacks():
    # "google chrome" is not chromium: it ends unresolved with chromium suggested (not_in_archive.yaml).
    from cortex.packages.aliases import alias_targets
    from cortex.planning.absent import known_absent

    for name in ("chrome", "google chrome", "google-chrome"):
        entry = known_absent(name)
        assert entry is not None and "chromium" in entry.alternatives
        assert not set(alias_targets(name)) & set(entry.alternatives)
    assert alias_targets("chromium-browser") == ("chromium",)  # another name of the same program


def test_an_absent_programs_name_is_known_in_any_word_order():
    from cortex.planning.absent import known_absent

    entry = known_absent("the nvidia proprietary driver")  # the file says "proprietary nvidia driver"
    assert entry is not None and entry is known_absent("proprietary nvidia driver")
    assert known_absent("driver") is None and known_absent("text sublime editor") is None


def test_absent_knowledge_names_the_vendor_source_and_verified_alternatives():
    plan = planner().plan("sublime text")
    text = " ".join((plan.reason, *plan.suggestions))
    assert "Sublime HQ" in text and "geany" in text
    assert "kate" not in text  # not in this index: never suggested


def test_mixed_request_with_an_absent_part_is_unresolved_and_says_what_resolves():
    plan = planner().plan("curl and discord")
    assert plan.status == P.UNRESOLVED and plan.packages == ()
    assert any("cortex install curl" in s for s in plan.suggestions)


# -- described needs: model through the router -------------------------------------------------
def test_the_small_model_picks_from_the_candidates_with_the_request_after_them():
    """The embedded model's tie-break (cortex/planning/select.py): candidates first, the request last,
    and an enum of exactly the candidates and "none"."""
    from cortex.planning.select import choose_with_model

    router, cls = model_router("picker", reply('{"package": "krita"}'))
    cands = [Cand(Info("gimp", "GNU Image Manipulation Program"), 5.0), Cand(Info("krita", "painting program"), 4.0)]
    choice = choose_with_model(router, TaskType.PACKAGE_SELECTION, "an image editor", cands, brief=True)
    assert choice.name == "krita" and choice.provider == "picker"
    request = cls.requests[0]
    prompt = request.messages[-1].content
    assert prompt.index("gimp") < prompt.index("krita") < prompt.index("User request: an image editor")
    assert request.schema["properties"]["package"]["enum"] == ["gimp", "krita", "none"]
    assert "reason" not in request.schema["properties"]  # brief: no free text from a small model


def test_a_capable_model_that_proposes_nothing_leaves_the_choice_to_the_ranking():
    router, cls = model_router("quiet", reply('{"packages": []}'))
    idx = {"searches": {"an image editor": [("gimp", 5.0), ("krita", 4.0), ("gimp-data", 3.0)]}}
    plan = planner(router, **idx).plan("an image editor")
    assert plan.status == P.PLANNED and plan.packages == ("gimp",) and plan.backend == "ranking"
    assert len(cls.requests) == 1 and "packages" in cls.requests[0].schema["properties"]  # asked once, to propose


def test_a_capable_model_proposal_below_the_floor_is_unresolved():
    """Neither a fitting proposal nor a candidate over the relevance floor: nothing is planned."""
    router, _ = model_router("nope", reply('{"packages": ["geany"]}'))
    plan = planner(router, 0.4, searches={"a quantum thing": [("gimp", 1.0)]}).plan("a quantum thing")
    assert plan.status == P.UNRESOLVED and plan.packages == ()


def test_model_answer_outside_the_candidates_is_reasked_then_falls_back():
    router, _ = model_router(
        "liar",
        reply('{"package": "photoshop"}'),
        reply('{"package": "photoshop"}'),
        reply('{"package": "photoshop"}'),
        reply('{"package": "photoshop"}'),
    )
    plan = planner(router, searches={"an image editor": [("gimp", 5.0), ("krita", 1.0)]}).plan("an image editor")
    assert plan.status == P.PLANNED and plan.packages == ("gimp",)
    assert plan.backend == "ranking"
    assert any("model" in n for n in plan.notes)


def test_without_a_model_the_best_ranked_candidate_is_used_with_a_confidence():
    plan = planner(searches={"an image editor": [("gimp", 5.0), ("krita", 4.8)]}).plan("an image editor")
    assert plan.packages == ("gimp",) and plan.backend == "ranking"
    assert 0 < plan.confidence < 1  # the share of the need it covers ("image", not "editor")
    assert any("Low confidence" in n for n in plan.notes)  # krita is almost as good


def test_nothing_found_is_unresolved():
    plan = planner(searches={"a quantum teleporter": []}).plan("a quantum teleporter")
    assert plan.status == P.UNRESOLVED and plan.suggestions


def test_ranking_confidence():
    assert ranking_confidence([]) == 0.0
    assert ranking_confidence([10.0, 1.0]) > ranking_confidence([10.0, 9.0])


# -- simulation and removals --------------------------------------------------------------------
def test_simulation_attached_and_removals_refused_unless_allowed():
    idx = FakeIndex()
    plan = Planner(idx, FakeManager()).plan("nginx")
    ok = simulate(plan, FakeManager(), idx)
    assert ok.status == P.PLANNED and ok.simulation["new"]
    assert ok.simulation["download_bytes"] == 1000 and ok.simulation["disk_bytes"] == 4000  # from the index
    bad = simulate(plan, FakeManager(removed=[("libc6", "2.36")]), idx)
    assert bad.status == P.REFUSED and bad.rule == "removals" and "essential" in bad.reason
    allowed = simulate(plan, FakeManager(removed=[("exim4-daemon-light", "4.96")]), idx, allow_removals=True)
    assert allowed.status == P.PLANNED


def test_check_removals_is_pure():
    sim = FakeSimulation(True, [], [("curl", "1")])
    assert "did not ask" in check_removals(sim, ["nginx"], FakeIndex(), False)
    assert check_removals(sim, ["curl"], FakeIndex(), False) == ""
    assert check_removals(sim, ["nginx"], FakeIndex(), True) == ""


def test_plan_json_contract():
    doc = planner().plan("curl and wget").to_dict()
    assert set(doc) >= {"request", "status", "packages", "steps", "simulation", "backend", "reason", "suggestions"}
    assert doc["steps"][0] == {
        "argv": ["apt-get", "install", "-y", "curl", "wget"],
        "description": "Install curl, wget",
    }


def test_a_package_of_another_language_is_no_candidate_for_a_need_that_names_one():
    packages = [
        Info("rails", "MVC ruby based framework for web applications", tags=("devel::lang:ruby",)),
        Info("python3-django", "High-level Python web development framework"),
    ]
    plan = planner(packages=packages).plan("a web framework for python")
    assert plan.status == P.PLANNED and plan.packages == ("python3-django",)


def test_a_package_of_another_language_alone_is_offered_not_planned():
    packages = [Info("rails", "MVC ruby based framework for web applications", tags=("devel::lang:ruby",))]
    plan = planner(packages=packages, relevance_floor=0.4).plan("a web framework for python")
    assert plan.status == P.UNRESOLVED and [c.name for c in plan.candidates] == ["rails"]


@pytest.mark.parametrize(
    ("request_", "product"),
    [
        ("jenkins for ci", "Jenkins"),
        ("gitea git server", "Gitea"),
        ("an asterisk pbx", "Asterisk"),
        ("pgadmin", "pgAdmin"),
    ],
)
def test_software_the_archive_lacks_is_said_so_beside_what_it_is(request_, product):
    plan = planner().plan(request_)
    assert plan.status == P.UNRESOLVED and not plan.packages
    assert plan.reason.startswith(product) and "not in the distribution's archive" in plan.reason


VERSIONED = [
    Info(
        "postgresql",
        "object-relational SQL database (supported version)",
        version="15+248",
        tags=("role::metapackage",),
    ),
    Info("postgresql-15", "The World's Most Advanced Open Source Relational Database", version="15.8-0+deb12u1"),
    Info("nodejs", "evented I/O for V8 javascript - runtime executable", version="18.19.0+dfsg-6~deb12u2"),
    Info("php", "server-side, HTML-embedded scripting language (default)", version="2:8.2+93"),
    Info("php8.2", "server-side, HTML-embedded scripting language (metapackage)", version="8.2.26-1~deb12u1"),
    Info("python3", "interactive high-level object-oriented language (default python3 version)", version="3.11.2-1+b1"),
]


@pytest.mark.parametrize(
    ("request_", "packages"),
    [("postgres 15", ("postgresql-15",)), ("php 8.2", ("php8.2",)), ("php8", ("php",)), ("nodejs 18", ("nodejs",))],
)
def test_a_name_with_a_version_is_the_archives_package_of_that_version(request_, packages):
    index = {"packages": VERSIONED}
    plan = planner(**index).plan(request_)
    assert plan.status == P.PLANNED and plan.packages == packages


def test_a_version_the_archive_lacks_is_said_so():
    plan = planner(packages=VERSIONED).plan("php 7.4")
    assert plan.status == P.UNRESOLVED and not plan.packages
    assert "php 2:8.2+93, not version 7.4" in plan.reason
    # A metapackage's version is its own: nothing is claimed of postgresql 16 from "15+248".
    assert "not version" not in planner(packages=VERSIONED).plan("postgres 16").reason


@pytest.mark.parametrize("request_", ["a good tool", "something useful", "install the usual stuff", "a nice gui"])
def test_a_need_of_only_filler_words_is_never_searched(request_):
    index = FakeIndex(searches={})
    plan = Planner(index, FakeManager(), None).plan(request_)
    assert plan.status == P.UNRESOLVED and not plan.packages and not plan.candidates
    assert "says nothing of what the program should do" in plan.reason


def test_a_style_word_that_is_a_program_and_a_named_command_still_say_something():
    from cortex.packages.query import says_nothing

    assert not says_nothing("a terminal") and not says_nothing("the free command")
    assert not says_nothing("a great text editor")


def test_a_verb_that_asks_for_a_packages_exact_name_plans_that_package():
    packages = [Info("btop", "Modern and colorful command line resource monitor")]
    plan = planner(packages=packages).plan("get btop")
    assert plan.status == P.PLANNED and plan.packages == ("btop",)
    assert plan.chosen[0].why == "exact package name 'btop'"
