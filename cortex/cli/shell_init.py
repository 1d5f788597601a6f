"""`cortex shell-init bash|zsh`: print a command-not-found hook that names the package to install.

    eval "$(cortex shell-init bash)"     # in ~/.bashrc
    eval "$(cortex shell-init zsh)"      # in ~/.zshrc

The hook never starts Python, a model or the network, and never installs anything: it looks the
command up in the sorted file the index build writes beside the index (`look` bisects it; awk scans it
where `look` is missing), prints the packages that ship it, and otherwise falls back to the shell's own
message. Exit status 127 either way, as the shell's own handler does.
"""

from __future__ import annotations

import argparse
import shlex
from typing import Any

from cortex.exit_codes import ExitCode

HELP = "print a command-not-found hook for bash or zsh that suggests the package (eval it in ~/.bashrc)"

# {lookup}: the quoted path of the lookup file; {fn}: the shell's hook name; {default}: its own message;
# {split}: how the shell splits a word list into "$@".
_TEMPLATE = r"""# cortex: when a command is missing, name the packages that ship it (local index; never installs).
{fn}() {{
    local _cx_hit _cx_file={lookup}
    if [ -r "$_cx_file" ] && [ -n "$1" ]; then
        if command -v look >/dev/null 2>&1; then
            _cx_hit=$(LC_ALL=C look -- "$1"$'\t' "$_cx_file" 2>/dev/null)
        else
            _cx_hit=$(LC_ALL=C awk -F '\t' -v c="$1" '$1 == c {{ print; exit }}' "$_cx_file" 2>/dev/null)
        fi
        _cx_hit=${{_cx_hit%%$'\n'*}}
    fi
    if [ -n "$_cx_hit" ]; then
        {split}
        if [ $# -eq 1 ]; then
            printf '%s: command not found; package %s ships it.\n' "$_cx_cmd" "$1" >&2
        else
            printf '%s: command not found; these packages ship it (the first is the usual choice):\n' "$_cx_cmd" >&2
            printf '  %s\n' "$@" >&2
        fi
        if [ -e "/var/lib/dpkg/info/$1.list" ]; then
            printf '%s is installed: the command may be outside your PATH (e.g. /usr/sbin).\n' "$1" >&2
        else
            printf 'Install it with: sudo apt install %s   (or: cortex install %s)\n' "$1" "$_cx_cmd" >&2
        fi
        return 127
    fi
    {default}
    return 127
}}
"""

_SHELLS: dict[str, dict[str, str]] = {
    "bash": {
        "fn": "command_not_found_handle",
        "default": "printf 'bash: %s: command not found\\n' \"$1\" >&2",
        "split": "local _cx_cmd=$1; set -- ${_cx_hit#*$'\\t'}",
    },
    "zsh": {
        "fn": "command_not_found_handler",
        "default": "printf 'zsh: command not found: %s\\n' \"$1\" >&2",
        "split": "local _cx_cmd=$1; set -- ${=_cx_hit#*$'\\t'}",
    },
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("shell", choices=sorted(_SHELLS), help="the shell to print the hook for")


def hook(shell: str, lookup: str) -> str:
    """The hook's source for `shell`, reading the lookup file at `lookup` (pure)."""
    return _TEMPLATE.format(lookup=shlex.quote(lookup), **_SHELLS[shell])


def run(args: argparse.Namespace, ctx: Any) -> int:
    from cortex.packages.contents import lookup_path
    from cortex.packages.detect import detect_manager
    from cortex.packages.index import default_path

    manager = detect_manager()
    lookup = lookup_path(default_path(manager.name))
    print(hook(args.shell, str(lookup)), end="")
    if not lookup.exists():
        ctx.err.print(
            "cortex: the hook has nothing to look up yet; run `cortex index --contents` (as root) to fetch "
            "apt's Contents. Until then it prints the shell's usual message."
        )
    return ExitCode.OK
