"""Which of a capable model's proposed packages to plan, without asking the model again.

A capable model (cloud, Ollama, an OpenAI-compatible server) names the packages it would install for
a need; the planner keeps only the names the index has. The first of those, in the model's order, that
is a program (not a library, plugin or support package, unless the need asks for one), does not have
the opposite interface to the one asked for, and covers at least PROPOSAL_FIT of the need's words in
its summary, debtags or description (cortex/planning/floor; its name does not count) is planned. When
none does, the index's ranking decides, relevance floor included. Measured, asking the model a
second time to choose among the merged candidates lost to this: the 1.5B model then picked
look-alikes from the index's list, one more right plan for two more wrong ones (docs/INSTALL.md,
Round 8).

Pure: the proposals come in verified, as PackageInfo.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from cortex.packages.ranking import analyse, library_like
from cortex.planning import floor

# The least share of the need's words a proposed package must cover: on the validation set, the lowest
# value at which the model path plans no more wrong packages than the index alone (docs/INSTALL.md).
PROPOSAL_FIT = 0.35


def first_fitting(need: str, proposed: Sequence[Any]) -> tuple[Any, float] | None:
    """The proposal to plan and its fit, or None when none of them fits (the index's ranking decides)."""
    kinds = analyse(need).kinds
    for info in proposed:
        if library_like(info, kinds) or floor.wrong_interface(need, info):
            continue
        # Its summary, debtags and description must say it: a name that is a word of the need
        # ("build a family tree" and build-essential, "convert flac to mp3" and flac) says nothing.
        value = floor.fit(need, replace(info, name="-"))
        if value >= PROPOSAL_FIT:
            return info, value
    return None
