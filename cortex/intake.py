"""Intake: refuse destructive or command-smuggling requests before any model or package manager sees them.

Pure and deterministic: `check_request(text)` returns an IntakeDecision naming the rule that fired.
A request that mixes a valid install with a destructive part is refused whole: cortex never tries to
cut the dangerous half out and run the rest.

What is *not* refused: requests that describe a tool whose job involves deleting things ("a tool to
remove duplicate files", "secure delete tool", "a disk wiping utility"). Installing such a package
changes nothing but the package set; the request only becomes destructive when it asks cortex itself
to destroy something ("wipe the disk", "delete my files"). See docs/SAFETY.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class IntakeDecision:
    allowed: bool
    rule: str = ""
    reason: str = ""
    matched: str = ""  # the text that triggered the rule


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern[str]
    reason: str


def _r(name: str, pattern: str, reason: str) -> Rule:
    return Rule(name, re.compile(pattern, re.IGNORECASE | re.VERBOSE), reason)


_DEVICE = r"/dev/(?:sd[a-z]|hd[a-z]|vd[a-z]|xvd[a-z]|nvme\d|mmcblk\d|disk|md\d|dm-\d|mapper|loop\d|sr\d)"
_DESTROY_VERB = (
    r"(?:wipe|erase|format|reformat|destroy|delete|remove|rm|nuke|trash|shred|overwrite|corrupt|zero|purge|"
    r"kill|clear|empty|obliterate)"
)
_DETERMINER = r"(?:my|the|all|every|your|our|this|that|entire|whole|all\s+the|all\s+my|everything\s+in|everything\s+on)"
_TARGET = (
    r"(?:disks?|drives?|hard\s*drives?|hdd|ssd|partitions?|file\s*systems?|filesystem|files|folders?|"
    r"director(?:y|ies)|home|system|computer|machine|server|os|operating\s+system|root|data|documents|"
    r"photos|backups?|databases?|users?|boot|mbr|partition\s+table|/|~)"
)

# Order matters only for which rule is reported: specific rules first, the generic ones last.
RULES: tuple[Rule, ...] = (
    _r("fork-bomb", r":\s*\(\s*\)\s*\{|\w+\s*\(\s*\)\s*\{[^}]*\|\s*\w+\s*&", "a fork bomb"),
    _r(
        "pipe-to-shell",
        r"\b(?:curl|wget|fetch)\b[^\n]*\|\s*(?:sudo\s+)?(?:ba|z|k|da|c|tc|fi)?sh\b",
        "downloading a script and piping it to a shell",
    ),
    _r(
        "rm-recursive",
        r"\brm\s+(?:-\w*\s+)*-\w*[rRf]\w*|\brm\s+(?:-\w+\s+)*[/~*]",
        "recursive or forced file deletion (rm)",
    ),
    # mkfs used on something (an option, a device, "on my disk") is refused; the bare program name is
    # a software request ("I need mkfs.exfat": the package that ships it).
    _r(
        "mkfs",
        r"\bmkfs(?:\.\w+)?\b(?=\s+(?:-|/|(?:x?[shv]d[a-z]|nvme|mmcblk|loop)\w*|on\b|the\b|my\b|a\b|an\b|this\b|that\b|all\b|every\b|\S*/))"
        r"|\bmke2fs\b|\bwipefs\b",
        "creating or wiping a file system (mkfs/wipefs)",
    ),
    _r(
        "dd-device",
        r"\bdd\b[^\n]*\bof\s*=\s*/dev/|\bof\s*=\s*" + _DEVICE,
        "writing raw data to a device (dd of=/dev/...)",
    ),
    _r("device-write", r">\s*" + _DEVICE + r"|\b(?:shred|cat|cp|tee)\b[^\n]*" + _DEVICE, "writing to a block device"),
    _r(
        "recursive-permissions",
        r"\bch(?:mod|own|grp)\b[^\n]*(?:\s-\w*R|\s--recursive|\s/(?:\s|$)|\s~(?:/|\s|$)|\s777\s+/)",
        "recursive permission or ownership changes (chmod/chown -R)",
    ),
    _r(
        "partitioning",
        r"\b(?:fdisk|sfdisk|cfdisk|parted|gdisk|sgdisk)\s+(?:-\S+\s+)*/dev/",
        "repartitioning a disk",
    ),
    _r(
        "power",
        r"(?:^|[;&|]\s*)\s*(?:sudo\s+)?(?:shutdown|reboot|halt|poweroff|init\s+[06])\b",
        "shutting the machine down",
    ),
    _r("kill-all", r"\bkill(?:all)?\s+-9\s+-1\b|\bkill\s+(?:-\w+\s+)*-1\b", "killing every process"),
    _r(
        "destroy-request",
        r"\b" + _DESTROY_VERB + r"\s+(?:out\s+)?" + _DETERMINER + r"\s+(?:\w+\s+){0,2}?" + _TARGET + r"(?:\b|$)"
        r"|\b" + _DESTROY_VERB + r"\s+(?:everything|all)\s*(?:$|[.!,]|\b(?:on|in|from)\b)",
        "a request to destroy data or the system",
    ),
    _r(
        "shell-command",
        r"\b(?:mv|truncate|shred|chattr|ln)\s+(?:-\S+\s+)*[/~*]"
        r"|\b(?:userdel|deluser|passwd)\s+\w|\bcrontab\s+-r\b|\bip6?tables\s+-[FXP]\b"
        r"|\b(?:ufw\s+disable|systemctl\s+(?:stop|disable|mask)\s|service\s+\S+\s+stop\b)"
        r"|\b(?:pkill|killall)\s+-?\w|\bkill\s+-\w|\btruncate\s+-",
        "a shell command that changes or stops the system",
    ),
    _r(
        "system-path",
        r"(?:^|\s)(?:/etc|/boot|/dev|/root|/usr|/var|/bin|/sbin|/lib\w*|/proc|/sys|/home)(?:/\S*)?(?=\s|$)"
        r"|~/\.\w+",
        "a system file or directory (cortex installs packages; it never touches files)",
    ),
    _r("command-substitution", r"\$\(|`|\$\{|<\(", "shell command substitution"),
    _r("command-chaining", r";|&&|\|\||\|", "shell command separators or pipes"),
    _r("redirection", r"(?:^|\s)\d?>>?\s*[/~$]", "shell output redirection into a file"),
    _r("url", r"\b(?:https?|ftp|file)://", "downloading from a URL (cortex installs only from the distro's archive)"),
    _r(
        "local-package-file",
        r"(?:^|\s)\S*\.(?:deb|rpm|apk|pkg\.tar\.\w+|run|sh)(?:\s|$)",
        "installing a local file or script",
    ),
)

_HINT = "Ask for the software you want installed, e.g. `cortex install htop`; cortex never runs shell commands."


def check_request(text: str) -> IntakeDecision:
    """Allow or refuse a request; on refusal, name the rule and the text that fired it."""
    if "\x00" in text or any(ord(c) < 32 and c not in "\t\n" for c in text):
        return IntakeDecision(False, "control-characters", "control characters in the request", repr(text))
    for rule in RULES:
        m = rule.pattern.search(text)
        if m:
            return IntakeDecision(False, rule.name, f"The request was refused: {rule.reason}.", m.group(0).strip())
    return IntakeDecision(True)


def refusal_hint() -> str:
    return _HINT
