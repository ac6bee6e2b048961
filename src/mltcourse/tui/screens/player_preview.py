"""The scenario player's live preview for authors (``--watch``): an edit of the scenario carries
the attempt over to the new version, and ``j`` starts an unrecorded test play from any scene.

A mixin of ``PlayerScreen``, kept apart because learners never meet it.
"""

from __future__ import annotations

from functools import partial

from textual.widgets import Button, Static

from ...content.model import Course
from ...engine.start import TestPlay
from ...engine.state import new_game
from ...engine.story import text_in
from ...store.attempts import follow_edit
from ..text import literal, prose


class AuthorPreview:
    """Needs the player's ``scenario``, ``attempt``, ``_stage``, ``_show``, ``_set_gauges``,
    ``_advance``, ``_show_report``, ``_show_briefing`` and ``_look_for_waiting``."""

    def action_jump(self) -> None:
        """--watch: test a branch from any scene, in the state the author types."""
        from .jump import JumpDialog

        if getattr(self.app, "watching", False):
            self.app.push_screen(JumpDialog(self.scenario), self._jumped)

    def _jumped(self, play: TestPlay | None) -> None:
        if play is None:
            return
        self.attempt = play
        self.sub_title = f"test play from {play.start.node} (not recorded)"
        self._set_gauges(play.state, None)
        self._stage(self._advance)

    async def _show_test_ending(self) -> None:
        assert self.attempt is not None
        ending = next(e for e in self.scenario.endings if e.id == self.attempt.state.ending)
        widgets = [
            Static(literal(f"Test play ended: {ending.title} ({ending.rating})", "bold")),
            Static(literal(prose(text_in(ending.text, self.attempt.state)))),
        ]
        button = Button(literal("Back to the briefing"), id="test-done", compact=True)
        await self._show(widgets, button)

    def _test_done(self) -> None:
        self.attempt = None
        self.sub_title = ""
        self._set_gauges(new_game(self.scenario), None)
        self._look_for_waiting()
        self._stage(self._show_briefing)

    def watch_course(self, course: Course) -> None:
        """The course was reloaded (--watch): carry the attempt over to the edited scenario."""
        scenario = course.scenarios.get(self.scenario.id)
        if scenario is None:
            self.notify(
                "This scenario's file now has errors; playing the last good version.",
                severity="warning",
            )
            return
        if scenario.digest == self.scenario.digest:
            return
        self.scenario = scenario
        reporting = bool(self.query("#next-step"))  # the turn's report is on screen
        if self.attempt is None or (self.attempt.state.finished and not reporting):
            self._look_for_waiting()
            self._stage(self._show_briefing)
            return
        if isinstance(self.attempt, TestPlay):
            self.attempt, note = self.attempt.follow(scenario)
            self.notify(note, markup=False, timeout=4)
            self._set_gauges(self.attempt.state, None)
            self._stage(self._advance)
            return
        made = [d.choice for d in self.attempt.state.decisions]
        self.attempt, note = follow_edit(self.attempt, scenario)
        self.notify(note, markup=False, timeout=4)
        after = self.attempt.state
        if reporting and made and [d.choice for d in after.decisions] == made:
            # the same step again, the report as edited (the author is reading it)
            from ...reports.compare import replay_attempt

            before = replay_attempt(scenario, tuple(made[:-1]))
            self._set_gauges(after, before)
            self._stage(partial(self._show_report, before, after))
            return
        self._set_gauges(after, None)
        self._stage(self._advance)
