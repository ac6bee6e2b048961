"""Where a character of a YAML string value stands in its file, for exact error positions.

The reader keeps the line and column where each value starts; a block scalar (``|``, ``>``)
starts with its indicator and a folded or quoted one loses its line breaks and escapes. So the
value's characters are matched to the source in order, skipping the whitespace and the
quoting that the value no longer holds. Only run when there is an error to report.
"""

from __future__ import annotations

Pos = tuple[int, int]


def scalar_position(lines: list[str], start: Pos, value: str, offset: int) -> Pos:
    """(line, column), 1-based, of ``value[offset]`` for a value that starts at ``start``."""
    line, col = start[0] - 1, start[1] - 1
    if not 0 <= line < len(lines):
        return start
    if lines[line][col : col + 1] in ("|", ">"):
        line, col = line + 1, 0
    found = start
    for char in value[: offset + 1]:
        if char.isspace():
            continue
        while True:
            if line >= len(lines):
                return found
            if col >= len(lines[line]):
                line, col = line + 1, 0
                continue
            if lines[line][col] == char:
                found = (line + 1, col + 1)
                col += 1
                break
            col += 1
    if offset < len(value) and value[offset].isspace():
        return (found[0], found[1] + 1)
    return found
