"""Diagnostics: every content problem carries the file, line and column it is about."""

from __future__ import annotations

import re
from dataclasses import dataclass

_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _one_line(text: str) -> str:
    return _BREAKS.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One error or warning, printed the way compilers do: ``FILE:LINE:COL: error: MESSAGE``."""

    file: str
    line: int
    column: int
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        """One line, whatever the file's name or the message hold: a newline in a file name
        must not forge another diagnostic."""
        where = f"{_one_line(self.file)}:{self.line}:{self.column}"
        return f"{where}: {self.severity}: {_one_line(self.message)}"

    def as_json(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }


class ContentError(Exception):
    """Raised by the YAML reader when a file cannot be read at all; carries one diagnostic."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(str(diagnostic))
        self.diagnostic = diagnostic
