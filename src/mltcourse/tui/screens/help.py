"""Every key, read from the bindings themselves so the list cannot drift from the code."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical, VerticalScroll
from textual.widgets import Static

from ..text import literal
from .dialog import Dialog

# What the scenario player's words mean; a learner meets them before any debrief.
TERMS = [
    (
        "Decision for",
        "Whose decision a scene is. When it names a colleague (the Police Commissioner, say), "
        "they bring the proposal and you decide as the scenario's role; in a group exercise "
        "the team member holding that role card leads.",
    ),
    (
        "Indicators",
        "The quantities the scenario tracks (security, trust...). They show the story's "
        "consequences; they are not the score.",
    ),
    (
        "Decision quality",
        "How each choice stood among the options open at the time, judged by the doctrine's "
        "principles and risks: 100 % for the doctrine-best, 0 % for the worst. Overall and per "
        "principle, it is the mean over your decisions.",
    ),
    (
        "Review",
        "A check you missed at its first answer, or a decision that was neither the "
        "doctrine-best nor defensible, comes back for review when you are about to forget it "
        "(FSRS schedules it from your answers): the map says how many are due.",
    ),
    (
        "Defensible alternative",
        "An option within one point of the doctrine-best: a close call, where both choices "
        "can be argued. The debrief says what each one buys and costs.",
    ),
]

# Keys Textual itself provides, which the learner should know about too.
BUILT_IN = [
    ("ctrl+p", "Command palette: jump to any lesson, scenario or glossary term"),
    ("tab / shift+tab", "Move between panels"),
    ("↑ ↓ enter", "Move in a list and pick"),
    ("ctrl+q", "Quit"),
]


def _places() -> list[tuple[str, list[Binding]]]:
    from ..app import CourseApp
    from ..widgets.checks import CheckPanel
    from .course_map import CourseMapScreen
    from .debrief import DebriefScreen
    from .facilitate import FacilitateScreen
    from .hotwash import HotWashScreen
    from .lesson import LessonScreen
    from .player import PlayerScreen
    from .review import ReviewScreen

    def bindings(cls) -> list[Binding]:
        """The class's bindings, those that share a description (number keys) as one."""
        merged: dict[str, Binding] = {}
        for binding in cls.BINDINGS:
            if not isinstance(binding, Binding):
                continue
            known = merged.get(binding.description)
            if known is None:
                merged[binding.description] = binding
            else:
                keys = f"{known.key_display or known.key}–{binding.key}"
                if known.key_display and "–" in known.key_display:
                    keys = f"{known.key_display.split('–')[0]}–{binding.key}"
                merged[binding.description] = Binding(
                    known.key, known.action, known.description, key_display=keys
                )
        return list(merged.values())

    return [
        ("Everywhere", bindings(CourseApp)),
        ("Course map", bindings(CourseMapScreen)),
        ("Lesson", bindings(LessonScreen)),
        ("Knowledge checks", bindings(CheckPanel)),
        ("Review (r on the map)", bindings(ReviewScreen)),
        ("Scenario", bindings(PlayerScreen)),
        ("Debrief", bindings(DebriefScreen)),
        ("Group exercise (f on the map)", bindings(FacilitateScreen)),
        ("Hot wash", bindings(HotWashScreen)),
    ]


KEY_NAMES = {
    "question_mark": "?",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "escape": "esc",
}


def _key_names(binding: Binding) -> str:
    if binding.key_display:
        return binding.key_display
    return " / ".join(KEY_NAMES.get(key, key) for key in binding.key.split(","))


def _rows(bindings: list[Binding]) -> list[tuple[str, str]]:
    """Each key and what it does; a key with no words of its own only passes on another's
    (the lesson's check keys) and is listed there."""
    return [
        (_key_names(binding), binding.tooltip or binding.description)
        for binding in bindings
        if binding.tooltip or binding.description
    ]


class HelpScreen(Dialog[None]):
    CSS_PATH = "content.tcss"
    BINDINGS = [Binding("escape,question_mark,f1,q", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        rows_by_place = [(title, _rows(bindings)) for title, bindings in _places()]
        # one key column for every table, as wide as the longest key and a space: a wrapped
        # description stays under itself and never runs into its key
        key_width = 2 + max(len(key) for _, rows in rows_by_place for key, _ in rows + BUILT_IN)
        with Vertical(classes="dialog wide-dialog", id="help"):
            yield Static(literal("Keys", "bold"), classes="dialog-title")
            with VerticalScroll():
                for title, rows in rows_by_place:
                    yield Static(literal(title, "bold $accent"), classes="help-heading")
                    yield _table(rows + (BUILT_IN if title == "Everywhere" else []), key_width)
                yield Static(
                    literal("Words in the scenarios", "bold $accent"), classes="help-heading"
                )
                yield _table(TERMS, key_width)
            yield Static(literal("Esc closes"), classes="dialog-hint")


def _table(rows: list[tuple[str, str]], key_width: int) -> Grid:
    """Two columns, what to press (or the word) and what it does (or means)."""
    grid = Grid(
        *(
            widget
            for key, what in rows
            for widget in (
                Static(literal(key, "bold"), classes="help-key"),
                Static(literal(what), classes="help-what"),
            )
        ),
        classes="help-table",
    )
    grid.styles.grid_columns = f"{key_width} 1fr"
    return grid
