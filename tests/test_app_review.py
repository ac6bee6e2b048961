"""Checks that tell the learner where they stand, and the review session, in the real app."""

from __future__ import annotations

from textual.widgets import Static

from apptest import FIXTURE_COURSE, screen_text, start, wait_until
from mltcourse.store import ProgressStore
from mltcourse.store import review as book
from mltcourse.tui.app import create_app
from mltcourse.tui.screens.review import ReviewScreen
from mltcourse.tui.widgets.checks import CheckPanel


def panel(app) -> CheckPanel:
    return app.screen.query_one(CheckPanel)


async def open_checks(app, pilot, module: str = "basics") -> None:
    app.go(f"lesson:{module}#checks")
    await wait_until(pilot, lambda: bool(app.screen.query(CheckPanel)))
    await pilot.pause()


async def test_missed_check_summary_then_review_from_the_map(tmp_path):
    """Miss check 1, fix it by retrying (practice), answer check 2; ] shows the summary (not
    check 1 again) with the first-attempt score and the missed check's section. Back on the
    map, "Review: 1 due" opens the session; answering reschedules the item."""
    data_dir = tmp_path / "data"
    app = create_app(FIXTURE_COURSE, data_dir, learner="Ana")
    async with app.run_test(size=(110, 36)) as pilot:
        await start(app, pilot)
        assert "Review:" not in screen_text(app)
        await open_checks(app, pilot)
        await pilot.press("2")  # wrong: the peace operation
        await wait_until(pilot, lambda: "Not quite" in screen_text(app))
        await pilot.press("r", "1")  # the retry after the answer was shown: practice
        await wait_until(pilot, lambda: "✓ Right." in screen_text(app))
        assert "0 right at the first attempt" in screen_text(app)
        await pilot.press("right_square_bracket", "1")  # tier check: short term, right
        await wait_until(pilot, lambda: "1 right at the first attempt" in screen_text(app))
        await pilot.press("right_square_bracket")
        await wait_until(pilot, lambda: panel(app).summary)
        text = screen_text(app)
        assert "First-attempt score: 1 of 2." in text
        assert "Check 1 of 2" not in text  # no silent wrap to the first check
        assert "✗ Check 1: Who carries the first duty" in text
        assert "read again: Who leads" in text
        assert "Review these now" in text

        await pilot.press("m")
        await wait_until(pilot, lambda: "Review: 1 due" in screen_text(app))
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen))
        await wait_until(pilot, lambda: "Review 1 of 1" in screen_text(app))
        screen = app.screen
        assert screen.prompt is not None and screen.prompt.order == (1, 0)  # a new order
        assert "1. The peace operation" in screen_text(app)
        await pilot.press("2")  # the host government, now in second place
        await wait_until(pilot, lambda: "Graded good" in screen_text(app))

    store = ProgressStore.in_dir(data_dir)
    try:
        learner = store.learner("Ana")
        (item,) = book.lesson_checks(store, learner.id, "basics")
        reviews = book.reviews_of(store, item.id)
        assert [rating for rating, *_ in reviews] == [3]
        assert item.due > reviews[0][2] + 86400  # Good on a new card: more than a day away
        assert book.count_due(store, learner.id, reviews[0][2]) == (0, 1)
    finally:
        store.close()


