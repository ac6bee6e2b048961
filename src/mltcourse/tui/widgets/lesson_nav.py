"""The lesson screen's ways around: its contents panel and its list of links."""

from __future__ import annotations

from textual.content import Content
from textual.geometry import Spacing
from textual.visual import Padding
from textual.widgets.option_list import Option

from ...content.lessons import classify_link
from ...content.model import Course
from ...content.pages import Page
from ..text import literal


def contents(pages: list[Page]) -> tuple[list[Option], list[str]]:
    """One entry per page, with the page's sub-headings indented under it (a long one wrapped
    under itself); and the anchor each entry opens, in the same order."""
    options: list[Option] = []
    targets: list[str] = []
    for page in pages:
        options.append(Option(literal(page.title), id=f"toc-{len(targets)}"))
        targets.append(page.anchor)
        if page.section is None:
            continue
        for level, text, anchor in page.section.headings:
            if level > 2:
                label = Padding(literal(text, "$text-muted"), Spacing(0, 0, 0, 2 * (level - 2)))
                options.append(Option(label, id=f"toc-{len(targets)}"))
                targets.append(anchor)
    return options, targets


def link_label(course: Course, href: str) -> Content | None:
    """How a link on the page is listed: where it goes, in words; None for one not followed."""
    kind, target = classify_link(href)
    if kind == "web":
        return Content.assemble(("Web  ", "$text-muted"), literal(target))
    if kind == "anchor":
        return Content.assemble(("This lesson  ", "$text-muted"), literal(target))
    if kind == "lesson":
        module_id, _, anchor = target.partition("#")
        module = course.module(module_id)
        title = module.title if module else module_id
        return Content.assemble(
            ("Lesson  ", "$text-muted"), literal(f"{title} › {anchor or 'overview'}")
        )
    return None
