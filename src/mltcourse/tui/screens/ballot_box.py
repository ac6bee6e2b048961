"""The facilitator's console of a served exercise: ballots in, injects out.

A mixin for the facilitation screen. Team members vote on their own devices (their ballots
are rows in the store, written by other processes); each time another process commits, the
ballots of every team's open decision become that team's tally, hidden until the facilitator
reveals it, exactly as a tally typed in would be. The facilitator can also push one of the
scenario's injects into a team's play when they choose: it happens there and then, on the
console, the team's devices and the presenter's view alike (``engine.push``).
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...engine.exercise import ExerciseError, last_push
from ...engine.push import condition_note, push_refusal
from ...engine.state import IllegalMove, open_choices
from ...safetext import clean
from ...store.classroom import ClassStore
from ..text import lines, literal
from .confirm import ConfirmScreen
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
        """Fire one of the scenario's injects in the play of the team on screen, now."""
        live = self.live  # type: ignore[attr-defined]
        scenario, index, team = live.scenario, self.index, self.team  # type: ignore[attr-defined]
        if not scenario.injects:
            self.notify("This scenario has no injects.", markup=False)  # type: ignore[attr-defined]
            return
        rows = []
        for inject in scenario.injects:
            refusal = push_refusal(scenario, team.state, inject.id)
            rows.append((inject, refusal or condition_note(scenario, team.state, inject.id)))

        def chosen(inject_id: str | None) -> None:
            if inject_id is not None:
                self._push(index, inject_id)

        self.app.push_screen(InjectPicker(team.name, rows), chosen)  # type: ignore[attr-defined]

    def _push(self, index: int, inject_id: str) -> None:
        live = self.live  # type: ignore[attr-defined]
        scenario, team = live.scenario, live.exercise.teams[index]
        title = clean(scenario.node(inject_id).title)
        note = condition_note(scenario, team.state, inject_id)
        try:
            votes_gone = live.push_inject(index, inject_id)
        except (ExerciseError, IllegalMove) as exc:
            self.notify(  # type: ignore[attr-defined]
                f"Team {team.name}: {clean(str(exc))}", markup=False, severity="warning"
            )
            return
        said = f"“{title}” happens now for team {team.name}. {clean(note)}"
        if votes_gone:
            said += " The votes entered before it are set aside: the team votes again."
        self.notify(said, markup=False, timeout=8)  # type: ignore[attr-defined]
        self.refresh_view()  # type: ignore[attr-defined]

    def take_back_push(self) -> bool:
        """Offer to undo the inject pushed to the team on screen since its last decision
        (undo takes that back before the decision); False when there is none."""
        live, index = self.live, self.index  # type: ignore[attr-defined]
        pushed = last_push(live.exercise.teams[index])
        if pushed is None:
            return False
        name = live.exercise.teams[index].name
        title = clean(live.scenario.node(pushed.inject).title)

        def answered(yes: bool | None) -> None:
            if not yes or last_push(live.exercise.teams[index]) != pushed:
                return
            try:
                live.take_back_push(index)
            except ExerciseError as exc:
                self.notify(str(exc), markup=False, severity="warning")  # type: ignore[attr-defined]
            else:
                self.notify(f"Team {name}: “{title}” taken back.", markup=False)  # type: ignore[attr-defined]
            self.refresh_view()  # type: ignore[attr-defined]

        self.app.push_screen(  # type: ignore[attr-defined]
            ConfirmScreen(
                f"Take back the inject pushed to team {name}?",
                f"“{title}”: its effects are undone and the team is back where it stood "
                "before it, with no votes in; the record keeps it as taken back.",
            ),
            answered,
        )
        return True


BINDINGS = [Binding("i", "push_inject", "Push inject"), Binding("j", "join_links", "Join links")]


class InjectPicker(Dialog[str | None]):
    """Which of the scenario's injects to push to a team, each with a word on pushing it now."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, team: str, rows) -> None:
        """``rows``: each inject with what the facilitator should know of pushing it now
        (why it cannot be, or whether its own condition holds)."""
        super().__init__()
        self.team, self.rows = team, rows

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(
                literal(f"Push an inject to team {self.team}", "bold"), classes="dialog-title"
            )
            yield OptionList(
                *(
                    Option(
                        lines(literal(inject.title, "bold"), literal(note, "$text-muted")),
                        id=inject.id,
                    )
                    for inject, note in self.rows
                ),
                id="inject-list",
            )
            yield Static(
                literal(
                    "It happens in the team's play at once: its effects apply, and one with "
                    "options is the team's next decision. u takes it back. Esc cancels."
                ),
                classes="dialog-hint",
            )

    @on(OptionList.OptionSelected, "#inject-list")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
