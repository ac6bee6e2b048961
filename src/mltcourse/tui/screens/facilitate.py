"""The facilitator's console of a group exercise (the projector view).

One scenario, several teams, each on its own path. The facilitator steps through the teams,
records each team's choice or a vote tally (hidden until revealed), reveals the consequences,
can take back a team's last decision, and ends with the hot wash. Every action goes through
``store.exercises.LiveExercise``, which commits it before the screen changes, so the exercise
resumes if the laptop dies; the panels are in ``widgets.console``.
"""

from __future__ import annotations

import time

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from ...content.model import Course
from ...engine.exercise import ExerciseError, Team, against_majority, decision_owner, last_push
from ...engine.push import state_after
from ...engine.state import GameState, IllegalMove, open_choices
from ...engine.story import text_in
from ...store.exercises import LiveExercise
from ..messages import Navigate
from ..text import literal
from ..widgets.console import ConsoleStage, NotesPanel, last_choice
from ..widgets.exercise import DecisionClock, RoleCards, TeamStrip, TeamTab
from ..widgets.gauges import IndicatorGauges, Reading
from ..widgets.keybar import KeyBar
from ..widgets.titlebar import TitleBar
from .ballot_box import BINDINGS as SERVED_BINDINGS
from .ballot_box import BallotBox
from .confirm import ConfirmScreen
from .exercise_dialogs import RoleDialog, VoteDialog

CLOCK_TICK = 0.5  # seconds between looks at the teams' clocks
CLOCK_SAVE = 10.0  # seconds between saves of running clocks


