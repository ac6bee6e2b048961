"""Dialogs of text boxes filled in turn (role cards, votes, an exercise's set-up).

Textual hands a key to whichever widget has focus when the key is read, and an Input's Enter
moves focus only later, through a message. Keys typed fast after Enter (or sent by a
terminal in one go) therefore all landed in the first box: "Amina DialloJonas Berg" as the
SRSG. Here Enter is a priority binding of the dialog that moves focus at once, before the
next key is read (so do Tab and Shift+Tab); what the boxes hold is read only once each box
has taken the keys already sent to it. A paste of several lines fills this box and the ones
after it, so a roster or a column of votes can be pasted from a spreadsheet.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import events
from textual.actions import SkipAction
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input


class FieldInput(Input):
    """A box of a dialog filled in turn; with ``joiner``, a pasted column is one list in this
    box (teams pasted one a line become "Alpha, Bravo")."""

    def __init__(self, *args, joiner: str | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.joiner = joiner

    class Pasted(Message):
        """Several lines pasted into ``field``: one per box from it on."""

        def __init__(self, field: FieldInput, rows: tuple[str, ...]) -> None:
            super().__init__()
            self.field = field
            self.rows = rows

    def _on_paste(self, event: events.Paste) -> None:
        rows = tuple(row.strip() for row in event.text.splitlines())
        while rows and not rows[-1]:
            rows = rows[:-1]
        if len(rows) < 2:
            return  # Input's own handler (Textual calls each class's in turn) pastes it
        event.stop()
        event.prevent_default()  # not Input's handler too: it would paste the first row
        if self.joiner is not None:
            self.replace(self.joiner.join(row for row in rows if row), 0, len(self.value))
            return
        self.post_message(self.Pasted(self, rows))


class FieldsInTurn:
    """For a dialog screen: Enter in a box goes to the next one at once, and on the last
    box calls ``fields_done`` (at once: what reads the boxes waits for ``when_settled``); a
    pasted column fills the boxes in turn. Its bindings go in the dialog's BINDINGS."""

    KEYS = [
        Binding("enter", "next_field", "Next", show=False, priority=True),
        Binding("tab", "move_focus(1)", "Next", show=False, priority=True),
        Binding("shift+tab", "move_focus(-1)", "Back", show=False, priority=True),
    ]

    def fields(self) -> list[FieldInput]:
        return list(self.query(FieldInput).results(FieldInput))  # type: ignore[attr-defined]

    def fields_done(self) -> None:
        raise NotImplementedError

    def action_next_field(self) -> None:
        fields, focused = self.fields(), self.focused  # type: ignore[attr-defined]
        if focused not in fields:
            raise SkipAction()  # a button or a list: Enter does what it does there
        position = fields.index(focused)
        if position + 1 < len(fields):
            self.set_focus(fields[position + 1])  # type: ignore[attr-defined]
        else:
            self.fields_done()

    def action_move_focus(self, step: int) -> None:
        (self.focus_next if step > 0 else self.focus_previous)()  # type: ignore[attr-defined]

    def when_settled(self, then: Callable[[], None]) -> None:
        """Run ``then`` once every box has taken the keys already sent to it: each box reads
        its keys in its own queue, so a callback queued behind them comes after them."""

        def settle(rest: list[FieldInput]) -> None:
            if rest:
                rest[0].call_later(settle, rest[1:])
            else:
                then()

        settle(self.fields())

    def on_field_input_pasted(self, event: FieldInput.Pasted) -> None:
        fields = self.fields()
        start = fields.index(event.field)
        for field, row in zip(fields[start:], event.rows, strict=False):
            field.replace(row, 0, len(field.value))
        after = min(start + len(event.rows), len(fields) - 1)
        self.set_focus(fields[after])  # type: ignore[attr-defined]
