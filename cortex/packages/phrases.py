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

from itertools import pairwise

from cortex.packages.query import Query, stem


def phrase_pairs(query: Query) -> tuple[tuple[str, str], ...]:
    """Adjacent content words of the need (stems), each pair once, two different words."""
    return tuple(dict.fromkeys((a, b) for a, b in pairwise(query.words) if a != b))


def retrieval_phrases(query: Query) -> list[str]:
    """FTS5 phrase strings for the need's adjacent pairs, both orders, each word as typed and
    stemmed (the index holds the summary's words unstemmed: "sticky notes" and "sticky note")."""
    typed = {stem(w): w for w in query.raw_words}
    out: list[str] = []
    for a, b in phrase_pairs(query):
        left = [x for x in dict.fromkeys((typed.get(a, a), a)) if x.isalnum()]
        right = [y for y in dict.fromkeys((typed.get(b, b), b)) if y.isalnum()]
        out += [f'"{x} {y}"' for x in left for y in right]
        out += [f'"{y} {x}"' for x in left for y in right]
    return list(dict.fromkeys(out))
