"""The watch-mode jump: start a test play at any scene, in a state the author types.

``SCENE [NAME=VALUE ...] [FLAG ...]``, read by ``engine.start.parse_jump`` as
``mltcourse play --from SCENE --set NAME=VALUE --flag FLAG`` would read it. A wrong name or
value is said under the box, which stays open with what was typed.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from ...content.model import Scenario
from ...engine.start import StartError, TestPlay, parse_jump
from ..text import literal
from .dialog import Dialog


class JumpDialog(Dialog[TestPlay | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, scenario: Scenario) -> None:
        super().__init__()
        self.scenario = scenario

    def compose(self) -> ComposeResult:
        scenes = ", ".join(self.scenario.scenes)
        flags = ", ".join(sorted(self.scenario.flags)) or "none"
        indicators = ", ".join(
            f"{name} ({ind.min:g}-{ind.max:g})" for name, ind in self.scenario.indicators.items()
        )
        with Vertical(classes="dialog"):
            yield Static(literal("Jump to a scene (a test play, not recorded)", "bold"))
            yield Static(
                literal(
                    f"Scenes: {scenes}\nIndicators: {indicators}\nFlags: {flags}",
                    "$text-muted",
                ),
                classes="dialog-detail",
            )
            yield Input(placeholder="SCENE trust=60 some_flag", id="jump-to", select_on_focus=False)
            yield Static(id="jump-problem")

    def on_mount(self) -> None:
        self.query_one("#jump-to", Input).focus()

    @on(Input.Submitted, "#jump-to")
    def _submitted(self, event: Input.Submitted) -> None:
        try:
            start = parse_jump(self.scenario, event.value)
        except StartError as exc:
            self.query_one("#jump-problem", Static).update(literal(str(exc), "$error"))
            return
        self.dismiss(TestPlay(self.scenario, start, start))

    def action_cancel(self) -> None:
        self.dismiss(None)
