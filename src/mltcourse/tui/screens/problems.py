"""The content files that failed to load, with their FILE:LINE:COL errors; kept up to date
as the author fixes them (--watch hands each reloaded outline down)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.reactive import var
from textual.widgets import Static

from ...content.diagnostics import Diagnostic
from ...content.outline import CourseOutline
from ..text import lines, literal
from .dialog import Dialog


def short_path(file: str, root: Path) -> str:
    """A file as the author knows it: relative to the content folder."""
    try:
        return str(Path(file).resolve().relative_to(root.resolve()))
    except ValueError:
        return file


def located(error: Diagnostic, root: Path) -> str:
    """FILE:LINE:COL: error: MESSAGE, with FILE relative to the content folder."""
    return str(replace(error, file=short_path(error.file, root)))


class ProblemsScreen(Dialog[None]):
    BINDINGS = [Binding("escape,e,q", "dismiss", "Close")]

    outline: var[CourseOutline] = var(None, init=False)  # type: ignore[arg-type]

    def __init__(self, outline: CourseOutline, root: Path) -> None:
        super().__init__()
        self.set_reactive(ProblemsScreen.outline, outline)
        self.root = root

    @property
    def failed(self) -> dict[str, list[Diagnostic]]:
        return self.outline.failed_files()

    def watch_outline(self) -> None:
        self.refresh(recompose=True)

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
