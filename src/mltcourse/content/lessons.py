"""Lesson Markdown: heading anchors and the links a lesson may contain."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt

# Anchors every lesson has, because the app builds these sections from module.yaml.
BUILT_IN_ANCHORS = frozenset(
    {"overview", "objectives", "activities", "benchmarks", "risks", "considerations", "checks"}
)
_NON_SLUG = re.compile(r"[^\w\- ]+", re.UNICODE)


def slugify(heading: str) -> str:
    """GitHub-style slug: lower case, punctuation dropped, spaces to hyphens."""
    text = _NON_SLUG.sub("", heading.strip().lower())
    return re.sub(r"\s", "-", text).replace("_", "-")


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark").enable("table")
    # Let every link through, even schemes markdown-it would drop (file:, data:, javascript:),
    # so that the validator sees them and can name them.
    parser.validateLink = lambda url: True
    return parser


@dataclass(frozen=True, slots=True)
class Link:
    target: str
    line: int  # 1-based line in the Markdown source


@dataclass(frozen=True, slots=True)
class LessonOutline:
    headings: tuple[tuple[int, str, str], ...]  # (level, text, anchor)
    links: tuple[Link, ...]


def _unique_anchor(text: str, seen: dict[str, int]) -> str:
    """The heading's slug, numbered when an earlier heading has the same one."""
    anchor = slugify(text)
    if anchor in seen:
        seen[anchor] += 1
        return f"{anchor}-{seen[anchor]}"
    seen[anchor] = 0
    return anchor


@lru_cache(maxsize=64)
def outline(markdown: str) -> LessonOutline:
    """Headings (with anchors) and link targets of a lesson (cached: loading asks twice)."""
    tokens = _parser().parse(markdown)
    headings: list[tuple[int, str, str]] = []
    links: list[Link] = []
    seen: dict[str, int] = {}
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            text = tokens[index + 1].content
            headings.append((int(token.tag[1:]), text, _unique_anchor(text, seen)))
        if token.type == "inline" and token.children:
            line = (token.map[0] + 1) if token.map else 1
            for child in token.children:
                if child.type == "link_open":
                    links.append(Link(str(child.attrGet("href") or ""), line))
                elif child.type == "image":
                    links.append(Link(str(child.attrGet("src") or ""), line))
    return LessonOutline(tuple(headings), tuple(links))


def classify_link(target: str) -> tuple[str, str]:
    """Sort a link target: lesson, web, anchor, asset, or bad (with the reason)."""
    if target.startswith("lesson:"):
        return "lesson", target[len("lesson:") :]
    if target.startswith(("https://", "http://")):
        return "web", target
    if target.startswith("#"):
        return "anchor", target[1:]
    if target.startswith("asset:"):
        path = target[len("asset:") :]
        if not path or path.startswith(("/", "\\")) or ".." in re.split(r"[\\/]", path):
            return "bad", "asset links must name a file inside the course's assets/ folder"
        return "asset", path
    if ":" in target.split("/", 1)[0]:
        return "bad", f"links with the scheme {target.split(':', 1)[0]!r} are not allowed"
    return "bad", "links to files are not allowed; use lesson:MODULE#ANCHOR or asset:FILE"


@dataclass(frozen=True, slots=True)
class LessonSection:
    """One page of a lesson: the text from one level-2 heading to the next."""

    anchor: str  # "overview" for the text before the first level-2 heading
    title: str
    headings: tuple[tuple[int, str, str], ...]  # (level, text, anchor) of every heading inside
    chunks: tuple[str, ...]  # the Markdown, cut between top-level blocks

    @property
    def anchors(self) -> frozenset[str]:
        return frozenset({self.anchor, *(anchor for _, _, anchor in self.headings)})


@lru_cache(maxsize=64)
def lesson_sections(markdown: str, chunk_chars: int = 1500) -> tuple[LessonSection, ...]:
    """Cut a lesson into pages at its level-2 headings, each page into chunks of about
    ``chunk_chars`` characters, so the app can paint a page at a time whatever the length."""
    tokens = _parser().parse(markdown)
    lines = markdown.splitlines(keepends=True)
    block_starts: list[int] = []
    pages: list[tuple[int, str, str, list[tuple[int, str, str]]]] = [
        (0, "overview", "Overview", [])
    ]
    seen: dict[str, int] = {}
    for index, token in enumerate(tokens):
        if token.level != 0 or token.map is None or token.nesting == -1:
            continue
        start = token.map[0]
        block_starts.append(start)
        if token.type != "heading_open":
            continue
        text = tokens[index + 1].content
        heading = (int(token.tag[1:]), text, _unique_anchor(text, seen))
        if heading[0] == 2:
            pages.append((start, heading[2], text, [heading]))
        else:
            pages[-1][3].append(heading)
    sections = []
    for number, (start, anchor, title, headings) in enumerate(pages):
        end = pages[number + 1][0] if number + 1 < len(pages) else len(lines)
        cuts = [b for b in block_starts if start < b < end]
        chunks, chunk_start, size = [], start, 0
        for cut in [*cuts, end]:
            size = sum(len(line) for line in lines[chunk_start:cut])
            if size >= chunk_chars or cut == end:
                text = "".join(lines[chunk_start:cut]).strip()
                if text:
                    chunks.append(text)
                chunk_start = cut
        sections.append(LessonSection(anchor, title, tuple(headings), tuple(chunks)))
    return tuple(sections)
