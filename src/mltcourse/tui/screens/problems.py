"""The content files that failed to load, with their FILE:LINE:COL errors."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ...content.diagnostics import Diagnostic
from ..text import lines, literal


class ProblemsScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,e,q", "dismiss", "Close")]

    def __init__(self, failed: dict[str, list[Diagnostic]]) -> None:
        super().__init__()
        self.failed = failed

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog wide-dialog"):
            yield Static(literal("Content problems", "bold"), classes="dialog-title")
            with VerticalScroll():
                if not self.failed:
                    yield Static(literal("Every content file loaded."))
                for file, errors in sorted(self.failed.items()):
                    yield Static(literal(file, "bold $error"), classes="problem-file")
                    yield Static(lines(*(literal(str(error)) for error in errors)))
            yield Static(
                literal("These files were left out; the rest of the course works. Esc closes."),
                classes="dialog-hint",
            )
