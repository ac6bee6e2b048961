"""Completion, hover and definition: the answers for an id's place in a course file."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from lsprotocol import types
from pygls.workspace.position_codec import PositionCodec, ServerTextPosition, ServerTextRange

from ..content.model import END
from ..safetext import clean
from .course import Symbols
from .cursor import Slot
from .symbols import Symbol

_CONDITION_WORDS = ("and", "or", "not", "true", "false")
_ITEM_KINDS = {
    "scene": types.CompletionItemKind.Class,
    "principle": types.CompletionItemKind.Constant,
    "risk": types.CompletionItemKind.Event,
    "section": types.CompletionItemKind.Reference,
    "module": types.CompletionItemKind.Module,
    "indicator": types.CompletionItemKind.Variable,
    "flag": types.CompletionItemKind.Property,
}


def candidates(slot: Slot, symbols: Symbols) -> list[tuple[str, Symbol]]:
    """The ids that fit a slot, each with the kind it is shown as."""
    local = symbols.local
    groups = {
        "scene": [("scene", local.scenes)],
        "next": [("scene", local.scenes)],
        "principle": [("principle", symbols.principles)],
        "risk": [("risk", symbols.risks)],
        "test": [("principle", symbols.principles), ("risk", symbols.risks)],
        "section": [("section", symbols.sections)],
        "module": [("module", symbols.modules)],
        "indicator": [("indicator", local.indicators)],
        "flag": [("flag", local.flags)],
        "name": [("indicator", local.indicators), ("flag", local.flags)],
    }[slot.kind]
    return [(kind, symbol) for kind, table in groups for symbol in table.values()]


def _range(codec: PositionCodec, lines: Sequence[str], line: int, start: int, end: int):
    return codec.range_to_client_units(
        lines, ServerTextRange(ServerTextPosition(line, start), ServerTextPosition(line, end))
    )


def completion(
    slot: Slot,
    symbols: Symbols,
    codec: PositionCodec,
    lines: Sequence[str],
    line: int,
    column: int,
) -> list[types.CompletionItem]:
    """Every id that fits the slot, replacing what is typed of it so far."""
    where = _range(codec, lines, line, slot.start, column)
    items = [
        types.CompletionItem(
            label=symbol.id,
            kind=_ITEM_KINDS[kind],
            detail=clean(symbol.title) or kind,
            documentation=clean(symbol.text) or None,
            text_edit=types.TextEdit(range=where, new_text=symbol.id),
            filter_text=symbol.id,
        )
        for kind, symbol in candidates(slot, symbols)
    ]
    extra = [END] if slot.kind == "next" else _CONDITION_WORDS if slot.kind == "name" else ()
    items += [
        types.CompletionItem(
            label=word,
            kind=types.CompletionItemKind.Keyword,
            text_edit=types.TextEdit(range=where, new_text=word),
        )
        for word in extra
    ]
    return items


def lookup(slot: Slot, symbols: Symbols) -> tuple[str, Symbol] | None:
    """The symbol a slot's whole token names, if it names one."""
    return next(((k, s) for k, s in candidates(slot, symbols) if s.id == slot.token), None)


_NOUNS = {
    "scene": "scene",
    "principle": "principle",
    "risk": "risk",
    "section": "lesson section",
    "module": "lesson",
    "indicator": "indicator",
    "flag": "flag",
}


def hover(
    slot: Slot, symbols: Symbols, codec: PositionCodec, lines: Sequence[str], line: int
) -> types.Hover | None:
    """A principle's statement, a risk's text, a section's title, a scene's heading."""
    found = lookup(slot, symbols)
    if found is None:
        return None
    kind, symbol = found
    heading = f"**{clean(symbol.title)}**" if symbol.title else ""
    parts = [f"{heading} ({_NOUNS[kind]} `{symbol.id}`)".strip()]
    if symbol.text:
        parts.append(clean(symbol.text))
    return types.Hover(
        contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value="\n\n".join(parts)),
        range=_range(codec, lines, line, slot.start, slot.end),
    )


def definition(
    slot: Slot, symbols: Symbols, codec: PositionCodec, text_of
) -> types.Location | None:
    """Where the id is defined: a scene's key, a principle's entry, a section's heading."""
    found = lookup(slot, symbols)
    if found is None:
        return None
    symbol = found[1]
    target_lines = (text_of(symbol.path) or "").splitlines(True)
    line_text = target_lines[symbol.line] if symbol.line < len(target_lines) else ""
    width = len(symbol.id) if line_text[symbol.column :].startswith(symbol.id) else 0
    return types.Location(
        uri=Path(symbol.path).as_uri(),
        range=_range(codec, target_lines, symbol.line, symbol.column, symbol.column + width),
    )
