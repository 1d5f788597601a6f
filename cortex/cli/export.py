"""`cortex export ansible|shell FILE [-o OUT]`: a lock as an Ansible playbook or a POSIX shell script.

Printed on stdout, or written atomically to OUT (a shell script executable). Pure rendering of the
lock: nothing is queried, installed or asked of a model. Exit codes: 0, 2 usage, 10 no such file,
14 invalid lock.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from cortex.exit_codes import ExitCode

HELP = "turn a lock file into an Ansible playbook or a POSIX shell script (pinned apt installs)"
FORMATS = ("ansible", "shell")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("format", choices=FORMATS, help="ansible: a playbook; shell: a `set -eu` sh script")
    parser.add_argument("lock", help="the lock file")
    parser.add_argument("-o", "--output", help="write to this file instead of stdout")


def run(args: argparse.Namespace, ctx: Any) -> int:
    from pathlib import Path

    from cortex.errors import LockError
    from cortex.provisioning import export
    from cortex.provisioning.lock import load

    lock = load(args.lock)
    if lock.manager != "apt":
        raise LockError(
            f"{args.lock} is a {lock.manager} lock; the exports install with apt only.",
            path=args.lock,
            hint="Lock the requests on a Debian or Ubuntu machine.",
        )
    source = Path(args.lock).name
    text = export.ansible_playbook(lock, source) if args.format == "ansible" else export.shell_script(lock, source)
    if not args.output:
        sys.stdout.write(text)
        return ExitCode.OK
    from cortex.system.files import write_atomic

    write_atomic(Path(args.output), text, mode=0o755 if args.format == "shell" else 0o644)
    sys.stderr.write(f"Wrote {args.output} ({args.format}, {len(lock.packages())} pinned packages).\n")
    return ExitCode.OK
