""" "Did you mean": the nearest known id to a mistyped one, for every id lookup."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import replace

from .diagnostics import Diagnostic


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
        return _extending(name, candidates)
    # 'basics.nope' is not 'basics.gap': a shared module part must not make two ids close.
    for separator in ".#":
        head, sep, tail = name.partition(separator)
        other_head, _, other_tail = match[0].partition(separator)
        if (
            sep
            and head == other_head
            and difflib.SequenceMatcher(None, tail, other_tail).ratio() < 0.5
        ):
            return None
    return match[0]


def _extending(name: str, candidates: list[str]) -> str | None:
    """The one known id that begins with what was written, hyphens aside: 'who-leads' for
    'who-leads-who-supports', 'tradeoffs' for 'trade-offs-for-the-mlt', 'civil' for
    'civil-society'."""
    folded = _fold(name)
    if len(folded) < 3:
        return None
    longer = [c for c in candidates if _fold(c).startswith(folded)]
    return longer[0] if len(longer) == 1 else None


def _fold(text: str) -> str:
    return text.replace("-", "").replace("_", "")


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


_UNSCOPED_RISK = re.compile(r"'([^'.]+)' is not a valid risk id \(module\.risk\)")


def scoped_risk_hints(diagnostics: list[Diagnostic], risk_ids: Iterable[str]) -> list[Diagnostic]:
    """A file's shape is checked before the course's risks are known, so its "'x' is not a
    valid risk id" gets here the full ids that end in '.x': 'returns.unreliable-data'."""
    by_tail: dict[str, list[str]] = {}
    for risk in sorted(set(risk_ids)):
        by_tail.setdefault(risk.split(".", 1)[-1], []).append(risk)
    out = []
    for diagnostic in diagnostics:
        found = _UNSCOPED_RISK.match(diagnostic.message)
        full = by_tail.get(found.group(1), []) if found else []
        if full:
            hint = (
                f"write {full[0]!r}" if len(full) == 1 else "one of " + ", ".join(map(repr, full))
            )
            diagnostic = replace(diagnostic, message=f"{diagnostic.message}; {hint}")
        out.append(diagnostic)
    return out
