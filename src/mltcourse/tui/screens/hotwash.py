"""The hot wash: the teams side by side, every team's decisions and votes, and the discussion
prompts, with export of the after-action review (Markdown, HTML, CSV) to a folder: the
facilitator's version or the participants' (without the notes).

The review itself is built by ``reports.aar`` from the exercise's record; this screen lays it
out. It opens from the console at any time, also for an exercise finished long ago.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from ...content.model import Course
from ...reports.aar import (
    AfterAction,
    TeamReview,
    build_after_action,
    option_label,
    vote_numbers,
)
from ...reports.aar_files import write_after_action
from ...store.exercises import LiveExercise
from ..text import cell, lines, literal, not_written, percent, prose
from ..widgets.charts import PrincipleChart
from ..widgets.keybar import KeyBar
from ..widgets.titlebar import TitleBar
from .exercise_dialogs import ExportDialog, ExportRequest

RATING_STYLE = {"success": "bold $success", "mixed": "bold $warning", "failure": "bold $error"}


class HotWashScreen(Screen):
    CSS_PATH = ["content.tcss", "facilitate.tcss"]
    BINDINGS = [
        Binding("1", "show_tab('tab-teams')", "Side by side"),
        Binding("2", "show_tab('tab-decisions')", "Decisions"),
        Binding("3", "show_tab('tab-discussion')", "Discussion"),
        Binding("x", "export", "Export"),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def __init__(self, course: Course, live: LiveExercise) -> None:
        super().__init__()
        self.course = course
        self.live = live
        self.show_notes = not live.notes_hidden
        record = live.store.record(live.id)
        self.review: AfterAction = build_after_action(course, live.scenario, live.exercise, record)

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with TabbedContent(id="hot-wash"):
            with TabPane(literal("Side by side"), id="tab-teams"), Horizontal(id="hw-teams"):
                for team in self.review.teams:
                    with VerticalScroll(classes="hw-team"):
                        yield Static(self._outcome(team))
                        yield PrincipleChart()
                        yield Static(self._ledger(team))
            with TabPane(literal("Decisions and votes"), id="tab-decisions"):
                yield DataTable(id="hw-decisions", cursor_type="row", zebra_stripes=True)
            with TabPane(literal("Discussion"), id="tab-discussion"), VerticalScroll():
                yield Static(self._prompts(), id="hw-prompts")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = f"Hot wash: {self.live.scenario.title}"
        titles = self.review.principle_titles
        for chart, team in zip(self.query(PrincipleChart), self.review.teams, strict=True):
            chart.rows = tuple((titles[p], v) for p, v in team.principles.items())
        table = self.query_one("#hw-decisions", DataTable)
        # the short columns first, so votes, decided-by and quality fit at 120 columns
        for column in ("Team", "#", "Decision", "Votes", "Decided by", "Quality", "Choice"):
            table.add_column(cell(column))
        table.add_column(cell("Owner"))
        for team in self.review.teams:
            for step in team.steps:
                owner = (step.owner or "") + (
                    f" ({step.owner_member})" if step.owner_member else ""
                )
                mark = "" if step.doctrine_best else " ✗"
                table.add_row(  # rich Text, not str: DataTable would parse a str as markup
                    cell(team.name),
                    cell(str(step.number)),
                    cell(_short(step.heading, 40)),
                    cell(vote_numbers(step)),
                    cell(step.decided_by),
                    cell(percent(step.quality)),
                    cell(f"{step.option_number}. {step.choice_text}{mark}"),
                    cell(owner),
                )

    def _outcome(self, team: TeamReview) -> Content:
        rating = team.rating or "unfinished"
        rows: list[Content | str] = [
            literal(team.name, "bold reverse $accent"),
            "",
            Content.assemble(
                literal(team.ending_title, "bold"),
                "  ",
                literal(f" {rating} ", f"reverse {RATING_STYLE.get(rating, 'bold')}"),
            ),
            literal(prose(team.ending_text)),
            "",
            Content.assemble(
                literal("Decision quality: ", "$text-muted"), literal(percent(team.overall), "bold")
            ),
            *(
                literal(f"{step.number}. {option_label(step.choice_text)}", "$text-muted")
                for step in team.steps
            ),
            "",
            literal("Principles", "bold"),
        ]
        return lines(*rows)

    def _ledger(self, team: TeamReview) -> Content:
        titles = self.review.risk_titles
        rows: list[Content | str] = ["", literal("Risks", "bold")]
        styles = ("$warning", "$success", "$error")
        for (label, ids), style in zip(team.ledger.sections(), styles, strict=True):
            for risk_id in ids:
                rows.append(
                    Content.assemble(literal(f"{label.lower()}: ", style), literal(titles[risk_id]))
                )
        if len(rows) == 2:
            rows.append(literal("none", "$text-muted"))
        return lines(*rows)

    def _prompts(self) -> Content:
        if not self.review.prompts:
            return literal("Every team took the doctrine-best option at every decision.")
        rows: list[Content | str] = []
        for number, prompt in enumerate(self.review.prompts, 1):
            rows += [
                literal(f"{number}. {prompt.title}", "bold $accent"),
                literal(prompt.question, "bold"),
            ]
            for teams, text, feedback in prompt.choices:
                rows.append(
                    Content.assemble(
                        literal(f"• {teams}: ", "bold"), literal(text), literal(f" — {feedback}")
                    )
                )
            rows.append(
                Content.assemble(
                    literal("Doctrine-best: ", "bold $success"), literal(prompt.best_text)
                )
            )
            if self.show_notes:
                for note in prompt.notes:
                    rows.append(literal(f"Facilitator: {prose(note)}", "$warning"))
            rows.append("")
        return lines(*rows)

    def action_show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    def action_export(self) -> None:
        live = self.live
        default = Path(self.app.data_dir) / "exercises" / f"exercise-{live.id}-{live.scenario.id}"

        def chosen(request: ExportRequest | None) -> None:
            if request is None:
                return
            target = Path(request.folder)
            try:
                target = target.expanduser()
                written = write_after_action(self.review, target, request.participant)
            except (OSError, RuntimeError, ValueError) as exc:
                # read-only, full, a file in the way, an unknown ~user, a NUL in the name
                self.notify(
                    not_written(exc, target),
                    title="Review not exported",
                    markup=False,
                    severity="error",
                )
                return
            names = ", ".join(path.name for path in written)
            self.notify(
                f"{names} in {written[0].parent}", title="Review exported", markup=False, timeout=8
            )

        self.app.push_screen(ExportDialog(str(default), live.notes_hidden), chosen)


def _short(text: str, limit: int) -> str:
    """A long decision title in a table cell (the Choice column shows the option in full)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
