"""The lock file: the exact packages cortex resolved for each request, meant to be reviewed and committed.

    lock = load(path)                       # LockError (exit 14) for anything that cannot be trusted
    lock = merge(existing_or_None, entry, host)   # the same request is replaced, the others are kept
    save(path, lock)                        # temp file + fsync + rename: never a half-written lock

Schema version 1 (docs/PROVISIONING.md has the reference):

    version: 1
    generated_by: cortex 0.1.0
    updated_at: '2026-12-01T21:15:00Z'
    distribution: {id: debian, release: '12', codename: bookworm}
    manager: apt
    architecture: amd64                      # the native architecture of the machine that locked it
    requests:
    - request: hello
      locked_at: '2026-12-01T21:15:00Z'
      source: cortex install                 # or `history 42`
      backend: exact
      model: ''
      packages:                              # what the request chose: installed as name=version
      - {name: hello, version: 2.10-3, architecture: amd64, origin: debian/main, backend: exact, why: ...}
      closure:                               # what apt's simulation pulled in with it (for review)
      - {name: hello, version: 2.10-3, architecture: amd64}

Parsing and validation are pure; `load` and `save` are the only I/O.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from cortex.errors import LockError, NotFoundError

SCHEMA_VERSION = 1
# A lock is untrusted input (it is committed, reviewed and hand-edited): read with bounded aliases and
# depth, and a size bound that a real lock stays far below (~15 values per pinned package, so a
# million values is some 60,000 packages) while a nest of aliases cannot expand past it.
MAX_NODES = 1_000_000
_ARCH = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_ANY_VERSION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.+~_:-]*$")  # managers that declare no pins
HEADER = (
    "# cortex lock file (schema version {version}): the exact packages resolved for each request.\n"
    "# Review it and commit it. `cortex apply FILE` installs these versions without asking a model;\n"
    "# `cortex export ansible FILE` turns it into a playbook. See docs/PROVISIONING.md.\n"
)


@dataclass(frozen=True)
class Distribution:
    """The distribution and release a lock's versions come from (os-release ID, VERSION_ID, codename)."""

    id: str
    release: str
    codename: str = ""

    def describe(self) -> str:
        return f"{self.id} {self.release}" + (f" ({self.codename})" if self.codename else "")

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "release": self.release, "codename": self.codename}


@dataclass(frozen=True)
class LockedPackage:
    """One package at one exact version; origin/backend/why are filled for what a request chose."""

    name: str
    version: str
    architecture: str
    origin: str = ""
    backend: str = ""
    why: str = ""

    def to_dict(self, *, closure: bool = False) -> dict[str, str]:
        d = {"name": self.name, "version": self.version, "architecture": self.architecture}
        if not closure:
            d.update(origin=self.origin, backend=self.backend, why=self.why)
        return d


@dataclass(frozen=True)
class LockedRequest:
    """One request's entry: the packages it chose and the closure apt's simulation pulled in with them."""

    request: str
    packages: tuple[LockedPackage, ...]
    closure: tuple[LockedPackage, ...] = ()
    backend: str = ""
    model: str = ""
    locked_at: str = ""
    source: str = "cortex install"

    def to_dict(self) -> dict[str, Any]:
        return {
            "request": self.request,
            "locked_at": self.locked_at,
            "source": self.source,
            "backend": self.backend,
            "model": self.model,
            "packages": [p.to_dict() for p in self.packages],
            "closure": [p.to_dict(closure=True) for p in self.closure],
        }


@dataclass(frozen=True)
class Lock:
    """A whole lock file: the system it is for and each request's entry."""

    distribution: Distribution
    manager: str
    architecture: str
    requests: tuple[LockedRequest, ...] = ()
    generated_by: str = ""
    updated_at: str = ""
    version: int = SCHEMA_VERSION

    def packages(self) -> tuple[LockedPackage, ...]:
        """Every chosen package once, in request order (the same package twice at one version is one pin)."""
        seen: dict[tuple[str, str], LockedPackage] = {}
        for req in self.requests:
            for pkg in req.packages:
                seen.setdefault((pkg.name, self.arch_key(pkg)), pkg)
        return tuple(seen.values())

    def arch_key(self, pkg: LockedPackage) -> str:
        """'' for a native or architecture-independent package, else its foreign architecture."""
        return "" if pkg.architecture in (self.architecture, "all", "") else pkg.architecture

    def requests_of(self, pkg: LockedPackage) -> list[str]:
        return [r.request for r in self.requests if any(p.name == pkg.name for p in r.packages)]

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "generated_by": self.generated_by,
            "updated_at": self.updated_at,
            "distribution": self.distribution.to_dict(),
            "manager": self.manager,
            "architecture": self.architecture,
            "requests": [r.to_dict() for r in self.requests],
        }


