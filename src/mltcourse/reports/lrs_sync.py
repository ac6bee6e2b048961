"""Sending the records to the organisation's LRS in the background while the classroom
server runs, through the same outbox as ``export --lrs``.

Every ``interval`` seconds a thread reads the progress store, builds every learner's and
team's statements, and delivers those the outbox has not seen taken (ids are deterministic,
so nothing is sent twice and nothing is lost when the LRS is away: it stays queued). Each
run is bounded by the delivery's own deadlines; stopping waits for the run in flight.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from ..content.model import Course
from ..store.exercises import ExerciseRecord, ExerciseStore
from ..store.records import LearnerHistory, learner_histories
from .xapi_settings import XapiConfig

SYNC_INTERVAL = 60.0  # seconds between runs


def statements_of(
    course: Course,
    histories: list[LearnerHistory],
    exercises: list[ExerciseRecord],
    config: XapiConfig,
) -> list[dict]:
    """Every learner's and team's statements, as ``export --format xapi`` gives them."""
    from .xapi import learner_statements
    from .xapi_teams import team_statements

    statements = [s for h in histories for s in learner_statements(course, h, config)]
    statements += [s for record in exercises for s in team_statements(course, record, config)]
    return statements


class BackgroundSync:
    """A daemon thread delivering the data folder's statements to ``config.lrs``."""

    def __init__(
        self,
        load_course: Callable[[], Course],
        data_dir: Path,
        config: XapiConfig,
        log: Callable[[str], None],
        interval: float = SYNC_INTERVAL,
    ) -> None:
        if not config.lrs:
            raise ValueError("no LRS is configured ([xapi] lrs in settings.toml)")
        self.load_course = load_course
        self.data_dir = Path(data_dir)
        self.config = config
        self.log = log
        self.interval = interval
        self.runs = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="lrs-sync", daemon=True)
        self._last_error: str | None = None

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _loop(self) -> None:
        course = None
        while not self._stop.is_set():
            try:
                course = course or self.load_course()
                self.run_once(course)
            except Exception as exc:  # a bad run must not end the server: say it, go on
                self._report(f"xAPI sync failed: {type(exc).__name__}: {exc}")
            self.runs += 1
            self._stop.wait(self.interval)

    def run_once(self, course: Course):
        """One delivery of everything new; the Delivery, as ``export --lrs`` reports it."""
        from ..store import open_store
        from .lrs import deliver, shown

        store = open_store(self.data_dir)
        try:
            histories = learner_histories(store)
            exercises = ExerciseStore(store).all_exercises()
        finally:
            store.close()
        statements = statements_of(course, histories, exercises, self.config)
        assert self.config.lrs is not None
        delivery = deliver(statements, self.config.lrs, self.data_dir)
        for note in delivery.notes:
            self.log(note)
        if delivery.sent:
            self.log(f"{delivery.sent} statement(s) sent to {shown(self.config.lrs)}")
        if delivery.error:
            self._report(f"{delivery.error}; {delivery.queued} statement(s) queued")
        else:
            self._last_error = None
        return delivery

    def _report(self, message: str) -> None:
        """An error once, not every minute while the LRS stays away."""
        if message != self._last_error:
            self._last_error = message
            self.log(message)


def start_background_sync(
    content_root: Path, data_dir: Path, log: Callable[[str], None]
) -> BackgroundSync | None:
    """For ``mltcourse serve``: with ``[xapi] lrs`` in the data folder's settings, a started
    BackgroundSync (it says where it sends); None without one. A bad setting raises
    ValueError with the reason, before anything is served."""
    from ..store.course_cache import load_course_cached
    from .lrs import shown, statements_url
    from .xapi_settings import load_xapi_config

    config = load_xapi_config(data_dir)
    if not config.lrs:
        return None
    statements_url(config.lrs)
    root, data = Path(content_root), Path(data_dir)
    sync = BackgroundSync(lambda: load_course_cached(root, data / "cache"), data, config, log)
    sync.start()
    log(f"sending xAPI statements to {shown(config.lrs)} every {sync.interval:g} s")
    return sync
