"""PackageIndex: the distribution's packages, searchable in milliseconds.

    idx = PackageIndex.open()            # built from the package manager, rebuilt when its lists change
    idx.get("nginx")                     # one real package, or None
    idx.resolve_term("postgres")         # curated alias, exact name, then Provides
    idx.search("something to edit PDFs") # ranked candidates (cortex.packages.ranking)
    idx.suggest("ngnix")                 # near names for "did you mean"

Only names that come out of this index may ever reach a plan: it is the guard against invented names.
"""

from __future__ import annotations

import difflib
import sqlite3
import time
from collections.abc import Iterable, Sequence
from dataclasses import replace
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

from cortex import paths
from cortex.errors import CortexError, StateError
from cortex.packages import contents, english, phrases, priors, ranking, spelling, store, translations
from cortex.packages.aliases import alias_targets, normalize_term
from cortex.packages.commands import CommandProvider, alternatives_for, commands_of, providers_of
from cortex.packages.records import Candidate, PackageInfo, info_to_row, row_to_info

if TYPE_CHECKING:
    from cortex.packages.base import PackageManager, Simulation

__all__ = ["Candidate", "PackageIndex", "PackageInfo", "default_path"]

_RETRIEVE_TEXT = 100  # full-text hits considered per search
_RETRIEVE_POPULAR = 40  # most-referenced full-text matches added to them
_COMMON_DF = 3000  # words in more packages than this are not used to retrieve (only to score)
_RETRIEVE_NAME = 25  # name-prefix hits per request word
_RETRIEVE_PHRASE = 40  # packages whose summary holds a pair of the request's adjacent words
_RETRIEVE_INTERFACE = 25  # terminal programs holding one of the request's words, by text and by use
# How a package says it runs in a terminal, in the full-text index's summary and debtags columns
# (interface::text-mode, uitoolkit::ncurses; "ncurses-based", "console"). Graphical programs say it in
# words too common to retrieve on (gnome, kde, x11, gtk).
_TERMINAL_TERMS = ("ncurses", "curses", "console", "terminal", "tui", "text-mode", "commandline", "command-line")
_P_COLUMNS = ", ".join("p." + c.strip() for c in store.COLUMNS.split(","))
_PRIORITY_ORDER = {"required": 0, "important": 1, "standard": 2, "optional": 3, "extra": 4}


def default_path(manager_name: str) -> Path:
    return paths.cache_dir() / f"packages-{manager_name}.sqlite3"


