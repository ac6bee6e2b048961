"""Search in the app: the key and the palette open it, typing lists results, Enter opens the
lesson page with the words marked, a scene read-only, a term in the glossary."""

from __future__ import annotations

import asyncio

from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from apptest import FIXTURE_COURSE, screen_text, start, wait_until
from mltcourse.tui.app import create_app
from mltcourse.tui.commands import CourseCommands
from mltcourse.tui.highlight import MARK_STYLE
from mltcourse.tui.screens.glossary import GlossaryScreen
from mltcourse.tui.screens.help import HelpScreen
from mltcourse.tui.screens.lesson import LessonScreen
from mltcourse.tui.screens.player import PlayerScreen
from mltcourse.tui.screens.scene_view import SceneView
from mltcourse.tui.screens.search import SearchScreen
from test_app_crashes import burst


def marked_texts(screen) -> list[str]:
    """The plain text of every widget on the screen that holds a search mark."""
    out = []
    for widget in screen.query(".-search-hit"):
        content = widget.content
        if any(span.style == MARK_STYLE for span in content.spans):
            out.append(content.plain)
    return out


async def search_for(app, pilot, text: str) -> None:
    await pilot.press("slash")
    await wait_until(pilot, lambda: isinstance(app.screen, SearchScreen))
    await wait_until(pilot, lambda: app.screen.index is not None)
    await pilot.press(*text)
    await wait_until(pilot, lambda: app.screen.results and "match" in screen_text(app))


async def test_the_key_opens_search_and_enter_opens_the_lesson_page_marked(tmp_path):
    app = create_app(FIXTURE_COURSE, tmp_path / "data", learner="Ana")
    async with app.run_test(size=(100, 30)) as pilot:
        await start(app, pilot)
        await search_for(app, pilot, "front")
        text = screen_text(app)
        assert "Lesson  Basics of peacebuilding › Why it matters" in text
        assert "host government in front" in text  # the snippet
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, LessonScreen))
        screen = app.screen
        await wait_until(pilot, lambda: marked_texts(screen))
        assert screen.page.anchor == "why-it-matters"
        assert any("host government in front" in text for text in marked_texts(screen))
        # the mark itself covers the matched word only
        (widget,) = screen.query(".-search-hit")
        spans = [s for s in widget.content.spans if s.style == MARK_STYLE]
        assert [widget.content.plain[s.start : s.end] for s in spans] == ["front"]
        # turning the page leaves the marks behind
        await pilot.press("n")
        await wait_until(pilot, lambda: screen.page.anchor == "who-leads")
        await pilot.pause(0.2)
        assert marked_texts(screen) == []


async def test_the_next_search_offers_the_last_query_again(tmp_path):
    app = create_app(FIXTURE_COURSE, tmp_path / "data", learner="Ana")
    async with app.run_test(size=(100, 30)) as pilot:
        await start(app, pilot)
        await search_for(app, pilot, "mandate")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, LessonScreen))
        await pilot.press("slash")  # from the lesson page
        await wait_until(pilot, lambda: isinstance(app.screen, SearchScreen))
        await wait_until(pilot, lambda: app.screen.results)
        assert app.screen.query_one("#search-query").value == "mandate"


async def test_a_scene_opens_read_only_and_enter_plays_from_the_start(tmp_path):
    app = create_app(FIXTURE_COURSE, tmp_path / "data", learner="Ana")
    async with app.run_test(size=(100, 30)) as pilot:
        await start(app, pilot)
        await search_for(app, pilot, "dry season")
        assert "Scenario  The wells offer › Six weeks later" in screen_text(app)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, SceneView))
        text = screen_text(app)
        assert "The dry season arrives" in text and "Review the district plan" in text
        assert "Joint review keeps roles clear" not in text  # feedback is never shown here
        assert any("dry season" in t.lower() for t in _marked_statics(app.screen))
        await pilot.press("slash")  # back to the same results (as Esc is)
        await wait_until(pilot, lambda: isinstance(app.screen, SearchScreen))
        assert [type(s).__name__ for s in app.screen_stack] == ["CourseMapScreen", "SearchScreen"]
        await wait_until(pilot, lambda: app.screen.results)
        assert app.screen.query_one("#search-query").value == "dry season"
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, SceneView))
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, PlayerScreen))
        assert app.screen.scenario.id == "wells"
        assert app.store.finished_attempts(app.learner.id, "wells") == []


def _marked_statics(screen) -> list[str]:
    return [
        static.content.plain
        for static in screen.query("Static")
        if hasattr(static.content, "spans")
        and any(span.style == MARK_STYLE for span in static.content.spans)
    ]


