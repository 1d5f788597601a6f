#!/usr/bin/env python3
"""Accuracy of `cortex install REQUEST --dry-run --json` on a case file, by tier, per model setup.

Runs the shared scorer (run_eval.py) once per setup, each in its own CORTEX_HOME:
  no-model  package selection routed to no provider: the index ranking alone decides
  local     the embedded model (cortex's default chain when no cloud key or Ollama model is set)
  current   whatever this environment configures (keys, Ollama) - only with --current

    python benchmarks/eval_accuracy.py [--cases ../shared/eval/dev_cases.yaml] [--setups no-model,local]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_CASES = HERE.parent.parent / "shared" / "eval" / "dev_cases.yaml"
DEFAULT_SCORER = DEFAULT_CASES.parent / "run_eval.py"
CONFIGS = {
    "no-model": "routing:\n  tasks:\n    package_selection: [claude]\n",  # claude without a key: skipped
    "local": "routing:\n  tasks:\n    package_selection: [local]\n",
}


def run_setup(name: str, scorer: Path, cases: Path, index: Path | None) -> str:
    env = dict(os.environ)
    with tempfile.TemporaryDirectory(prefix=f"cortex-eval-{name}-") as home:
        if name in CONFIGS:
            (Path(home) / "config").mkdir()
            (Path(home) / "config" / "config.yaml").write_text(CONFIGS[name])
            for key in ("ANTHROPIC_API_KEY", "MOONSHOT_API_KEY", "OPENAI_API_KEY", "OLLAMA_MODEL", "CORTEX_PROVIDER"):
                env.pop(key, None)
            env["CORTEX_HOME"] = home
            if index is not None and index.exists():
                (Path(home) / "cache").mkdir()
                shutil.copy(index, Path(home) / "cache" / index.name)
        cmd = [sys.executable, str(scorer), "--cortex", f"{sys.executable} -m cortex", str(cases)]
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
        return proc.stdout + proc.stderr


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=Path, default=DEFAULT_CASES)
    ap.add_argument("--scorer", type=Path, default=DEFAULT_SCORER)
    ap.add_argument("--setups", default="no-model,local")
    ap.add_argument("--index", type=Path, default=None, help="a built packages-apt.sqlite3 to reuse")
    a = ap.parse_args()
    for name in a.setups.split(","):
        print(f"== {name} ==")
        print(run_setup(name.strip(), a.scorer, a.cases, a.index))
    return 0


if __name__ == "__main__":
    sys.exit(main())
