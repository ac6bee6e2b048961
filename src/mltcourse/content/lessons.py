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
    return MarkdownIt("commonmark").enable("table")


@dataclass(frozen=True, slots=True)
class Link:
    target: str
    line: int  # 1-based line in the Markdown source


@dataclass(frozen=True, slots=True)
class LessonOutline:
    headings: tuple[tuple[int, str, str], ...]  # (level, text, anchor)
    links: tuple[Link, ...]


def outline(markdown: str) -> LessonOutline:
    """Headings (with anchors) and link targets of a lesson."""
    tokens = _parser().parse(markdown)
    headings: list[tuple[int, str, str]] = []
    links: list[Link] = []
    seen: dict[str, int] = {}
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            text = tokens[index + 1].content
            anchor = slugify(text)
            if anchor in seen:
                seen[anchor] += 1
                anchor = f"{anchor}-{seen[anchor]}"
            else:
                seen[anchor] = 0
            headings.append((int(token.tag[1:]), text, anchor))
        if token.type == "inline" and token.children:
            line = (token.map[0] + 1) if token.map else 1
            for child in token.children:
                if child.type == "link_open":
                    links.append(Link(str(child.attrGet("href") or ""), line))
                elif child.type == "image":
                    links.append(Link(str(child.attrGet("src") or ""), line))
    return LessonOutline(tuple(headings), tuple(links))


def classify_link(target: str) -> tuple[str, str]:
    """('lesson', 'module#anchor') | ('web', url) | ('anchor', name) | ('asset', path) | ('bad', why)."""
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
