"""The validator's and the linter's findings as LSP diagnostics, with ranges an editor can
underline.

A content diagnostic names a point (``FILE:LINE:COL``, 1-based); the range runs from there to
the end of the value or key that stands at that point, so the editor marks the word at fault.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from lsprotocol import types
from pygls.workspace.position_codec import PositionCodec, ServerTextPosition, ServerTextRange

from ..content.diagnostics import Diagnostic
from ..safetext import clean

SOURCE = "mltcourse"
LINT_TIME_LIMIT = 120.0  # seconds a lint run may take before it is given up
_TOKEN = re.compile(r"[^\s,\[\]{}]+")


def absolute(file: str) -> Path:
    """The real path a diagnostic's file name (relative to the current folder) stands for."""
    return Path(os.path.realpath(file))


def by_file(diagnostics: Iterable[Diagnostic]) -> dict[Path, list[Diagnostic]]:
    out: dict[Path, list[Diagnostic]] = {}
    for diagnostic in diagnostics:
        out.setdefault(absolute(diagnostic.file), []).append(diagnostic)
    return out


def token_end(text: str, column: int) -> int:
    """Where the value or key starting at ``column`` of a line ends (0-based, exclusive)."""
    if column >= len(text):
        return column
    if text[column] in "\"'":
        close = text.find(text[column], column + 1)
        return close + 1 if close > 0 else len(text.rstrip())
    match = _TOKEN.match(text, column)
    if match is None:
        return min(column + 1, len(text))
    end = match.end()
    return end - 1 if text[end - 1] == ":" and end - 1 > column else end


def to_lsp(diagnostic: Diagnostic, lines: Sequence[str], codec: PositionCodec) -> types.Diagnostic:
    """One content diagnostic as an LSP one, its range in the client's position units."""
    line = max(0, diagnostic.line - 1)
    text = lines[line].rstrip("\r\n") if line < len(lines) else ""
    start = max(0, min(diagnostic.column - 1, len(text)))
    end = token_end(text, start)
    where = codec.range_to_client_units(
        lines, ServerTextRange(ServerTextPosition(line, start), ServerTextPosition(line, end))
    )
    severity = (
        types.DiagnosticSeverity.Error
        if diagnostic.severity == "error"
        else types.DiagnosticSeverity.Warning
    )
    return types.Diagnostic(
        range=where, message=clean(diagnostic.message), severity=severity, source=SOURCE
    )


async def run_lint(
    root: Path, extra: list[Path], overrides: dict[Path, str]
) -> list[Diagnostic] | None:
    """The linter's warnings over the course as the editor holds it, or None when it failed.

    It runs in a child process: the search behind a scenario's lint can take seconds, and
    the server must keep answering (and checking keystrokes) meanwhile. A run still going
    after ``LINT_TIME_LIMIT`` seconds, or cancelled by a newer one, is ended."""
    request = json.dumps(
        {
            "root": str(root),
            "extra": [str(p) for p in extra],
            "overrides": {str(path): text for path, text in overrides.items()},
        }
    ).encode("utf-8")
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "mltcourse.lsp.lint_worker",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        out, _ = await asyncio.wait_for(child.communicate(request), LINT_TIME_LIMIT)
    except TimeoutError:
        return None
    finally:
        if child.returncode is None:
            child.kill()
            await child.wait()
    if child.returncode != 0:
        return None
    try:
        rows = json.loads(out)
        return [
            Diagnostic(r["file"], r["line"], r["column"], r["message"], "warning") for r in rows
        ]
    except (ValueError, KeyError, TypeError):
        return None
