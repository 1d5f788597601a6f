"""Command lines are not requests: "sudo apt remove systemd", "dpkg --purge --force-all libc6",
"ufw disable", "find / -name '*' -exec rm {} +", "nginx --purge".

A package manager's install command with package names ("sudo apt install nginx") stays an install.
"""

from __future__ import annotations

from collections.abc import Sequence

from cortex.intake import lexicon as L
from cortex.intake.lexicon import Lexicon
from cortex.intake.text import ASSIGN, NUMBER, OPTION, PATH, WORD, Token

INSTALL = "install"
_REMOVE_SUBCOMMANDS = frozenset({"remove", "purge", "autoremove", "-r", "-p", "--purge", "-rns", "-rs", "erase"})


def command_line(lex: Lexicon, toks: Sequence[Token], words: Sequence[str], j: int, end: int) -> str:
    """ "" when words[j:end] is no command line; "install" for a package manager's install; else the
    kind of action refused ("uninstall", "command")."""
    head = words[j]
    if j + 1 < end and words[j + 1] in lex.copulas:
        return ""  # "mkfs.vfat is missing", "nmap isn't installed": a statement about a program, no argument
    base, dot, _ = head.partition(".")
    if dot and base in lex.executables and base not in lex.executables_in_phrases and j + 1 < end:
        return "command"  # "mkfs.ext4 sdb1", "fsck.vfat sdc1": a tool of a family, with arguments
    rest = range(j + 1, end)
    if head in lex.commands_alone:
        return "command"  # "update-grub", "visudo": named after what they do to the system
    if head in ("sudo", "doas", "pkexec", "su") and j + 1 < end:
        return command_line(lex, toks, words, j + 1, end) or "command"
    sub = ""
    if head in lex.package_managers and j + 1 < end:
        k = j + 1  # "apt-get -y install nginx": the harmless options may come before the subcommand
        while k + 1 < end and words[k] in lex.harmless_options:
            k += 1
        sub = words[k]
    everyday = head in lex.managers_in_phrases and sub not in lex.install_subcommands and sub not in _REMOVE_SUBCOMMANDS
    if sub and not everyday:
        operands = range(k + 1, end)
        options = [words[i] for i in operands if toks[i].kind == OPTION and words[i] not in lex.harmless_options]
        names = all(toks[i].kind == WORD or words[i] in lex.harmless_options for i in operands)
        if sub in lex.install_subcommands and not options and names:
            return INSTALL
        return "uninstall" if sub in _REMOVE_SUBCOMMANDS else "command"
    follows = [toks[i].kind for i in rest]
    if head in lex.executables and follows:
        # "python 3", "php 8": a version after a name asked for in phrases, not an argument ("kill 1234"
        # is still read as the verb kill on a process)
        version = head in lex.versioned and follows == [NUMBER]
        args = not version and any(k in (OPTION, PATH, ASSIGN, NUMBER) for k in follows)
        if args or (head not in lex.executables_in_phrases and lex.verb_at(words, j) is None):
            return "command"
        then = lex.verb_at(words, j + 1)
        compound = words[j + 1] in lex.need_nouns  # "kill switch", "mount manager": a noun, not a command
        acting = then is not None and then[1].klass in (L.ACTION, L.DESTRUCTIVE, L.MODIFY)
        if head in lex.executables_in_phrases and acting and not compound:
            return "command"  # "ufw allow ssh", "git clean"
        if _acts_later(lex, words, j + 2, end):
            return "command"  # "ip link set eth0 down", "docker container remove web"
    # a word followed by options or paths, except a verb before a path ("delete /data": read as a verb)
    verb_and_path = lex.verbs.match(words, j, end) and follows and follows[0] != OPTION
    if follows and follows[0] in (OPTION, PATH, ASSIGN) and toks[j].kind == WORD and not verb_and_path:
        return "command"
    return ""


def _acts_later(lex: Lexicon, words: Sequence[str], start: int, end: int) -> bool:
    """An acting verb in the slot of a subcommand's verb, after an executable's first word ("ip link set
    eth0 down", "ip route del default", "docker container stop web"), not a word of a description ("perl
    module implementing the ... block cipher", "make your terminal output colorful")."""
    found = lex.verb_at(words, start) if start < end else None
    if found is None or found[1].kind in ("injection", "command"):
        return False
    return found[1].klass in (L.ACTION, L.DESTRUCTIVE)
