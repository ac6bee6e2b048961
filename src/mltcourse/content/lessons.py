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


def heading_lines(markdown: str) -> tuple[tuple[int, str, str], ...]:
    """(1-based line, text, anchor) of every heading: where an editor jumps for a section."""
    tokens = _parser().parse(markdown)
    seen: dict[str, int] = {}
    return tuple(
        ((token.map[0] + 1) if token.map else 1, text, _unique_anchor(text, seen))
        for index, token in enumerate(tokens)
        if token.type == "heading_open"
        for text in (tokens[index + 1].content,)
    )


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


# What a lesson's Markdown may hold. A learner's page is painted a block at a time, so one
# block must stay small enough to paint at once; and markdown-it silently stops at a nesting
# depth it will not go past, which would drop the rest of the lesson unseen.
MAX_BLOCK_CHARS = 20_000
MAX_TABLE_ROWS = 100
MAX_TABLE_COLUMNS = 12
MAX_NESTING = 4  # lists and quotes inside one another


def structure_problems(markdown: str) -> list[tuple[int, str]]:
    """(line, message) for every block of a lesson that is too big or too deep to show."""
    tokens = _parser().parse(markdown)
    lines = markdown.splitlines(keepends=True)
    problems: list[tuple[int, str]] = []
    depth = 0
    rows = columns = 0
    for token in tokens:
        line = token.map[0] + 1 if token.map else 1
        if token.level == 0 and token.map and token.nesting != -1:
            size = sum(len(text) for text in lines[token.map[0] : token.map[1]])
            if size > MAX_BLOCK_CHARS:
                problems.append(
                    (
                        line,
                        f"this block is {size:,} characters long, more than the "
                        f"{MAX_BLOCK_CHARS:,} a page can show at once; split it",
                    )
                )
        if token.type in ("bullet_list_open", "ordered_list_open", "blockquote_open"):
            depth += 1
            if depth == MAX_NESTING + 1:
                problems.append(
                    (
                        line,
                        f"lists or quotes nested more than {MAX_NESTING} deep; "
                        "flatten them (deeper nesting would be cut off with the rest of the page)",
                    )
                )
        elif token.type in ("bullet_list_close", "ordered_list_close", "blockquote_close"):
            depth -= 1
        elif token.type == "table_open":
            rows = columns = 0
            table_line = line
        elif token.type == "tr_open":
            rows += 1
            columns = 0
        elif token.type in ("th_open", "td_open"):
            columns += 1
        elif token.type == "tr_close" and columns > MAX_TABLE_COLUMNS:
            problems.append(
                (table_line, f"a table with {columns} columns; at most {MAX_TABLE_COLUMNS} fit")
            )
            columns = -(10**9)  # report a table once
        elif token.type == "table_close" and rows > MAX_TABLE_ROWS:
            problems.append(
                (table_line, f"a table with {rows} rows; split it (at most {MAX_TABLE_ROWS})")
            )
    problems += _dropped(tokens, lines)
    return problems


def _dropped(tokens, lines: list[str]) -> list[tuple[int, str]]:
    """Text after the last block markdown-it produced: the parser gave up before it."""
    covered = max((t.map[1] for t in tokens if t.level == 0 and t.map), default=0)
    for number in range(covered, len(lines)):
        if lines[number].strip():
            return [(number + 1, "the Markdown parser stops before this line; simplify above")]
    return []
