"""The app of a served exercise's team device or presenter view (one per browser).

It loads the course, finds the exercise the facilitator runs for these teams, and follows it
in the store: each time another process commits (SQLite's ``data_version``), it reads the
room's view again and hands it down to its one screen. A team member's vote comes up as a
message and goes into the store as their seat's ballot, the only thing a device writes.
"""

from __future__ import annotations

import gc
from pathlib import Path

from textual import on, work
from textual.app import App
from textual.binding import Binding

from ..store import open_store
from ..store.classroom import BallotClosed, ClassStore, Seat
from ..store.room import find_exercise, room_view
from .messages import CourseLoaded
from .screens.room import PresenterScreen, TeamDeviceScreen, Vote
from .textual_fixes import apply as mend_textual

mend_textual()

POLL = 0.25  # seconds between looks at whether the console has committed something


class DeviceApp(App):
    """A team's device (``team`` is its position) or, with ``team`` None, the presenter."""

    CSS_PATH = "device.tcss"
    TITLE = "MLT peacebuilding"
    BINDINGS = [Binding("ctrl+c", "quit", "Quit", show=False, priority=True)]

    def __init__(
        self,
        content_root: Path,
        data_dir: Path,
        scenario: str,
        teams: tuple[str, ...],
        seat: Seat,
        team: int | None,
    ) -> None:
        super().__init__()
        self.content_root, self.data_dir = Path(content_root), Path(data_dir)
        self.scenario_id, self.team_names, self.seat, self.team = scenario, teams, seat, team
        self.scenario = None
        self.store = None
        self.exercise_id: int | None = None
        self._version: int | None = None

    def on_mount(self) -> None:
        self.store = open_store(self.data_dir)
        if self.team is not None:
            ClassStore(self.store).take_seat(self.seat.class_id, self.seat.seat, team=self.team)
        screen = PresenterScreen() if self.team is None else TeamDeviceScreen(self.team)
        self.push_screen(screen)
        self.load_course()

    def on_unmount(self) -> None:
        if self.store is not None:
            self.store.close()

    @work(thread=True, exclusive=True)
    def load_course(self) -> None:
        from ..store.course_cache import load_course_cached

        course = load_course_cached(self.content_root, self.data_dir / "cache")
        self.post_message(CourseLoaded(course, frozenset()))

    @on(CourseLoaded)
    def _loaded(self, message: CourseLoaded) -> None:
        if not gc.isenabled():  # the served child turned it off for start-up (serving/child.py)
            gc.freeze()
            gc.enable()
        self.scenario = message.course.scenarios.get(self.scenario_id)
        if self.scenario is None:
            self.screen.waiting(f"The course has no scenario {self.scenario_id!r}.")
            return
        self.title = self.scenario.title
        self.follow()
        self.set_interval(POLL, self.follow)

    def follow(self) -> None:
        """Read the room again if anything was committed since the last look."""
        assert self.store is not None
        version = self.store.read("PRAGMA data_version")[0][0]
        if self.exercise_id is None:
            self.exercise_id = find_exercise(self.store, self.scenario_id, self.team_names)
            if self.exercise_id is None:
                self.screen.waiting("Waiting for the facilitator to start the exercise…")
                return
            self._version = None  # drawn now whatever the version; the next look compares
        if version is not None and version == self._version:
            return
        self._version = version
        room = room_view(self.store, self.scenario, self.exercise_id)
        if room is None or room.status != "open":  # the facilitator may have begun anew
            latest = find_exercise(self.store, self.scenario_id, self.team_names)
            if latest != self.exercise_id:
                self.exercise_id, self._version = latest, None
                return
        if room is None:
            return
        ballot = None
        if self.team is not None and self.team < len(room.teams):
            seq = room.teams[self.team].seq
            ballot = ClassStore(self.store).ballot(room.exercise_id, self.team, seq, self.seat.seat)
        self.screen.show(room, ballot)

    @on(Vote)
    def _vote(self, message: Vote) -> None:
        assert self.store is not None and self.team is not None
        if self.exercise_id is None:
            return
        try:
            ClassStore(self.store).cast_ballot(
                self.exercise_id, self.team, message.seq, self.seat.seat, message.choice
            )
        except BallotClosed as closed:
            self.notify(f"Your vote was not taken: {closed}.", markup=False, severity="warning")
        self._version = None  # show the ballot at once
        self.follow()
