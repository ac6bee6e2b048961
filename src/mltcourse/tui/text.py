"""Course text on screen: always literal, never parsed as markup.

Content strings come from authors (and, in an author's preview, from files being edited);
a label like ``[@click=app.quit]`` must show as those characters, not act.
"""

from __future__ import annotations

import errno
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual.content import Content

from ..safetext import clean

if TYPE_CHECKING:
    from ..content.model import Term


def literal(text: str, style: str = "") -> Content:
    """Text shown exactly as written, less any control character (the store may hold one)."""
    content = Content(clean(text))
    return content.stylize(style) if style else content


def prose(text: str) -> str:
    """Authors' paragraphs reflowed: single line breaks from the YAML source become spaces,
    blank lines stay paragraph breaks."""
    paragraphs = re.split(r"\n\s*\n", text.strip())
    return "\n\n".join(" ".join(p.split()) for p in paragraphs)


def lines(*parts: Content | str) -> Content:
    """Several pieces, one per line; plain strings are taken literally."""
    return Content("\n").join(p if isinstance(p, Content) else literal(p) for p in parts)


def cell(text: str, style: str = "") -> Text:
    """A table cell: rich Text (a str would be parsed as markup), free of control characters."""
    return Text(clean(text), style=style)


_NOT_WRITTEN = {
    errno.EROFS: "the disk is read-only",
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EACCES: "you are not allowed to write there",
    errno.EPERM: "you are not allowed to write there",
    errno.EEXIST: "there is a file by that name where the folder should be",
    errno.ENOTDIR: "part of that path is a file, not a folder",
}


def not_written(error: BaseException, folder: Path) -> str:
    """Why nothing could be saved into ``folder``, in plain words (for a notification)."""
    reason = _NOT_WRITTEN.get(getattr(error, "errno", None) or -1)
    if reason is None:
        reason = (getattr(error, "strerror", None) or str(error) or type(error).__name__).lower()
    return f"Nothing was saved in {folder}: {reason.rstrip('.')}."


def percent(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)} %"


def _pattern(term: str) -> re.Pattern[str]:
    flags = 0 if term.isupper() else re.IGNORECASE
    return re.compile(rf"(?<![\w/-]){re.escape(term)}(?![\w/-])", flags)


def terms_in(text: str, glossary: Iterable[Term]) -> list[Term]:
    """Glossary terms that occur in a text, in order of first appearance."""
    found = []
    for term in glossary:
        match = _pattern(term.term).search(text)
        if match:
            found.append((match.start(), term))
    return [term for _, term in sorted(found, key=lambda pair: pair[0])]
