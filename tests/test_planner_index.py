"""The planner against the real PackageIndex (a recorded slice of Debian's archive) and the real apt
argv builder: names, aliases and Provides with no model; described needs through a scripted model."""

from __future__ import annotations

from pathlib import Path

import pytest

from cortex import plan as P
from cortex.config import Settings
from cortex.llm.router import LLMRouter
from cortex.llm.types import TaskType
from cortex.packages.apt import AptManager
from cortex.packages.debian import parse_dumpavail
from cortex.packages.index import PackageIndex
from cortex.planner import Planner
from tests.scripted import reply, scripted

FIXTURE = Path(__file__).parent / "fixtures" / "packages" / "apt_dumpavail.txt"


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    records = parse_dumpavail(FIXTURE.read_text(encoding="utf-8"))
    idx = PackageIndex.from_records(records, path=tmp_path_factory.mktemp("idx") / "packages-apt.sqlite3")
    yield idx
    idx.close()


def router_for(name: str, *answers):
    cls = scripted(name, *answers)
    flags = {"routing.tasks": {TaskType.PACKAGE_SELECTION.value: [name]}, "limits.backoff": 0.001}
    return LLMRouter(Settings.load(flags=flags)), cls


@pytest.mark.parametrize(
    ("request_", "packages", "backend"),
    [
        ("nginx", ("nginx",), "exact"),
        ("curl and wget", ("curl", "wget"), "exact"),
        ("docker", ("docker.io",), "alias"),
        ("postgres", ("postgresql",), "alias"),
        ("node.js", ("nodejs",), "alias"),
        ("pip", ("python3-pip",), "alias|provides"),
        ("docker compose", ("docker-compose",), "exact"),
        ("docker with compose", ("docker.io", "docker-compose"), "alias|alias+exact"),
        ("sudo apt install -y htop", ("htop",), "exact"),
    ],
)
def test_names_resolve_in_the_real_index_without_a_model(index, request_, packages, backend):
    router, cls = router_for("unused")
    plan = Planner(index, AptManager(), router).plan(request_)
    assert plan.status == P.PLANNED, plan.reason
    assert plan.packages == packages and plan.backend in backend.split("|")
    assert cls.requests == []
    assert plan.steps[0].argv[:3] == ("apt-get", "install", "-y") and plan.steps[0].argv[-len(packages) :] == packages
    assert all(c.version and c.summary for c in plan.chosen)


@pytest.mark.parametrize("request_", ["discord", "spotify", "sublime text", "visual studio code"])
def test_absent_software_never_becomes_a_lookalike(index, request_):
    plan = Planner(index, AptManager()).plan(request_)
    assert plan.status == P.UNRESOLVED and plan.packages == ()


def test_a_capable_models_proposal_is_verified_in_the_real_index_and_planned_when_it_fits(index):
    router, cls = router_for("pdfproposer", reply('{"packages": ["pdf-merger-invented", "pdftk", "pdfarranger"]}'))
    planner = Planner(index, AptManager(), router)
    plan = planner.plan("merge pdf documents")
    # pdftk is transitional: its replacement, pdftk-java, is what the index verifies (and this slice lacks it).
    assert plan.status == P.PLANNED and plan.backend == "pdfproposer" and plan.packages == ("pdfarranger",)
    assert len(cls.requests) == 1 and planner.proposals_dropped == 1
    assert "pdf-merger-invented" not in str(plan.to_dict())


def test_described_need_without_a_model_is_ranked_and_real(index):
    plan = Planner(index, AptManager()).plan("a torrent client")
    assert plan.status == P.PLANNED and plan.backend == "ranking"
    assert all(index.get(name) is not None for name in plan.packages)


def test_a_stack_plans_only_components_the_index_has_and_names_the_missing_ones(index):
    plan = Planner(index, AptManager()).plan("a LEMP stack")
    assert plan.status == P.PLANNED and plan.backend == "stack" and plan.packages[0] == "nginx"
    assert all(index.get(name) is not None for name in plan.packages)
    assert "php-fpm" not in plan.packages and any("php-fpm" in note for note in plan.notes)


def test_priors_are_built_with_the_index_and_read_back(index):
    from cortex.packages import priors

    found = priors.read(index._conn, ["gimp", "apache2", "no-such-package"])
    assert found["gimp"].citations >= 2  # gimp-data, libgimp2.0, gimp-help-en name it
    assert found["apache2"].curated == 1  # task-web-server lists it
    assert "no-such-package" not in found