class PackageIndex:
    """Read-only queries over one built index file."""

    def __init__(self, conn: sqlite3.Connection, path: Path, meta: dict[str, str]) -> None:
        self._conn = conn
        self.path = path
        self.meta = meta
        self.manager_name = meta.get("manager", "apt")
        self._total = int(meta.get("count", "0") or 0)

    # -- opening and building -------------------------------------------------------------------
    @classmethod
    def open(
        cls, manager: PackageManager | None = None, *, path: Path | None = None, refresh: bool = True
    ) -> PackageIndex:
        """The index for `manager` (default: detected), built or rebuilt first when missing or stale.

        With refresh=False an existing index is used as it is, however old.
        """
        if manager is None:
            from cortex.packages.detect import detect_manager

            manager = detect_manager()
        path = path or default_path(manager.name)
        fingerprint = manager.lists_fingerprint()
        idx = cls._open_if_fresh(path, manager.name, fingerprint if refresh else None)
        if idx is not None:
            return idx
        with store.build_lock(path):
            # Another process may have built it while this one waited for the lock.
            idx = cls._open_if_fresh(path, manager.name, fingerprint if refresh else None)
            if idx is not None:
                return idx
            try:
                cls.build(manager, path=path, fingerprint=fingerprint)
            except CortexError:
                # apt cannot be read right now (e.g. mid-upgrade): an older index beats none at all.
                stale = cls._open_if_fresh(path, manager.name, None)
                if stale is None:
                    raise
                stale.meta["stale"] = "1"
                return stale
        idx = cls._open_if_fresh(path, manager.name, None)
        if idx is None:
            raise StateError(f"The package index {path} could not be opened after building it.")
        return idx

    @classmethod
    def _open_if_fresh(cls, path: Path, manager_name: str, fingerprint: str | None) -> PackageIndex | None:
        conn = store.connect_readonly(path)
        if conn is None:
            return None
        meta = store.read_meta(conn)
        fresh = meta.get("schema") == store.SCHEMA_VERSION and meta.get("manager") == manager_name
        if fresh and fingerprint is not None:
            fresh = meta.get("fingerprint") == fingerprint
        if not fresh:
            conn.close()
            return None
        return cls(conn, path, meta)

    @classmethod
    def build(cls, manager: PackageManager, *, path: Path | None = None, fingerprint: str | None = None) -> Path:
        """(Re)build the index from the package manager; returns its path."""
        path = path or default_path(manager.name)
        started = time.monotonic()
        rows = manager.iter_rows()
        descriptions, described_by = translations.descriptions_for(manager, path)
        rows = translations.fill(rows, descriptions)
        fingerprint = manager.lists_fingerprint() if fingerprint is None else fingerprint
        meta = {
            "manager": manager.name,
            "fingerprint": fingerprint,
            "count": str(len(rows)),
            "built_at": str(int(time.time())),
            "descriptions_source": described_by,
            "descriptions_count": str(len(descriptions)),
        }
        store.write_index(path, rows, meta, steps=[contents.build_step(manager, path)])
        priors.add_to(path)
        meta["build_seconds"] = f"{time.monotonic() - started:.2f}"
        return path

    @classmethod
    def from_records(
        cls,
        records: Iterable[PackageInfo],
        *,
        path: Path,
        manager_name: str = "apt",
        commands: Iterable[tuple[str, str, str]] = (),
    ) -> PackageIndex:
        """An index over the given packages (tests, and managers whose records come from elsewhere);
        `commands` are Contents rows (name, path, package)."""
        records = list(records)
        rows = [info_to_row(i) for i in records]
        described = sum(1 for i in records if i.description)
        meta = {"manager": manager_name, "fingerprint": "", "count": str(len(rows)), "built_at": "0",
                "descriptions_count": str(described)}  # fmt: skip
        store.write_index(path, rows, meta, steps=[contents.rows_step(list(commands), path)])
        priors.add_to(path)
        idx = cls._open_if_fresh(path, manager_name, None)
        assert idx is not None
        return idx

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> PackageIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __len__(self) -> int:
        return self._total

    # -- exact lookups ----------------------------------------------------------------------------
    def get(self, name: str) -> PackageInfo | None:
        """The real package called exactly `name`, or None."""
        row = self._conn.execute(f"SELECT {store.COLUMNS} FROM packages WHERE name = ?", (name,)).fetchone()
        return row_to_info(row) if row else None

    def get_many(self, names: Sequence[str]) -> dict[str, PackageInfo]:
        """The real packages among `names`, by name."""
        out: dict[str, PackageInfo] = {}
        names = list(dict.fromkeys(names))
        for start in range(0, len(names), 500):
            chunk = names[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self._conn.execute(f"SELECT {store.COLUMNS} FROM packages WHERE name IN ({marks})", chunk):
                info = row_to_info(row)
                out[info.name] = info
        return out

    def exists(self, name: str) -> bool:
        return self._conn.execute("SELECT 1 FROM packages WHERE name = ?", (name,)).fetchone() is not None

    def providers(self, virtual: str) -> list[PackageInfo]:
        """Real packages that Provide `virtual`, most likely choice first (priority, then popularity)."""
        rows = self._conn.execute(
            f"SELECT {_P_COLUMNS} FROM provides v JOIN packages p ON p.id = v.package_id WHERE v.virtual = ?",
            (virtual,),
        ).fetchall()
        infos = [row_to_info(r) for r in rows]
        infos.sort(key=lambda i: (_PRIORITY_ORDER.get(i.priority, 5), -i.rdepends_count, i.name))
        return infos

    def development_package(self, source: str) -> PackageInfo | None:
        """The development package (`-dev`) built from the source package `source` that most packages
        depend on (openssl -> libssl-dev), or None."""
        row = self._conn.execute(
            f"SELECT {store.COLUMNS} FROM packages WHERE source = ? AND name LIKE '%-dev' "
            "ORDER BY rdepends_count DESC, name LIMIT 1",
            (source,),
        ).fetchone()
        return row_to_info(row) if row else None

    def command_providers(self, query: str, limit: int = 20) -> list[CommandProvider]:
        """Packages that ship the command or file `query`, best first ([] without Contents; see commands.py)."""
        return providers_of(self._conn, query, limit=limit)

    def commands_of(self, package: str) -> list[str]:
        """The commands `package` ships on PATH, per Contents ([] without them)."""
        return commands_of(self._conn, package)

    @property
    def has_descriptions(self) -> bool:
        """Whether this index holds most packages' long descriptions (apt's Translation-en lists; a
        Packages list without them may still carry a few)."""
        count = self.meta.get("descriptions_count", "0")
        return count.isdigit() and 2 * int(count) >= len(self)

    @property
    def has_contents(self) -> bool:
        """Whether this index holds apt's Contents (the commands each package ships); cortex's own table
        of well-known commands, which an index without them holds, does not count."""
        return (
            self.meta.get("contents_count", "0") not in ("", "0") and self.meta.get("contents_source") != contents.TABLE
        )

    def resolve_term(self, term: str) -> list[PackageInfo]:
        """A name as users type it -> real packages: curated alias, exact name, then Provides; [] if none."""
        key = normalize_term(term)
        if not key:
            return []
        # A curated alias wins over a same-named package: Debian's `docker` is a tray applet, and
        # people who type "docker" mean docker.io.
        targets = alias_targets(key, self.manager_name)
        if targets:
            found = self.get_many(targets)
            for name in targets:  # the first alias target that exists is the one meant
                if name in found:
                    return [found[name]]
        for candidate in dict.fromkeys((key, key.replace(" ", "-"))):
            info = self.get(candidate)
            if info is not None:
                return [info]
        for candidate in dict.fromkeys((key, key.replace(" ", "-"))):
            provided = self.providers(candidate)
            if provided:
                return provided
        return []

    def suggest(self, term: str, limit: int = 5) -> list[str]:
        """Real names close to `term`, for "did you mean ...?"."""
        key = normalize_term(term).replace(" ", "-")
        if not key:
            return []
        # Typos rarely hit the first letter: compare against names that share it and have a similar length.
        rows = self._conn.execute(
            "SELECT name FROM packages WHERE name >= ? AND name < ? AND length(name) BETWEEN ? AND ?",
            (key[0], key[0] + "\U0010ffff", max(1, len(key) - 3), len(key) + 3),
        ).fetchall()
        pool = [r[0] for r in rows]
        close = difflib.get_close_matches(key, pool, n=limit, cutoff=0.75)
        if len(close) < limit:  # "python" -> python3, python3-pip ...
            longer = self._conn.execute(
                "SELECT name FROM packages WHERE name > ? AND name < ? ORDER BY rdepends_count DESC LIMIT ?",
                (key, key + "\U0010ffff", limit),
            ).fetchall()
            close += [r[0] for r in longer if r[0] not in close]
        return close[:limit]

    def with_sizes(self, sim: Simulation) -> Simulation:
        """`sim` with the download and disk sizes filled in from the index where the package manager did
        not print them (`apt-get -s` prints none): new and upgraded packages' sizes, minus removals."""
        if not sim.ok or (sim.download_bytes is not None and sim.disk_bytes is not None):
            return sim
        fetched = [n for n, _ in sim.new] + [n for n, _, _ in sim.upgraded]
        infos = self.get_many(fetched + [n for n, _ in sim.removed])
        download = sum(infos[n].download_size for n in fetched if n in infos)
        disk = sum(infos[n].installed_size for n, _ in sim.new if n in infos)
        disk -= sum(infos[n].installed_size for n, _ in sim.removed if n in infos)
        return replace(
            sim,
            download_bytes=sim.download_bytes if sim.download_bytes is not None else download,
            disk_bytes=sim.disk_bytes if sim.disk_bytes is not None else disk,
        )

    # -- described needs --------------------------------------------------------------------------
    def search(self, request: str, limit: int = 20) -> list[Candidate]:
        """Packages for a described need, best first, each with the signals that placed it."""
        query = ranking.analyse(request)
        if not query.words:
            return []
        doc_freq = self._doc_freq(query)
        infos: dict[str, PackageInfo] = {}
        text_ranks: dict[str, float] = {}
        for pos, info in enumerate(self._text_hits(self._retrieval_terms(query, doc_freq))):
            infos.setdefault(info.name, info)
            text_ranks.setdefault(info.name, max(0.0, 1.0 - pos / _RETRIEVE_TEXT))
        hits = (
            *self._name_hits(query),
            *self._summary_phrase_hits(query, doc_freq),
            *self._terminal_hits(query, doc_freq),
        )
        for info in hits:
            infos.setdefault(info.name, info)
        task_members = self._task_members(query, infos.values())
        shipped = self._shipped_commands(query)
        missing = [n for n in (*task_members, *shipped) if n not in infos]
        infos.update(self.get_many(missing))
        idf = self._idf(query, doc_freq)
        return ranking.rank(
            query,
            infos.values(),
            idf=idf,
            text_ranks=text_ranks,
            task_members=task_members,
            priors=priors.read(self._conn, infos),
            shipped=shipped,
            limit=limit,
        )

    def respell(self, request: str) -> tuple[str, dict[str, str]]:
        """`request` (lowercased) with its misspelled words read as the archive's (cortex.packages.spelling),
        and the replacements made ({} when none: the request as given)."""
        query = ranking.analyse(request)
        understood = ranking.vocabulary().synonyms
        words = [w for w in query.raw_words if w not in understood and ranking.stem(w) not in understood]
        fixes = spelling.corrections(words, self._term_docs, english.is_word)
        return (spelling.respelled(request.lower(), fixes), fixes) if fixes else (request, {})

    def _term_docs(self, terms: Iterable[str]) -> dict[str, int]:
        """How many packages use each of `terms` in the full-text index (unused ones left out)."""
        wanted = list(dict.fromkeys(terms))
        out: dict[str, int] = {}
        for start in range(0, len(wanted), 900):
            chunk = wanted[start : start + 900]
            marks = ",".join("?" * len(chunk))
            rows = self._conn.execute(f"SELECT term, doc FROM fts_terms WHERE term IN ({marks})", chunk)
            out.update((term, int(doc)) for term, doc in rows.fetchall())
        return out

    def word_weights(self, request: str) -> dict[str, float]:
        """How distinctive each content word of `request` is in this archive (its idf; common words ~0.3)."""
        query = ranking.analyse(request)
        return self._idf(query, self._doc_freq(query)) if query.words else {}

    def _idf(self, query: ranking.Query, doc_freq: dict[str, int]) -> dict[str, float]:
        total = self._total or 1
        return {
            w: ranking.idf_weight(max((doc_freq.get(f, 0) for f in (w, *ranking.forms(w))), default=0), total)
            for w in query.words
        }

    def _shipped_commands(self, query: ranking.Query) -> dict[str, str]:
        """package -> the command it ships among those the need names (and their alternatives): one
        lookup on the commands table's name index; {} when the need names none or there are no Contents."""
        if not query.commands:
            return {}
        asked = {alt: name for name in reversed(query.commands) for alt in (*alternatives_for(name), name)}
        marks = ",".join("?" * len(asked))
        try:
            rows = self._conn.execute(
                f"SELECT name, package FROM commands WHERE name IN ({marks})", list(asked)
            ).fetchall()
        except sqlite3.OperationalError:  # an index built before Contents were kept
            return {}
        out: dict[str, str] = {}
        for name, package in rows:  # Debian's alternatives put `name` behind it: it ships that command too
            out.setdefault(package, asked[name])
        return out

    def _doc_freq(self, query: ranking.Query) -> dict[str, int]:
        """How many packages mention each indexed word related to the request (absent words left out)."""
        return self._term_docs(t for w in query.search_terms() for t in ranking.index_forms(w))

    def _retrieval_terms(self, query: ranking.Query, doc_freq: dict[str, int]) -> list[str]:
        """Index tokens to retrieve on: the forms of the request's rarer words and their synonyms.

        A word found in thousands of packages ("server", "data") retrieves nothing useful and costs
        most of the time; it and its synonyms are left to the scoring, which still counts them.
        """
        groups: list[tuple[int, list[str]]] = []
        for word in dict.fromkeys(query.words):
            own = [t for t in ranking.index_forms(word) if t in doc_freq]
            total = sum(doc_freq[t] for t in own)
            synonyms = [t for syn in query.expansions.get(word, ()) for t in ranking.index_forms(syn) if t in doc_freq]
            groups.append((total, own + [t for t in synonyms if doc_freq[t] <= _COMMON_DF]))
        rare = [terms for total, terms in groups if total <= _COMMON_DF]
        if not rare:  # every word is common: use the rarest one
            rare = [min(groups)[1]] if groups else []
        return list(dict.fromkeys(t for terms in rare for t in terms))

    def _text_hits(self, terms: list[str]) -> list[PackageInfo]:
        """The best full-text matches for `terms`, and the most referenced packages among all matches."""
        if not terms:
            return []
        match = " OR ".join(f'"{t}"' for t in terms)
        try:
            ids = self._best_text_matches(match)
            if self.has_descriptions:
                # Long descriptions mention a rare word in passing ("... and PDF export") and repeat it:
                # on their own they crowd out the packages whose name or summary is about the need
                # (ipe, "drawing editor for creating figures in PDF"). Those are retrieved apart.
                ids = _interleaved(self._best_text_matches("{name summary tags} : (" + match + ")"), ids)
            # Full-text rank favours packages that repeat a rare word; the well-known program that
            # matches only one word well (gimp for "image editor") comes in through its popularity.
            popular = self._conn.execute(
                "SELECT id FROM packages WHERE id IN (SELECT rowid FROM fts WHERE fts MATCH ?) "
                'ORDER BY "references" DESC LIMIT ?',
                (match, _RETRIEVE_POPULAR),
            ).fetchall()
        except sqlite3.OperationalError:
            return []
        order = {rowid: pos for pos, (rowid,) in enumerate(ids)}
        for (rowid,) in popular:
            order.setdefault(rowid, len(order))
        marks = ",".join("?" * len(order))
        rows = self._conn.execute(f"SELECT id, {store.COLUMNS} FROM packages WHERE id IN ({marks})", list(order))
        found = sorted(rows.fetchall(), key=lambda r: order[r[0]])
        return [row_to_info(r[1:]) for r in found]

    def _best_text_matches(self, match: str) -> list[tuple[int]]:
        return self._conn.execute(
            "SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY bm25(fts, 8.0, 4.0, 1.0, 2.0) LIMIT ?",
            (match, _RETRIEVE_TEXT),
        ).fetchall()

    def _name_hits(self, query: ranking.Query) -> list[PackageInfo]:
        names = list(query.name_guesses)
        names += ["task-" + g for g in query.name_guesses]  # Debian's tasks: task-web-server, task-gnome-desktop
        names += ranking.module_names(query)  # "a python client for redis" -> python3-redis
        words = list(dict.fromkeys((*query.raw_words, *query.words)))  # "PDFs" -> pdfs, pdf
        for w in words:
            names += [w, w + "3", w + "2"]
            names += [syn for syn in query.expansions.get(ranking.stem(w), ()) if syn.isalnum()]
        out = list(self.get_many(names).values())
        out += self._name_phrase_hits(query)
        for w in words:
            if len(w) < 2:
                continue
            # Names that start with the word (redis -> redis-server, python -> python3-numpy), the most
            # referenced first.
            rows = self._conn.execute(
                f'SELECT {store.COLUMNS} FROM packages WHERE name > ? AND name < ? ORDER BY "references" DESC LIMIT ?',
                (w, w + "\U0010ffff", _RETRIEVE_NAME),
            ).fetchall()
            out += [row_to_info(r) for r in rows]
        return out

    def _name_phrase_hits(self, query: ranking.Query) -> list[PackageInfo]:
        """Packages whose name holds two of the request's words side by side (gnome-system-monitor for
        "system monitor"), found through the name column of the full-text index."""
        words = [w for w in (query.named_words or query.raw_words) if w.isalnum()]
        pairs = [f'"{a} {b}"' for a, b in pairwise(words)]
        if not pairs:
            return []
        return self._fts_rows("name : (" + " OR ".join(pairs) + ")", _RETRIEVE_NAME)

    def _summary_phrase_hits(self, query: ranking.Query, doc_freq: dict[str, int]) -> list[PackageInfo]:
        """Packages whose summary holds two adjacent words of the need as a phrase ("build system",
        "partition editor"): words too common to retrieve on alone still find them together."""
        found = phrases.retrieval_phrases(query, doc_freq)
        if not found:
            return []
        return self._fts_rows("summary : (" + " OR ".join(found) + ")", _RETRIEVE_PHRASE)

    def _terminal_hits(self, query: ranking.Query, doc_freq: dict[str, int]) -> list[PackageInfo]:
        """For a need asked for in a terminal, the packages that say they are terminal programs and hold
        one of its words ("a terminal ui for git" and tig, "ncurses-based text-mode interface for Git"):
        full-text rank buries them under packages that repeat the need's words, whatever their interface."""
        own = [t for w in dict.fromkeys(query.words) for t in ranking.index_forms(w) if t in doc_freq]
        if query.interface != "commandline" or not own:
            return []
        words = " OR ".join(f'"{t}"' for t in own)
        style = " OR ".join(f'"{t}"' for t in _TERMINAL_TERMS)
        match = f"({words}) AND ({{summary tags}} : ({style}))"
        # The best text matches (tig) and the most used (ccze, lnav): neither order alone finds both.
        return self._fts_rows(match, _RETRIEVE_INTERFACE, by_text=True) + self._fts_rows(match, _RETRIEVE_INTERFACE)

    def _fts_rows(self, match: str, limit: int, *, by_text: bool = False) -> list[PackageInfo]:
        """The `limit` most referenced packages that a full-text MATCH expression finds (`by_text`: the
        best full-text matches)."""
        if by_text:
            sql = (
                f"SELECT {store.COLUMNS} FROM packages JOIN (SELECT rowid AS hit, bm25(fts, 8.0, 4.0, 1.0, 2.0) "
                "AS rank FROM fts WHERE fts MATCH ? ORDER BY rank LIMIT ?) ON id = hit ORDER BY rank"
            )
        else:
            sql = (
                f"SELECT {store.COLUMNS} FROM packages WHERE id IN (SELECT rowid FROM fts WHERE fts MATCH ?) "
                'ORDER BY "references" DESC LIMIT ?'
            )
        try:
            rows = self._conn.execute(sql, (match, limit)).fetchall()
        except sqlite3.OperationalError:
            return []
        return [row_to_info(r) for r in rows]

    def _task_members(self, query: ranking.Query, infos: Iterable[PackageInfo]) -> dict[str, str]:
        """Debian task-* metapackages that fit the request point at the usual packages for it."""
        members: dict[str, str] = {}
        for info in infos:
            if info.section != "tasks" and not info.name.startswith("task-"):
                continue
            cov, _ = ranking.coverage(query, info, {})
            if cov < 0.99:
                continue
            # A task's Depends are its point (task-web-server -> apache2); its Recommends are extras
            # (documentation, log analysers) unless it has no Depends of its own.
            core = [n for n in info.depends if n != "tasksel" and not n.startswith("task-")]
            for name in core or [n for n in info.recommends if not n.startswith("task-")]:
                members.setdefault(name, info.name)
        return members


def _interleaved(first: list[tuple[int]], second: list[tuple[int]]) -> list[tuple[int]]:
    """Two ranked lists as one, alternating, each row once (both keep their head near the top)."""
    out: dict[tuple[int], None] = {}
    for pair in zip(first, second, strict=False):
        out.update(dict.fromkeys(pair))
    longer = first if len(first) > len(second) else second
    out.update(dict.fromkeys(longer[min(len(first), len(second)) :]))
    return list(out)
