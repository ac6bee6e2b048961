"""Search from anywhere in the app (``/`` or the palette): the search dialog, then the page,
term or scene a result names, the words it matched marked there.

A lesson result opens the lesson at its section; a glossary result the glossary at its term;
a scenario result the scene, read-only (``screens/scene_view.py``), from which Enter plays the
scenario from its start and Esc comes back to the same results. The last query is offered
again by the next search, so ``/`` after reading a result returns to the list."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..content.search import SearchResult
    from ..store.search_index import SearchIndex
    from .app import CourseApp
    from .screens.search import SearchOutcome


def open_search(app: CourseApp) -> None:
    from .screens.search import SearchScreen

    if app.course is None:
        app.notify("The course is still loading; search in a moment.", markup=False, timeout=3)
        return
    if any(isinstance(screen, SearchScreen) for screen in app.screen_stack):
        return  # already open (beneath a scene it opened, say)
    course, root, cache = app.course, app.content_root, app.data_dir / "cache"

    def open_index() -> SearchIndex:
        """The index beside the course cache, built there now if it is missing (a worker)."""
        from ..store.course_cache import search_index_path
        from ..store.search_index import index_for

        return index_for(course, root, search_index_path(root, cache))

    def done(outcome: SearchOutcome | None) -> None:
        if outcome is None:
            return
        app.search_query = outcome.query
        if outcome.result is not None:
            open_result(app, outcome.result)

    app.push_screen(SearchScreen(open_index, app.search_query), done)


def open_result(app: CourseApp, result: SearchResult) -> None:
    from ..content.search import GLOSSARY, LESSON, highlight_pattern
    from .navigation import open_lesson, show_term

    course = app.course
    if course is None:
        return
    pattern = highlight_pattern(result.matches)
    if result.kind == LESSON:
        app.with_learner(lambda learner: open_lesson(app, learner, result.ref, pattern))
    elif result.kind == GLOSSARY:
        show_term(app, result.ref, pattern)
    else:
        from .screens.scene_view import PLAY, SceneView

        scenario_id, _, scene_id = result.ref.partition("#")
        scenario = course.scenarios.get(scenario_id)
        if scenario is None:
            app.notify(f"The scenario {scenario_id!r} is not available.", markup=False)
            return

        def read(choice: str | None) -> None:
            if choice == PLAY:
                app.go(f"scenario:{scenario_id}")
            else:
                open_search(app)  # back to the same results

        app.push_screen(SceneView(scenario, scene_id, pattern), read)
