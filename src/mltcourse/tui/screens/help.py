"""Every key, read from the bindings themselves so the list cannot drift from the code."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from ..text import lines, literal
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


def _key_names(binding: Binding) -> str:
    if binding.key_display:
        return binding.key_display
    return " / ".join(key.replace("question_mark", "?") for key in binding.key.split(","))


class HelpScreen(Dialog[None]):
    BINDINGS = [Binding("escape,question_mark,f1,q", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide-dialog", id="help"):
            yield Static(literal("Keys", "bold"), classes="dialog-title")
            with VerticalScroll():
                for title, bindings in _places():
                    rows: list[Content | str] = [literal(title, "bold $accent")]
                    for binding in bindings:
                        rows.append(
                            Content.assemble(
                                (f"  {_key_names(binding):<16}", "bold"),
                                literal(binding.tooltip or binding.description or binding.action),
                            )
                        )
                    if title == "Everywhere":
                        rows += [
                            Content.assemble((f"  {key:<16}", "bold"), literal(what))
                            for key, what in BUILT_IN
                        ]
                    yield Static(lines(*rows, ""))
                yield Static(
                    lines(
                        literal("Words in the scenarios", "bold $accent"),
                        *(
                            Content.assemble((f"  {term}: ", "bold"), literal(text))
                            for term, text in TERMS
                        ),
                        "",
                    )
                )
            yield Static(literal("Esc closes"), classes="dialog-hint")
