"""Mends for bugs of Textual 8.2.8 (pinned in pyproject.toml) that the monkey test found,
applied once when the app is imported. Each is checked in tests/test_app_crashes.py, which
also checks that Textual still has the bug, so the mend goes once Textual is fixed.

* ``OptionList._move_page``: page up or down in a list before it is first laid out (a key
  typed right after the list appears: the palette, a scenario's choices) looks up a line
  that is not there yet, ``KeyError``. Such a key now does nothing.
"""

from __future__ import annotations

from textual.widgets import OptionList

_move_page = OptionList._move_page


def _move_page_when_laid_out(self: OptionList, direction) -> None:
    if (self.highlighted or 0) not in self._index_to_line:
        return  # not laid out yet: no lines to page through
    _move_page(self, direction)


def apply() -> None:
    OptionList._move_page = _move_page_when_laid_out  # type: ignore[method-assign]
