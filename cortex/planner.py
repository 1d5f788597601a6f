"""Request -> Plan. Pure given an index, a package manager and (optionally) a model router.

    intake (refuse destruction) -> split into parts -> per part:
        exact name / alias / Provides (no model)                      backend exact | alias | provides
        a named program the archive lacks -> unresolved + suggestions
        a described need -> index candidates -> model pick (schema enum) -> or best-ranked
    -> every package verified in the index -> install step (argv) -> Plan

Simulation (the package manager's own dry run) is a separate step, `simulate(plan, ...)`, so that the
planning decisions stay testable without a package manager.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from cortex import plan as P
from cortex.intake import check_request, refusal_hint, unreadable_hint
from cortex.packages import foreign_names
from cortex.packages.aliases import alias_targets
from cortex.packages.english import is_word
from cortex.packages.query import module_packages, says_nothing
from cortex.planning import absent, commands, floor, foreign, proposals, stacks
from cortex.planning.compose import Composition
from cortex.planning.result import PartResult
from cortex.planning.simulation import check_removals, simulate, with_index_sizes
from cortex.planning.split import (
    ModuleInstall,
    Part,
    asked_name,
    is_need_word,
    module_install,
    name_variants,
    normalize,
    split_reference,
    split_request,
    words,
)

__all__ = ["Planner", "check_removals", "ranking_confidence", "simulate", "with_index_sizes"]

SEARCH_LIMIT = 12
LOW_CONFIDENCE = 0.6
# A name's other words are its package's own description when the summary (0.85) covers them all.
DESCRIBED_NAME_FIT = 0.8
# Providers whose models are small enough that they only break the ranking's ties, among a few candidates.
SMALL_MODEL_PROVIDERS = frozenset({"local"})
SMALL_MODEL_CANDIDATES = 4
# Candidates nobody means unless they ask for them.
_UNWANTED_SUFFIXES = ("-doc", "-dbg", "-dbgsym", "-dev", "-data", "-common", "-examples")
_DEV_WORDS = frozenset({"dev", "development", "headers", "header", "documentation", "docs", "doc", "debug", "data"})
_PLURAL_NEEDS = frozenset({"libraries", "tools", "utilities", "packages", "programs", "apps"})


def _unanswered(exc: Any) -> str:
    """The note for a model that did not answer (a ProviderError)."""
    return f"The model could not answer ({exc.message}); using the index ranking instead."


@dataclass(frozen=True)
class _Reference:
    """A candidate the request pointed at ("like photoshop" -> gimp), shaped like an index Candidate."""

    info: Any
    score: float
    reasons: tuple[str, ...] = ()


class Index(Protocol):
    def get(self, name: str) -> Any: ...
    def resolve_term(self, term: str) -> list[Any]: ...
    def search(self, query: str, limit: int = 20) -> list[Any]: ...
    def suggest(self, term: str) -> list[Any]: ...


@dataclass
class Planner(Composition):
    """Plans requests against one index and package manager; `router` is used only for described needs."""

    index: Index
    manager: Any
    router: Any = None
    use_model: bool = True
    task: Any = None
    relevance_floor: float = floor.DEFAULT_FLOOR
    calibration: floor.Calibration | None = None  # the floor's checks; None: as the index calls for
    proposals_dropped: int = 0  # model-proposed names the index did not know (never shown)
    _model_available: bool | None = field(default=None, repr=False)

    def plan(self, request: str) -> P.Plan:
        decision = check_request(request)
        if not decision.allowed:
            return P.refused(request, decision.reason, decision.rule, refusal_hint())
        if decision.unreadable:  # intake: filler words only, or a language the index does not know
            return P.unresolved(request, decision.unreadable, unreadable_hint(), backend="intake")
        command = module_install(request)
        if command is not None:
            return self._combine(request, self._modules(command))
        match = stacks.find(request)
        if match is not None:
            return self._combine(request, self._stack(match))
        language = self._language(request)
        if language is not None:
            return self._combine(request, [language])
        parts = split_request(request)
        if not parts:
            return P.Plan(
                request=request,
                status=P.UNRESOLVED,
                reason="The request names no software.",
                suggestions=("Name a program or describe what it should do, e.g. `cortex install htop`.",),
            )
        results: list[PartResult] = []
        previous = ""
        for part in parts:
            result = self.resolve_part(part, previous)
            if not result.ok and previous and parts[0].text != previous and part.name_like:
                # "haskell with cabal and stack": stack -> haskell-stack, in the first part's ecosystem
                result = self._exact(part, parts[0].text) or result
            results.append(result)
            previous = part.text
        unknown = [
            r.backend == "absent" and absent.known_absent(p.text) is None for p, r in zip(parts, results, strict=True)
        ]
        if len(parts) > 1 and parts[0].weak and any(unknown):
            # "backups with deduplication": one described need, not two names ("prometheus with
            # grafana" stays two: Grafana is software the archive lacks, said so).
            whole = normalize(request)
            results = [self.resolve_part(Part(whole, False))]
        elif (len(parts) == 1 and not parts[0].name_like) or _program_with_needs(parts):
            composed = self._composition(request)
            if composed is not None:
                results = composed
        return self._combine(request, results)

    def _language(self, request: str) -> PartResult | None:
        """ "julia programming", "clojure development", "arduino dev": a development request that names
        one thing beside its development words, when that thing is a package of a language or a
        development platform (a compiler, an interpreter, an SDK: `stacks.is_development_package`)."""
        name = stacks.language_named(request)
        if name is None:
            return None
        found = self._exact(Part(name, True))
        infos = [self.index.get(c.name) for c in found.choices] if found is not None else []
        if found is not None and all(i is not None and stacks.is_development_package(i.section, i.tags) for i in infos):
            return PartResult(request, found.choices, found.backend)
        # "julia programming", "swift development" (Debian's swift is OpenStack's): a language the
        # archive does not ship
        entry = absent.known_absent(f"{name} language") or (absent.known_absent(name) if found is None else None)
        return self._absent(Part(request, False), entry) if entry is not None else None

    def _modules(self, command: ModuleInstall) -> list[PartResult]:
        """ "pip install requests": each module as the archive's package of it (python3-requests); a
        module the archive packages only as a program ("pip install black" -> black) resolves by name."""
        results, read = [], []
        for module in command.names:
            info = next(filter(None, map(self.index.get, module_packages(command.language, module))), None)
            if info is None:
                results.append(self.resolve_part(Part(module, True)))
                continue
            why = f"the archive's package of the {command.language} module {module!r}"
            results.append(PartResult(module, (self._choice(info, module, "exact", why, 1.0),), "exact"))
            read.append(f"{module} -> {info.name}")
        if read:
            note = (
                f"Read `{command.command}` as a request for the archive's packages of those modules "
                f"({', '.join(read)}): cortex installs from the distribution's archive, not from the "
                "language's own index."
            )
            results[0] = replace(results[0], notes=(note, *results[0].notes))
        return results

    # -- one part ---------------------------------------------------------------------------
    def resolve_part(self, part: Part, previous: str = "") -> PartResult:
        entry = absent.known_absent(part.text)
        if entry is not None and (entry.shadowed or not part.name_like):
            return self._absent(part, entry)
        if part.name_like:
            exact = (
                self._exact(part, previous) or self._asked(part) or self._several_names(part) or self._versioned(part)
            )
            if exact is not None:
                return exact
        # A command no package is named after (`dig`, "the convert command"): apt's Contents answer.
        by_command = commands.resolve_part(self, part)
        if by_command is not None:
            return by_command
        if part.name_like:
            if entry is not None:
                return self._absent(part, entry)
            elsewhere = self._other_systems_name(part)
            if elsewhere is not None:
                return elsewhere
            if foreign.translated(part.text)[1]:  # "ein Bildbearbeitungsprogramm": a need, not a name
                return self._described(Part(part.text, False))
            return self._described_name(part) or self._named(part, described=True)
        lead = absent.known_absent_lead(part.text)
        if lead is not None and self._exact(Part(part.text.split()[0], True)) is None:
            return self._absent(part, lead)  # "obsidian for my notes": named, and not in the archive
        return self._several_names(part) or self._aliased(part) or self._described(part)

    def _asked(self, part: Part) -> PartResult | None:
        """ "get btop", "grab ripgrep": a verb that asks for software before a package's exact name."""
        name = asked_name(part.text)
        found = self._exact(Part(name, True)) if name else None
        return (
            PartResult(part.text, found.choices, found.backend)
            if found is not None and found.backend == "exact"
            else None
        )

    def _other_systems_name(self, part: Part) -> PartResult | None:
        """Another system's name for a package ("gcc-c++", "python3-devel", "MozillaThunderbird",
        winget's "VideoLAN.VLC"): the archive's package of it, said so; None when no reading is here."""
        development = getattr(self.index, "development_package", None)
        for reading in foreign_names.readings(part.text, self.manager.name):
            entry = absent.known_absent(reading.name)
            if entry is not None:  # "Google.Chrome": software the archive lacks, said so
                return self._absent(part, entry)
            if reading.source_dev:
                info = development(reading.name) if development is not None else None
                found = (
                    PartResult(part.text, (self._choice(info, part.text, "alias", "", 1.0),), "alias")
                    if info is not None and self.manager.valid_name(info.name)
                    else None
                )
            else:
                found = self._exact(Part(reading.name, True))
            if found is None:
                continue
            meant = ", ".join(c.name for c in found.choices)
            why = f"{reading.system} name {part.text!r} is {meant} here"
            choices = tuple(replace(c, why=why) for c in found.choices)
            return PartResult(
                part.text, choices, found.backend, notes=(f"Read {part.text!r}, {reading.system} name, as {meant}.",)
            )
        return None

    def _aliased(self, part: Part) -> PartResult | None:
        """A described part that is, but for its article, a well-known name of several words ("a gnome
        desktop" -> task-gnome-desktop, "kernel headers" -> linux-headers-amd64; cortex/data/aliases.yaml)."""
        words = part.text.lower().split()
        bare = " ".join(words[1:]) if len(words) > 2 and words[0] in ("a", "an", "the") else " ".join(words)
        if len(bare.split()) < 2 or not alias_targets(bare, self.manager.name):
            return None
        return self._exact(Part(bare, True))

    def _exact(self, part: Part, previous: str = "") -> PartResult | None:
        for variant in name_variants(part.text, previous):
            infos = [i for i in self.index.resolve_term(variant) if self.manager.valid_name(i.name)]
            if not infos:
                continue
            info = infos[0]
            if info.name in (variant, variant.replace(" ", "-"), variant.replace(" ", "")):
                backend, why = "exact", f"exact package name {variant!r}"
            elif variant in (info.provides or ()):
                backend, why = "provides", f"provides {variant!r}"
            else:
                backend, why = "alias", f"well-known name for {variant!r}"
            return PartResult(part.text, (self._choice(info, part.text, backend, why, 1.0),), backend)
        return None

    def _several_names(self, part: Part) -> PartResult | None:
        """`curl wget git` (names separated by spaces): every word must resolve on its own."""
        ws = part.text.split()
        if not 2 <= len(ws) <= 6 or any(is_need_word(w) for w in ws):
            return None  # "markdown editor" is a need, not the packages markdown + editor
        maybe = [self._exact(Part(w, True)) for w in ws]
        found = [r for r in maybe if r is not None and r.backend != "provides"]
        if len(found) != len(maybe):
            return None
        choices = tuple(c for r in found for c in r.choices)
        return PartResult(part.text, choices, "+".join(dict.fromkeys(r.backend for r in found)))

    def _versioned(self, part: Part) -> PartResult | None:
        """A name with a version ("postgres 15", "php8", "node 18"): the archive's package of that version
        (postgresql-15, php8.2), or the name's own package when its version is that one (nodejs 18.19);
        a version the archive does not have is said so. None when the part has no version."""
        m = _VERSIONED.match(part.text.lower())
        if m is None:
            return None
        name, version = m.group("name"), m.group("version")
        base = self._exact(Part(name, True))
        heads = dict.fromkeys([*(c.name for c in base.choices), name] if base else [name])
        for head in heads:
            for candidate in (f"{head}-{version}", f"{head}{version}"):
                info = self.index.get(candidate)
                if info is not None and self.manager.valid_name(candidate):
                    why = f"{name} {version}: the archive's {candidate}"
                    return PartResult(part.text, (self._choice(info, part.text, "exact", why, 1.0),), "exact")
        named = self._named(part)
        if named.ok:  # "openjdk 17" -> openjdk-17-jdk
            return named
        for head in heads:
            info = self.index.get(head)
            if info is None:
                continue
            upstream = info.version.partition(":")[2] or info.version  # "2:1.17-74" -> "1.17-74"
            if upstream == version or upstream.startswith((f"{version}.", f"{version}-", f"{version}+", f"{version}~")):
                why = f"{name} {version}: the archive's {head} is version {info.version}"
                return PartResult(part.text, (self._choice(info, part.text, "exact", why, 1.0),), "exact")
            if _METAPACKAGE & set(info.tags) or head.startswith("default-"):  # its version is its own
                continue
            return PartResult(
                part.text,
                backend="absent",
                reason=f"The archive has {head} {info.version}, not version {version} of {name}.",
                suggestions=(f"`cortex install {head}` installs the archive's version.",),
            )
        return None

    def _described_name(self, part: Part) -> PartResult | None:
        """A name beside words its own package says of itself ("asterisk pbx", "pbx asterisk"): the
        package of the name, when its name, summary or tags cover every other word."""
        ws = part.text.split()
        for cut in range(1, len(ws)):
            for name, rest in ((ws[:cut], ws[cut:]), (ws[cut:], ws[:cut])):
                found = self._exact(Part(" ".join(name), True))
                info = self._info(found.choices[0]) if found is not None else None
                if found is not None and info is not None and floor.fit(" ".join(rest), info) >= DESCRIBED_NAME_FIT:
                    return PartResult(part.text, found.choices, found.backend)
        return None

    def _named(self, part: Part, described: bool = False) -> PartResult:
        """A program's name that is not a package name: accept only a package built from that name."""
        for cand in self.index.search(part.text, limit=SEARCH_LIMIT):
            name = cand.info.name
            # A library's name counts when the request spelled it out ("python pandas").
            spelled_out = len(part.text.split()) > 1
            if absent.name_matches(part.text, name) and (spelled_out or absent.is_program_package(name)):
                why = f"package named after {part.text!r}: {cand.info.summary}"
                return PartResult(part.text, (self._choice(cand.info, part.text, "ranking", why, 0.9),), "ranking")
        if described and _plain_words(part.text):
            # "pcb layout", "electronics design": English words, no name, a need said without an article.
            found = self._described(Part(part.text, False))
            if found.ok:
                return found
        return self._absent(part, None)

    def _absent(self, part: Part, entry: absent.KnownAbsent | None) -> PartResult:
        alternatives = []
        for name in entry.alternatives if entry else ():
            info = self.index.get(name)
            if info is not None:
                alternatives.append(info)
        if entry is None:
            alternatives = [i for i in (self._info(s) for s in self.index.suggest(part.text)[:3]) if i is not None]
        lines = absent.absent_suggestions(part.text, entry, alternatives)
        reason, suggestions = lines[0], tuple(lines[1:])
        return PartResult(part.text, reason=reason, suggestions=suggestions, backend="absent")

    def _described(self, part: Part) -> PartResult:
        if says_nothing(part.text):  # "a good tool", "something useful": nothing to search for
            return PartResult(
                part.text,
                reason=f"{part.text!r} says nothing of what the program should do.",
                backend="ranking",
                suggestions=(
                    'Name the program, or describe what it should do (`cortex install "a tool to edit PDFs"`).',
                ),
            )
        need, ref = split_reference(part.text)
        references = self._references(ref)
        # "card games like solitaire": a reference that names no program is words of the need; a
        # program the archive lacks ("like slack") is not, even with no alternative to offer.
        searched = need if references or (ref and absent.known_absent(ref)) else part.text
        notes: tuple[str, ...] = ()
        english, read = foreign.translated(searched)
        if read:  # "un lecteur de musique": the index's summaries are English
            searched = english
            notes = tuple(f"Read {word!r} as {meant!r}." for word, meant in read.items() if meant)
        respell = getattr(self.index, "respell", None)
        if respell is not None:  # "torent client": the archive's word, said in the plan
            searched, fixes = respell(searched)
            notes = (*notes, *(f"Read {typed!r} as {meant!r}." for typed, meant in fixes.items()))
        # "a web framework for python": a package of another language only is no candidate (rails).
        # "a gui for the firewall": a daemon or a command-line tool is no candidate for a graphical need;
        # when nothing else is found, the floor says so and they are offered.
        candidates = floor.fitting(searched, self._candidates(searched))
        if references:
            # The named program's archive alternatives (or the program itself) lead the candidates.
            top = candidates[0].score if candidates else 1.0
            names = {r.name for r in references}
            lead = [_Reference(info, top * 1.01, (f"like {ref}",)) for info in references]
            candidates = lead + [c for c in candidates if c.info.name not in names]
        if not candidates:
            return PartResult(
                part.text,
                reason=f"Nothing in the package index matches {part.text!r}.",
                backend="ranking",
                suggestions=("Describe it differently, or name the program if you know it.",),
                notes=notes,
            )
        small = self.small_model()
        # A small model (the embedded one) only breaks ties the ranking is unsure about, among the few
        # best candidates; measured, letting it overrule a confident ranking costs accuracy.
        ask = self.use_model and self.model_available()
        if (
            ask
            and small
            and (
                ranking_confidence([c.score for c in candidates]) >= LOW_CONFIDENCE
                or set(words(part.text)) & _PLURAL_NEEDS  # "... libraries": the ranking may pick two; one pick loses
            )
        ):
            ask = False
        if ask and not small:  # a capable model proposes names; the index verifies them
            return self._proposed(part, candidates, notes, searched)
        if ask:
            from cortex.errors import ProviderError
            from cortex.planning.select import choose_with_model

            try:
                choice = choose_with_model(
                    self.router, self._task(), part.text, candidates[:SMALL_MODEL_CANDIDATES], brief=True
                )
            except ProviderError as exc:
                notes = (*notes, _unanswered(exc))
            else:
                # A 270M model's "nothing fits" is not evidence enough to drop the ranking's pick.
                if choice.name is not None:
                    info = next(c.info for c in candidates if c.info.name == choice.name)
                    why = choice.reason or f"chosen by {choice.provider} from {len(candidates)} index candidates"
                    return PartResult(
                        part.text,
                        (self._choice(info, part.text, choice.provider, why, 0.85),),
                        choice.provider,
                        choice.model,
                        notes=notes,
                    )
        return self._ranked(part, candidates, notes, searched)

    def _proposed(self, part: Part, candidates: list[Any], notes: tuple[str, ...], searched: str) -> PartResult:
        """A capable model's proposal that the index has and that fits the need (cortex/planning/proposals.py);
        otherwise the index's ranking, relevance floor included.

        Names the index does not know are dropped and only counted: they are never shown.
        """
        from cortex.errors import ProviderError
        from cortex.planning.select import propose_with_model

        try:
            proposal = propose_with_model(self.router, self._task(), part.text, getattr(self.manager, "name", "apt"))
        except ProviderError as exc:
            notes = (*notes, _unanswered(exc))
            return self._ranked(part, candidates, notes, searched)
        known: list[Any] = []
        unknown = 0
        for name in proposal.names:
            found = [self._successor(i) for i in self.index.resolve_term(name) if self.manager.valid_name(i.name)][:1]
            if not found:
                unknown += 1
            elif found[0].name not in {k.name for k in known}:
                known.append(found[0])
        self.proposals_dropped += unknown
        if unknown:
            notes = (*notes, f"{proposal.provider} proposed {unknown} name(s) the archive does not have; dropped.")
        fitting = proposals.first_fitting(searched, known)
        if fitting is None:
            return self._ranked(part, candidates, notes, searched)
        info, value = fitting
        why = f"proposed by {proposal.provider}, verified in the index: {info.summary}"
        choice = self._choice(info, part.text, proposal.provider, why, value)
        return PartResult(part.text, (choice,), proposal.provider, proposal.model, notes=notes)

    def _successor(self, info: Any) -> Any:
        """A transitional package's replacement (pdftk -> pdftk-java: its first Depends), else the package."""
        if "transitional" not in info.summary.lower() or not info.depends:
            return info
        real = self.index.get(info.depends[0])
        return real if real is not None and self.manager.valid_name(real.name) else info

    def _references(self, ref: str) -> list[Any]:
        """The packages a "like X" points at: X itself if it is a package, else X's known alternatives."""
        if not ref:
            return []
        entry = absent.known_absent(ref)
        if entry is not None:  # checked first: the archive's `notion` is not Notion
            found = [self.index.get(name) for name in entry.alternatives]
            return [i for i in found if i is not None]
        found = [i for i in self.index.resolve_term(ref) if self.manager.valid_name(i.name)][:1]
        return found or commands.reference_packages(self, ref)  # "like dig": the package that ships it

    def _ranked(self, part: Part, candidates: list[Any], notes: tuple[str, ...], searched: str) -> PartResult:
        need = normalize(searched)
        ships = getattr(candidates[0], "ships", "")
        best_fit = floor.fit(need, candidates[0].info, ships)
        calibration = self._calibration()
        missing = floor.gaps(
            floor.without_aside(need), candidates[0].info, self._word_weights(need), ships, calibration.distinctive_idf
        )
        # A program the request pointed at ("like photoshop" -> gimp) is knowledge, not a text match.
        gapped = bool(missing) and not floor.decisive_lead(missing, [c.score for c in candidates[:2]])
        weak = not floor.clears(best_fit, self.relevance_floor, gapped, calibration.gap_floor)
        if self.relevance_floor > 0 and floor.wrong_interface(need, candidates[0].info):
            weak = True
        if self.relevance_floor > 0 and floor.wrong_language(need, candidates[0].info):
            weak = True
        if self.relevance_floor > 0 and floor.unbacked(need, candidates[0].info, ships, calibration.summary_floor):
            weak = True
        if self.relevance_floor > 0 and floor.unshipped_command(need, candidates[0].info, ships):
            weak = True
        if not isinstance(candidates[0], _Reference) and weak:
            return PartResult(
                part.text,
                backend="ranking",
                reason=f"Nothing in the archive clearly fits {part.text!r}.",
                suggestions=floor.suggestion_lines(part.text, candidates, self._summaries_only()),
                notes=notes,
                candidates=tuple(candidates[: floor.SUGGESTED]),
            )
        conf = ranking_confidence([c.score for c in candidates])
        picks = [candidates[0]]
        if (
            set(words(part.text)) & _PLURAL_NEEDS
            and len(candidates) > 1
            and candidates[1].score >= 0.8 * candidates[0].score
        ):
            picks.append(candidates[1])
        choices = []
        for cand in picks:
            signals = ", ".join(cand.reasons[:3]) if cand.reasons else "text match"
            why = f"best-ranked index match ({signals})"
            value = best_fit if cand is candidates[0] else floor.fit(need, cand.info)
            choices.append(self._choice(cand.info, part.text, "ranking", why, value))
        if conf < LOW_CONFIDENCE:
            others = ", ".join(c.info.name for c in candidates[1:4])
            notes = (*notes, f"Low confidence for {part.text!r}: no model chose it; other candidates: {others}.")
        return PartResult(part.text, tuple(choices), "ranking", notes=notes)

    def _candidates(self, text: str) -> list[Any]:
        wants_dev = bool(set(words(text)) & _DEV_WORDS)
        out = []
        for cand in self.index.search(normalize(text), limit=SEARCH_LIMIT):
            name = cand.info.name
            if not self.manager.valid_name(name):
                continue
            if not wants_dev and name.endswith(_UNWANTED_SUFFIXES):
                continue
            out.append(cand)
        return out

    # -- helpers ----------------------------------------------------------------------------
    def small_model(self) -> bool:
        """Whether the first model that would answer is a small local one (see SMALL_MODEL_PROVIDERS)."""
        if not (self.use_model and self.model_available()):
            return False
        try:
            return self.router.chain(self._task())[0][0] in SMALL_MODEL_PROVIDERS
        except Exception:
            return False

    def model_available(self) -> bool:
        if self._model_available is None:
            try:
                self._model_available = bool(self.router is not None and self.router.chain(self._task()))
            except Exception:  # a broken provider config must not stop exact-name planning
                self._model_available = False
        return self._model_available

    def _task(self) -> Any:
        if self.task is None:
            from cortex.llm.types import TaskType

            self.task = TaskType.PACKAGE_SELECTION
        return self.task

    def _word_weights(self, need: str) -> dict[str, float]:
        """The index's idf of the need's words ({} from an index that cannot say: no gap check)."""
        weights = getattr(self.index, "word_weights", None)
        return weights(need) if weights is not None else {}

    def _calibration(self) -> floor.Calibration:
        """The relevance floor's checks for this index: calibrated for long descriptions where it has them."""
        if self.calibration is not None:
            return self.calibration
        return floor.calibration_for(bool(getattr(self.index, "has_descriptions", False)))

    def _summaries_only(self) -> bool:
        """An apt index without long descriptions: `cortex index --contents` would give it more to read."""
        return getattr(self.manager, "name", "") == "apt" and not getattr(self.index, "has_descriptions", True)

    def _info(self, item: Any) -> Any:
        name = item if isinstance(item, str) else getattr(item, "name", None) or getattr(item.info, "name", "")
        return self.index.get(name) if name else None

    def _choice(self, info: Any, part: str, backend: str, why: str, confidence: float) -> P.PackageChoice:
        return P.PackageChoice(
            name=info.name,
            part=part,
            version=info.version,
            summary=info.summary,
            origin=info.origin,
            section=info.section,
            backend=backend,
            why=why,
            confidence=confidence,
        )

    def _combine(self, request: str, results: Sequence[PartResult]) -> P.Plan:
        chosen: list[P.PackageChoice] = []
        for r in results:
            for c in r.choices:
                if c.name not in {x.name for x in chosen} and self.index.get(c.name) is not None:
                    chosen.append(c)  # verified in the index, once
        backends = list(dict.fromkeys(r.backend for r in results if r.backend))
        models = list(dict.fromkeys(r.model for r in results if r.model))
        notes = tuple(n for r in results for n in r.notes)
        failed = [r for r in results if not r.ok]
        common: dict[str, Any] = dict(
            request=request,
            backend="+".join(backends),
            model=", ".join(models),
            manager=getattr(self.manager, "name", ""),
            notes=notes,
        )
        if failed or not chosen:
            reason = " ".join(r.reason for r in failed) or "Nothing in the archive fits the request."
            suggestions = [s for r in failed for s in r.suggestions]
            ok = [c for c in chosen]
            if ok:
                suggestions.append(f"The rest resolves: `cortex install {' '.join(c.name for c in ok)}`.")
            offered = [
                self._choice(
                    c.info, r.part, "ranking", "a candidate below the relevance floor", floor.fit(r.part, c.info)
                )
                for r in failed
                for c in r.candidates
            ]
            return P.Plan(
                status=P.UNRESOLVED,
                reason=reason,
                suggestions=tuple(suggestions),
                chosen=tuple(ok),
                confidence=0.0,
                candidates=tuple(offered),
                **common,
            )
        names = tuple(c.name for c in chosen)
        step = P.Step(tuple(self.manager.install_argv(list(names))), f"Install {', '.join(names)}", privileged=True)
        confidence = min(c.confidence for c in chosen)
        return P.Plan(
            status=P.PLANNED, packages=names, steps=(step,), chosen=tuple(chosen), confidence=confidence, **common
        )


def _program_with_needs(parts: Sequence[Part]) -> bool:
    """ "vim with a plugin manager": a name, then on "with" needs that go with it (not more names)."""
    return len(parts) > 1 and parts[0].weak and parts[0].name_like and not all(p.name_like for p in parts[1:])


_METAPACKAGE = frozenset({"role::metapackage"})
# A name and a version: "postgres 15", "php8", "gcc-12", "python 3.11".
_VERSIONED = re.compile(r"^(?P<name>[a-z][a-z+.-]*?[a-z+])[ -]?(?P<version>\d+(?:\.\d+)*)$")


def _plain_words(text: str) -> bool:
    """Two words or more, every one an English word (not a made-up name such as `gitea`)."""
    ws = text.lower().split()
    return len(ws) > 1 and all(w.isalpha() and is_word(w) for w in ws)


def ranking_confidence(scores: Sequence[float]) -> float:
    """How sure the ranking is, from how far the best candidate stands above the next (0.3..0.9)."""
    if not scores or scores[0] <= 0:
        return 0.0
    if len(scores) == 1:
        return 0.8
    margin = (scores[0] - max(scores[1], 0.0)) / scores[0]
    return round(0.3 + 0.6 * min(1.0, margin * 2), 3)
