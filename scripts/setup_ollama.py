#!/usr/bin/env python3
"""Set up Ollama for cortex: the same wizard and flags as `cortex setup ollama`.

python scripts/setup_ollama.py                      interactive
python scripts/setup_ollama.py --non-interactive --model auto --json   CI
"""

from __future__ import annotations

import sys
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing
    from cortex.cli.main import main

    sys.exit(main(["setup", "ollama", *sys.argv[1:]]))
