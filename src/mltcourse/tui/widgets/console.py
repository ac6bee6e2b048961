"""The panels of the facilitator's console: the stage (the team's scene, options and votes,
or the consequences of its choice, or its ending) and the facilitator notes.

They render what the console screen gives them and hold no rules: the phase, the team and
the consequences to show come from the screen, which takes them from the exercise core.
"""

from __future__ import annotations

from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from ...content.model import Course, Inject, Scenario
from ...engine.exercise import OVERRIDE, TIE_BREAK, Team, decision_owner
from ...engine.state import GameState, open_choices
from ...engine.story import text_in
from ..text import lines, literal, prose
from .exercise import TallyRow, TallyView
from .scenario_parts import turn_report

RATING_STYLE = {"success": "bold $success", "mixed": "bold $warning", "failure": "bold $error"}
HOW_DECIDED = {
    ("recorded", None): "Recorded by the facilitator.",
    ("majority", None): "The team's majority vote.",
    ("facilitator", None): "The facilitator's call.",
    ("facilitator", TIE_BREAK): "The facilitator's call on a tie (a tie-break).",
    ("facilitator", OVERRIDE): "The facilitator overrode the team's vote.",
}


def last_choice(state: GameState) -> tuple[str, str]:
    """(node, choice) of the decision just made."""
    decision = state.decisions[-1]
    return decision.node, decision.choice


class ConsoleStage(VerticalScroll):
    """The main panel: what the room looks at for the team on screen."""

    def compose(self):
        yield Static(id="fac-heading")
        yield Static(id="fac-owner")
        yield Static(id="fac-text")
        yield Static(id="fac-choices")
        yield TallyView(id="fac-tally")
        yield Vertical(id="fac-consequences")

    def show(
        self,
        course: Course,
        scenario: Scenario,
        team: Team,
        phase: str,
        turn: tuple[GameState, GameState] | None,
        waiting: int,
    ) -> None:
        """Lay out the stage for ``phase``: deciding, consequences (``turn`` is the state
        before and after the choice), event (before and after the inject the facilitator
        pushed) or finished (``waiting``: teams still playing)."""
        heading = self.query_one("#fac-heading", Static)
        text = self.query_one("#fac-text", Static)
        consequences = self.query_one("#fac-consequences", Vertical)
        consequences.remove_children()
        for part in ("#fac-owner", "#fac-choices", "#fac-tally"):
            self.query_one(part).display = phase == "deciding"
        if phase == "finished":
            ending = next(e for e in scenario.endings if e.id == team.state.ending)
            heading.update(
                Content.assemble(
                    literal(f"Team {team.name} has finished: ", "bold"),
                    literal(ending.title, RATING_STYLE.get(ending.rating, "bold")),
                    literal(f"  ({ending.rating})", "$text-muted"),
                )
            )
            after = f"{waiting} team(s) still playing." if waiting else "h opens the hot wash."
            after += " u takes back the last decision."
            ending_text = prose(text_in(ending.text, team.state))
            text.update(lines(literal(ending_text), "", literal(after, "$text-muted")))
            return
        if phase == "consequences" and turn is not None:
            before, after_state = turn
            choice = scenario.choice(*last_choice(after_state))
            heading.update(
                Content.assemble(
                    literal(f"Team {team.name} chose: ", "bold"),
                    literal(text_in(choice.text, before), "bold"),
                )
            )
            text.update(self._how_decided(scenario, team, before))
            consequences.mount_all(
                [
                    *turn_report(scenario, course, before, after_state, True, f"Team {team.name}"),
                    Static(literal(_changes(scenario, before, after_state), "bold")),
                    Static(literal("Enter continues · u takes this choice back.", "$text-muted")),
                ]
            )
            return
        if phase == "event" and turn is not None:
            before, after_state = turn
            inject = scenario.node(pushed_inject(after_state) or "")
            heading.update(
                Content.assemble(
                    literal(f"Team {team.name} · ", "bold"),
                    literal("⚡ Event, pushed: ", "bold $warning"),
                    literal(inject.title, "bold"),
                )
            )
            text.update(literal(prose(text_in(inject.text, after_state))))
            consequences.mount_all(
                [
                    Static(literal(_changes(scenario, before, after_state), "bold")),
                    Static(literal("Enter continues · u takes this inject back.", "$text-muted")),
                ]
            )
            return
        self._show_decision(scenario, team, heading, text)

    def _show_decision(self, scenario: Scenario, team: Team, heading: Static, text: Static) -> None:
        node = scenario.node(team.state.node or "")
        is_event = isinstance(node, Inject)
        label = "⚡ Event" if is_event else f"Decision {len(team.decisions) + 1}"
        if is_event and pushed_inject(team.state) == node.id:
            label = "⚡ Event, pushed"
        heading.update(
            Content.assemble(
                literal(f"Team {team.name} · ", "bold"),
                literal(f"{label}: ", "bold $warning" if is_event else "bold $accent"),
                literal(node.title, "bold"),
            )
        )
        owner = self.query_one("#fac-owner", Static)
        role, member = decision_owner(scenario, team)
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
        options = open_choices(scenario, team.state)
        texts = [text_in(c.text, team.state) for c in options]
        self.query_one("#fac-choices", Static).update(
            Content("\n\n").join(
                Content.assemble(literal(f"{n}. ", "bold $accent"), literal(shown, "bold"))
                for n, shown in enumerate(texts, 1)
            )
        )
        tally = self.query_one(TallyView)
        tally.rows = tuple(
            TallyRow(n, shown, team.tally.count(c.id) if team.tally else 0)
            for n, (c, shown) in enumerate(zip(options, texts, strict=True), 1)
        )
        tally.tally = team.tally

    @staticmethod
    def _how_decided(scenario: Scenario, team: Team, before: GameState) -> Content:
        """How the choice was made, with its share of the votes: the whole split, every
        option's text again, took a screen at 80x24, where the room had just seen it.
        ``before``: the state the decision was offered in, where its options are read."""
        decision = team.decisions[-1]
        how = HOW_DECIDED[(decision.how, decision.reason)]
        tally = decision.tally
        if tally is None:
            return literal(how, "$text-muted")
        votes = f"{how} {tally.count(decision.choice)} of {tally.total} votes for it."
        if decision.reason == OVERRIDE:
            leader = tally.leaders[0]
            text = text_in(scenario.choice(decision.node, leader).text, before)
            votes += f" The vote favoured “{text}” ({tally.count(leader)})."
        return literal(votes, "$text-muted")

    def show_tally(self) -> None:
        """Bring the revealed votes into view: the moment the room waits for."""
        self.scroll_to_widget(self.query_one(TallyView), animate=False, top=True)


