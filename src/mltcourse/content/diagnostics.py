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


# The messages of content/validate.py for an id that is not there, and what the id is
# (in a check's ``tests``, either: a risk id has its module before a dot).
_UNKNOWN = (
    (re.compile(r"unknown principle '([^']+)'"), "principle"),
    (re.compile(r"unknown risk '([^']+)'"), "risk"),
    (re.compile(r"unknown module '([^']+)'"), "module"),
    (re.compile(r"'([^']+)' is neither a principle nor a risk id"), None),
)
_MISSING = {
    "principle": "is not in the catalogue",
    "risk": "is not among its lesson's risks",
    "module": "is not a lesson of the course",
}
REPEATED = 3  # uses of one unknown id from which it is summed up


def repeated_unknowns(diagnostics: list[Diagnostic], at_least: int = REPEATED) -> list[str]:
    """One line for each id that is missing and used ``at_least`` times, say a principle
    taken out of the catalogue: "principle 'x' is not in the catalogue and is used 111
    times (first at FILE:LINE:COL)". The errors themselves stay; this says they are one."""
    uses: dict[tuple[str, str], list[Diagnostic]] = {}
    for diagnostic in diagnostics:
        if diagnostic.severity != "error":
            continue
        for pattern, kind in _UNKNOWN:
            found = pattern.search(diagnostic.message)
            if found:
                name = found.group(1)
                kind = kind or ("risk" if "." in name else "principle")
                uses.setdefault((kind, name), []).append(diagnostic)
                break
    # The risks of a lesson that is missing are missing because it is: one line for both.
    for kind, name in list(uses):
        lesson = ("module", name.split(".", 1)[0])
        if kind == "risk" and lesson in uses:
            uses[lesson] += uses.pop((kind, name))
    for places in uses.values():
        places.sort(key=lambda d: (d.file, d.line, d.column))
    return [
        f"{kind} {name!r} {_MISSING[kind]} and is used {len(places)} times "
        f"(first at {_one_line(places[0].file)}:{places[0].line}:{places[0].column})"
        for (kind, name), places in uses.items()
        if len(places) >= at_least
    ]
