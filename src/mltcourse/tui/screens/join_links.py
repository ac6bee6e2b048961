"""The join links of a served exercise on the facilitator's console, one at a time with its
QR code, so each team can scan theirs from the trainer's screen (or the links can be read out).

Shown on the console, never on the presenter's view: the links carry the class's secret."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from ...serving.console import qr_text
from ..text import lines, literal
from .dialog import Dialog


class JoinLinks(Dialog[None]):
    BINDINGS = [
        Binding("right,tab,space", "step(1)", "Next link"),
        Binding("left,shift+tab", "step(-1)", "Previous link", show=False),
        Binding("escape,enter,j", "close", "Close"),
    ]

    def __init__(self, links: list[tuple[str, str]]) -> None:
        super().__init__()
        self.links = links
        self.shown = 0

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="join-links"):
            yield Static(id="join-who", classes="dialog-title")
            with VerticalScroll(id="join-code"):
                yield Static(id="join-qr")
            yield Static(
                literal("→ next link · ← previous · Esc closes (j opens them again)"),
                classes="dialog-hint",
            )

    def on_mount(self) -> None:
        self._show()

    def _show(self) -> None:
        who, url = self.links[self.shown]
        heading = f"{who} ({self.shown + 1} of {len(self.links)})"
        self.query_one("#join-who", Static).update(lines(literal(heading, "bold"), url))
        self.query_one("#join-qr", Static).update(literal(qr_text(url) or ""))

    def action_step(self, by: int) -> None:
        self.shown = (self.shown + by) % len(self.links)
        self._show()

    def action_close(self) -> None:
        self.dismiss(None)
