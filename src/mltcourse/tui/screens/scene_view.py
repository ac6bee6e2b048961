"""A scenario's briefing or one of its scenes, read-only, as a search result opens it.

A scene in the middle of a story cannot be played on its own: what comes before it (the
indicators, the flags, the events) is what makes it that scene. So a result shows the scene
as text, its text read as at the scenario's start, its options listed but not choosable, with
the matched words marked; Enter plays the scenario from its briefing, Esc goes back to the
results. Nothing here records progress or gives away an option's feedback or scoring.
"""

from __future__ import annotations

import re

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from ...content.model import Scenario, Scene
from ...engine.state import new_game
from ...engine.story import text_in
from ..highlight import mark
from ..text import lines, literal, prose
from .dialog import Dialog

PLAY = "play"


class SceneView(Dialog[str | None]):
    CSS_PATH = "search.tcss"
    BINDINGS = [
        Binding("enter", "play", "Play the scenario"),
        Binding("escape", "dismiss(None)", "Back to the results"),
        # / here goes back to the results rather than opening a second search over them
        Binding("slash", "dismiss(None)", "Back to the results", show=False),
    ]

    def __init__(
        self, scenario: Scenario, scene_id: str, highlight: re.Pattern[str] | None
    ) -> None:
        super().__init__()
        self.scenario = scenario
        self.scene_id = scene_id  # "" for the briefing
        self.highlight = highlight

    def compose(self) -> ComposeResult:
        scene = self.scenario.scenes.get(self.scene_id)
        with Vertical(classes="dialog wide-dialog", id="scene-view"):
            yield Static(literal(self.scenario.title, "bold $accent"), classes="dialog-title")
            with VerticalScroll(id="scene-view-body"):
                yield from (self._briefing() if scene is None else self._scene(scene))
            yield Static(
                literal(
                    "Shown to read, not to play: the story so far decides how a scene comes "
                    "about. Enter plays the scenario from its briefing · Esc back to the results"
                ),
                classes="dialog-hint",
            )

    def _scene(self, scene: Scene):
        start = new_game(self.scenario)
        yield Static(
            Content.assemble(
                ("A scene of this scenario: ", "$text-muted"), literal(scene.title, "bold")
            )
        )
        if scene.owner:
            yield Static(Content.assemble(("Decision for: ", "$text-muted"), literal(scene.owner)))
        yield self._text(prose(text_in(scene.text, start)), "scene-view-text")
        options = [
            self._marked(f"{number}. {prose(text_in(choice.text, start))}")
            for number, choice in enumerate(scene.choices, 1)
        ]
        yield Static(
            lines(literal("The options at this point", "bold"), *options), id="scene-view-options"
        )

    def _briefing(self):
        scenario = self.scenario
        yield Static(
            lines(
                Content.assemble(("You are: ", "$text-muted"), literal(scenario.role, "bold")),
                Content.assemble(("Setting: ", "$text-muted"), self._marked(scenario.setting)),
                self._marked(scenario.summary),
            )
        )
        yield self._text(prose(scenario.briefing), "scene-view-text")

    def _marked(self, text: str) -> Content:
        return mark(literal(text), self.highlight)

    def _text(self, text: str, widget_id: str) -> Static:
        return Static(self._marked(text), id=widget_id)

    def on_mount(self) -> None:
        self.query_one("#scene-view-body").focus()

    def action_play(self) -> None:
        self.dismiss(PLAY)
