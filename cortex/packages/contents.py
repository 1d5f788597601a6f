"""apt's Contents lists -> the commands each package ships, kept in the package index.

    refresh_argv()            `apt-get update` with apt's Contents-deb index target enabled: apt fetches
    list_files()              the Contents lists apt has on disk (`apt-get indextargets`)
    read_commands(files)      (name, path, package) for every executable, read with `apt-helper cat-file`
    build_step(manager, old)  the index build's step: the `commands` table and the shell hook's lookup file

cortex never downloads or decompresses Contents itself: apt's acquire machinery fetches them (the same
`Contents-deb` target apt-file configures in /etc/apt/apt.conf.d/50apt-file.conf, so the two share the
files) and apt-helper reads whichever compression apt kept. Only executables are kept (bin/, sbin/,
usr/bin/, usr/sbin/, usr/games/, usr/lib/*/bin/): ~55,000 rows instead of 13 million files.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import sqlite3
import subprocess
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from cortex import data
from cortex.errors import CortexError
from cortex.packages.apt import CONTENTS_OPTIONS, GRAMMAR, index_target_files
from cortex.packages.base import c_locale_env, first_error_line

__all__ = [
    "APT_HELPER",
    "PATH_DIRS",
    "TABLE",
    "build_step",
    "list_files",
    "lookup_path",
    "parse_lines",
    "read_commands",
    "refresh_argv",
    "shipped_rows",
    "target_options",
]


APT_HELPER = "/usr/lib/apt/apt-helper"
# Directories on a user's PATH, most usual first; usr/lib/*/bin (java, postgresql's pg_ctl) ranks after.
PATH_DIRS = ("usr/bin/", "bin/", "usr/sbin/", "sbin/", "usr/games/")
# grep's ERE for the kept lines: a file directly in one of PATH_DIRS, or in some usr/lib/.../bin/.
_GREP_PATTERN = r"^((usr/)?(s?bin|games)|usr/lib/[^[:space:]]*/bin)/[^/[:space:]]+[[:space:]]"
_KEPT = re.compile(r"^(?:(?:usr/)?(?:s?bin|games)|usr/lib/\S*/bin)/[^/\s]+$")
READ_TIMEOUT_S = 300

_SCHEMA = """
CREATE TABLE IF NOT EXISTS commands (name TEXT NOT NULL, path TEXT NOT NULL, package TEXT NOT NULL);
"""


def target_options() -> list[str]:
    """apt `-o` options that define and enable the Contents-deb index target (the apt adapter's table)."""
    return list(CONTENTS_OPTIONS)


def refresh_argv() -> list[str]:
    """`apt-get update` that also fetches the Contents lists (needs root, like any apt-get update)."""
    return list(GRAMMAR.operations["refresh_contents"].argv)


def list_files(run: Callable[..., subprocess.CompletedProcess] = subprocess.run) -> list[str]:
    """The Contents lists apt has downloaded, as apt names them; [] when there are none (or no apt)."""
    return index_target_files("Contents-deb", target_options(), run)


def fingerprint(files: Sequence[str]) -> str:
    """Changes when any of the Contents lists does (apt replaced, added or dropped one); "" for none."""
    if not files:
        return ""
    h = hashlib.sha256()
    for f in sorted(files):
        try:
            st = os.stat(f)
        except OSError:
            continue
        h.update(f"{f}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:32]


def parse_lines(lines: Iterable[str]) -> Iterator[tuple[str, str, str]]:
    """Contents lines ('usr/bin/dig   net/bind9-dnsutils') -> (name, path, package) for executables.

    The last whitespace-separated field lists the packages ('admin/a,net/b'); a path may hold spaces.
    """
    for line in lines:
        path, _, where = line.rstrip("\n").rpartition(" ")
        path = path.rstrip()
        if not path or not _KEPT.match(path):
            continue
        name = path.rsplit("/", 1)[1]
        for item in where.split(","):
            package = item.rsplit("/", 1)[-1].strip()
            if package:
                yield name, path, package


def read_commands(files: Sequence[str]) -> list[tuple[str, str, str]]:
    """Every executable the Contents lists name, read through apt-helper and filtered by grep.

    A Contents list is ~600 MB uncompressed; grep keeps the ~1% of lines that name an executable
    before Python sees any of them.
    """
    if not files:
        return []
    try:
        cat = subprocess.Popen(
            [APT_HELPER, "cat-file", *files], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=c_locale_env()
        )
    except FileNotFoundError:
        raise CortexError(
            f"{APT_HELPER} is missing.", hint="cortex reads Contents lists with apt's own helper."
        ) from None
    assert cat.stdout is not None and cat.stderr is not None
    grep = subprocess.Popen(
        ["grep", "-E", _GREP_PATTERN], stdin=cat.stdout, stdout=subprocess.PIPE, env={**c_locale_env(), "LC_ALL": "C"}
    )
    cat.stdout.close()  # grep holds the pipe now; apt-helper gets SIGPIPE if grep dies
    try:
        out, _ = grep.communicate(timeout=READ_TIMEOUT_S)
        err = cat.stderr.read().decode("utf-8", "replace")
        cat.wait(timeout=READ_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        cat.kill()
        grep.kill()
        raise CortexError("Reading apt's Contents lists took too long.", hint="Try `cortex index` again.") from None
    finally:
        cat.stderr.close()
    if cat.returncode != 0:
        raise CortexError(
            "apt-helper could not read the Contents lists: " + first_error_line(err),
            hint="Run `cortex index --contents` to fetch them again.",
        )
    return list(dict.fromkeys(parse_lines(out.decode("utf-8", "replace").splitlines())))


def lookup_path(index_path: Path) -> Path:
    """The shell hook's lookup file beside the index: 'command<TAB>pkg pkg ...' lines in byte order."""
    return index_path.with_name(index_path.stem + ".commands")


def build_step(
    manager: object, previous: Path, contents_files: Callable[[], list[str]] = list_files
) -> Callable[[sqlite3.Connection], None]:
    """The index build's Contents step for `manager`; `previous` is the index being replaced.

    When apt's Contents lists are the same as at the previous build, or have gone (a plain
    `apt-get update` without the target drops them), the previous build's rows are kept. With none
    ever read (a fresh machine), an apt index holds cortex's table of well-known commands instead.
    """

    def step(conn: sqlite3.Connection) -> None:
        started = time.monotonic()
        conn.executescript(_SCHEMA)
        files = contents_files() if getattr(manager, "name", "") == "apt" else []
        fp = fingerprint(files)
        old = _previous_meta(previous)
        source, error = "none", ""
        rows: list[tuple[str, str, str]] | None = None
        if files and fp != old.get("contents_fingerprint"):
            try:
                rows = read_commands(files)
            except CortexError as exc:  # the package index is still good without Contents
                error, fp = exc.message, ""
        if rows is not None:
            conn.executemany("INSERT INTO commands (name, path, package) VALUES (?, ?, ?)", rows)
            source = "apt"
        elif (
            old.get("contents_count", "0") != "0"
            and old.get("contents_source") != TABLE
            and _copy_previous(conn, previous)
        ):
            source = "apt" if files and not error else "previous build"
            fp = fp or old.get("contents_fingerprint", "")
        elif getattr(manager, "name", "") == "apt":
            # No Contents: cortex's table of well-known commands (scripts/build_command_table.py)
            conn.executemany("INSERT INTO commands (name, path, package) VALUES (?, ?, ?)", shipped_rows())
            source = TABLE
        _finish(
            conn,
            previous,
            {
                "contents_fingerprint": fp,
                "contents_source": source,
                "contents_files": " ".join(files),
                "contents_error": error,
            },
            started,
        )

    return step


# The `contents_source` of an index whose commands come from cortex's own table, not apt's Contents.
TABLE = "cortex table"
SHIPPED_TABLE = "commands_apt.tsv"


def shipped_rows() -> list[tuple[str, str, str]]:
    """(name, path, package) of cortex/data/commands_apt.tsv: the well-known commands whose package is
    named otherwise, from Debian's Contents (generated by scripts/build_command_table.py)."""
    out = []
    for line in data.text(SHIPPED_TABLE).splitlines():
        if line and not line.startswith("#"):
            name, path, package = line.split("\t")
            out.append((name, path, package))
    return out


def rows_step(rows: Sequence[tuple[str, str, str]], index_path: Path) -> Callable[[sqlite3.Connection], None]:
    """A build step that stores the given (name, path, package) rows (tests; managers without apt)."""

    def step(conn: sqlite3.Connection) -> None:
        started = time.monotonic()
        conn.executescript(_SCHEMA)
        conn.executemany("INSERT INTO commands (name, path, package) VALUES (?, ?, ?)", rows)
        _finish(
            conn, index_path, {"contents_fingerprint": "", "contents_source": "given", "contents_files": ""}, started
        )

    return step


def _finish(conn: sqlite3.Connection, index_path: Path, meta: dict[str, str], started: float) -> None:
    # Rows for packages the archive no longer has would suggest packages that cannot be installed.
    conn.execute("DELETE FROM commands WHERE package NOT IN (SELECT name FROM packages)")
    conn.execute("CREATE INDEX IF NOT EXISTS commands_name ON commands (name)")
    conn.execute("CREATE INDEX IF NOT EXISTS commands_path ON commands (path)")
    count = conn.execute("SELECT count(*) FROM commands").fetchone()[0]
    meta = {**meta, "contents_count": str(count), "contents_seconds": f"{time.monotonic() - started:.2f}"}
    if not count:
        meta["contents_source"] = "none"
    conn.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", meta.items())
    if count:
        _write_lookup(conn, lookup_path(index_path))
    else:  # no Contents: no lookup file (the hook then prints the shell's own message)
        with contextlib.suppress(OSError):
            lookup_path(index_path).unlink()


def _previous_meta(previous: Path) -> dict[str, str]:
    from cortex.packages import store

    conn = store.connect_readonly(previous)
    if conn is None:
        return {}
    try:
        return store.read_meta(conn)
    finally:
        conn.close()


def _copy_previous(conn: sqlite3.Connection, previous: Path) -> bool:
    try:
        if not previous.is_file():
            return False
        conn.execute("ATTACH DATABASE ? AS previous", (str(previous),))
    except sqlite3.Error:
        return False
    try:
        conn.execute("INSERT INTO commands SELECT name, path, package FROM previous.commands")
        return True
    except sqlite3.Error:
        return False
    finally:
        conn.commit()
        conn.execute("DETACH DATABASE previous")


def _write_lookup(conn: sqlite3.Connection, path: Path) -> None:
    """The shell hook's file: commands on PATH, each with its packages best first (commands.rank_key).

    A line per command a package ships, per Debian alternative (`vi`, from command_alternatives.yaml)
    and per `name.variant` family (`nc` from nc.openbsd, nc.traditional).
    """
    from cortex.packages.commands import alternatives_names, rank_key, rows_where
    from cortex.system.files import write_atomic

    by_name: dict[str, list[tuple]] = {}
    for row in rows_where(conn, "", ()):
        if row[1].startswith(PATH_DIRS) and not any(c.isspace() for c in row[0]):
            by_name.setdefault(row[0], []).append(row)
    wanted: dict[str, set[str]] = {name: {name} for name in by_name}
    for name in by_name:
        base, dot, _ = name.partition(".")
        if dot and base:
            wanted.setdefault(base, {base}).add(name)
    for alias, programs in alternatives_names().items():
        wanted.setdefault(alias, {alias}).update(programs)
    lines = []
    for asked, names in wanted.items():
        rows = [r for n in names for r in by_name.get(n, ())]
        if not rows:
            continue
        packages = dict.fromkeys(r[2] for r in sorted(rows, key=lambda r: rank_key(asked, *r)))
        lines.append(f"{asked}\t{' '.join(packages)}\n")
    lines.sort(key=lambda ln: ln.encode())  # `look` bisects in byte order
    try:
        write_atomic(path, "".join(lines))
    except CortexError:
        pass  # the hook then finds nothing and falls back to the shell's message; the index is fine
