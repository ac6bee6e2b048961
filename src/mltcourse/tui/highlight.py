"""Words a search matched, marked where the learner reads them: in a result's snippet, on the
lesson page or scene it opens. The mark is a style of theme variables, so it follows the theme."""

from __future__ import annotations

import re

from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static, TabbedContent, TabPane

from .text import literal

MARK_STYLE = "bold on $warning-muted"


def snippet(parts: tuple[tuple[str, bool], ...]) -> Content:
    """A result's snippet, its matched words marked, the text taken literally."""
    return Content.assemble(*(literal(text, MARK_STYLE if hit else "") for text, hit in parts))


def mark(content: Content, pattern: re.Pattern[str] | None) -> Content:
    return content if pattern is None else content.highlight_regex(pattern, style=MARK_STYLE)


def mark_widgets(root: Widget, pattern: re.Pattern[str]) -> list[Widget]:
    """Mark the words in every text under ``root`` (Markdown blocks are Statics too), once
    per widget; the widgets with a match, in the order they are shown."""
    found: list[Widget] = []
    for widget in [root, *root.query(Static)] if isinstance(root, Static) else root.query(Static):
        if widget.has_class("-search-marked"):
            if widget.has_class("-search-hit"):
                found.append(widget)
            continue
        content = widget.content
        if not isinstance(content, Content) or not pattern.search(content.plain):
            widget.add_class("-search-marked")
            continue
        widget.update(mark(content, pattern))
        widget.add_class("-search-marked", "-search-hit")
        found.append(widget)
    return found


def mark_page(page: Widget, pattern: re.Pattern[str], after: Widget | None) -> Widget | None:
    """Mark the words on a page; the first marked text at or after ``after`` (else the first
    of all), its benchmark tier (tab) brought forward, for the page to scroll to."""
    hits = mark_widgets(page, pattern)
    if not hits:
        return None
    target = hits[0]
    if after is not None:
        order = {widget: number for number, widget in enumerate(page.query("*"))}
        start = order.get(after, -1)
        target = next((hit for hit in hits if order.get(hit, -1) >= start), hits[0])
    for node in target.ancestors:
        if isinstance(node, TabPane) and isinstance(node.parent, Widget):
            tabs = next((a for a in node.ancestors if isinstance(a, TabbedContent)), None)
            if tabs is not None and node.id:
                tabs.active = node.id
            break
    return target
