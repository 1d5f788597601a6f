"""Two adjacent words of a need as phrases to retrieve on (pure).

    retrieval_phrases(analyse("a build system faster than make"))
    -> ['"build system"', '"system build"', '"system faster"', '"faster system"']

"build", "system" and "server" are each in thousands of packages, too many to retrieve on (the index
leaves such words to the scoring); side by side in a summary they are rare and say what the package
is ("small build system closest in spirit to Make"). The index retrieves the packages whose summary
holds such a phrase, in either order ("edit videos" ~ "video editor"), and the ranking scores them
like any other candidate. Measured, scoring the phrase itself as well did not help: "nfs server"
favours every summary that says "NFS server" over nfs-kernel-server's "NFS kernel server".
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import pairwise

from cortex.packages.query import Query, index_forms, stem


def phrase_pairs(query: Query) -> tuple[tuple[str, str], ...]:
    """Adjacent content words of the need (stems), each pair once, two different words."""
    return tuple(dict.fromkeys((a, b) for a, b in pairwise(query.words) if a != b))


def retrieval_phrases(query: Query, known: Mapping[str, int] | None = None) -> list[str]:
    """FTS5 phrase strings for the need's adjacent pairs, both orders, each word as typed, stemmed and
    (from `known`, the index's tokens and how many packages hold them) in its commonest related forms:
    "edit videos" ~ "video editor", "manage configuration" ~ "configuration management"."""
    typed = {stem(w): w for w in query.raw_words}
    known = known or {}

    def variants(word: str) -> list[str]:
        related = sorted((t for t in index_forms(word) if t in known), key=lambda t: -known[t])
        found = dict.fromkeys((typed.get(word, word), word, *related[:_RELATED_FORMS]))
        return [x for x in found if x.isalnum()][:_FORMS_PER_WORD]

    out: list[str] = []
    for a, b in phrase_pairs(query):
        left, right = variants(a), variants(b)
        out += [f'"{x} {y}"' for x in left for y in right]
        out += [f'"{y} {x}"' for x in left for y in right]
    return list(dict.fromkeys(out))


# How many of a word's related forms a phrase is tried with, and how many forms in all.
_RELATED_FORMS = 3
_FORMS_PER_WORD = 4
