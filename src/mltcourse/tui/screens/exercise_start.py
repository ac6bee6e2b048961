"""Opening a group exercise from the app: straight away for ``mltcourse facilitate``, or
through the set-up dialog from the course map (f) or the command palette."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...engine.exercise import ExerciseError, team_names
from ...store.exercises import (
    ExerciseStore,
    find_open,
    resume_exercise,
    start_exercise,
)
from .exercise_dialogs import ExercisePlan, ExerciseSetup
from .facilitate import FacilitateScreen

if TYPE_CHECKING:
    from ..app import CourseApp


def open_facilitation(
    app: CourseApp, scenario_id: str = "", teams: str = "", countdown: int = 0, new: bool = False
) -> None:
    """Start or resume an exercise: straight away when scenario and teams are given (the
    same teams on the same scenario resume the open exercise unless ``new``), else ask."""
    if app.course is None or app.store is None:
        app.notify("The course is still loading.", timeout=3)
        return
    course, store = app.course, ExerciseStore(app.store)
    if not (scenario_id and teams):

        def chosen(answer: ExercisePlan | int | None) -> None:
            if isinstance(answer, ExercisePlan):
                _open(app, store, answer.scenario, answer.teams, answer.countdown, True)
            elif isinstance(answer, int):
                record = store.record(answer)
                scenario = course.scenarios.get(record.scenario) if record else None
                if scenario is None:
                    app.notify("That exercise's scenario is not in the course.", severity="error")
                    return
                live = resume_exercise(store, answer, scenario)
                app.push_screen(FacilitateScreen(course, live))

        app.push_screen(ExerciseSetup(course, store.open_exercises()), chosen)
        return
    try:
        names = team_names(teams)
    except ExerciseError as exc:
        app.notify(str(exc), markup=False, severity="error")
        return
    _open(app, store, scenario_id, names, countdown or None, new)


def _open(
    app: CourseApp,
    store: ExerciseStore,
    scenario_id: str,
    names: tuple[str, ...],
    countdown: int | None,
    new: bool,
) -> None:
    assert app.course is not None
    scenario = app.course.scenarios.get(scenario_id)
    if scenario is None:
        app.notify(f"There is no scenario {scenario_id!r}.", markup=False, severity="error")
        return
    existing = None if new else find_open(store, scenario.id, names)
    if existing is not None:
        live = resume_exercise(store, existing, scenario)
        app.notify("Resumed the exercise where it was left.", timeout=4)
    else:
        live = start_exercise(store, scenario, names, countdown)
    app.push_screen(FacilitateScreen(app.course, live))
