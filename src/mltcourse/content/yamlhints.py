"""Plain-language messages for the YAML syntax mistakes authors make most.

PyYAML reports where the parser gave up, in the parser's words ("mapping values are not
allowed in this context"). For the classic traps (a colon inside unquoted text, a quote left
open, a line indented one column off, a tab) we say what is wrong and how to fix it, at the
line where the mistake is, which for an open quote can be many lines before the parser stops.
"""

from __future__ import annotations

import re

import yaml

Pos = tuple[int, int]

# A value that opens with a quote: "key: " or "- " (any number of them) before it.
_OPENING = re.compile(r"^\s*(?:-\s+)*(?:[^\s\"'#][^:#]*:\s+)?(?:-\s+)*([\"'])")


def syntax_problem(text: str, exc: yaml.MarkedYAMLError) -> tuple[Pos, str]:
    """Where the mistake is and what to say about it."""
    lines = text.split("\n")
    problem = exc.problem_mark or exc.context_mark
    line, col = (problem.line + 1, problem.column + 1) if problem else (1, 1)
    message = exc.problem or "invalid YAML"
    if exc.context and exc.context not in message:
        message = f"{message} ({exc.context})"
    if _char_at(lines, line, col) == "\t" or ("\t" in text and "tab" in message.lower()):
        return (line, col), "a tab character here: indent YAML with spaces, not tabs"
    if exc.context == "while scanning a quoted scalar" and exc.context_mark is not None:
        start = (exc.context_mark.line + 1, exc.context_mark.column + 1)
        quote = _char_at(lines, *start) or '"'
        return start, f"this {quote} is never closed: {_close_hint(quote)}"
    opened = _open_quote(lines, exc, line)
    if opened is not None:
        (at, quote), runs_to = opened
        return at, (
            f"this {quote} is not closed on its line, so the text runs on to line {runs_to}: "
            f"{_close_hint(quote)}"
        )
    if exc.problem == "mapping values are not allowed in this context":
        hint = _colon_hint(lines, line, col)
        if hint:
            return (line, col), hint
        hint = _continuation_hint(lines, line)
        if hint:
            return (line, _first_column(lines, line)), hint
    indent = _indent_hint(lines, exc, line)
    if indent:
        return (line, _first_column(lines, line)), indent
    return (line, col), f"YAML syntax: {message}"


def _close_hint(quote: str) -> str:
    other = "'" if quote == '"' else '"'
    return (
        f"end the text with {quote} on the same line (if the text itself holds a {quote}, "
        f"quote it with {other} instead)"
    )


def _char_at(lines: list[str], line: int, col: int) -> str:
    if 0 < line <= len(lines) and 0 < col <= len(lines[line - 1]):
        return lines[line - 1][col - 1]
    return ""


def _first_column(lines: list[str], line: int) -> int:
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    return len(text) - len(text.lstrip(" ")) + 1


def _closed_on_line(rest: str, quote: str) -> bool:
    """Does ``rest`` (what follows an opening quote) close it?"""
    index = 0
    while index < len(rest):
        char = rest[index]
        if quote == '"' and char == "\\":
            index += 2
            continue
        if char == quote:
            if quote == "'" and rest[index + 1 : index + 2] == "'":
                index += 2
                continue
            return True
        index += 1
    return False


def _open_quote(lines: list[str], exc, problem_line: int) -> tuple[tuple[Pos, str], int] | None:
    """The first value between the enclosing block's start and the error that opens a quote
    and does not close it on its own line: a quoted text then swallows the lines after it."""
    first = exc.context_mark.line + 1 if exc.context_mark is not None else 1
    for number in range(first, problem_line):
        text = lines[number - 1]
        match = _OPENING.match(text)
        if match is None:
            continue
        quote, start = match.group(1), match.end(1)
        if not _closed_on_line(text[start:], quote):
            return ((number, start), quote), problem_line
    return None


def _colon_hint(lines: list[str], line: int, col: int) -> str | None:
    """A ': ' inside unquoted text: the line already has a key before this colon."""
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    match = re.match(r"^(\s*(?:-\s+)?)([^\s:#][^:#]*):\s+(.*)$", text)
    if match is None or match.end(2) + 1 >= col:
        return None
    key, value = match.group(2), match.group(3).rstrip()
    quoted = value.replace('"', '\\"')
    return (
        f'a colon followed by a space inside unquoted text: quote the text, e.g. {key}: "{quoted}"'
    )


def _continuation_hint(lines: list[str], line: int) -> str | None:
    """A key indented deeper than the line above, so it reads as more of that line's text."""
    above = next((n for n in range(line - 1, 0, -1) if lines[n - 1].strip()), None)
    if above is None:
        return None
    found, before = _first_column(lines, line), _first_column(lines, above)
    if found <= before:
        return None
    return (
        f"this line is indented to column {found}, deeper than line {above} (column {before}), "
        f"so YAML reads it as more of the text on line {above}: indent it like its neighbours"
    )


def _indent_hint(lines: list[str], exc, line: int) -> str | None:
    """A line indented off the column of the list or mapping it belongs to."""
    if exc.context_mark is None or exc.context not in (
        "while parsing a block collection",
        "while parsing a block mapping",
    ):
        return None
    block_line = exc.context_mark.line + 1
    expected = exc.context_mark.column + 1
    found = _first_column(lines, line)
    if found == expected:
        return None
    if "collection" in exc.context:
        opening = lines[block_line - 1] if block_line <= len(lines) else ""
        item = re.match(r"^\s*-\s+", opening)
        keys = f" and their keys at column {item.end() + 1}" if item else ""
        where = (
            f"the list that starts on line {block_line} has its items at column {expected}{keys}"
        )
    else:
        where = f"the keys of the mapping that starts on line {block_line} are at column {expected}"
    return f"this line is indented to column {found}, which lines up with nothing above: {where}"
