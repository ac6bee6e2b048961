"""What full-text search finds, and how a learner's words become a query.

The course is cut into documents a result can open: a lesson's text one heading at a time,
the parts built from module.yaml (objectives, activities, each benchmark tier, each risk, each
consideration), every glossary term, and each scenario's briefing and scenes. Lesson pages
are indexed as the learner reads them (Markdown syntax and link targets left out), so the
words a result highlights are words on the page.

A learner's typed text is never handed to FTS5 as syntax: each word becomes a quoted phrase,
so quotes, stars, brackets, ``NEAR`` or ``AND`` are just words, and the last word, still
being typed, matches as a prefix. Knowledge checks, injects, endings and feedback are left
out: they would give away answers and surprises.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass

from .lessons import lesson_sections, outline
from .model import TIERS, Course, Module
from .story_text import Passages, TemplateError, has_passages, parse

LESSON, GLOSSARY, SCENARIO = "lesson", "glossary", "scenario"
KINDS = (LESSON, GLOSSARY, SCENARIO)

# A query is bounded: a pasted page must not become a thousand-term query.
MAX_QUERY_WORDS = 12
MAX_WORD_CHARS = 64
TITLE_WEIGHT = 4.0  # bm25 weight of a title against 1.0 for the body
_WORD = re.compile(r"\w+")
_TIER_NAMES = {"short": "short term", "medium": "medium term", "long": "long term"}


@dataclass(frozen=True, slots=True)
class Document:
    """One thing a result opens. ``ref`` is ``MODULE#ANCHOR`` for a lesson, the term for the
    glossary, ``SCENARIO`` (its briefing) or ``SCENARIO#SCENE`` for a scenario."""

    kind: str
    ref: str
    title: str
    body: str


@dataclass(frozen=True, slots=True)
class SearchResult:
    kind: str
    ref: str
    title: str
    snippet_parts: tuple[tuple[str, bool], ...]  # (text, is a matched word)
    matches: tuple[str, ...]  # the words of the document that matched, as written there

    @property
    def snippet(self) -> str:
        return "".join(text for text, _ in self.snippet_parts)

    def to_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "ref": self.ref,
            "title": self.title,
            "snippet": self.snippet,
            "matches": list(self.matches),
        }


def fts_query(text: str) -> str | None:
    """The learner's words as an FTS5 query that cannot be a syntax error; None if there is
    nothing to look for. Each space-separated piece is a phrase of its words (``do-no-harm``
    finds the hyphenated phrase), all of them required; the last is a prefix unless the
    learner typed a space after it. Several pieces are also looked for side by side, as one
    phrase, so that the places where they stand together rank first."""
    pieces: list[str] = []
    count = 0
    for piece in text.split():
        words = [w[:MAX_WORD_CHARS] for w in _WORD.findall(piece) if w.strip("_")]
        words = words[: MAX_QUERY_WORDS - count]
        if words:
            pieces.append(" ".join(words))
            count += len(words)
        if count == MAX_QUERY_WORDS:
            break
    if not pieces:
        return None
    star = "" if text[-1:].isspace() else "*"
    # \w+ holds no double quote, so a piece needs no escaping inside its quotes.
    query = " ".join(f'"{piece}"' for piece in pieces) + star
    if len(pieces) > 1:
        query = f'({query}) OR "{" ".join(pieces)}"{star}'
    return query


# Words too common to mark on a page when the learner's other words matched as well.
_COMMON = frozenset(
    re.findall(
        r"\w+",
        "a an and are as at be but by for from has have in into is it its of on"
        " or that the their this to was were which with",
    )
)


def highlight_pattern(matches: tuple[str, ...] | list[str]) -> re.Pattern[str] | None:
    """A pattern for the matched words wherever they stand on a page (any case, whole words,
    any spacing between the words of a phrase); common words only if nothing else matched."""
    words = [m for m in matches if m.lower() not in _COMMON] or list(matches)
    words = sorted({" ".join(w.split()) for w in words if w.strip()}, key=len, reverse=True)
    if not words:
        return None
    alternatives = "|".join(r"\s+".join(map(re.escape, word.split())) for word in words)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


# --- the course as documents ------------------------------------------------------------------


def course_documents(course: Course) -> Iterator[Document]:
    """Every document of the course, in course order."""
    for module in sorted(course.modules, key=lambda m: m.order):
        yield from lesson_documents(module)
    for term in course.glossary:
        title = f"{term.term} ({term.expansion})" if term.expansion else term.term
        yield Document(GLOSSARY, term.term, title, term.definition)
    for scenario in course.scenarios.values():
        parts = (scenario.role, scenario.setting, scenario.summary, scenario.briefing)
        briefing = "\n".join(map(_story_words, parts))
        yield Document(SCENARIO, scenario.id, f"{scenario.title} › Briefing", briefing)
        for scene in scenario.scenes.values():
            texts = (scene.text, *(choice.text for choice in scene.choices))
            body = "\n".join(map(_story_words, texts))
            yield Document(
                SCENARIO, f"{scenario.id}#{scene.id}", f"{scenario.title} › {scene.title}", body
            )


