"""A short list to pick one item from, e.g. the links on a lesson page."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..text import literal
from .dialog import Dialog


class PickerScreen(Dialog[str | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "Close")]

    def __init__(self, title: str, items: list[tuple[str, Content]], empty: str) -> None:
        super().__init__()
        self.title_text = title
        self.items = items
        self.empty = empty

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide-dialog"):
            yield Static(literal(self.title_text, "bold"), classes="dialog-title")
            if self.items:
                yield OptionList(*(Option(label, id=key) for key, label in self.items))
            else:
                yield Static(literal(self.empty, "$text-muted"))
            yield Static(literal("Enter follows · Esc closes"), classes="dialog-hint")

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
