"""Which lesson section a knowledge check goes back to, for "read this again" links.

Checks name an objective, not a section, so the section is found from the words: the page
whose text shares the most telling words with the check's prompt, its right answers and their
explanations (a word found on few pages tells more than one found on all). Tier checks are about
the benchmarks, and go to that page.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from .model import Check, Module
from .pages import lesson_pages

_WORD = re.compile(r"[a-z][a-z'-]{3,}")
_COMMON = frozenset(
    [
        "that",
        "this",
        "with",
        "from",
        "they",
        "their",
        "them",
        "there",
        "have",
        "what",
        "which",
        "when",
        "where",
        "while",
        "would",
        "could",
        "should",
        "about",
        "into",
        "more",
        "most",
        "than",
        "then",
        "also",
        "only",
        "other",
        "some",
        "such",
        "each",
        "very",
        "been",
        "being",
        "does",
        "will",
        "your",
        "just",
        "over",
        "under",
        "because",
        "these",
        "those",
    ]
)


def _words(text: str) -> set[str]:
    return {w.strip("'-") for w in _WORD.findall(text.lower())} - _COMMON


def _page_words(module: Module) -> list[tuple[str, set[str]]]:
    texts: list[tuple[str, str]] = []
    for page in lesson_pages(module, has_scenarios=False):
        if page.section is not None:
            texts.append((page.anchor, "\n".join(page.section.chunks)))
    texts.append(("activities", " ".join(module.activities)))
    texts.append(("risks", " ".join(f"{r.title} {r.text}" for r in module.risks)))
    texts.append(("considerations", " ".join(f"{c.title} {c.text}" for c in module.considerations)))
    return [(anchor, _words(text)) for anchor, text in texts if text.strip()]


def check_sections(module: Module) -> dict[str, str]:
    """Each check's section, as ``MODULE#ANCHOR``."""
    pages = _page_words(module)
    spread = Counter(word for _, words in pages for word in words)
    found = {}
    for check in module.checks:
        found[check.id] = f"{module.id}#{_best_anchor(check, pages, spread)}"
    return found


def _best_anchor(check: Check, pages: list[tuple[str, set[str]]], spread: Counter) -> str:
    if check.kind == "tier":
        return "benchmarks"
    asked = _words(check.prompt)
    for option in check.options:
        if option.correct:
            asked |= _words(option.text) | _words(option.explanation)
    best, best_weight = "overview", 0.0
    for anchor, words in pages:
        weight = sum(math.log(1 + len(pages) / spread[w]) for w in asked & words)
        if weight > best_weight:
            best, best_weight = anchor, weight
    return best