class FacilitateScreen(BallotBox, Screen):
    CSS_PATH = ["content.tcss", "facilitate.tcss"]
    BINDINGS = [
        *(Binding(str(n), f"pick({n})", "Record a choice", show=False) for n in range(1, 10)),
        Binding("v", "votes", "Votes"),
        Binding("r", "reveal", "Reveal"),
        Binding("enter", "confirm", "Apply / continue"),
        Binding("right,tab", "step(1)", "Next team"),
        Binding("left,shift+tab", "step(-1)", "Previous team", show=False),
        Binding("c", "clock", "Clock"),
        Binding("u", "take_back", "Undo"),
        Binding("a", "roles", "Roles"),
        Binding("n", "toggle_notes", "Notes"),
        Binding("h", "hot_wash", "Hot wash"),
        *SERVED_BINDINGS,
        Binding("o", "open_section", "Open the lesson section", show=False),
        Binding("pagedown", "scroll(1)", "Scroll", show=False),
        Binding("pageup", "scroll(-1)", "Scroll", show=False),
        Binding("right_square_bracket", "scroll_notes(1)", "Notes down", show=False),
        Binding("left_square_bracket", "scroll_notes(-1)", "Notes up", show=False),
        Binding("escape", "leave", "Leave (saved)"),
    ]
    # what the key bar keeps when the keys do not all fit (80 columns): the next step first
    key_rank = ("confirm", "reveal", "votes", "clock", "take_back", "hot_wash", "step")

    def __init__(self, course: Course, live: LiveExercise) -> None:
        super().__init__()
        self.course = course
        self.live = live
        self.scenario = live.scenario
        self._expired: set[int] = set()  # teams whose time-up was announced
        self._saved_at = time.monotonic()
        self._shown: tuple[int, str, int] | None = None  # team, phase, decisions on the stage

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield TeamStrip(id="fac-teams")
        with Horizontal(id="fac-body"):
            yield ConsoleStage(id="fac-stage", can_focus=False)
            with VerticalScroll(id="fac-side", can_focus=False):
                yield DecisionClock(self.live.exercise.countdown, id="fac-clock")
                yield Static(literal("Role cards", "bold"), classes="fac-side-title")
                yield RoleCards(id="fac-roles")
                yield NotesPanel(id="fac-notes")
                yield Static(literal("Indicators", "bold"), classes="fac-side-title")
                yield IndicatorGauges(id="fac-gauges")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = f"Exercise: {self.scenario.title}"
        if self.live.note:
            self.notify(self.live.note, markup=False, severity="warning", timeout=8)
        self.refresh_view()
        self.watch_ballots()  # a served exercise's devices vote into the hidden tally
        if self.live.clocks:
            self.set_interval(CLOCK_TICK, self._tick)

    def on_unmount(self) -> None:
        self.live.save_clocks(time.monotonic())

    # --- what is shown -----------------------------------------------------------------------

    @property
    def index(self) -> int:
        return self.live.current

    @property
    def team(self) -> Team:
        return self.live.exercise.teams[self.index]

    def phase(self) -> str:
        """deciding, consequences (of the choice just made), event (an inject just pushed)
        or finished, for the team shown."""
        if self.index in self.live.turns:
            return "consequences"
        if self.index in self.live.events:
            return "event"
        return "finished" if self.team.finished else "deciding"

    def refresh_view(self) -> None:
        team, phase, turn = self.team, self.phase(), self.live.turns.get(self.index)
        event = self.live.events.get(self.index)
        if turn is None and event is not None:
            turn = event[:2]  # the state before and after the inject pushed
        self.sub_title = f"Team {team.name}"
        self.query_one(TeamStrip).tabs = tuple(
            TeamTab(t.name, self._status(i, t), i == self.index, t.finished)
            for i, t in enumerate(self.live.exercise.teams)
        )
        role, _ = decision_owner(self.scenario, team)
        cards = self.query_one(RoleCards)
        cards.roles, cards.owner = team.roles, role if phase == "deciding" else None
        waiting = sum(1 for t in self.live.exercise.teams if not t.finished)
        stage = self.query_one(ConsoleStage)
        stage.show(self.course, self.scenario, team, phase, turn, waiting)
        shown = (self.index, phase, len(team.decisions))
        if shown != self._shown:  # a new view starts at its heading, not where the last was
            self._shown = shown
            stage.scroll_home(animate=False)
        notes = self.query_one(NotesPanel)
        notes.display = not self.live.notes_hidden
        notes.show(self.scenario, team, phase, turn)
        self.query_one(IndicatorGauges).readings = tuple(
            Reading(ind.label, team.state.value.get(name, ind.start), ind.min, ind.max)
            for name, ind in self.scenario.indicators.items()
        )
        self._show_clock()
        self.refresh_bindings()

    def _status(self, index: int, team: Team) -> str:
        if index in self.live.turns:
            return "chose"
        if index in self.live.events:
            return "event"
        if team.finished:
            ending = next(e for e in self.scenario.endings if e.id == team.state.ending)
            return f"finished: {ending.title}"
        if team.tally is not None and not team.tally.revealed:
            return "votes in"
        clock = self._clock(index)
        if clock is not None and clock.running:
            return f"decision {len(team.decisions) + 1} ⏱"
        return f"decision {len(team.decisions) + 1}"

    def _clock(self, index: int):
        return self.live.clocks[index] if self.live.clocks else None

    def _show_clock(self) -> None:
        clock = self._clock(self.index) if not self.team.finished else None
        self.query_one(DecisionClock).show(clock, time.monotonic())

    def _tick(self) -> None:
        """Every team's clock runs on; time-up rings once per team, on screen or not."""
        moment = time.monotonic()
        for index, clock in enumerate(self.live.clocks):
            if clock.running and clock.expired(moment) and index not in self._expired:
                self._expired.add(index)
                self.app.bell()
                name = self.live.exercise.teams[index].name
                self.notify(f"Time is up for team {name}.", markup=False, timeout=5)
            elif not clock.expired(moment):
                self._expired.discard(index)
        if moment - self._saved_at >= CLOCK_SAVE:
            self._saved_at = moment
            self.live.save_clocks(moment)
        self._show_clock()

    # --- actions -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Dim the keys that do nothing for the team on screen."""
        phase, tally = self.phase(), self.team.tally
        if action in ("pick", "votes"):
            return phase == "deciding"
        if action == "reveal":
            return phase == "deciding" and tally is not None and not tally.revealed
        if action == "confirm":
            return phase in ("consequences", "event") or (phase == "deciding" and tally is not None)
        if action == "open_section":
            return phase == "consequences"
        if action == "clock":
            return bool(self.live.clocks) and phase == "deciding"
        if action == "take_back":
            return bool(self.team.decisions) or last_push(self.team) is not None
        if action == "roles":
            return phase != "finished"
        return True

    def _attempt(self, move) -> bool:
        """Run an exercise move; a refused one is said, never raised."""
        try:
            move()
        except (ExerciseError, IllegalMove) as exc:
            self.notify(str(exc), markup=False, severity="warning", timeout=5)
            return False
        return True

    def _record(self, index: int, choice_id: str) -> None:
        if self._attempt(lambda: self.live.record_choice(index, choice_id)):
            self._expired.discard(index)
        self.refresh_view()

    def action_pick(self, number: int) -> None:
        if self.phase() != "deciding":
            return
        options = open_choices(self.scenario, self.team.state)
        if not 1 <= number <= len(options):
            self.app.bell()
            return
        index, choice = self.index, options[number - 1]
        if not against_majority(self.live.exercise, index, choice.id):
            self._record(index, choice.id)
            return
        tally = self.team.tally
        assert tally is not None
        leader = self.scenario.choice(tally.node, tally.leaders[0])
        state = self.team.state  # the options as the team reads them
        favoured, chosen = text_in(leader.text, state), text_in(choice.text, state)

        def answered(yes: bool | None) -> None:
            if yes and self.live.exercise.teams[index].tally == tally:
                self._record(index, choice.id)

        self.app.push_screen(
            ConfirmScreen(
                f"Override team {self.team.name}'s vote?",
                f"The vote favours {number_of(options, leader.id)}. “{favoured}” "
                f"({tally.count(leader.id)} of {tally.total}); you chose {number}. "
                f"“{chosen}” ({tally.count(choice.id)}). It is recorded as an override.",
            ),
            answered,
        )

    def action_take_back(self) -> None:
        """Undo the team's last decision after a yes; it stays in the record as a correction."""
        team, index = self.team, self.index
        if self.take_back_push() or not team.decisions:
            return
        last = team.decisions[-1]
        text = text_in(self.scenario.choice(last.node, last.choice).text, self._before_last())
        title = self.scenario.node(last.node).title

        def answered(yes: bool | None) -> None:
            if not yes or len(self.live.exercise.teams[index].decisions) != len(team.decisions):
                return
            if self._attempt(lambda: self.live.take_back(index)):
                self.notify(f"Team {team.name}: “{text}” taken back.", markup=False)
            self.refresh_view()

        self.app.push_screen(
            ConfirmScreen(
                f"Take back team {team.name}'s last decision?",
                f"Decision {len(team.decisions)}, {title}: “{text}”. The team is back at that "
                "decision, its votes (if any) in again; the record keeps it as a correction.",
            ),
            answered,
        )

    def _before_last(self) -> GameState:
        """The state the team's last decision was offered in (its pushes in place), where
        that decision's options read as the team saw them."""
        try:
            return state_after(self.scenario, self.team.state, len(self.team.decisions) - 1)
        except (IllegalMove, KeyError):  # an edit since: the text reads as it does now
            return self.team.state

    def action_votes(self) -> None:
        if self.phase() != "deciding":
            return
        index = self.index

        def entered(counts: dict[str, int] | None) -> None:
            if counts is not None and self._attempt(lambda: self.live.enter_tally(index, counts)):
                self.notify(f"Votes of team {self.team.name} recorded, hidden.", markup=False)
            self.refresh_view()

        options = open_choices(self.scenario, self.team.state)
        self.app.push_screen(VoteDialog(self.team.name, options, self.team.state), entered)

    def action_reveal(self) -> None:
        tally = self.team.tally
        if tally is not None and not tally.revealed:
            self._reveal()

    def _reveal(self) -> None:
        if self._attempt(lambda: self.live.reveal_tally(self.index)):
            self.refresh_view()
            self.call_after_refresh(self.query_one(ConsoleStage).show_tally)

    def action_confirm(self) -> None:
        phase, tally = self.phase(), self.team.tally
        if phase in ("consequences", "event"):
            self.live.move_on(self.index)
        elif phase == "deciding" and tally is not None and not tally.revealed:
            self._reveal()
            return
        elif phase == "deciding" and tally is not None:
            index = self.index
            self._attempt(lambda: self.live.decide_by_majority(index))
        self.refresh_view()

    def action_step(self, offset: int) -> None:
        self.live.show_team(self.index + offset)
        self.refresh_view()

    def action_clock(self) -> None:
        """Start or pause the clock of the team on screen; the others run on."""
        if self.live.clocks and self.phase() == "deciding":
            self.live.toggle_clock(self.index, time.monotonic())
            self.refresh_view()

    def action_roles(self) -> None:
        index = self.index

        def saved(cards: dict[str, str] | None) -> None:
            if cards is None:
                return
            held = dict(self.live.exercise.teams[index].roles)
            for role, member in cards.items():
                if " ".join(member.split()) != held.get(role, ""):
                    self._attempt(lambda r=role, m=member: self.live.assign_role(index, r, m))
            self.refresh_view()

        self.app.push_screen(RoleDialog(self.team.name, self.team.roles), saved)

    def action_toggle_notes(self) -> None:
        """Hide or show the facilitator notes; the setting is saved with the exercise."""
        self.live.hide_notes(not self.live.notes_hidden)
        self.query_one(NotesPanel).display = not self.live.notes_hidden

    def action_hot_wash(self) -> None:
        from .hotwash import HotWashScreen

        self.app.push_screen(HotWashScreen(self.course, self.live))

    def action_open_section(self) -> None:
        """The lesson section behind the consequences on screen."""
        if self.phase() == "consequences":
            choice = self.scenario.choice(*last_choice(self.live.turns[self.index][1]))
            self.post_message(Navigate(f"lesson:{choice.section}"))

    def action_scroll(self, direction: int) -> None:
        stage = self.query_one(ConsoleStage)
        (stage.scroll_page_down if direction > 0 else stage.scroll_page_up)()

    def action_scroll_notes(self, direction: int) -> None:
        """The side panel (notes below the role cards) from the keyboard: [ and ]."""
        side = self.query_one("#fac-side", VerticalScroll)
        side.scroll_relative(y=direction * max(3, side.size.height // 2), animate=False)

    def action_leave(self) -> None:
        self.live.save_clocks(time.monotonic())
        if not self.live.exercise.finished:
            self.notify("The exercise is saved; resume it from the course map (f).", timeout=4)
        self.app.pop_screen()

    def lookup_text(self) -> str:
        if self.team.state.node is None:
            return ""
        node = self.scenario.node(self.team.state.node)
        state = self.team.state
        return " ".join(text_in(t, state) for t in [node.text, *(c.text for c in node.choices)])


def number_of(options, choice_id: str) -> int:
    """The number an option has on screen."""
    return next(n for n, c in enumerate(options, 1) if c.id == choice_id)