# -- validation (pure) ---------------------------------------------------------------------------------


def _fail(path: str, what: str, hint: str | None = None) -> LockError:
    where = f"{path}: " if path else ""
    return LockError(
        f"Invalid lock file {where}{what}",
        path=path,
        hint=hint or "Fix the file by hand, or write it again with `cortex install REQUEST --lock FILE`.",
    )


def _text(d: Mapping[str, Any], key: str, where: str, path: str, *, required: bool = True) -> str:
    value = d.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        shown = "missing" if value is None else f"{value!r} is not a string"
        quote = " (quote it: YAML reads 1.10 as the number 1.1)" if isinstance(value, (int, float)) else ""
        raise _fail(path, f"{where}.{key}: {shown}{quote}.")
    return value


def _package(d: Any, where: str, manager: str, path: str, *, closure: bool = False) -> LockedPackage:
    from cortex.packages.detect import grammar

    if not isinstance(d, Mapping):
        raise _fail(path, f"{where}: expected a mapping with name, version and architecture.")
    name = _text(d, "name", where, path)
    version = _text(d, "version", where, path)
    arch = _text(d, "architecture", where, path)
    rules = grammar(manager)
    if rules is None or not rules.valid_name(name):
        raise _fail(path, f"{where}.name: {name!r} is not a valid {manager} package name.")
    # The manager's own version grammar (apt's: Debian policy 5.6.12, upstream starting with a digit).
    if not (rules.version or _ANY_VERSION).match(version):
        raise _fail(path, f"{where}.version: {version!r} is not a valid version.")
    if not _ARCH.match(arch):
        raise _fail(path, f"{where}.architecture: {arch!r} is not an architecture.")
    if closure:
        return LockedPackage(name, version, arch)
    return LockedPackage(
        name,
        version,
        arch,
        _text(d, "origin", where, path, required=False),
        _text(d, "backend", where, path, required=False),
        _text(d, "why", where, path, required=False),
    )


def _request(d: Any, where: str, manager: str, path: str) -> LockedRequest:
    if not isinstance(d, Mapping):
        raise _fail(path, f"{where}: expected a mapping with request and packages.")
    packages = d.get("packages")
    if not isinstance(packages, list) or not packages:
        raise _fail(path, f"{where}.packages: expected a non-empty list.")
    closure = d.get("closure") or []
    if not isinstance(closure, list):
        raise _fail(path, f"{where}.closure: expected a list.")
    return LockedRequest(
        request=_text(d, "request", where, path),
        packages=tuple(_package(p, f"{where}.packages[{i}]", manager, path) for i, p in enumerate(packages)),
        closure=tuple(_package(p, f"{where}.closure[{i}]", manager, path, closure=True) for i, p in enumerate(closure)),
        backend=_text(d, "backend", where, path, required=False),
        model=_text(d, "model", where, path, required=False),
        locked_at=_text(d, "locked_at", where, path, required=False),
        source=_text(d, "source", where, path, required=False) or "cortex install",
    )


def validate(doc: Any, path: str = "") -> Lock:
    """Pure: a parsed YAML document -> Lock, or LockError naming the first thing wrong with it."""
    from cortex.packages.detect import manager_names

    if not isinstance(doc, Mapping):
        raise _fail(path, "expected a YAML mapping with `version: 1` at the top.")
    version = doc.get("version")
    if version is None:
        raise _fail(path, "no schema `version:` field.")
    if version != SCHEMA_VERSION or isinstance(version, bool):
        raise _fail(
            path,
            f"unknown schema version {version!r}; this cortex reads version {SCHEMA_VERSION}.",
            hint="Upgrade cortex to read it, or write the lock again with this cortex.",
        )
    manager = _text(doc, "manager", "lock", path)
    if manager not in manager_names():
        raise _fail(path, f"lock.manager: unknown package manager {manager!r}.")
    dist = doc.get("distribution")
    if not isinstance(dist, Mapping):
        raise _fail(path, "lock.distribution: expected a mapping with id and release.")
    distribution = Distribution(
        _text(dist, "id", "distribution", path),
        _text(dist, "release", "distribution", path),
        _text(dist, "codename", "distribution", path, required=False),
    )
    arch = _text(doc, "architecture", "lock", path)
    if not _ARCH.match(arch):
        raise _fail(path, f"lock.architecture: {arch!r} is not an architecture.")
    requests = doc.get("requests") or []
    if not isinstance(requests, list):
        raise _fail(path, "lock.requests: expected a list.")
    lock = Lock(
        distribution=distribution,
        manager=manager,
        architecture=arch,
        requests=tuple(_request(r, f"requests[{i}]", manager, path) for i, r in enumerate(requests)),
        generated_by=_text(doc, "generated_by", "lock", path, required=False),
        updated_at=_text(doc, "updated_at", "lock", path, required=False),
    )
    _check_consistent(lock, path)
    return lock