async def test_review_these_now_from_the_summary_and_a_missed_decision(tmp_path):
    """ "Review these now" reviews the lesson's missed checks at once; a decision that was
    neither best nor defensible comes back as its scene with the open options."""
    data_dir = tmp_path / "data"
    app = create_app(FIXTURE_COURSE, data_dir, learner="Ana")
    async with app.run_test(size=(110, 36)) as pilot:
        await start(app, pilot)
        await open_checks(app, pilot, "relief")
        check = panel(app).check
        wrong = next(n for n, o in enumerate(check.options, 1) if not o.correct)
        await pilot.press(str(wrong), "a")
        await wait_until(pilot, lambda: "Not quite" in screen_text(app))
        for _ in panel(app).module.checks[1:]:
            await pilot.press("right_square_bracket")
        await pilot.press("right_square_bracket")
        await wait_until(pilot, lambda: panel(app).summary)
        await pilot.press("v")
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen))
        assert app.screen.module == "relief" and len(app.screen.items) == 1
        await pilot.press("escape", "m")

        store = app.store
        learner = app.learner
        app.go("scenario:wells")
        await wait_until(pilot, lambda: "Training" in screen_text(app))
        await pilot.press("enter")  # training mode
        await wait_until(pilot, lambda: "Approve the wells" in screen_text(app))
        await pilot.press("1")  # approve as proposed: neither best nor defensible
        await wait_until(
            pilot,
            lambda: [i.kind for i in book.due_items(store, learner.id, 2e9)].count("decision"),
        )
        (item,) = [i for i in book.due_items(store, learner.id, 2e9) if i.kind == "decision"]
        assert (item.scenario, item.item, set(item.options)) == (
            "wells",
            "offer",
            {"approve", "cmcoord"},
        )
        await pilot.press("m")
        await wait_until(pilot, lambda: "Review: 2 due" in screen_text(app))
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen))
        screen = app.screen
        while screen.prompt is not None and screen.prompt.kind != "decision":
            await pilot.press("1")
            if screen.prompt.multiple:
                await pilot.press("a")
            await wait_until(pilot, lambda: screen.answered)
            await pilot.press("n")
        assert screen.prompt is not None
        assert "The contingent commander proposes wells" in screen_text(app)
        best = screen.prompt.order.index(1) + 1  # cmcoord's place in the new order
        await pilot.press(str(best))
        await wait_until(pilot, lambda: "The doctrine-best option." in screen_text(app))
        assert "Slower, but humanitarians keep their distance" in screen_text(app)
        assert [r for r, *_ in book.reviews_of(store, item.id)] == [3]


async def test_the_daily_limit_holds_the_session_back(tmp_path):
    data_dir = tmp_path / "data"
    store = ProgressStore.in_dir(data_dir)
    learner = store.learner("Ana")
    store.record_answer(learner.id, "basics", "who-leads", [1], False)
    store.record_answer(learner.id, "basics", "tier-plan", [1], False)
    book.set_daily_limit(store, learner.id, 1)
    store.close()
    app = create_app(FIXTURE_COURSE, data_dir, learner="Ana")
    async with app.run_test(size=(110, 36)) as pilot:
        await start(app, pilot)
        await wait_until(pilot, lambda: "Review: 2 due" in screen_text(app))
        await pilot.press("r")
        await wait_until(pilot, lambda: "Review 1 of 1" in screen_text(app))
        await pilot.press("1")
        await wait_until(pilot, lambda: app.screen.answered)
        await pilot.press("n")
        await wait_until(pilot, lambda: "Session done: 1 reviewed" in screen_text(app))
        assert "Still due: 1 (today's limit: 1, 1 done)" in screen_text(app)
        await pilot.press("escape")
        await wait_until(pilot, lambda: "today's limit of 1 reached" in screen_text(app))
        await pilot.press("r", "l")
        await wait_until(pilot, lambda: bool(app.screen.query("#limit")))
        await pilot.press("backspace", "x", "enter")
        await wait_until(pilot, lambda: "whole number" in screen_text(app))
        await pilot.press("backspace", "3", "enter")
        await wait_until(pilot, lambda: "Review 1 of 1" in screen_text(app))
        assert book.daily_limit(app.store, app.learner.id) == 3


async def test_help_lists_the_review_keys(tmp_path):
    app = create_app(FIXTURE_COURSE, tmp_path / "data", learner="Ana")
    async with app.run_test(size=(110, 60)) as pilot:
        await start(app, pilot)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: "Esc closes" in screen_text(app))
        shown = "\n".join(str(s.content) for s in app.screen.query(Static))
        review = shown[shown.index("Review (r on the map)") :]
        assert "Next item" in review and "Daily limit" in review
        course_map = shown[shown.index("Course map") : shown.index("Lesson")]
        assert "Review" in course_map  # the map's r


async def test_the_palette_opens_the_review(tmp_path):
    data_dir = tmp_path / "data"
    store = ProgressStore.in_dir(data_dir)
    store.record_answer(store.learner("Ana").id, "basics", "who-leads", [1], False)
    store.close()
    app = create_app(FIXTURE_COURSE, data_dir, learner="Ana")
    async with app.run_test(size=(110, 36)) as pilot:
        await start(app, pilot)
        await wait_until(pilot, lambda: app.course is not None)
        await pilot.press("ctrl+p")
        await pilot.press(*"Review what")
        await wait_until(pilot, lambda: "Review what is due" in screen_text(app))
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen))
        await wait_until(pilot, lambda: "Review 1 of 1" in screen_text(app))
