"""Dialogs that close once.

Textual's ``Screen.dismiss`` pops whatever screen is on top. A dialog's own messages can
outlive it: two Enters typed fast in a text box (or the palette's list) are two messages, both
handled by the dialog, the second after the first has closed it. Dismissed again, it would
close the screen beneath (on the map: fail), and answer its caller twice. With ``DismissOnce``
a second dismissal, or one while the screen is not on top, does nothing.
"""

from __future__ import annotations

from textual import events
from textual.await_complete import AwaitComplete
from textual.screen import ModalScreen, ScreenResultType
from textual.widgets import Input


class DismissOnce:
    """For a screen class: ``dismiss`` acts once, and only while the screen is on top."""

    _dismissed = False

    def dismiss(self, result=None) -> AwaitComplete:
        if self._dismissed or self.app.screen is not self:  # type: ignore[attr-defined]
            return AwaitComplete.nothing()
        self._dismissed = True
        return super().dismiss(result)  # type: ignore[misc]


class Dialog(DismissOnce, ModalScreen[ScreenResultType]):
    """The base of every dialog of the app."""


def type_into(box: Input, event: events.Key) -> None:
    """A letter (or Backspace) typed while the focus is elsewhere in a dialog goes to its text
    box, at the end of what is there: the glossary, the search and the learner question."""
    if box.has_focus:
        return
    if event.is_printable and event.character:
        event.stop()
        box.focus()
        box.action_end()
        box.insert_text_at_cursor(event.character)
    elif event.key == "backspace" and box.value:
        event.stop()
        box.focus()
        box.value = box.value[:-1]
