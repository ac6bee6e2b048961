"""Where a navigation target leads: the app's own link router.

``lesson:MODULE#ANCHOR`` opens a lesson section, ``scenario:ID`` a scenario, ``term:TERM`` the
glossary, ``app:ACTION`` an app action; a web address opens only after the learner confirms.
Anything else (files, other schemes) is not followed.

A lesson or a scenario records the learner's progress, so it opens only through here, after
``CourseApp.with_learner`` has the learner (asking who is studying if nobody is chosen yet),
and it is given that learner: no screen reads ``app.learner`` for itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import re

    from ..store.progress import Learner
    from .app import CourseApp


def route(app: CourseApp, target: str) -> None:
    scheme, _, rest = target.partition(":")
    if scheme == "app":
        app.call_later(app.run_action, rest)  # run_action is a coroutine: schedule it
    elif scheme == "lesson":
        app.with_learner(lambda learner: open_lesson(app, learner, rest))
    elif scheme == "scenario":
        app.with_learner(lambda learner: play(app, learner, rest))
    elif scheme == "term":
        show_term(app, rest)
    elif scheme in ("http", "https"):
        confirm_web(app, target)
    else:
        app.bell()


def open_lesson(
    app: CourseApp, learner: Learner, reference: str, highlight: re.Pattern[str] | None = None
) -> None:
    """The lesson section ``MODULE#ANCHOR``, with the words a search matched marked."""
    from .screens.lesson import LessonScreen

    module_id, _, anchor = reference.partition("#")
    if app.course is None:
        return
    if app.course.module(module_id) is None:
        app.notify(f"There is no lesson {module_id!r} in this course.", markup=False)
        return
    screen = app.screen
    if isinstance(screen, LessonScreen) and screen.module_id == module_id:
        screen.show_anchor(anchor or "overview", highlight)
    else:
        lesson = LessonScreen(app.course, learner, module_id, anchor or "overview", highlight)
        app.push_screen(lesson)


def play(app: CourseApp, learner: Learner, scenario_id: str) -> None:
    from .screens.player import PlayerScreen

    if app.course is None:
        return
    if scenario_id not in app.course.scenarios:
        app.notify(
            f"The scenario {scenario_id!r} is not available (see content problems: e on the map).",
            markup=False,
            severity="warning",
        )
        return
    screen = app.screen
    if isinstance(screen, PlayerScreen) and screen.scenario.id == scenario_id:
        return  # open already (Enter pressed twice on the list)
    app.push_screen(PlayerScreen(app.course, learner, scenario_id))


def show_term(app: CourseApp, term: str, highlight: re.Pattern[str] | None = None) -> None:
    from .screens.glossary import GlossaryScreen

    if app.course is None:
        return
    found = [t for t in app.course.glossary if t.term == term]
    app.push_screen(GlossaryScreen(app.course.glossary, found, highlight))


def confirm_web(app: CourseApp, url: str) -> None:
    from .screens.confirm import ConfirmScreen

    def answered(yes: bool | None) -> None:
        if yes:
            app.open_url(url)

    app.push_screen(ConfirmScreen("Open this page in your web browser?", url), answered)
