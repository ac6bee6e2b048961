""" "Did you mean": the nearest known id to a mistyped one, for every id lookup."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(name: str, known: Iterable[str]) -> str | None:
    """The known id an author most likely meant, or None when nothing is close.

    '-' and '_' are treated as the same character first, since authors mix them up.
    """
    candidates = sorted(set(known))
    if not candidates:
        return None
    folded = {c.replace("_", "-"): c for c in candidates}
    if name.replace("_", "-") in folded and folded[name.replace("_", "-")] != name:
        return folded[name.replace("_", "-")]
    match = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
    if not match:
        return None
    # 'basics.nope' is not 'basics.gap': a shared module part must not make two ids close.
    for separator in ".#":
        head, sep, tail = name.partition(separator)
        other_head, _, other_tail = match[0].partition(separator)
        if (
            sep
            and head == other_head
            and difflib.SequenceMatcher(None, tail, other_tail).ratio() < 0.6
        ):
            return None
    return match[0]


def did_you_mean(name: str, known: Iterable[str], listing: int = 0) -> str:
    """'; did you mean 'x'?' or, when nothing is close and there are at most ``listing``
    known ids, '; known: a, b, c' (the text to append to an "unknown ..." message)."""
    known = sorted(set(known))
    hint = closest(name, known)
    if hint is not None:
        return f"; did you mean {hint!r}?"
    if known and len(known) <= listing:
        return f"; known: {', '.join(known)}"
    return ""
