"""Who is studying at this seat: a served class's browser asks every time it connects.

Unlike the desktop's learner picker it lists nobody (a class must not see each other's
names) and never assumes the last learner: each one types their name, and their PIN if they
set one. A PIN typed by a learner without one becomes theirs. The rules are the store's
(``ClassStore.sign_in``); this screen only asks and says what went wrong.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from ...store.classroom import ClassStore, Seat, SignInError
from ...store.progress import Learner
from ..text import literal
from .dialog import Dialog


class SeatSignIn(Dialog[Learner | None]):
    BINDINGS = [Binding("escape", "cancel", "Leave")]

    def __init__(self, classroom: ClassStore, seat: Seat) -> None:
        super().__init__()
        self.classroom = classroom
        self.seat = seat

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="seat-sign-in"):
            yield Static(literal("Who is studying?", "bold"), classes="dialog-title")
            yield Static(
                literal(
                    "Type your name to find your progress again, or to begin. A PIN keeps "
                    "others out of your progress: type yours if you set one, or choose one "
                    "now (4 to 12 digits; you may leave it empty)."
                ),
                classes="dialog-hint",
            )
            yield Input(placeholder="Your name", id="seat-name", max_length=80)
            yield Input(
                placeholder="PIN (optional)",
                id="seat-pin",
                password=True,
                restrict=r"[0-9]*",
                max_length=12,
            )
            yield Static(id="seat-error", classes="dialog-hint")
            yield Static(literal("Enter to go on · Esc to leave"), classes="dialog-hint")

    @on(Input.Submitted, "#seat-name")
    def _named(self) -> None:
        name = self.query_one("#seat-name", Input).value
        if name.strip() and self.classroom.needs_pin(name):
            self.query_one("#seat-pin", Input).focus()
        else:
            self._sign_in()

    @on(Input.Submitted, "#seat-pin")
    def _pinned(self) -> None:
        self._sign_in()

    def _sign_in(self) -> None:
        name = self.query_one("#seat-name", Input).value
        pin_box = self.query_one("#seat-pin", Input)
        seat = self.seat
        try:
            learner = self.classroom.sign_in(seat.class_id, seat.seat, name, pin_box.value)
        except SignInError as error:
            self.query_one("#seat-error", Static).update(literal(str(error), "bold $error"))
            pin_box.value = ""
            box = pin_box if name.strip() else self.query_one("#seat-name", Input)
            box.focus()
            return
        self.dismiss(learner)

    def action_cancel(self) -> None:
        self.dismiss(None)