def pushed_inject(state: GameState) -> str | None:
    """The inject the facilitator pushed last in this play, if any."""
    return next((e.inject for e in reversed(state.events) if e.pushed), None)


def _changes(scenario: Scenario, before: GameState, after: GameState) -> str:
    parts = []
    for name, indicator in scenario.indicators.items():
        delta = after.value[name] - before.value[name]
        if delta:
            parts.append(f"{indicator.label} {delta:+g}")
    return "Indicators: " + (", ".join(parts) if parts else "no change")


class NotesPanel(Static):
    """The author's notes for the facilitator: the scene's and each option's, or the chosen
    option's after a decision. Hidden (n) before projecting; the setting is saved."""

    def show(
        self, scenario: Scenario, team: Team, phase: str, turn: tuple[GameState, GameState] | None
    ) -> None:
        rows: list[Content | str] = [
            literal("Facilitator notes (n hides · [ ] scroll)", "bold $warning")
        ]
        if phase == "consequences" and turn is not None:
            choice = scenario.choice(*last_choice(turn[1]))
            rows.append(literal(prose(choice.notes) if choice.notes else "None for this choice."))
        elif phase == "event" and turn is not None:
            inject = scenario.node(pushed_inject(turn[1]) or "")
            rows.append(literal(prose(inject.notes) if inject.notes else "None for this event."))
        elif phase == "deciding":
            node = scenario.node(team.state.node or "")
            rows.append(literal(prose(node.notes) if node.notes else "None for this scene."))
            for n, choice in enumerate(open_choices(scenario, team.state), 1):
                if choice.notes:
                    rows.append(Content.assemble(literal(f"{n}. ", "bold"), literal(choice.notes)))
        else:
            rows.append(literal("Draw out the decisions where the teams went different ways."))
        self.update(lines(*rows))
