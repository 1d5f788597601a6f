"""Stacks and compositions for the planner: a well-known stack's components, and "A with B" where B
goes with the program A (a name, `A-B`, or a need in A's ecosystem). A mixin of cortex.planner.Planner:
it resolves pieces through the planner's own exact-name, named-program and described-need steps.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from cortex.planning import absent, floor, stacks
from cortex.planning.result import PartResult
from cortex.planning.split import Part, before_with, is_bare_need, is_name_like, pieces, words

# A piece that is a name followed by its purpose: "certbot for https", "xdebug to debug".
_PURPOSE = re.compile(r"^(?P<name>[a-z0-9][a-z0-9.+-]*)\s+(?:for|to|so)\s+\S", re.IGNORECASE)


class Composition:
    """Planner methods for stacks and "A with B" requests (see cortex/data/stacks.yaml)."""

    index: Any
    relevance_floor: float

    if TYPE_CHECKING:  # provided by Planner

        def _exact(self, part: Part, previous: str = "") -> PartResult | None: ...
        def _named(self, part: Part) -> PartResult: ...
        def _described(self, part: Part) -> PartResult: ...
        def _absent(self, part: Part, entry: absent.KnownAbsent | None) -> PartResult: ...
        def _candidates(self, text: str) -> list[Any]: ...
        def _word_weights(self, need: str) -> dict[str, float]: ...
        def _calibration(self) -> floor.Calibration: ...
        def _choice(self, info: Any, part: str, backend: str, why: str, confidence: float) -> Any: ...

    def _stack(self, match: stacks.StackMatch) -> list[PartResult]:
        """Each component of a well-known stack (verified in the index), then the request's extra parts."""
        stack = match.stack
        results: list[PartResult] = []
        missing: list[str] = []
        for comp in match.components:
            info = next((i for i in (self.index.get(n) for n in comp.packages) if i is not None), None)
            if info is None:  # said in the notes; it does not stop the rest
                missing.append(
                    f"{stack.title}: no package for the {comp.role} ({', '.join(comp.packages)}) is in the index."
                )
                continue
            why = f"{stack.title}: {comp.role}, {comp.why}"
            results.append(PartResult(comp.role, (self._choice(info, comp.role, "stack", why, 1.0),), "stack"))
        if missing and results:
            results[0] = replace(results[0], notes=(*results[0].notes, *missing))
        heads = stack.ecosystem_words
        for extra in match.extras:
            results.append(self._ecosystem_part(extra, heads))
        return results

    def _composition(self, request: str) -> list[PartResult] | None:
        """ "nginx with certbot for https", "vim with a plugin manager": a named program, then needs or
        names in its ecosystem. None unless the first piece is a package name."""
        items = pieces(request)
        # Only "A with B": "check and repair a broken filesystem" is no program `check` plus a need.
        if len(items) < 2 or not is_name_like(items[0]) or before_with(request) != items[0]:
            return None
        first = self._exact(Part(items[0], True))
        if first is None:
            return None
        heads = tuple(words(items[0]))
        return [first, *(self._ecosystem_part(p, heads, items[0]) for p in items[1:])]

    def _ecosystem_part(self, text: str, heads: Sequence[str], context: str = "") -> PartResult:
        """One piece that goes with a program or stack: its own name, `HEAD-NAME` (php + xdebug ->
        php-xdebug), or a need searched together with the program's name."""
        part = Part(text, is_name_like(text))
        if is_bare_need(text):  # "firefox with some extensions": which ones is not said
            return PartResult(
                text,
                backend="ranking",
                reason=f"{text!r} names no particular one.",
                suggestions=("Name the ones you want, or describe what they should do.",),
            )
        lead = _PURPOSE.match(text)
        if not part.name_like and lead and is_name_like(lead.group("name")):
            # "certbot for https": a name with what it is for; the name says which package.
            exact = self._exact(Part(lead.group("name"), True))
            if exact is not None:
                return PartResult(text, exact.choices, exact.backend)
            entry = absent.known_absent(lead.group("name"))
            if entry is not None:  # "discord for chat": software the archive lacks, with its purpose
                return self._absent(part, entry)
        if part.name_like:
            exact = self._exact(part)
            if exact is not None:
                return exact
            for head in heads:
                found = self._exact(Part(f"{head}-{text.replace(' ', '-')}", True))
                if found is not None:
                    return PartResult(text, found.choices, found.backend)
            entry = absent.known_absent(text)
            if entry is not None:  # "prometheus and grafana": Grafana is not in the archive, no look-alike
                return self._absent(part, entry)
            for head in heads:  # "python development with requests": the Python module, not request-tracker
                spelled = self._named(Part(f"{head} {text}", True))
                if spelled.ok:
                    return PartResult(text, spelled.choices, spelled.backend)
            named = self._named(part)
            if named.ok:
                return named
        scoped = self._in_ecosystem(text, heads, context)
        return scoped if scoped is not None else self._described(Part(text, False))

    def _in_ecosystem(self, text: str, heads: Sequence[str], context: str) -> PartResult | None:
        """The best candidate for the need that belongs to the program's ecosystem: named `HEAD-...`
        (vim-addon-manager) or depending on it; None when none clears the floor."""
        query = f"{context or ' '.join(heads)} {text}"
        for cand in self._candidates(query):
            info = cand.info
            if not _belongs(info, heads):
                continue
            value = floor.fit(query, info)
            calibration = self._calibration()
            gapped = bool(floor.gaps(query, info, self._word_weights(query), distinctive=calibration.distinctive_idf))
            if not floor.clears(value, self.relevance_floor, gapped, calibration.gap_floor):
                return None
            why = f"for {context or heads[0]}: {info.summary}"
            return PartResult(text, (self._choice(info, text, "ranking", why, value),), "ranking")
        return None


def _belongs(info: Any, heads: Sequence[str]) -> bool:
    """Whether a package is of the program's ecosystem: named after it (vim-addon-manager,
    python3-redis), depending on it, or saying in its summary that it is for it (texmaker: "LaTeX editor")."""
    own = [h for h in heads if len(h) > 1]
    parts = info.name.split("-")
    if info.name in own:  # the program itself is the first piece, not what goes with it
        return False
    if any(info.name.startswith(f"{h}-") or h in parts for h in own):
        return True
    if set(own) & set(getattr(info, "depends", ())):
        return True
    return not set(own).isdisjoint(words(info.summary.lower()))
