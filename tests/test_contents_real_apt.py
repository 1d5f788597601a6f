"""Contents fetched by apt for real: `cortex index --contents` on Debian, as root (CI)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.root,
    pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("apt-get"), reason="needs root and apt"),
]


def cortex(*args: str, timeout: float = 900) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cortex", *args], capture_output=True, text=True, cwd=ROOT, timeout=timeout
    )


def test_index_contents_fetches_through_apt_and_answers_provides(cortex_home):
    proc = cortex("index", "--contents", "--json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["commands"] > 10_000 and doc["contents_source"] == "apt"
    assert doc["contents_files"] and all("Contents-" in f and Path(f).is_file() for f in doc["contents_files"])
    # The same refresh fetches the English Translation lists: the index holds the long descriptions.
    assert doc["descriptions"] > 10_000 and doc["descriptions_source"] == "apt"
    found = json.loads(cortex("provides", "--json", "dig").stdout)
    assert found["providers"][0]["package"] == "bind9-dnsutils"
    assert found["providers"][0]["path"] == "/usr/bin/dig"
    lookup = cortex_home / "cache" / "packages-apt.commands"
    assert any(line.startswith("dig\tbind9-dnsutils") for line in lookup.read_text().splitlines())
    # A plain rebuild reads the same lists again (or keeps the rows when apt dropped them).
    again = json.loads(cortex("index", "--json").stdout)
    assert again["commands"] == doc["commands"]
    assert again["descriptions"] == doc["descriptions"]
