"""The scenario player: briefing and mode, scenes and events, gauges, feedback in training.

Every decision goes through ``store.attempts.Attempt.choose``, which commits it before the
next scene is shown, so the learner can stop (or the machine can die) at any moment.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import var
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, OptionList, Static

from ...content.model import Course, Scenario
from ...engine.start import TestPlay
from ...engine.state import GameState, IllegalMove, new_game, open_choices
from ...engine.story import text_in
from ...store import ASSESSMENT, TRAINING
from ...store.attempts import Attempt, resume, start
from ...store.progress import Learner
from ..messages import ChoicePicked, Navigate
from ..text import literal
from ..widgets.choices import ChoiceList
from ..widgets.gauges import IndicatorGauges, Reading
from ..widgets.keybar import KeyBar
from ..widgets.scenario_parts import briefing, node_view, start_options, turn_report
from ..widgets.titlebar import TitleBar
from .player_preview import AuthorPreview

NUMBER_KEYS = [
    Binding(str(n), f"pick({n})", "Pick a choice by number", show=False) for n in range(1, 10)
]
MODE_NAMES = {TRAINING: "training mode", ASSESSMENT: "assessment mode"}


class PlayerScreen(AuthorPreview, Screen):
    CSS_PATH = "content.tcss"
    BINDINGS = [
        Binding("escape", "leave", "Leave (saved)"),
        Binding("o", "open_section", "Open the lesson section"),
        Binding("b", "note", "Note", tooltip="Add a note or a bookmark on this decision"),
        Binding("u", "take_back", "Take back", tooltip="Take back the choice just made"),
        Binding("j", "jump", "Jump", tooltip="--watch: a test play from any scene and state"),
        # the scene's text scrolls from the keyboard whatever has focus (the choices do)
        Binding("pagedown", "scroll_stage(1)", "Read on", show=False, priority=True),
        Binding("pageup", "scroll_stage(-1)", "Read back", show=False, priority=True),
        *NUMBER_KEYS,
    ]

    # the footer's most needed keys first (widgets/keybar.py): leave, and what the feedback offers
    key_rank = ("leave", "take_back", "open_section")

    course: var[Course] = var(None, init=False)  # type: ignore[arg-type]

    def __init__(self, course: Course, learner: Learner, scenario_id: str) -> None:
        super().__init__()
        self.learner = learner  # whose attempts these are
        self.set_reactive(PlayerScreen.course, course)
        self.scenario: Scenario = course.scenarios[scenario_id]
        self.attempt: Attempt | None = None
        self.waiting: Attempt | None = None  # an unfinished attempt the learner may resume
        self.note: str | None = None
        self.armed: str | None = None  # assessment: the choice picked once, to be confirmed

    def compose(self) -> ComposeResult:
        """The briefing is composed with the screen, so the first frame shows all of it."""
        self._look_for_waiting()
        briefing_widgets, start_panel, _ = self._briefing_stage()
        yield TitleBar()
        with Horizontal(id="player"):
            with Vertical(id="stage-column"):
                with VerticalScroll(id="stage", can_focus=True):
                    yield from briefing_widgets
                with Vertical(id="actions"):
                    yield start_panel
            with Vertical(id="indicators"):
                yield Static(literal("Indicators", "bold"), classes="sidebar-title")
                yield IndicatorGauges()
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = self.scenario.title
        self._set_gauges(new_game(self.scenario), None)
        self.query_one("#start-options").focus()
        stage = self.query_one("#stage", VerticalScroll)
        self.watch(stage, "scroll_y", self._show_more_text)
        self.watch(stage, "virtual_size", self._show_more_text)

    def _show_more_text(self) -> None:
        """Say when the scene goes on below the fold, so no fact is missed before choosing."""
        stage = self.query_one("#stage", VerticalScroll)
        hidden = round(stage.max_scroll_y - stage.scroll_y)
        # on the line above the choices, which is there anyway: no row taken from the text
        self.query_one("#actions").border_title = (
            literal(f"▼ {hidden} more line(s) of text: PgDn") if hidden > 0 else None
        )

    # --- stages ------------------------------------------------------------------------------

    async def _show(
        self, widgets: list[Widget], action: Widget, focus: Widget | None = None
    ) -> None:
        """Text in the scrolling stage; the thing to do next pinned below it, always in view."""
        stage = self.query_one("#stage", VerticalScroll)
        actions = self.query_one("#actions")
        with self.app.batch_update():
            await stage.remove_children()
            await actions.remove_children()
            await stage.mount_all(widgets)
            await actions.mount(action)
        stage.scroll_home(animate=False)
        (focus or action).focus()
        self.refresh_bindings()
        self.call_after_refresh(self._show_more_text)

    def _look_for_waiting(self) -> None:
        """The learner's unfinished attempt at this scenario, if any, to offer resuming."""
        resumed = resume(self.app.store, self.learner.id, self.scenario)
        self.waiting, self.note = (resumed.attempt, resumed.note) if resumed else (None, None)

    async def _show_briefing(self) -> None:
        widgets, start_panel, start_list = self._briefing_stage()
        await self._show(widgets, start_panel, start_list)

    def _briefing_stage(self) -> tuple[list[Widget], Widget, OptionList]:
        """The briefing, below it the choice of mode (or of resuming), and that list."""
        finished = self.app.store.finished_attempts(self.learner.id, self.scenario.id)
        waiting = None
        if self.waiting is not None:
            waiting = (MODE_NAMES[self.waiting.mode], len(self.waiting.state.decisions))
        options = start_options(waiting, len(finished))
        start_list = OptionList(*options, id="start-options", compact=True)
        widgets: list[Widget] = list(briefing(self.scenario))
        if self.note:
            widgets.append(Static(literal(self.note), classes="note"))
        prompt = Static(literal("How do you want to play?", "bold"))
        return widgets, Vertical(prompt, start_list, id="start"), start_list

    async def _show_node(self) -> None:
        assert self.attempt is not None
        state = self.attempt.state
        node = self.scenario.node(state.node)
        choices = ChoiceList(open_choices(self.scenario, state), state, id="choices", compact=True)
        self.armed = None
        action = choices
        if self.attempt.mode == ASSESSMENT:
            hint = literal("Pick a choice, then Enter (or its number again) to commit it.")
            action = Vertical(choices, Static(hint, id="confirm-hint"), id="choosing")
        await self._show(
            node_view(node, len(state.decisions) + 1, self.scenario.role, state), action, choices
        )

    async def _show_report(self, before: GameState, after: GameState) -> None:
        assert self.attempt is not None
        training = self.attempt.mode == TRAINING
        report = turn_report(self.scenario, self.course, before, after, training)
        if not report:
            await self._advance()
            return
        label = "See the debrief" if after.finished else "Continue"
        button = Button(literal(f"{label} →"), id="next-step", variant="primary", compact=True)
        if training:
            hint = Static(literal("u takes this choice back"), id="take-back-hint")
            await self._show(report, Horizontal(button, hint, id="report-actions"), button)
        else:
            await self._show(report, button)

    async def _advance(self) -> None:
        assert self.attempt is not None
        if self.attempt.state.finished:
            self._open_debrief()
        else:
            await self._show_node()

    def _open_debrief(self) -> None:
        from .debrief import DebriefScreen

        assert self.attempt is not None
        if isinstance(self.attempt, TestPlay):  # nobody's attempt: its ending, no debrief
            self._stage(self._show_test_ending)
            return
        attempt = self.attempt
        self.app.switch_screen(
            DebriefScreen(self.course, self.learner, self.scenario, attempt.state, attempt.id)
        )

    def _stage(self, show: Callable[[], Awaitable[None]]) -> None:
        """Change what the stage shows, in a worker that cancels the change before it (given
        the function, not its coroutine: one cancelled before it starts is never awaited)."""
        self.run_worker(show, exclusive=True, group="stage")

    def _set_gauges(self, state: GameState, before: GameState | None) -> None:
        gauges = self.query_one(IndicatorGauges)
        # assessment gives nothing away before the debrief: no values, no changes
        gauges.concealed = self.attempt is not None and self.attempt.mode == ASSESSMENT
        if gauges.concealed:
            before = None
        readings = []
        for name, indicator in self.scenario.indicators.items():
            value = state.value.get(name, indicator.start)
            delta = value - before.value.get(name, value) if before is not None else 0.0
            readings.append(Reading(indicator.label, value, indicator.min, indicator.max, delta))
        gauges.readings = tuple(readings)

    def _begin(self, attempt: Attempt) -> None:
        self.attempt = attempt
        self.sub_title = MODE_NAMES[attempt.mode]
        before = attempt.before_last()
        if (
            attempt.mode == TRAINING
            and before is not None
            and self.app.store.feedback_unread(attempt.id)
        ):  # left (or killed) while reading that feedback: show it again
            self._set_gauges(attempt.state, before)
            self._stage(partial(self._show_report, before, attempt.state))
            return
        self._set_gauges(attempt.state, None)
        self._stage(self._advance)

    # --- events ------------------------------------------------------------------------------

    @on(OptionList.OptionSelected, "#start-options")
    def _start_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id == "resume" and self.waiting is not None:
            self._begin(self.waiting)
        elif event.option.id == "review":
            self._review_last()
        else:
            self._begin(start(self.app.store, self.learner.id, self.scenario, event.option.id))

    def _review_last(self) -> None:
        """The latest finished attempt's debrief; its Attempts tab reopens and compares."""
        from ...reports.compare import AttemptDoesNotFit, replay_attempt
        from .debrief import DebriefScreen

        finished = self.app.store.finished_attempts(self.learner.id, self.scenario.id)
        for record in reversed(finished):
            try:
                state = replay_attempt(self.scenario, record.choices)
            except AttemptDoesNotFit:
                continue
            self.app.push_screen(
                DebriefScreen(self.course, self.learner, self.scenario, state, record.id)
            )
            return
        self.notify("None of your attempts fits this version of the scenario.", markup=False)

    @on(ChoicePicked)
    def _choice_picked(self, event: ChoicePicked) -> None:
        if self.attempt is None or self.attempt.state.finished:
            return
        if self.attempt.mode == ASSESSMENT and self.armed != event.choice_id:
            self._arm(event.choice_id)
            return
        before = self.attempt.state
        try:
            after = self.attempt.choose(event.choice_id)
        except IllegalMove:
            self.app.bell()
            return
        self._set_gauges(after, before)
        self._stage(partial(self._show_report, before, after))

    def _arm(self, choice_id: str) -> None:
        """Assessment: a first pick only marks the choice; the same pick again commits it."""
        choices = self.query_one(ChoiceList)
        number = next(n for n, c in enumerate(choices.choices, 1) if c.id == choice_id)
        self.armed = choice_id
        choices.highlighted = number - 1
        self.query_one("#confirm-hint", Static).update(
            literal(f"Commit choice {number}? Enter or {number} again; another number changes it.")
        )

    @on(OptionList.OptionHighlighted, "#choices")
    def _highlight_moved(self, event: OptionList.OptionHighlighted) -> None:
        if self.armed is not None and event.option.id != self.armed:
            self.armed = None
            self.query_one("#confirm-hint", Static).update(
                literal("Pick a choice, then Enter (or its number again) to commit it.")
            )

    @on(Button.Pressed, "#next-step")
    def _continue(self) -> None:
        if (
            self.attempt is not None
            and self.attempt.id is not None
            and self.attempt.state.decisions
        ):
            self.app.store.mark_feedback_read(self.attempt.id, len(self.attempt.state.decisions))
        self._stage(self._advance)

    def action_take_back(self) -> None:
        """Training: undo the choice whose feedback is on screen and decide again."""
        if not self._feedback_shown() or self.attempt is None:
            return
        before = self.attempt.take_back()
        if before is None:
            self.app.bell()
            return
        self.notify("Choice taken back: decide again.", timeout=3)
        self._set_gauges(before, None)
        self._stage(self._show_node)

    def action_scroll_stage(self, pages: int) -> None:
        stage = self.query_one("#stage", VerticalScroll)
        if pages > 0:
            stage.scroll_page_down(animate=False)
        else:
            stage.scroll_page_up(animate=False)

    def action_pick(self, number: int) -> None:
        found = self.query(ChoiceList)
        if found:
            found.first().pick(number)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer "open the lesson section" only while training feedback is on screen, and
        the jump to a scene only to an author (--watch)."""
        if action == "jump":
            return bool(getattr(self.app, "watching", False))
        if action in ("open_section", "take_back"):
            return self._feedback_shown()
        return True

    def _feedback_shown(self) -> bool:
        training = self.attempt is not None and self.attempt.mode == TRAINING
        return training and bool(self.query("#next-step"))

    def action_open_section(self) -> None:
        """The lesson section behind the feedback just shown."""
        if not self._feedback_shown():
            return
        decision = self.attempt.state.decisions[-1]
        section = self.scenario.choice(decision.node, decision.choice).section
        self.post_message(Navigate(f"lesson:{section}"))

    def action_note(self) -> None:
        """A note or a bookmark on the decision on screen (or, while its outcome is shown,
        the decision just made)."""
        from ...store.notes import DECISION, decision_place
        from .notes import edit_note

        state = self.attempt.state if self.attempt is not None else None
        node_id = state.node if state is not None else None
        if state is not None and state.decisions and (self.query("#next-step") or not node_id):
            node_id = state.decisions[-1].node
        if node_id is None:
            self.notify("Notes attach to a decision: start or resume the scenario.", timeout=3)
            return
        label = f"{self.scenario.title} › {self.scenario.node(node_id).title}"
        place = decision_place(self.scenario.id, node_id)
        edit_note(self, self.learner, DECISION, place, label)

    @on(Button.Pressed, "#test-done")
    def _test_done_pressed(self) -> None:
        self._test_done()

    def action_leave(self) -> None:
        if isinstance(self.attempt, TestPlay):
            self.app.pop_screen()
            return
        if self.attempt is not None and not self.attempt.state.finished:
            self.notify("Your place is saved; come back to resume.", timeout=3)
        self.app.pop_screen()

    def lookup_text(self) -> str:
        if self.attempt is None or self.attempt.state.node is None:
            return self.scenario.briefing
        node = self.scenario.node(self.attempt.state.node)
        state = self.attempt.state
        return " ".join(text_in(t, state) for t in [node.text, *(c.text for c in node.choices)])