def _story_words(text: str) -> str:
    """A story text's words in every passage it may show, without the conditions and value
    names that choose them (``{if trust >= 60: a handshake}{else: a cold stare}``)."""
    if not has_passages(text):
        return text
    try:
        parts = parse(text)
    except TemplateError:
        return text
    words: list[str] = []

    def collect(parts) -> None:
        for part in parts:
            if isinstance(part, str):
                words.append(part)
            elif isinstance(part, Passages):
                for branch in part.branches:
                    collect(branch.body)
                    words.append(" ")

    collect(parts)
    return "".join(words)


def lesson_documents(module: Module) -> Iterator[Document]:
    """A lesson's text one heading at a time, then the parts built from module.yaml."""

    def doc(anchor: str, title: str, body: str) -> Document:
        return Document(LESSON, f"{module.id}#{anchor}", f"{module.title} › {title}", body)

    for anchor, title, body in _lesson_segments(module):
        if body:
            yield doc(anchor, title, body)
    if module.objectives:
        yield doc("objectives", "Objectives", "\n".join(o.text for o in module.objectives))
    if module.activities:
        yield doc("activities", "Key activities", "\n".join(module.activities))
    for tier in TIERS:
        items = module.benchmarks.get(tier, ())
        if items:
            yield doc("benchmarks", f"Benchmarks, {_TIER_NAMES[tier]}", "\n".join(items))
    for risk in module.risks:
        yield doc(risk.anchor.split("#", 1)[1], f"Risk: {risk.title}", risk.text)
    for item in module.considerations:
        yield doc("considerations", f"Consideration: {item.title}", item.text)


_ATX = re.compile(r" {0,3}(#{1,6})(?:[ \t]|$)")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
# Only what would show in a snippet: punctuation alone (fences, table rules, runs of spaces)
# the tokenizer skips anyway, and snippets are put on one line when they are read.
_MARKUP = [
    # quotes and bullets (looked for only where a line may start with one)
    (re.compile(r"^(?=[ \t]*[>*+\d-])[ \t]*(?:>[ \t]?)*(?:[-*+]|\d{1,9}[.)])?[ \t]+", re.M), ""),
    # links and images: their text
    (re.compile(r"(?=[!\[])!?\[([^\]\n]*)\](?:\([^)\n]*\)|\[[^\]\n]*\])"), r"\1"),
    (re.compile(r"</?[A-Za-z][^>\n]*>"), ""),  # inline HTML tags
    # emphasis, code marks, table bars (the lookahead first: most characters are none of these)
    (re.compile(r"(?=[*`~_|])(?:[*`|]+|~~|(?<!\w)_+|_+(?!\w))"), " "),
    (re.compile(r"\\([!-/:-@\[-`{-~])"), r"\1"),  # backslash escapes
]


def _lesson_segments(module: Module) -> Iterator[tuple[str, str, str]]:
    """(anchor, title, plain text) of a lesson from each heading to the next, the text above
    the first heading (with the summary) as the overview. The headings are found line by line
    and named by the loader's own outline, which the loader has already made: the index is
    built with every cold load, and parsing every lesson again would cost more than the rest
    of it. Where the two do not line up (a setext heading, say), each page is one segment."""
    lines = module.lesson.splitlines()
    found = _atx_headings(lines)
    known = outline(module.lesson).headings
    if [level for _, level in found] != [level for level, _, _ in known]:
        for section in lesson_sections(module.lesson):
            yield section.anchor, section.title, _plain("\n".join(section.chunks))
        return
    starts = [line for line, _ in found]
    overview = "\n".join(lines[: starts[0] if starts else len(lines)])
    yield "overview", "Overview", _plain(f"{module.summary}\n{overview}")
    for (_, text, anchor), start, end in zip(known, starts, [*starts[1:], len(lines)], strict=True):
        yield anchor, text, _plain("\n".join(lines[start + 1 : end]))


def _atx_headings(lines: list[str]) -> list[tuple[int, int]]:
    """(line, level) of each ``#`` heading outside code fences."""
    found = []
    fence = ""
    for number, line in enumerate(lines):
        if line.lstrip(" ")[:1] not in ("#", "`", "~"):
            continue
        opened = _FENCE.match(line)
        if fence:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = ""
        elif opened:
            fence = opened.group(1)
        else:
            heading = _ATX.match(line)
            if heading:
                found.append((number, len(heading.group(1))))
    return found


def _plain(markdown: str) -> str:
    """Markdown as the words a page shows: no block or inline marks, no link targets."""
    for pattern, replacement in _MARKUP:
        markdown = pattern.sub(replacement, markdown)
    return html.unescape(markdown).strip()
