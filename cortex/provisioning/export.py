"""Pure: a lock -> an Ansible playbook or a POSIX shell script that installs its pinned versions.

    ansible_playbook(lock, source="cortex.lock")    ansible.builtin.apt, one task per request, tagged
    shell_script(lock, source="cortex.lock")        `set -eu`, the same apt-get argv `cortex apply` runs

Both install only (no removals), refresh the package lists only when they are older than
CACHE_VALID_S, and refuse to run on another distribution or release than the lock's.
"""

from __future__ import annotations

import re
import shlex
from typing import Any

from cortex.provisioning.lock import Lock, LockedPackage

CACHE_VALID_S = 3600
_TAG = re.compile(r"[^a-z0-9]+")


def pin(lock: Lock, pkg: LockedPackage) -> str:
    """`name=version`, or `name:arch=version` for a foreign-architecture package."""
    foreign = lock.arch_key(pkg)
    return f"{pkg.name}:{foreign}={pkg.version}" if foreign else f"{pkg.name}={pkg.version}"


def tag(request: str) -> str:
    """A request as an Ansible tag: 'something to edit PDFs' -> 'something_to_edit_pdfs'."""
    return _TAG.sub("_", request.lower()).strip("_")[:60] or "request"


def _header(lock: Lock, source: str, what: str) -> list[str]:
    return [
        f"{what} produced by {lock.generated_by or 'cortex'} (`cortex export`) from {source}.",
        f"Lock: {lock.distribution.describe()}, {lock.manager}, {lock.architecture}; updated {lock.updated_at or '-'}.",
        "Installs the pinned versions below; removes nothing. Edit the lock, not this file.",
    ]


def _release_check(lock: Lock) -> str:
    if lock.distribution.codename:
        return f"ansible_facts['distribution_release'] == {lock.distribution.codename!r}"
    return f"ansible_facts['distribution_version'].startswith({lock.distribution.release!r})"


def ansible_playbook(lock: Lock, source: str = "cortex.lock") -> str:
    """A playbook for every host of the inventory: one apt task per request, tagged with the request."""
    import yaml

    tasks: list[dict[str, Any]] = [
        {
            "name": f"The hosts run {lock.distribution.describe()}, the release the lock was made on",
            "ansible.builtin.assert": {
                "that": [_release_check(lock)],
                "fail_msg": f"{source} pins versions of {lock.distribution.describe()}'s archive.",
                "quiet": True,
            },
            "tags": ["always"],
        }
    ]
    for req in lock.requests:
        tasks.append(
            {
                "name": f"cortex: {req.request}",
                "ansible.builtin.apt": {
                    "name": [pin(lock, p) for p in req.packages],
                    "state": "present",
                    "update_cache": True,
                    "cache_valid_time": CACHE_VALID_S,
                },
                "tags": ["cortex", tag(req.request)],
            }
        )
    play = [
        {
            "name": f"Packages locked in {source}",
            "hosts": "all",
            "become": True,
            "gather_facts": True,
            "gather_subset": ["min"],
            "tasks": tasks,
        }
    ]
    header = "".join(f"# {line}\n" for line in _header(lock, source, "Ansible playbook"))
    body = yaml.safe_dump(play, sort_keys=False, allow_unicode=True, width=110, default_flow_style=False)
    return f"{header}---\n{body}"


def shell_script(lock: Lock, source: str = "cortex.lock") -> str:
    """A POSIX sh script running the apt-get argv of `cortex apply` on a machine without cortex or Ansible."""
    from cortex.packages.apt import AptManager

    pins = [pin(lock, p) for p in lock.packages()]
    argv = AptManager().install_pinned_argv(pins) if pins else []
    q = shlex.quote
    dist = lock.distribution
    lines = ["#!/bin/sh", *(f"# {line}" for line in _header(lock, source, "Shell script"))]
    for req in lock.requests:
        lines.append(f"#   {req.request}: {' '.join(pin(lock, p) for p in req.packages)}")
    lines += [
        "set -eu",
        "",
        'if [ "$(id -u)" -ne 0 ]; then',
        '    echo "run this script as root" >&2',
        "    exit 1",
        "fi",
        ". /etc/os-release",
        f'if [ "${{ID:-}}" != {q(dist.id)} ] || [ "${{VERSION_ID:-${{VERSION_CODENAME:-unknown}}}}" != {q(dist.release)} ]; then',
        f'    echo "this machine is not {dist.describe()}, the release {source} was made on" >&2',
        "    exit 1",
        "fi",
        "export DEBIAN_FRONTEND=noninteractive",
        "",
        f"# Refresh the package lists when they are older than {CACHE_VALID_S // 60} minutes.",
        "if [ -z \"$(find /var/lib/apt/lists -maxdepth 1 -type f -name '*_Packages*' "
        f'-mmin -{CACHE_VALID_S // 60} 2>/dev/null | head -n 1)" ]; then',
        "    apt-get update",
        "fi",
    ]
    if argv:
        lines.append(" ".join(q(a) for a in argv))
    return "\n".join(lines) + "\n"