async def test_a_glossary_result_opens_the_term(tmp_path):
    app = create_app(FIXTURE_COURSE, tmp_path / "data", learner="Ana")
    async with app.run_test(size=(100, 30)) as pilot:
        await start(app, pilot)
        await search_for(app, pilot, "quick-")
        await pilot.press("down", "i")  # a letter typed in the list goes on with the query
        await wait_until(pilot, lambda: app.screen.query_one("#search-query").value == "quick-i")
        await pilot.press(*"mpact")
        await wait_until(pilot, lambda: app.screen.results[0].ref == "QIP")
        await pilot.press("down", "enter")  # to the list, then open its first entry
        await wait_until(pilot, lambda: isinstance(app.screen, GlossaryScreen))
        assert "A small, fast project" in screen_text(app)
        (entry,) = _marked_statics(app.screen)
        assert entry.startswith("QIP  Quick-impact project")


async def test_nothing_found_says_so_and_odd_input_is_only_text(tmp_path):
    app = create_app(FIXTURE_COURSE, tmp_path / "data", learner="Ana")
    async with app.run_test(size=(100, 30)) as pilot:
        await start(app, pilot)
        await pilot.press("slash")
        await wait_until(pilot, lambda: isinstance(app.screen, SearchScreen))
        await wait_until(pilot, lambda: app.screen.index is not None)
        await pilot.press(*'NEAR("*')
        await wait_until(pilot, lambda: "Nothing in the course matches" in screen_text(app))
        await pilot.press("enter")  # nothing to open: the dialog stays
        assert isinstance(app.screen, SearchScreen)
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, SearchScreen))


async def test_the_palette_and_the_help_offer_search(tmp_path):
    app = create_app(FIXTURE_COURSE, tmp_path / "data", learner="Ana")
    async with app.run_test(size=(120, 60)) as pilot:
        await start(app, pilot)
        provider = CourseCommands(app.screen)
        hits = [hit async for hit in provider.search("search the course")]
        assert hits and hits[0].text == "Search the course"
        hits[0].command()
        await wait_until(pilot, lambda: isinstance(app.screen, SearchScreen))
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, SearchScreen))
        provider = CourseCommands(app.screen)  # a palette typed into: search for its words
        hits = [hit async for hit in provider.search("dry season")]
        assert hits[-1].text == "Search the course for “dry season”"
        hits[-1].command()
        await wait_until(pilot, lambda: isinstance(app.screen, SearchScreen))
        await wait_until(pilot, lambda: app.screen.results)
        assert app.screen.results[0].ref == "wells#follow-up"
        await pilot.press("escape")
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.pause(0.1)
        help_text = "\n".join(str(s.visual) for s in app.screen.query("VerticalScroll Static"))
        assert "/" in help_text and "Search the course" in help_text


async def test_fast_enters_open_one_result_once(tmp_path):
    app = create_app(FIXTURE_COURSE, tmp_path / "data", learner="Ana")
    async with app.run_test(size=(80, 24)) as pilot:
        await start(app, pilot)
        await search_for(app, pilot, "front")
        burst(app, ["enter", "enter", "enter"])
        await wait_until(pilot, lambda: isinstance(app.screen, LessonScreen))
        await pilot.pause(0.2)
        assert [type(s).__name__ for s in app.screen_stack] == ["CourseMapScreen", "LessonScreen"]
    assert not app.guard.failures


SEARCH_KEYS = st.sampled_from(
    ["slash", "enter", "escape", "down", "up", "tab", "backspace", "n", "p", "g", "m"]
    + list('aehorst *"(')
)


@settings(max_examples=12, deadline=None, phases=[Phase.generate])
@given(st.lists(st.lists(SEARCH_KEYS, min_size=1, max_size=8), max_size=6))
def test_any_keys_in_and_around_search_never_fail(tmp_path_factory, plan):
    """A bounded monkey over the search dialog, the pages and scenes it opens, and back."""
    data = tmp_path_factory.mktemp("data")

    async def run() -> list[BaseException]:
        app = create_app(FIXTURE_COURSE, data, learner="Ana")
        async with app.run_test(size=(80, 24)) as pilot:
            await start(app, pilot)
            await pilot.press("slash")
            for keys in plan:
                if not app.is_running:
                    break
                burst(app, keys)
                await pilot.pause()
            if app.is_running:
                await pilot.pause(0.2)
            failures = list(app.guard.failures)
            app._exception = None
        return failures

    assert asyncio.run(run()) == []


async def test_the_app_writes_the_index_beside_the_cache_after_loading(tmp_path):
    from mltcourse.store.course_cache import search_index_path

    data = tmp_path / "data"
    app = create_app(FIXTURE_COURSE, data, learner="Ana")
    async with app.run_test(size=(80, 24)) as pilot:
        await start(app, pilot)
        path = search_index_path(FIXTURE_COURSE, data / "cache")
        await wait_until(pilot, path.is_file)
