"""Two attempts side by side: the path each took, where they ended, how they scored and
which risks each raised. The rows come from ``reports.compare``; this screen lays them out."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Static

from ...reports.compare import Comparison
from ..text import cell, literal
from ..widgets.keybar import KeyBar
from ..widgets.titlebar import TitleBar

SECTIONS = (
    ("Outcome", "outcome", "What"),
    ("Path", "path", "Decision"),
    ("Principle profile", "principles", "Principle"),
    ("Risks", "risks", "Risks"),
)


class CompareScreen(Screen):
    CSS_PATH = "content.tcss"
    BINDINGS = [Binding("escape", "app.pop_screen", "Close")]

    def __init__(self, title: str, comparison: Comparison):
        super().__init__()
        self.heading = title
        self.comparison = comparison

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="compare"):
            for title, field, first_column in SECTIONS:
                yield Static(literal(title, "bold $accent"), classes="page-title")
                table = DataTable(
                    id=f"compare-{field}", cursor_type="row", zebra_stripes=True, show_cursor=False
                )
                table.add_column(cell(first_column))
                for header in self.comparison.headers:
                    table.add_column(cell(header))
                for row in getattr(self.comparison, field):
                    table.add_row(*(cell(value) for value in row))
                yield table
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = self.heading
