"""The facilitator's dialogs: set up (or resume) an exercise, enter a vote tally, hand out
role cards, and choose where the after-action review goes. Each returns what was entered
(or None) and leaves the rules to the screen and the engine."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Checkbox, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from ...content.model import Choice, Course
from ...engine.exercise import ROLES, ExerciseError, team_names
from ...engine.state import GameState
from ...engine.story import text_in
from ...store.exercises import ExerciseRecord
from ..text import literal
from .dialog import Dialog
from .dialog_fields import FieldInput, FieldsInTurn

MAX_COUNTDOWN = 24 * 3600  # seconds per decision
MAX_VOTES = 100_000  # per option: far above any room, far below what SQLite refuses
# Number boxes take digits only, and a few. Not Textual's type="integer": it lets a lone "-"
# through, and its pattern backtracks exponentially, so that a letter typed after twenty-odd
# digits froze the app for minutes (Textual 8.2.8, _RESTRICT_TYPES["integer"]).
DIGITS = r"[0-9]*"
DIGITS_MAX = 6


def whole_number(text: str, largest: int) -> int | None:
    """A whole number from 0 to ``largest`` typed in a box (empty: 0); None if it is not one."""
    text = text.strip()
    if not text:
        return 0
    try:
        number = int(text)
    except ValueError:
        return None
    return number if 0 <= number <= largest else None


@dataclass(frozen=True)
class ExercisePlan:
    scenario: str
    teams: tuple[str, ...]
    countdown: int | None


class ExerciseSetup(FieldsInTurn, Dialog["ExercisePlan | int | None"]):
    """Resume an open exercise or reopen a finished one (returns its id), or plan a new one
    (returns the plan). A new one is filled in top to bottom: teams, seconds per decision,
    then Enter on the scenario starts it."""

    CSS_PATH = ["content.tcss", "facilitate.tcss"]
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel"), *FieldsInTurn.KEYS]

    def __init__(self, course: Course, open_exercises: list[ExerciseRecord]) -> None:
        super().__init__()
        self.course = course
        self.open_exercises = open_exercises
        # first the exercises to resume, if any (the likelier wish), else the teams
        self.AUTO_FOCUS = "#open-exercises" if open_exercises else "#teams"

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide-dialog", id="exercise-setup"):
            yield Static(literal("Group exercise", "bold"), classes="dialog-title")
            if self.open_exercises:
                yield Static(
                    literal("Resume an exercise, or reopen a finished one for its hot wash:"),
                    classes="dialog-hint",
                )
                yield OptionList(
                    *(self._open_option(record) for record in self.open_exercises),
                    id="open-exercises",
                )
            start = "Or start one" if self.open_exercises else "Start one"
            yield Static(
                literal(f"{start}: the teams, the seconds per decision, then the scenario"),
                classes="dialog-hint",
            )
            yield FieldInput(
                placeholder="Teams, comma-separated: Alpha, Bravo, Charlie",
                joiner=", ",
                id="teams",
            )
            yield FieldInput(
                placeholder="Seconds per decision (empty: no countdown)",
                restrict=DIGITS,
                max_length=DIGITS_MAX,
                id="countdown",
            )
            yield OptionList(
                *(
                    Option(literal(s.title), id=s.id)
                    for s in sorted(self.course.scenarios.values(), key=lambda s: s.title)
                ),
                id="exercise-scenarios",
            )
            yield Static(id="setup-error")
            yield Static(
                literal("Enter goes to the next field; on a scenario it starts · Esc cancels"),
                classes="dialog-hint",
            )

    def fields_done(self) -> None:
        self.set_focus(self.query_one("#exercise-scenarios", OptionList))

    def _open_option(self, record: ExerciseRecord) -> Option:
        scenario = self.course.scenarios.get(record.scenario)
        title = scenario.title if scenario else record.scenario
        when = datetime.fromtimestamp(record.started).strftime("%d %b %H:%M")
        teams = ", ".join(record.team_names)
        status = "finished" if record.status == "finished" else "open"
        return Option(
            Content.assemble(
                literal(f"{record.id}. {title}", "bold"),
                literal(f"  {teams} · started {when} · {status}"),
            ),
            id=str(record.id),
        )

    @on(OptionList.OptionSelected, "#open-exercises")
    def _resume(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))

    @on(OptionList.OptionSelected, "#exercise-scenarios")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        scenario = event.option.id or ""
        self.when_settled(lambda: self._start(scenario))

    def _start(self, scenario: str) -> None:
        error = self.query_one("#setup-error", Static)
        try:
            names = team_names(self.query_one("#teams", Input).value)
        except ExerciseError as exc:
            error.update(literal(str(exc), "$error"))
            self.query_one("#teams", Input).focus()
            return
        seconds = whole_number(self.query_one("#countdown", Input).value, MAX_COUNTDOWN)
        if seconds is None:
            error.update(
                literal(
                    f"Seconds per decision: a whole number up to {MAX_COUNTDOWN}, "
                    "or empty for no countdown.",
                    "$error",
                )
            )
            self.query_one("#countdown", Input).focus()
            return
        self.dismiss(ExercisePlan(scenario, names, seconds or None))


class VoteDialog(FieldsInTurn, Dialog["dict[str, int] | None"]):
    """Votes per open option, typed in by the facilitator; shown to nobody until revealed."""

    AUTO_FOCUS = "FieldInput"
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel"), *FieldsInTurn.KEYS]

    def __init__(self, team: str, choices: tuple[Choice, ...], state: GameState) -> None:
        """``choices``: the options open in the team's ``state``, where their texts are read."""
        super().__init__()
        self.team = team
        self.choices = choices
        self.state = state

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide-dialog", id="vote-dialog"):
            yield Static(literal(f"Votes of team {self.team}", "bold"), classes="dialog-title")
            with VerticalScroll(can_focus=False):
                for number, choice in enumerate(self.choices, 1):
                    with Horizontal(classes="dialog-field"):
                        yield FieldInput(
                            placeholder="0",
                            restrict=DIGITS,
                            max_length=DIGITS_MAX,
                            compact=True,
                            id=f"votes-{number}",
                            classes="votes",
                        )
                        yield Label(literal(f"{number}. {text_in(choice.text, self.state)}"))
            yield Static(id="vote-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(literal("Record, hidden"), variant="primary", id="record-votes")
                yield Button(literal("Cancel"), id="cancel-votes")

    def fields_done(self) -> None:
        self.when_settled(self._record)

    @on(Button.Pressed, "#record-votes")
    def _record(self) -> None:
        counts: dict[str, int] = {}
        for number, choice in enumerate(self.choices, 1):
            votes = whole_number(self.query_one(f"#votes-{number}", Input).value, MAX_VOTES)
            counts[choice.id] = -1 if votes is None else votes
        if any(n < 0 for n in counts.values()) or not sum(counts.values()):
            self.query_one("#vote-error", Static).update(
                literal("Enter at least one vote (whole numbers).", "$error")
            )
            return
        self.dismiss(counts)

    @on(Button.Pressed, "#cancel-votes")
    def _cancel(self) -> None:
        self.dismiss(None)


class RoleDialog(FieldsInTurn, Dialog["dict[str, str] | None"]):
    """Who holds each MLT role card in a team; an empty field takes the card back."""

    AUTO_FOCUS = "FieldInput"
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel"), *FieldsInTurn.KEYS]

    def __init__(self, team: str, roles: tuple[tuple[str, str], ...]) -> None:
        super().__init__()
        self.team = team
        self.roles = dict(roles)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide-dialog", id="role-dialog"):
            yield Static(literal(f"Role cards of team {self.team}", "bold"), classes="dialog-title")
            with VerticalScroll(can_focus=False):
                for number, role in enumerate(ROLES):
                    with Horizontal(classes="dialog-field"):
                        yield Label(literal(role))
                        yield FieldInput(
                            value=self.roles.get(role, ""),
                            placeholder="team member's name",
                            compact=True,
                            id=f"role-{number}",
                            classes="role-member",
                        )
            with Horizontal(classes="dialog-buttons"):
                yield Button(literal("Save"), variant="primary", id="save-roles")
                yield Button(literal("Cancel"), id="cancel-roles")

    def fields_done(self) -> None:
        self.when_settled(self._save)

    @on(Button.Pressed, "#save-roles")
    def _save(self) -> None:
        self.dismiss(
            {role: self.query_one(f"#role-{n}", Input).value for n, role in enumerate(ROLES)}
        )

    @on(Button.Pressed, "#cancel-roles")
    def _cancel(self) -> None:
        self.dismiss(None)


@dataclass(frozen=True)
class ExportRequest:
    folder: str
    participant: bool  # the participants' version: no facilitator notes


class ExportDialog(Dialog["ExportRequest | None"]):
    """The folder for the after-action review (Markdown, HTML and the decisions as CSV), and
    which version: the participants' (no facilitator notes) or the facilitator's."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, folder: str, participant: bool) -> None:
        super().__init__()
        self.folder = folder
        self.participant = participant

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide-dialog", id="export-dialog"):
            yield Static(literal("Export the after-action review", "bold"), classes="dialog-title")
            yield Static(literal("Folder (created if needed):"), classes="dialog-hint")
            yield Input(value=self.folder, id="export-folder")
            yield Checkbox(
                literal("Participants' version: without the facilitator notes"),
                self.participant,
                id="export-participant",
            )
            yield Static(
                literal(
                    "Enter writes the .md, .html and -decisions.csv files under new names "
                    "(never over an earlier export) · Esc cancels"
                ),
                classes="dialog-hint",
            )

    @on(Input.Submitted, "#export-folder")
    def _chosen(self, event: Input.Submitted) -> None:
        if event.value.strip():
            participant = self.query_one("#export-participant", Checkbox).value
            self.dismiss(ExportRequest(event.value.strip(), participant))
