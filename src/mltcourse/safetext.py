"""Text that cannot drive a terminal: control characters are found, cleaned and refused.

A course string, a typed name or a value read back from the store could carry an escape
sequence (ESC ] 52 sets the clipboard, ESC ] 0 the window title, ESC [ 2 J clears the screen).
Content with one is an error, names are cleaned when they are taken in, and everything the
program writes to a terminal or a file passes through ``clean`` on the way out.
"""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, and the C1 controls (CSI is U+009B).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# In a name, tab and newline are controls too, and so are the bidirectional overrides, which
# can make a name read backwards in a table.
_NAME_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
NAME_LIMIT = 60


def first_control(text: str) -> int | None:
    """Index of the first control character that text may not hold, or None."""
    found = _CONTROL.search(text)
    return found.start() if found else None


def clean(text: str) -> str:
    """``text`` with every control character but newline and tab removed."""
    return _CONTROL.sub("", text)


def clean_name(text: str, limit: int = NAME_LIMIT) -> str:
    """A name as people type it, made safe to show: one line, no controls, trimmed."""
    return " ".join(_NAME_CONTROL.sub(" ", text).split())[:limit].strip()


def describe(char: str) -> str:
    return f"U+{ord(char):04X}"


class CleanStream:
    """A text stream that drops control characters on their way to the one it wraps."""

    def __init__(self, stream) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(clean(text))

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str):
        return getattr(self._stream, name)
