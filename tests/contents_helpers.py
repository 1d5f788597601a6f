"""A small index with Contents rows, written where the CLI looks for it (fresh for the real apt lists)."""

from __future__ import annotations

from pathlib import Path

from cortex.packages import contents, store
from cortex.packages.records import PackageInfo, info_to_row

PACKAGES = [
    PackageInfo("bind9-dnsutils", "1:9.18", "Clients provided with BIND 9", priority="standard", references=40),
    PackageInfo("vim", "2:9.0", "Vi IMproved - enhanced vi editor", priority="optional", references=58),
    PackageInfo("vim-tiny", "2:9.0", "Vi IMproved - enhanced vi editor - compact version", priority="important"),
    PackageInfo("nvi", "1.81", "4.4BSD re-implementation of vi", priority="optional", references=3),
    PackageInfo("iproute2", "6.1", "networking and traffic control tools", priority="important", references=90),
    PackageInfo("exfatprogs", "1.2", "exFAT file system utilities", priority="optional", references=2),
    PackageInfo("netcat-openbsd", "1.219", "TCP/IP swiss army knife", priority="important", references=30),
    PackageInfo("netcat-traditional", "1.10", "TCP/IP swiss army knife", priority="optional", references=20),
    PackageInfo("postgresql-15", "15.8", "The World's Most Advanced Open Source Relational Database"),
    PackageInfo("graphicsmagick-imagemagick-compat", "1.4", "image processing tools providing ImageMagick interface",
                source="graphicsmagick", references=17),
    PackageInfo("imagemagick-6.q16", "8:6.9", "image manipulation programs -- quantum depth Q16",
                source="imagemagick", references=2),
    PackageInfo("imagemagick", "8:6.9", "image manipulation programs -- binaries", source="imagemagick",
                references=139),
]  # fmt: skip
COMMANDS = [
    ("dig", "usr/bin/dig", "bind9-dnsutils"),
    ("nslookup", "usr/bin/nslookup", "bind9-dnsutils"),
    ("vim.basic", "usr/bin/vim.basic", "vim"),
    ("vim.tiny", "usr/bin/vim.tiny", "vim-tiny"),
    ("nvi", "usr/bin/nvi", "nvi"),
    ("ss", "bin/ss", "iproute2"),
    ("ip", "bin/ip", "iproute2"),
    ("mkfs.exfat", "usr/sbin/mkfs.exfat", "exfatprogs"),
    ("nc.openbsd", "bin/nc.openbsd", "netcat-openbsd"),
    ("nc.traditional", "bin/nc.traditional", "netcat-traditional"),
    ("pg_ctl", "usr/lib/postgresql/15/bin/pg_ctl", "postgresql-15"),
    ("convert", "usr/bin/convert", "graphicsmagick-imagemagick-compat"),
    ("convert-im6.q16", "usr/bin/convert-im6.q16", "imagemagick-6.q16"),
    ("gone", "usr/bin/gone", "not-in-the-archive"),
]


def write_index(path: Path, fingerprint: str = "") -> Path:
    """The test index at `path` (its lookup file beside it); `fingerprint` makes it fresh for apt."""
    meta = {"manager": "apt", "fingerprint": fingerprint, "count": str(len(PACKAGES)), "built_at": "0"}
    store.write_index(path, [info_to_row(i) for i in PACKAGES], meta, steps=[contents.rows_step(COMMANDS, path)])
    return path


def install_for_cli(cortex_home: Path) -> Path:
    """The test index where `cortex` finds it, fresh for this machine's apt lists (so never rebuilt)."""
    from cortex.packages.apt import AptManager

    return write_index(cortex_home / "cache" / "packages-apt.sqlite3", AptManager().lists_fingerprint())
