"""The course map, lessons and knowledge checks, driven with Textual's Pilot."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from apptest import FIXTURE_COURSE, screen_text, start, toasts, wait_until
from mltcourse.store import ProgressStore
from mltcourse.tui.app import create_app
from mltcourse.tui.screens.confirm import ConfirmScreen
from mltcourse.tui.screens.glossary import GlossaryScreen
from mltcourse.tui.screens.lesson import LessonScreen


def page_source(app) -> str:
    """The Markdown of the lesson page on screen, in the order it is shown."""
    return "\n".join(m.source for m in app.screen.query("#page Markdown"))


def lesson_page(app) -> str:
    return app.screen.page.anchor if isinstance(app.screen, LessonScreen) else ""


async def test_the_map_lists_lessons_in_order_with_progress(tmp_path):
    data_dir = tmp_path / "data"
    app = create_app(FIXTURE_COURSE, data_dir, learner="Ana")
    async with app.run_test(size=(100, 30)) as pilot:
        await start(app, pilot)
        text = screen_text(app)
        assert text.index("1. Basics of peacebuilding") < text.index("2. Secure relief")
        assert "checks 0/2" in text and "scenarios 0/1" in text
        assert "Start: Basics of peacebuilding" in text
        assert app.screen.query_one("#problems").display is False


def hold_course_load(monkeypatch, data_dir):
    """Warm the cache (so the map draws from the outline), then hold the full course load
    back until the returned event is set."""
    import threading

    from mltcourse.store import course_cache

    course_cache.load_course_cached(FIXTURE_COURSE, data_dir / "cache")
    release = threading.Event()
    real_load = course_cache.load_course_cached

    def held_load(*args):
        release.wait(10)
        return real_load(*args)

    monkeypatch.setattr(course_cache, "load_course_cached", held_load)
    return release


async def test_the_map_is_drawn_from_the_outline_while_the_course_loads(tmp_path, monkeypatch):
    """With a warm cache the map is up before the course is; a lesson picked in that moment
    opens as soon as the course is in, rather than being lost."""
    data_dir = tmp_path / "data"
    release = hold_course_load(monkeypatch, data_dir)
    app = create_app(FIXTURE_COURSE, data_dir, learner="Ana")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: "1. Basics of peacebuilding" in screen_text(app))
        assert app.course is None and "checks 0/2" in screen_text(app)
        await pilot.press("down", "enter")  # the second lesson, before the course is in
        await pilot.pause(0.1)
        assert not isinstance(app.screen, LessonScreen)
        release.set()
        await wait_until(pilot, lambda: isinstance(app.screen, LessonScreen))
        assert app.screen.module_id == "relief"


async def test_the_collector_turned_off_for_start_up_is_back_on_once_the_map_is_up(tmp_path):
    import gc

    app = create_app(FIXTURE_COURSE, tmp_path / "data", learner="Ana")
    gc.disable()  # as cli.py does before launching the app
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await start(app, pilot)
            assert gc.isenabled()
            assert gc.get_freeze_count() > 0  # start-up's objects were set aside first
    finally:
        gc.enable()
        gc.unfreeze()


async def test_a_long_page_fills_in_behind_its_first_part_and_never_into_the_next(tmp_path):
    from apptest import course_copy

    root = course_copy(tmp_path)
    lesson = root / "modules" / "01-basics" / "lesson.md"
    paragraphs = "\n\n".join(f"Paragraph {n} of the long part. " * 12 for n in range(60))
    text = lesson.read_text(encoding="utf-8")
    lesson.write_text(text.replace("## Who leads", paragraphs + "\n\n## Who leads"), "utf-8")
    app = create_app(root, tmp_path / "data", learner="Ana")
    async with app.run_test(size=(100, 30)) as pilot:
        await start(app, pilot)
        app.go("lesson:basics#why-it-matters")
        await wait_until(pilot, lambda: lesson_page(app) == "why-it-matters")
        await pilot.press("n")  # at once: most of the long page is not mounted yet
        await wait_until(pilot, lambda: lesson_page(app) == "who-leads")
        await pilot.pause(0.5)  # time for any late chunk of the long page to arrive
        assert "long part" not in page_source(app)
        await pilot.press("p")
        await wait_until(pilot, lambda: lesson_page(app) == "why-it-matters")
        await wait_until(pilot, lambda: "Paragraph 59 of" in page_source(app))  # all of it
        page = page_source(app)
        assert (
            page.index("Paragraph 0 of")
            < page.index("Paragraph 30 of")
            < page.index("Paragraph 59 of")
        )  # in order
        assert app.screen.query(".page-footer")  # and the footer still closes the page


async def test_closed_lessons_are_let_go_when_the_learner_is_back_on_the_map(tmp_path):
    """Textual memoises a style helper per widget (Textualize/textual#6665), which kept every
    closed screen's painted lines alive; the map empties that memo when it comes back."""
    import gc

    from textual._styles_cache import StylesCache

    def style_caches() -> int:
        gc.collect()
        return sum(1 for o in gc.get_objects() if isinstance(o, StylesCache))

    app = create_app(FIXTURE_COURSE, tmp_path / "data", learner="Ana")
    async with app.run_test(size=(100, 30)) as pilot:
        await start(app, pilot)
        counts = []
        for _ in range(4):
            app.go("lesson:relief#overview")
            await wait_until(pilot, lambda: isinstance(app.screen, LessonScreen))
            await pilot.pause(0.2)
            await pilot.press("escape")
            await wait_until(pilot, lambda: not isinstance(app.screen, LessonScreen))
            await pilot.pause(0.1)
            counts.append(style_caches())
        assert counts[-1] == counts[0], counts  # nothing of the closed screens is kept


async def test_open_a_lesson_turn_pages_and_come_back_marked_read(tmp_path):
    data_dir = tmp_path / "data"
    app = create_app(FIXTURE_COURSE, data_dir, learner="Ana")
    async with app.run_test(size=(100, 30)) as pilot:
        await start(app, pilot)
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Peace lasts when the country owns it" in screen_text(app))
        for expected in ("objectives", "why-it-matters", "who-leads", "activities", "benchmarks"):
            await pilot.press("n")
            await wait_until(pilot, lambda e=expected: lesson_page(app) == e)
        await wait_until(pilot, lambda: "Short term" in screen_text(app))
        await pilot.press("escape")
        await wait_until(pilot, lambda: "✓ read" in screen_text(app))
        assert "Continue where you left off: Basics of peacebuilding" in screen_text(app)
    store = ProgressStore.in_dir(data_dir)
    assert store.lessons_read(store.learner("Ana").id) == {"basics"}
    store.close()


async def test_lesson_links_route_inside_the_app_and_web_links_ask_first(tmp_path):
    data_dir = tmp_path / "data"
    app = create_app(FIXTURE_COURSE, data_dir, learner="Ana")
    opened: list[str] = []
    app.open_url = lambda url, **_: opened.append(url)
    async with app.run_test(size=(100, 30)) as pilot:
        await start(app, pilot)
        app.go("lesson:basics#who-leads")
        await wait_until(pilot, lambda: lesson_page(app) == "who-leads")
        app.screen.follow("lesson:relief#risks")  # what a click on the link does
        await wait_until(pilot, lambda: lesson_page(app) == "risks")
        assert app.screen.module_id == "relief"
        app.screen.follow("../../etc/passwd")  # not a link the app follows
        await pilot.pause(0.1)
        assert lesson_page(app) == "risks"
        app.go("lesson:relief#working-together")
        await wait_until(pilot, lambda: lesson_page(app) == "working-together")
        await pilot.press("l")  # the keyboard way to the page's links
        await wait_until(
            pilot, lambda: "UN guidance" in screen_text(app) or "Web" in screen_text(app)
        )
        await pilot.press("down", "enter")  # the second link: the web page
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert opened == []
        await pilot.press("y")
        await wait_until(pilot, lambda: opened == ["https://example.org/guidance"])


async def test_a_risk_anchor_opens_the_risks_page_at_that_risk(tmp_path):
    data_dir = tmp_path / "data"
    app = create_app(FIXTURE_COURSE, data_dir, learner="Ana")
    async with app.run_test(size=(100, 30)) as pilot:
        await start(app, pilot)
        app.go("lesson:relief#risk-poor-coordination")
        await wait_until(pilot, lambda: lesson_page(app) == "risks")
        await wait_until(pilot, lambda: "The mission acts without asking" in screen_text(app))


async def test_answer_a_check_and_get_elaborated_feedback_that_is_recorded(tmp_path):
    data_dir = tmp_path / "data"
    app = create_app(FIXTURE_COURSE, data_dir, learner="Ana")
    async with app.run_test(size=(100, 30)) as pilot:
        await start(app, pilot)
        app.go("lesson:basics#checks")
        await wait_until(pilot, lambda: "Check 1 of 2" in screen_text(app))
        await pilot.press("2")  # the wrong answer
        await wait_until(pilot, lambda: "✗ Not quite." in screen_text(app))
        text = screen_text(app)
        assert "The mission may help where it alone has access" in text  # why it is wrong
        assert "The right answer: The host government" in text
        await pilot.press("r", "1")
        await wait_until(pilot, lambda: "✓ Right." in screen_text(app))
        await pilot.press("right_square_bracket")
        await wait_until(pilot, lambda: "Check 2 of 2" in screen_text(app))
    store = ProgressStore.in_dir(data_dir)
    ana = store.learner("Ana").id
    assert store.checks_passed(ana) == {"basics": {"who-leads"}}
    assert store.last_answers(ana, "basics") == {"who-leads": ([0], True)}
    store.close()


async def test_a_multiple_answer_check_is_submitted_after_toggling(tmp_path):
    data_dir = tmp_path / "data"
    app = create_app(FIXTURE_COURSE, data_dir, learner="Ana")
    async with app.run_test(size=(100, 30)) as pilot:
        await start(app, pilot)
        app.go("lesson:relief#checks")
        await wait_until(pilot, lambda: "Check my answer" in screen_text(app))
        await pilot.press("1", "2")
        assert "☑" in screen_text(app) and "✓ Right." not in screen_text(app)
        await pilot.press("a")
        await wait_until(pilot, lambda: "✓ Right." in screen_text(app))


async def test_check_keys_work_after_scrolling_to_the_feedback(tmp_path):
    app = create_app(FIXTURE_COURSE, tmp_path / "data", learner="Ana")
    async with app.run_test(size=(80, 24)) as pilot:
        await start(app, pilot)
        app.go("lesson:basics#checks")
        await wait_until(pilot, lambda: "Check 1 of 2" in screen_text(app))
        await pilot.press("2")
        await wait_until(pilot, lambda: "✗ Not quite." in screen_text(app))
        feedback = app.screen.query_one("#check-feedback")
        page = app.screen.query_one("#page")
        await wait_until(pilot, lambda: page.region.contains_region(feedback.region))
        await pilot.press("tab")  # the focus leaves the options, as a reader's Tab does
        assert not app.screen.query_one("#check-options").has_focus
        await pilot.press("pageup")  # page keys scroll the page whatever has focus
        await pilot.press("right_square_bracket")
        await wait_until(pilot, lambda: "Check 2 of 2" in screen_text(app))


async def test_arrows_switch_benchmark_tiers_and_space_ticks_a_box(tmp_path):
    app = create_app(FIXTURE_COURSE, tmp_path / "data", learner="Ana")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await start(app, pilot)
        app.go("lesson:basics#benchmarks")
        await wait_until(pilot, lambda: "National recovery plan drafted." in screen_text(app))
        await pilot.press("right")
        await wait_until(pilot, lambda: "Ministries deliver services" in screen_text(app))
        assert lesson_page(app) == "benchmarks"
        await pilot.press("right", "right")  # past the last tier: the next page
        await wait_until(pilot, lambda: lesson_page(app) != "benchmarks")
        app.go("lesson:relief#checks")
        await wait_until(pilot, lambda: "Check my answer" in screen_text(app))
        await pilot.press("a")  # nothing ticked: said, not ignored
        await wait_until(pilot, lambda: "Tick at least one answer" in toasts(app))
        await pilot.press("space")
        assert "☑" in screen_text(app)


async def test_glossary_lookup_offers_the_terms_on_the_page_first(tmp_path):
    data_dir = tmp_path / "data"
    app = create_app(FIXTURE_COURSE, data_dir, learner="Ana")
    async with app.run_test(size=(100, 30)) as pilot:
        await start(app, pilot)
        app.go("lesson:relief#humanitarian-space")
        await wait_until(pilot, lambda: lesson_page(app) == "humanitarian-space")
        await pilot.press("g")
        await wait_until(pilot, lambda: isinstance(app.screen, GlossaryScreen))
        assert [t.term for t in app.screen.in_focus] == ["QIP"]
        await wait_until(pilot, lambda: "Quick-impact project" in screen_text(app))


async def test_typing_in_the_glossary_filters_terms_and_definitions_whatever_has_focus(tmp_path):
    app = create_app(FIXTURE_COURSE, tmp_path / "data", learner="Ana")
    async with app.run_test(size=(100, 30)) as pilot:
        await start(app, pilot)
        await pilot.press("g")
        await wait_until(pilot, lambda: isinstance(app.screen, GlossaryScreen))
        assert app.screen.query_one("#glossary-terms").has_focus
        await pilot.press(*"military")  # no Tab first: the letters go to the filter
        assert app.screen.query_one(Input).value == "military"
        # CMCoord by its name, then the term whose definition uses the word
        await wait_until(pilot, lambda: [t.term for t in app.screen._shown] == ["CMCoord"])
        await pilot.press(*["backspace"] * 8, *"head")
        await wait_until(pilot, lambda: [t.term for t in app.screen._shown] == ["SRSG"])


@pytest.mark.parametrize("key", ["q", "ctrl+q", "ctrl+c"])
async def test_the_app_can_be_quit_while_the_course_is_still_loading(tmp_path, monkeypatch, key):
    data_dir = tmp_path / "data"
    release = hold_course_load(monkeypatch, data_dir)
    app = create_app(FIXTURE_COURSE, data_dir, learner="Ana")
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await wait_until(pilot, lambda: "1. Basics of peacebuilding" in screen_text(app))
            assert app.course is None
            await pilot.press(key)
            await wait_until(pilot, lambda: app._exit_renderables is not None or not app.is_running)
    finally:
        release.set()
    assert app.return_code == 0
