"""The debrief: ending and outcome, principle profile, risk ledger, decision-by-decision
review, indicator paths, the learner's earlier attempts, and export to Markdown and HTML.

The debrief is computed by ``reports.debrief`` in a thread worker; this screen only lays it out.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, OptionList, Static, TabbedContent, TabPane
from textual.widgets.option_list import Option

from ...content.model import Course, Scenario
from ...engine.state import GameState
from ...reports.debrief import Debrief, principle_profile
from ...safetext import clean
from ...store.progress import AttemptRecord, Learner
from ..messages import Navigate
from ..text import cell, lines, literal, not_written, percent, prose
from ..widgets.charts import IndicatorPaths, PrincipleChart
from ..widgets.keybar import KeyBar
from ..widgets.titlebar import TitleBar

RATING_STYLE = {"success": "bold $success", "mixed": "bold $warning", "failure": "bold $error"}


class DebriefReady(Message):
    def __init__(self, debrief: Debrief, earlier: list[AttemptRecord]) -> None:
        super().__init__()
        self.debrief = debrief
        self.earlier = earlier


class DebriefScreen(Screen):
    CSS_PATH = "content.tcss"
    BINDINGS = [
        Binding("x", "export('md')", "Export Markdown"),
        Binding("h", "export('html')", "Export HTML"),
        Binding("r", "again", "Play again"),
        Binding("c", "compare", "Compare", tooltip="Compare the attempt picked in Attempts"),
        Binding("escape", "app.pop_screen", "Close"),
    ]

    def __init__(
        self,
        course: Course,
        learner: Learner,
        scenario: Scenario,
        state: GameState,
        attempt_id: int,
    ):
        super().__init__()
        self.course = course
        self.learner = learner  # whose attempt this is
        self.scenario = scenario
        self.state = state
        self.attempt_id = attempt_id
        self.debrief: Debrief | None = None
        self._targets: dict[str, str] = {}  # option id -> lesson section it opens
        self._attempts: list[AttemptRecord] = []  # as listed in the Attempts tab

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with TabbedContent(id="debrief"):
            with TabPane(literal("Outcome"), id="tab-outcome"), VerticalScroll():
                yield Static(id="outcome")
            with TabPane(literal("Principles"), id="tab-principles"), VerticalScroll():
                yield Static(
                    literal(
                        "How your choices stood among the options open, per principle "
                        "(100 % = the doctrine-best option each time).",
                        "$text-muted",
                    )
                )
                yield PrincipleChart()
                yield Static(id="principle-notes")
            with TabPane(literal("Risks"), id="tab-risks"):
                yield OptionList(id="risk-ledger")
            with TabPane(literal("Decisions"), id="tab-decisions"):
                yield OptionList(id="decision-review")
            with TabPane(literal("Indicators"), id="tab-indicators"), VerticalScroll():
                yield IndicatorPaths()
            with TabPane(literal("Attempts"), id="tab-attempts"):
                yield DataTable(id="attempts", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = f"Debrief: {self.scenario.title}"
        self.query_one("#debrief").loading = True
        self.build(self.learner.id, self.learner.name)

    @work(thread=True, exclusive=True)
    def build(self, learner_id: int, learner_name: str) -> None:
        """Score and review the attempt off the UI thread."""
        import time

        from ...reports.debrief import Provenance, build_debrief, course_version

        earlier = self.app.store.finished_attempts(learner_id, self.scenario.id)
        this = next((r for r in earlier if r.id == self.attempt_id), None)
        provenance = Provenance(
            learner=learner_name,
            mode=this.mode if this else "training",
            when=this.started if this else time.time(),
            course_version=course_version(self.scenario),
        )
        debrief = build_debrief(self.scenario, self.state, self.course, provenance)
        self.post_message(DebriefReady(debrief, earlier))

    @on(DebriefReady)
    def _ready(self, message: DebriefReady) -> None:
        self.debrief = debrief = message.debrief
        self.query_one("#debrief").loading = False
        self.query_one("#outcome", Static).update(self._outcome(debrief, message.earlier))
        self.query_one(PrincipleChart).rows = tuple(principle_profile(debrief, self.course))
        self.query_one("#principle-notes", Static).update(self._principle_notes(debrief))
        self._fill_risks(debrief)
        self._fill_decisions(debrief)
        self.query_one(IndicatorPaths).rows = tuple(
            (ind.label, tuple(debrief.history[name]), ind.min, ind.max)
            for name, ind in self.scenario.indicators.items()
        )
        self._fill_attempts(message.earlier)

    def _outcome(self, debrief: Debrief, earlier: list[AttemptRecord]) -> Content:
        rating = debrief.outcome or "unfinished"
        before = [r for r in earlier if r.id != self.attempt_id]
        scores = [r.score for r in before if r.score is not None]
        if before:
            comparison = Content.assemble(
                ("Earlier attempts: ", "$text-muted"),
                f"{len(before)}, best {percent(max(scores, default=None))}; "
                f"endings {', '.join(sorted({self._ending_title(r.ending) for r in before}))} "
                "(Attempts tab)",
            )
        else:
            comparison = literal("Your first finished attempt at this scenario.", "$text-muted")
        return lines(
            Content.assemble(
                literal(debrief.ending_title, "bold"),
                "  ",
                (f" {rating} ", f"reverse {RATING_STYLE.get(rating, 'bold')}"),
            ),
            "",
            literal(prose(debrief.ending_text)),
            "",
            Content.assemble(
                ("Decision quality: ", "$text-muted"),
                (percent(debrief.score.overall), "bold"),
                f" over {debrief.score.counted} scored decision(s)",
            ),
            Content.assemble(
                ("Risks: ", "$text-muted"),
                f"{len(debrief.ledger.raised)} raised, {len(debrief.ledger.mitigated)} mitigated, "
                f"{len(debrief.ledger.materialized)} materialised",
            ),
            comparison,
            "",
            literal("← → switch tabs · x export Markdown · h export HTML", "$text-muted"),
        )

    def _ending_title(self, ending_id: str | None) -> str:
        """An ending as the learner read it; an ending since removed from the file by its id."""
        titles = {e.id: e.title for e in self.scenario.endings}
        return titles.get(ending_id or "", ending_id or "?")

    def _principle_notes(self, debrief: Debrief) -> Content:
        if not debrief.principle_notes:
            return literal("")
        rows: list[Content | str] = ["", literal("Why a principle reads below 100 %", "bold")]
        for note in debrief.principle_notes:
            rows.append(
                Content.assemble(literal(note.title, "bold"), f" ({percent(note.quality)})")
            )
            rows += [literal(prose(f"· {sentence}")) for sentence in note.strained_at]
        return lines(*rows)

    def _fill_risks(self, debrief: Debrief) -> None:
        """The ledger told in order: raised at N by a choice, mitigated at M, materialised."""
        styles = {"raised": "bold $warning", "mitigated": "bold $success"}
        options = []
        for item in debrief.risk_story:
            if item.kind == "materialised":
                when, cause = f"After decision {item.after}", f"through “{item.cause}”"
            else:
                when, cause = f"Decision {item.after}", f"by choosing {item.cause}"
            body = [
                Content.assemble(
                    (f"{when}: {item.kind} ", styles.get(item.kind, "bold $error")),
                    literal(item.risk_title, "bold"),
                ),
                literal(prose(cause)),
            ]
            if item.risk_text:
                body += [
                    literal(prose(item.risk_text)),
                    literal(f"Lesson: {item.section_title}", "$text-muted"),
                ]
            key = f"risk-{len(self._targets)}"
            if item.section:
                self._targets[key] = f"lesson:{item.section}"
            options += [Option(lines(*body), id=key), None]
        ledger = self.query_one("#risk-ledger", OptionList)
        ledger.set_options(
            options
            or [Option(literal("No risks raised, mitigated or materialised."), disabled=True)]
        )
        ledger.highlighted = 0 if options else None

    def _fill_decisions(self, debrief: Debrief) -> None:
        verdicts = {"doctrine-best": "doctrine-best", "defensible": "defensible alternative"}
        options = []
        for d in debrief.decisions:
            kind = " (event)" if d.is_inject else ""
            mine = next(o for o in d.options if o.chosen)
            verdict = f" · {verdicts[mine.verdict]}" if mine.verdict else ""
            rows: list[Content | str] = [
                Content.assemble(
                    (f"{d.number}. ", "bold $accent"), literal(d.node_title, "bold"), kind
                ),
                Content.assemble(("Your choice: ", "$text-muted"), literal(d.choice_text)),
                Content.assemble(
                    ("Quality: ", "$text-muted"), (percent(d.quality), "bold"), verdict
                ),
                literal(prose(d.feedback)),
                Content.assemble(("How the doctrine weighed it: ", "bold"), literal(prose(d.why))),
            ]
            for o in d.options:
                label = verdicts.get(o.verdict or "", "")
                head = "▶ " if o.chosen else "· "
                tag = f"  [{label}, {o.value:+d}]" if label else f"  [{o.value:+d}]"
                rows.append(
                    Content.assemble(
                        (head, "bold $accent"),
                        literal(o.text, "bold" if o.chosen else ""),
                        (tag, "$text-muted"),
                    )
                )
                rows.append(
                    Content.assemble(
                        ("   buys: ", "$success"), literal(", ".join(o.buys()) or "nothing")
                    )
                )
                rows.append(
                    Content.assemble(
                        ("   costs: ", "$warning"), literal(", ".join(o.costs()) or "nothing")
                    )
                )
                if o.verdict and not o.chosen:
                    rows.append(literal(prose("   " + o.feedback), "$text-muted"))
            rows.append(literal(f"Lesson: {d.section_title}  (Enter opens it)", "$text-muted"))
            self._targets[f"decision-{d.number}"] = f"lesson:{d.section}"
            options += [Option(lines(*rows), id=f"decision-{d.number}"), None]
        review = self.query_one("#decision-review", OptionList)
        review.set_options(options or [Option(literal("No decisions were made."), disabled=True)])
        review.highlighted = 0 if options else None

    def _fill_attempts(self, earlier: list[AttemptRecord]) -> None:
        self._attempts = list(earlier)
        table = self.query_one("#attempts", DataTable)
        table.clear(columns=True)
        for column in ("#", "When", "Mode", "Ending", "Outcome", "Quality", ""):
            table.add_column(cell(column))
        for number, record in enumerate(earlier, 1):
            table.add_row(  # rich Text, not str: DataTable would parse a str as markup
                cell(str(number)),
                cell(datetime.fromtimestamp(record.started).strftime("%d %b %Y %H:%M")),
                cell(record.mode + (" (headless)" if record.source == "play" else "")),
                cell(self._ending_title(record.ending) if record.ending else ""),
                cell(record.outcome or ""),
                cell(percent(record.score)),
                cell("◀ this one" if record.id == self.attempt_id else "", style="bold"),
            )

    @on(OptionList.OptionSelected, "#risk-ledger, #decision-review")
    def _open_section(self, event: OptionList.OptionSelected) -> None:
        target = self._targets.get(event.option.id or "")
        if target:
            self.post_message(Navigate(target))

    def _picked_attempt(self) -> AttemptRecord | None:
        table = self.query_one("#attempts", DataTable)
        if not self._attempts or table.cursor_row is None:
            return None
        return self._attempts[min(table.cursor_row, len(self._attempts) - 1)]

    @on(DataTable.RowSelected, "#attempts")
    def _reopen(self, event: DataTable.RowSelected) -> None:
        """Enter on a past attempt opens its own debrief."""
        record = self._attempts[event.cursor_row] if self._attempts else None
        if record is None or record.id == self.attempt_id:
            return
        from ...reports.compare import AttemptDoesNotFit, replay_attempt

        try:
            state = replay_attempt(self.scenario, record.choices)
        except AttemptDoesNotFit as exc:
            self.notify(str(exc).capitalize() + ".", title="Cannot reopen", markup=False)
            return
        self.app.push_screen(
            DebriefScreen(self.course, self.learner, self.scenario, state, record.id)
        )

    def action_compare(self) -> None:
        """This attempt beside the one picked in the Attempts tab (or the one before it)."""
        if self.debrief is None:
            return
        from ...reports.compare import AttemptDoesNotFit, compare, debrief_of
        from .compare import CompareScreen

        record = self._picked_attempt()
        if record is None or record.id == self.attempt_id:
            others = [r for r in self._attempts if r.id != self.attempt_id]
            record = others[-1] if others else None
        if record is None:
            self.notify("There is no other finished attempt to compare with yet.", markup=False)
            return
        try:
            other = debrief_of(self.course, self.scenario, record.choices)
        except AttemptDoesNotFit as exc:
            self.notify(str(exc).capitalize() + ".", title="Cannot compare", markup=False)
            return
        number = self._attempts.index(record) + 1
        mine = next((i for i, r in enumerate(self._attempts, 1) if r.id == self.attempt_id), None)
        headers = (f"Attempt {number} ({record.mode})", f"Attempt {mine or 'now'} (this one)")
        comparison = compare(self.course, other, self.debrief, headers)
        self.app.push_screen(CompareScreen(f"Compare: {self.scenario.title}", comparison))

    def action_export(self, kind: str) -> None:
        if self.debrief is None:
            return
        from ...store.notes import decision_notes

        notes = {
            node: note.body
            for node, note in decision_notes(
                self.app.store, self.learner.id, self.scenario.id
            ).items()
            if note.body
        }
        if kind == "html":
            from ...reports.html import debrief_html

            text = debrief_html(self.debrief, self.course, notes)
        else:
            from ...reports.markdown import debrief_markdown

            text = debrief_markdown(self.debrief, self.course, notes)
        folder = Path(self.app.data_dir) / "exports"
        path = folder / f"{self.scenario.id}-attempt-{self.attempt_id}.{kind}"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path.write_text(clean(text), encoding="utf-8")
        except OSError as exc:  # read-only, full, or "exports" is a file: progress is kept
            message = not_written(exc, folder)
            self.notify(message, title="Debrief not exported", severity="error", markup=False)
            return
        self.notify(f"Saved {path}", title="Debrief exported", markup=False, timeout=6)

    def action_again(self) -> None:
        from .player import PlayerScreen

        if self.scenario.id in self.app.course.scenarios:
            self.app.switch_screen(PlayerScreen(self.app.course, self.learner, self.scenario.id))
