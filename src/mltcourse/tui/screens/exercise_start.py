"""Opening a group exercise from the app: straight away for ``mltcourse facilitate``, or
through the set-up dialog from the course map (f) or the command palette, which also lists
the finished exercises, so a hot wash lost to a crash can be had again."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from ...engine.exercise import ExerciseError, team_names
from ...store.exercises import (
    ExerciseStore,
    LiveExercise,
    find_to_resume,
    resume_exercise,
    start_exercise,
)
from .exercise_dialogs import ExercisePlan, ExerciseSetup
from .facilitate import FacilitateScreen

if TYPE_CHECKING:
    from ..app import CourseApp


def open_facilitation(
    app: CourseApp,
    scenario_id: str = "",
    teams: str = "",
    countdown: int = 0,
    new: bool = False,
    facilitator: str = "",
) -> None:
    """Start or resume an exercise: straight away when scenario and teams are given (the
    same teams on the same scenario resume the open exercise, or one just finished, unless
    ``new``; a ``countdown`` given then takes effect), else ask."""
    if app.course is None or app.store is None:
        app.notify("The course is still loading.", timeout=3)
        return
    course, store = app.course, ExerciseStore(app.store)
    facilitator = facilitator or (app.learner.name if app.learner else "")
    if not (scenario_id and teams):

        def chosen(answer: ExercisePlan | int | None) -> None:
            if isinstance(answer, ExercisePlan):
                plan = answer
                _open(app, store, plan.scenario, plan.teams, plan.countdown, True, facilitator)
            elif isinstance(answer, int):
                record = store.record(answer)
                scenario = course.scenarios.get(record.scenario) if record else None
                if scenario is None:
                    app.notify("That exercise's scenario is not in the course.", severity="error")
                    return
                _show(app, resume_exercise(store, answer, scenario))

        app.push_screen(ExerciseSetup(course, store.reopenable()), chosen)
        return
    try:
        names = team_names(teams)
    except ExerciseError as exc:
        app.notify(str(exc), markup=False, severity="error")
        return
    _open(app, store, scenario_id, names, countdown or None, new, facilitator)


def _open(
    app: CourseApp,
    store: ExerciseStore,
    scenario_id: str,
    names: tuple[str, ...],
    countdown: int | None,
    new: bool,
    facilitator: str,
) -> None:
    assert app.course is not None
    scenario = app.course.scenarios.get(scenario_id)
    if scenario is None:
        app.notify(f"There is no scenario {scenario_id!r}.", markup=False, severity="error")
        return
    existing = None if new else find_to_resume(store, scenario.id, names)
    if existing is not None:
        live = resume_exercise(store, existing, scenario, countdown)
        app.notify("Resumed the exercise where it was left.", timeout=4)
    else:
        live = start_exercise(store, scenario, names, countdown, facilitator)
    _show(app, live)


def _show(app: CourseApp, live: LiveExercise) -> None:
    """The console; a finished exercise says how to get its hot wash, or a fresh start."""
    if live.exercise.finished:
        record = live.store.record(live.id)
        ended = datetime.fromtimestamp(record.updated).strftime("%d %b %H:%M") if record else ""
        note = (
            f"Exercise {live.id} finished ({ended}): h opens its hot wash and export. "
            "To run it again from the start: mltcourse facilitate … --new."
        )
        live.note = f"{live.note} {note}" if live.note else note
    assert app.course is not None
    app.push_screen(FacilitateScreen(app.course, live))
