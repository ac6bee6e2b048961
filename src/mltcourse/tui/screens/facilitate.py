"""The facilitator's projector view of a group exercise.

One scenario, several teams, each on its own path. The facilitator steps through the teams,
records each team's choice or a vote tally (hidden until revealed), reveals the consequences,
and ends with the hot wash. Every action goes through ``store.exercises.LiveExercise``, which
commits it before the screen changes, so the exercise resumes if the laptop dies.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Static

from ...content.model import Course, Inject
from ...engine.exercise import ExerciseError, Team, decision_owner
from ...engine.state import GameState, IllegalMove, open_choices
from ...engine.story import text_in
from ...store.exercises import LiveExercise
from ..messages import Navigate
from ..text import lines, literal, prose
from ..widgets.exercise import DecisionClock, RoleCards, TallyRow, TallyView, TeamStrip, TeamTab
from ..widgets.gauges import IndicatorGauges, Reading
from ..widgets.keybar import KeyBar
from ..widgets.scenario_parts import turn_report
from ..widgets.titlebar import TitleBar
from .ballot_box import BINDINGS as SERVED_BINDINGS
from .ballot_box import BallotBox
from .exercise_dialogs import RoleDialog, VoteDialog

RATING_STYLE = {"success": "bold $success", "mixed": "bold $warning", "failure": "bold $error"}


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
        Binding("a", "roles", "Roles"),
        Binding("n", "toggle_notes", "Notes"),
        Binding("h", "hot_wash", "Hot wash"),
        *SERVED_BINDINGS,
        Binding("o", "open_section", "Open the lesson section", show=False),
        Binding("pagedown", "scroll(1)", "Scroll", show=False),
        Binding("pageup", "scroll(-1)", "Scroll", show=False),
        Binding("escape", "leave", "Leave (saved)"),
    ]

    show_notes: var[bool] = var(True)

    def __init__(self, course: Course, live: LiveExercise) -> None:
        super().__init__()
        self.course = course
        self.live = live
        self.scenario = live.scenario
        self.turns: dict[int, tuple[GameState, GameState]] = {}  # consequences not yet shown
        self._clock_for: tuple[int, str | None] | None = None

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield TeamStrip(id="fac-teams")
        with Horizontal(id="fac-body"):
            with VerticalScroll(id="fac-stage", can_focus=False):
                yield Static(id="fac-heading")
                yield Static(id="fac-owner")
                yield Static(id="fac-text")
                yield Static(id="fac-choices")
                yield TallyView(id="fac-tally")
                yield Vertical(id="fac-consequences")
            with VerticalScroll(id="fac-side", can_focus=False):
                yield DecisionClock(self.live.exercise.countdown, id="fac-clock")
                yield Static(literal("Role cards", "bold"), classes="fac-side-title")
                yield RoleCards(id="fac-roles")
                yield Static(literal("Indicators", "bold"), classes="fac-side-title")
                yield IndicatorGauges(id="fac-gauges")
                yield Static(id="fac-notes")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = f"Exercise: {self.scenario.title}"
        if self.live.note:
            self.notify(self.live.note, markup=False, severity="warning", timeout=8)
        self.refresh_view()
        self.watch_ballots()  # a served exercise's devices vote into the hidden tally

    # --- what is shown -----------------------------------------------------------------------

    @property
    def index(self) -> int:
        return self.live.current

    @property
    def team(self) -> Team:
        return self.live.exercise.teams[self.index]

    def phase(self) -> str:
        """deciding, consequences (of the choice just made) or finished, for the team shown."""
        if self.index in self.turns:
            return "consequences"
        return "finished" if self.team.finished else "deciding"

    def refresh_view(self) -> None:
        team, phase = self.team, self.phase()
        self.sub_title = f"Team {team.name}"
        self.query_one(TeamStrip).tabs = tuple(
            TeamTab(t.name, self._status(i, t), i == self.index, t.finished)
            for i, t in enumerate(self.live.exercise.teams)
        )
        role, _ = decision_owner(self.scenario, team)
        cards = self.query_one(RoleCards)
        cards.roles, cards.owner = team.roles, role if phase == "deciding" else None
        self._show_stage(team, phase)
        self._show_notes(team, phase)
        self._set_gauges(team)
        self._reset_clock(team)
        self.refresh_bindings()

    def _status(self, index: int, team: Team) -> str:
        if index in self.turns:
            return "chose"
        if team.finished:
            ending = next(e for e in self.scenario.endings if e.id == team.state.ending)
            return f"finished: {ending.title}"
        if team.tally is not None and not team.tally.revealed:
            return "votes in"
        return f"decision {len(team.decisions) + 1}"

    def _show_stage(self, team: Team, phase: str) -> None:
        heading = self.query_one("#fac-heading", Static)
        owner = self.query_one("#fac-owner", Static)
        text = self.query_one("#fac-text", Static)
        choices = self.query_one("#fac-choices", Static)
        tally = self.query_one(TallyView)
        consequences = self.query_one("#fac-consequences", Vertical)
        consequences.remove_children()
        for widget in (owner, choices, tally):
            widget.display = phase == "deciding"
        if phase == "finished":
            ending = next(e for e in self.scenario.endings if e.id == team.state.ending)
            heading.update(
                Content.assemble(
                    literal(f"Team {team.name} has finished: ", "bold"),
                    literal(ending.title, RATING_STYLE.get(ending.rating, "bold")),
                    literal(f"  ({ending.rating})", "$text-muted"),
                )
            )
            waiting = sum(1 for t in self.live.exercise.teams if not t.finished)
            after = f"{waiting} team(s) still playing." if waiting else "h opens the hot wash."
            ending_text = prose(text_in(ending.text, team.state))
            text.update(lines(literal(ending_text), "", literal(after, "$text-muted")))
            return
        if phase == "consequences":
            before, after = self.turns[self.index]
            choice = self.scenario.choice(*_last(after))
            heading.update(
                Content.assemble(
                    literal(f"Team {team.name} chose: ", "bold"), literal(choice.text, "bold")
                )
            )
            text.update(self._how_decided(team))
            consequences.mount_all(
                [
                    *turn_report(self.scenario, self.course, before, after, training=True),
                    Static(literal(self._changes(before, after), "bold")),
                    Static(literal("Enter continues.", "$text-muted")),
                ]
            )
            return
        node = self.scenario.node(team.state.node or "")
        is_event = isinstance(node, Inject)
        label = "⚡ Event" if is_event else f"Decision {len(team.decisions) + 1}"
        heading.update(
            Content.assemble(
                literal(f"Team {team.name} · ", "bold"),
                literal(f"{label}: ", "bold $warning" if is_event else "bold $accent"),
                literal(node.title, "bold"),
            )
        )
        role, member = decision_owner(self.scenario, team)
        owner.display = role is not None
        if role:
            owner.update(
                Content.assemble(
                    literal("Decision for: ", "$text-muted"),
                    literal(role, "bold $warning"),
                    literal(f" ({member})" if member else "", "bold"),
                )
            )
        text.update(literal(prose(text_in(node.text, team.state))))
        options = open_choices(self.scenario, team.state)
        choices.update(
            Content("\n\n").join(
                Content.assemble(literal(f"{n}. ", "bold $accent"), literal(c.text, "bold"))
                for n, c in enumerate(options, 1)
            )
        )
        tally.rows = tuple(
            TallyRow(n, c.text, team.tally.count(c.id) if team.tally else 0)
            for n, c in enumerate(options, 1)
        )
        tally.tally = team.tally

    def _how_decided(self, team: Team) -> Content:
        decision = team.decisions[-1]
        how = {
            "recorded": "Recorded by the facilitator.",
            "majority": "The team's majority vote.",
            "facilitator": "The facilitator's call.",
        }[decision.how]
        if decision.tally is None:
            return literal(how, "$text-muted")
        split = " · ".join(
            f"{self.scenario.choice(decision.node, c).text} {n}" for c, n in decision.tally.counts
        )
        return literal(f"{how} Votes: {split}", "$text-muted")

    def _changes(self, before: GameState, after: GameState) -> str:
        parts = []
        for name, indicator in self.scenario.indicators.items():
            delta = after.value[name] - before.value[name]
            if delta:
                parts.append(f"{indicator.label} {delta:+g}")
        return "Indicators: " + (", ".join(parts) if parts else "no change")

    def _show_notes(self, team: Team, phase: str) -> None:
        panel = self.query_one("#fac-notes", Static)
        panel.display = self.show_notes
        rows: list[Content | str] = [literal("Facilitator notes (n hides)", "bold $warning")]
        if phase == "consequences":
            choice = self.scenario.choice(*_last(self.turns[self.index][1]))
            rows.append(literal(prose(choice.notes) if choice.notes else "None for this choice."))
        elif phase == "deciding":
            node = self.scenario.node(team.state.node or "")
            rows.append(literal(prose(node.notes) if node.notes else "None for this scene."))
            for n, choice in enumerate(open_choices(self.scenario, team.state), 1):
                if choice.notes:
                    rows.append(Content.assemble(literal(f"{n}. ", "bold"), literal(choice.notes)))
        else:
            rows.append(literal("Draw out the decisions where the teams went different ways."))
        panel.update(lines(*rows))

    def _set_gauges(self, team: Team) -> None:
        self.query_one(IndicatorGauges).readings = tuple(
            Reading(ind.label, team.state.value.get(name, ind.start), ind.min, ind.max)
            for name, ind in self.scenario.indicators.items()
        )

    def _reset_clock(self, team: Team) -> None:
        key = (self.index, team.state.node)
        if key != self._clock_for:
            self._clock_for = key
            self.query_one(DecisionClock).reset()

    def watch_show_notes(self) -> None:
        if self.is_mounted:
            self.query_one("#fac-notes").display = self.show_notes

    # --- actions -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Dim the keys that do nothing for the team on screen."""
        phase, tally = self.phase(), self.team.tally
        if action in ("pick", "votes"):
            return phase == "deciding"
        if action == "reveal":
            return phase == "deciding" and tally is not None and not tally.revealed
        if action == "confirm":
            return phase == "consequences" or (phase == "deciding" and tally is not None)
        if action == "open_section":
            return phase == "consequences"
        if action == "clock":
            return self.live.exercise.countdown is not None and phase == "deciding"
        return True

    def _attempt(self, move) -> bool:
        """Run an exercise move; a refused one is said, never raised."""
        try:
            move()
        except (ExerciseError, IllegalMove) as exc:
            self.notify(str(exc), markup=False, severity="warning", timeout=5)
            return False
        return True

    def action_pick(self, number: int) -> None:
        if self.phase() != "deciding":
            return
        options = open_choices(self.scenario, self.team.state)
        if not 1 <= number <= len(options):
            self.app.bell()
            return
        before, index = self.team.state, self.index
        if self._attempt(lambda: self.live.record_choice(index, options[number - 1].id)):
            self.turns[index] = (before, self.live.exercise.teams[index].state)
        self.refresh_view()

    def action_votes(self) -> None:
        if self.phase() != "deciding":
            return
        index = self.index

        def entered(counts: dict[str, int] | None) -> None:
            if counts is not None and self._attempt(lambda: self.live.enter_tally(index, counts)):
                self.notify(f"Votes of team {self.team.name} recorded, hidden.", markup=False)
            self.refresh_view()

        options = open_choices(self.scenario, self.team.state)
        self.app.push_screen(VoteDialog(self.team.name, options), entered)

    def action_reveal(self) -> None:
        tally = self.team.tally
        if tally is not None and not tally.revealed:
            self._attempt(lambda: self.live.reveal_tally(self.index))
            self.refresh_view()

    def action_confirm(self) -> None:
        phase, tally = self.phase(), self.team.tally
        if phase == "consequences":
            del self.turns[self.index]
        elif phase == "deciding" and tally is not None and not tally.revealed:
            self._attempt(lambda: self.live.reveal_tally(self.index))
        elif phase == "deciding" and tally is not None:
            before, index = self.team.state, self.index
            if self._attempt(lambda: self.live.decide_by_majority(index)):
                self.turns[index] = (before, self.live.exercise.teams[index].state)
        self.refresh_view()

    def action_step(self, offset: int) -> None:
        self.live.show_team(self.index + offset)
        self.refresh_view()

    def action_clock(self) -> None:
        self.query_one(DecisionClock).toggle()

    @on(DecisionClock.Expired)
    def _time_up(self) -> None:
        self.app.bell()
        self.notify(f"Time is up for team {self.team.name}.", markup=False, timeout=5)

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
        self.show_notes = not self.show_notes

    def action_hot_wash(self) -> None:
        from .hotwash import HotWashScreen

        self.app.push_screen(HotWashScreen(self.course, self.live, self.show_notes))

    def action_open_section(self) -> None:
        """The lesson section behind the consequences on screen."""
        if self.phase() == "consequences":
            choice = self.scenario.choice(*_last(self.turns[self.index][1]))
            self.post_message(Navigate(f"lesson:{choice.section}"))

    def action_scroll(self, direction: int) -> None:
        stage = self.query_one("#fac-stage", VerticalScroll)
        (stage.scroll_page_down if direction > 0 else stage.scroll_page_up)()

    def action_leave(self) -> None:
        if not self.live.exercise.finished:
            self.notify("The exercise is saved; resume it from the course map (f).", timeout=4)
        self.app.pop_screen()

    def lookup_text(self) -> str:
        if self.team.state.node is None:
            return ""
        node = self.scenario.node(self.team.state.node)
        text = text_in(node.text, self.team.state)
        return " ".join([text, *(c.text for c in node.choices)])


def _last(state: GameState) -> tuple[str, str]:
    decision = state.decisions[-1]
    return decision.node, decision.choice