def _check_consistent(lock: Lock, path: str) -> None:
    """One version per package across the requests, and each request named once."""
    versions: dict[tuple[str, str], tuple[str, str]] = {}
    names: set[str] = set()
    for req in lock.requests:
        if req.request in names:
            raise _fail(path, f"the request {req.request!r} appears twice.")
        names.add(req.request)
        for pkg in req.packages:
            key = (pkg.name, lock.arch_key(pkg))
            seen = versions.setdefault(key, (pkg.version, req.request))
            if seen[0] != pkg.version:
                raise _fail(
                    path,
                    f"{pkg.name} is pinned at {seen[0]} (for {seen[1]!r}) and at {pkg.version} (for {req.request!r}).",
                    hint="Keep one version: lock both requests again, or edit one of them.",
                )


def parse(text: str, path: str = "") -> Lock:
    """Pure: YAML text -> Lock (malformed YAML is a LockError too)."""
    import yaml

    from cortex.system import yamlio

    try:
        doc = yamlio.load(text, untrusted=True, max_nodes=MAX_NODES)
    except yamlio.TooComplex as exc:
        raise _fail(path, f"not a lock cortex reads: the YAML {exc}.") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" (line {mark.line + 1})" if mark is not None else ""
        raise _fail(path, f"not valid YAML{at}: {getattr(exc, 'problem', None) or exc}.") from None
    return validate(doc, path)


def load(path: Path | str) -> Lock:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NotFoundError(
            f"No lock file {path}.", hint="Write one with `cortex install REQUEST --lock FILE`."
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise _fail(str(path), f"cannot be read: {getattr(exc, 'strerror', None) or exc}.") from None
    return parse(text, str(path))


def load_if_exists(path: Path | str) -> Lock | None:
    try:
        return load(path)
    except NotFoundError:
        return None


# -- writing --------------------------------------------------------------------------------------------


def dumps(lock: Lock) -> str:
    """The lock as YAML, keys in schema order, with the header comment."""
    import yaml

    body = yaml.safe_dump(lock.to_dict(), sort_keys=False, allow_unicode=True, width=110, default_flow_style=False)
    return HEADER.format(version=lock.version) + body


def merge(existing: Lock | None, entry: LockedRequest, base: Lock) -> Lock:
    """`entry` replaces the request of the same text in `existing` (others kept, in order) or is appended.

    `base` carries this machine's distribution, manager and architecture; a lock made for another
    distribution, release or manager is not mixed with this one (LockError).
    """
    if existing is None:
        return replace(base, requests=(entry,))
    for what, mine, theirs in (
        ("distribution", existing.distribution.describe(), base.distribution.describe()),
        ("package manager", existing.manager, base.manager),
    ):
        if mine != theirs:
            raise LockError(
                f"The lock file is for {what} {mine}; this machine has {theirs}: a lock holds one system's versions.",
                hint="Write this request into another lock file.",
            )
    requests = [r for r in existing.requests if r.request != entry.request]
    kept = [entry if r.request == entry.request else r for r in existing.requests]
    out = tuple(kept) if len(requests) != len(existing.requests) else (*existing.requests, entry)
    merged = replace(existing, requests=out, generated_by=base.generated_by, updated_at=base.updated_at)
    _check_consistent(merged, "")
    return merged


def save(path: Path | str, lock: Lock) -> None:
    from cortex.system.files import write_atomic

    write_atomic(Path(path), dumps(lock))
