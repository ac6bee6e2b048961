"""What kind of id stands (or is being typed) at a place in a course file.

Read from the text around the cursor, not from a parse: the file is usually half-typed while
an author asks for completion, and the line, its indentation and the key above it are enough
to tell a scene id after ``next:`` from a principle under ``principles:``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The kind of id a key's value is.
VALUE_KINDS = {
    "next": "next",
    "start": "scene",
    "section": "section",
    "module": "module",
    "when": "name",
}
# The kind of id each item of a list under these keys is.
LIST_KINDS = {
    "raises": "risk",
    "mitigates": "risk",
    "materializes": "risk",
    "tests": "test",
    "sources": "section",
    "see_also": "module",
    "modules": "module",
    "principles": "principle",
}
# The kind of id each key of a mapping under these keys is.
KEY_KINDS = {
    "principles": "principle",
    "effects": "indicator",
    "flags": "flag",
    "scenes": "scene",
    "indicators": "indicator",
}
_ID_CHARS = re.compile(r"[\w.#-]")
_NAME_CHARS = re.compile(r"\w")
_KEY_LINE = re.compile(r"^(\s*)(-\s+)?([\w][\w.-]*)\s*:(?=\s|$)")
_ITEM_LINE = re.compile(r"^(\s*)(-\s+)?")
_BLOCK_SCALAR = re.compile(r"^[|>][-+0-9]*\s*(#.*)?$")
_COMMENT = re.compile(r"(^|\s)#")


@dataclass(frozen=True, slots=True)
class Slot:
    """An id's place on a line: its kind, its 0-based columns and the text there."""

    kind: str  # next, scene, principle, risk, test, section, module, name, indicator, flag
    start: int
    end: int
    token: str


def _span(text: str, column: int, chars: re.Pattern) -> tuple[int, int]:
    start = column
    while start > 0 and chars.match(text[start - 1]):
        start -= 1
    end = column
    while end < len(text) and chars.match(text[end]):
        end += 1
    return start, end


def _slot(kind: str | None, text: str, column: int) -> Slot | None:
    if kind is None:
        return None
    start, end = _span(text, column, _NAME_CHARS if kind == "name" else _ID_CHARS)
    return Slot(kind, start, end, text[start:end])


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _enclosing(lines: list[str], number: int, column: int, item: bool) -> tuple[str, str] | None:
    """The key (and the text after its colon) that the line at ``number`` belongs to.

    ``column`` is where the line's key or text starts, or, for a list item (``item``), where
    its dash is; the items of one list stand at the same column, under or beside their key."""
    for above in range(number - 1, -1, -1):
        line = lines[above]
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        indent = _indent(line)
        dash = _ITEM_LINE.match(line).group(2) or ""
        if item:
            if indent > column or (indent == column and dash):
                continue
        elif indent + len(dash) >= column:
            continue
        match = _KEY_LINE.match(line)
        return (match.group(3), line[match.end() :].strip()) if match else None
    return None


def _in_prose(lines: list[str], number: int, indent: int) -> bool:
    """Whether the line is inside a block of text (``text: >-``) rather than structure."""
    parent = _enclosing(lines, number, indent, item=False)
    return parent is not None and bool(_BLOCK_SCALAR.match(parent[1]))


def _flow_kind(key: str, value_before: str) -> str | None:
    """The kind of id being typed inside ``key: [a, b`` or ``key: {a: 1, b``."""
    opened = value_before.lstrip()
    if opened.startswith("["):
        return LIST_KINDS.get(key)
    if opened.startswith("{"):
        last = max(opened.rfind(","), opened.rfind("{"))
        if ":" not in opened[last:]:
            return KEY_KINDS.get(key)
    return None


def slot_at(lines: list[str], number: int, column: int, markdown: bool = False) -> Slot | None:
    """The slot at 0-based ``number``, ``column`` of a course file's lines, or None."""
    if not 0 <= number < len(lines):
        return None
    text = lines[number].rstrip("\r\n")
    column = max(0, min(column, len(text)))
    if markdown:
        start, _ = _span(text, column, _ID_CHARS)
        return _slot("section", text, column) if text[:start].endswith("(lesson:") else None
    if _COMMENT.search(text[:column]) and not re.search(r"[\"']", text[:column]):
        return None
    key_line = _KEY_LINE.match(text)
    if key_line is not None:
        key, colon = key_line.group(3), key_line.end() - 1
        if column > colon:
            if _in_prose(lines, number, len(key_line.group(1))):
                return None
            value_before = text[colon + 1 : column]
            if value_before.lstrip()[:1] in ("[", "{"):
                return _slot(_flow_kind(key, value_before), text, column)
            return _slot(VALUE_KINDS.get(key), text, column)
        if column < key_line.start(3):
            return None
        indent = key_line.start(3)
        if key_line.group(2) or _in_prose(lines, number, indent):
            return None
        parent = _enclosing(lines, number, indent, item=False)
        return _slot(KEY_KINDS.get(parent[0]) if parent and not parent[1] else None, text, column)
    item = _ITEM_LINE.match(text)
    indent = len(item.group(1))
    if _in_prose(lines, number, indent):
        return None
    if item.group(2):
        parent = _enclosing(lines, number, indent, item=True)
        kind = LIST_KINDS.get(parent[0]) if parent and not parent[1] else None
        return _slot(kind, text, column) if column >= item.end() else None
    parent = _enclosing(lines, number, indent, item=False)
    return _slot(KEY_KINDS.get(parent[0]) if parent and not parent[1] else None, text, column)
