"""The one 'did you mean' helper, for tree ids, node ids, choices, field names and value names."""

from __future__ import annotations

import difflib
from collections.abc import Collection

CANDIDATES_LIMIT = 2000


def closest_match(word: str, candidates: Collection[str]) -> str | None:
    """The candidate closest to `word`, or None when none is close. A huge candidate list is first narrowed to
    names of about the same length, so a tree of thousands of nodes stays fast."""
    pool = list(candidates)
    if len(pool) > CANDIDATES_LIMIT:
        size = len(word)
        pool = [c for c in pool if abs(len(c) - size) <= 2][:CANDIDATES_LIMIT]
    found = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    return found[0] if found else None


def did_you_mean(word: str, candidates: Collection[str]) -> str:
    """A hint naming the closest candidate ("did you mean 'x'?"), or empty when none is close."""
    found = closest_match(word, candidates)
    return f"did you mean '{found}'?" if found else ""
