"""The content files that failed to load, with their FILE:LINE:COL errors."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ...content.diagnostics import Diagnostic
from ..text import lines, literal


def short_path(file: str, root: Path) -> str:
    """A file as the author knows it: relative to the content folder."""
    try:
        return str(Path(file).resolve().relative_to(root.resolve()))
    except ValueError:
        return file


def located(error: Diagnostic, root: Path) -> str:
    """FILE:LINE:COL: error: MESSAGE, with FILE relative to the content folder."""
    return str(replace(error, file=short_path(error.file, root)))


class ProblemsScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,e,q", "dismiss", "Close")]

    def __init__(self, failed: dict[str, list[Diagnostic]], root: Path) -> None:
        super().__init__()
        self.failed = failed
        self.root = root

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog wide-dialog"):
            yield Static(literal("Content problems", "bold"), classes="dialog-title")
            yield Static(literal(f"In {self.root}", "$text-muted"))
            with VerticalScroll():
                if not self.failed:
                    yield Static(literal("Every content file loaded."))
                for file, errors in sorted(self.failed.items()):
                    yield Static(
                        literal(short_path(file, self.root), "bold $error"), classes="problem-file"
                    )
                    yield Static(lines(*(literal(located(error, self.root)) for error in errors)))
            yield Static(
                literal("These files were left out; the rest of the course works. Esc closes."),
                classes="dialog-hint",
            )
