"""The facilitator's console of a served exercise: ballots in, injects out.

A mixin for the facilitation screen. Team members vote on their own devices (their ballots
are rows in the store, written by other processes); each time another process commits, the
ballots of every team's open decision become that team's tally, hidden until the facilitator
reveals it, exactly as a tally typed in would be. The facilitator can also push one of the
scenario's injects to a team's devices (and the presenter's view) when they choose.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...engine.exercise import ExerciseError
from ...engine.state import open_choices
from ...store.classroom import ClassStore
from ..text import literal
from .dialog import Dialog

BALLOT_POLL = 0.2  # seconds between looks at whether a device has committed a ballot


class BallotBox:
    """For FacilitateScreen: needs ``live``, ``scenario``, ``team``, ``index``,
    ``refresh_view`` and Textual's ``set_interval``, ``notify`` and ``app``."""

    _ballot_version: int | None = None

    def watch_ballots(self) -> None:
        """Follow the devices' ballots; on a served exercise, show its join links first."""
        self.set_interval(BALLOT_POLL, self.collect_ballots)  # type: ignore[attr-defined]
        if getattr(self.app, "join_links", None):  # type: ignore[attr-defined]
            self.action_join_links()

    def action_join_links(self) -> None:
        from .join_links import JoinLinks

        links = getattr(self.app, "join_links", None)  # type: ignore[attr-defined]
        if not links:
            self.notify(  # type: ignore[attr-defined]
                "Not served: mltcourse facilitate SCENARIO --teams A,B --serve gives each team "
                "a join link for their devices.",
                markup=False,
            )
            return
        self.app.push_screen(JoinLinks(links))  # type: ignore[attr-defined]

    def collect_ballots(self) -> None:
        """Every team's ballots as its hidden tally, when a device has voted since last time."""
        live = self.live  # type: ignore[attr-defined]
        progress = live.store.progress
        version = progress.read("PRAGMA data_version")[0][0]
        if version == self._ballot_version:
            return
        self._ballot_version = version
        classroom, changed = ClassStore(progress), False
        for index, team in enumerate(live.exercise.teams):
            if team.finished or (team.tally is not None and team.tally.revealed):
                continue
            options = [c.id for c in open_choices(live.scenario, team.state)]
            cast = classroom.ballot_counts(live.id, index, len(team.decisions) + 1)
            counts = {choice: cast.get(choice, 0) for choice in options}
            if not any(counts.values()):
                continue
            if team.tally is not None and dict(team.tally.counts) == counts:
                continue
            try:
                live.enter_tally(index, counts)
            except ExerciseError:
                continue
            changed = True
        if changed:
            self.refresh_view()  # type: ignore[attr-defined]

    def action_push_inject(self) -> None:
        live = self.live  # type: ignore[attr-defined]
        injects = live.scenario.injects
        if not injects:
            self.notify("This scenario has no injects.", markup=False)  # type: ignore[attr-defined]
            return
        index, team = self.index, self.team  # type: ignore[attr-defined]

        def chosen(inject_id: str | None) -> None:
            if inject_id is None:
                return
            ClassStore(live.store.progress).push_inject(live.id, index, inject_id)
            title = next(i.title for i in injects if i.id == inject_id)
            self.notify(  # type: ignore[attr-defined]
                f"Pushed to team {team.name}'s devices: {title}", markup=False
            )

        self.app.push_screen(InjectPicker(team.name, injects), chosen)  # type: ignore[attr-defined]


BINDINGS = [Binding("i", "push_inject", "Push inject"), Binding("j", "join_links", "Join links")]


class InjectPicker(Dialog[str | None]):
    """Which of the scenario's injects to push to a team."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, team: str, injects) -> None:
        super().__init__()
        self.team, self.injects = team, injects

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(
                literal(f"Push an inject to team {self.team}", "bold"), classes="dialog-title"
            )
            yield OptionList(
                *(Option(literal(inject.title), id=inject.id) for inject in self.injects),
                id="inject-list",
            )
            yield Static(
                literal("Their devices and the presenter show it at once. Esc cancels."),
                classes="dialog-hint",
            )

    @on(OptionList.OptionSelected, "#inject-list")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
