"""The app under hostile content and a troubled data folder: it starts, says what happened, and
the learner can study (lessons open, checks answer, scenarios play), saved or held in memory."""

from __future__ import annotations

import os
import re

from apptest import FIXTURE_COURSE, course_copy, screen_text, start, toasts, wait_until
from mltcourse.content.loader import load_course
from mltcourse.store import ProgressStore
from mltcourse.store.attempts import start as start_attempt
from mltcourse.tui.app import create_app
from mltcourse.tui.screens.debrief import DebriefScreen
from mltcourse.tui.screens.lesson import LessonScreen
from mltcourse.tui.screens.player import PlayerScreen
from mltcourse.tui.screens.problems import ProblemsScreen
from test_app_content import replace_in
from test_hostile_content import CORPUS

NOT_SAVED = "kept in memory until mltcourse closes"


def slug(case: str) -> str:
    return re.sub(r"\W+", "-", case)


def static_text(app) -> str:
    """Every text widget on the screen, scrolled into view or not."""
    return "\n".join(str(static.content) for static in app.screen.query("Static"))


async def study_a_little(app, pilot) -> None:
    """Open a lesson, answer a check, and play the scenario to its debrief."""
    app.go("lesson:basics#checks")
    await wait_until(pilot, lambda: "Check 1 of 2" in screen_text(app))
    await pilot.press("1")
    await wait_until(pilot, lambda: "✓ Right." in screen_text(app))
    app.go("scenario:wells")
    await wait_until(pilot, lambda: "How do you want to play?" in screen_text(app))
    await pilot.press("down", "enter", "2", "2")  # assessment: consult first
    await wait_until(pilot, lambda: "Decision 2: Six weeks later" in screen_text(app))
    await pilot.press("1", "1")
    await wait_until(pilot, lambda: isinstance(app.screen, DebriefScreen))
    await wait_until(pilot, lambda: "Trusted partner" in screen_text(app))


async def test_the_app_lists_every_hostile_file_and_serves_the_rest(tmp_path):
    course_dir = course_copy(tmp_path)
    for case, data in CORPUS.items():
        (course_dir / "scenarios" / f"hostile-{slug(case)}.yaml").write_bytes(data)
    app = create_app(course_dir, tmp_path / "data", learner="Ana")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await start(app, pilot)
        # the panel is laid out in the frame after the lessons are listed
        failed = f"{len(CORPUS)} content file(s) failed to load"
        await wait_until(pilot, lambda: failed in screen_text(app))
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, ProblemsScreen))
        listed = static_text(app)
        for case in CORPUS:
            where = rf"^scenarios/hostile-{re.escape(slug(case))}\.yaml:\d+:\d+: error: \S"
            assert re.search(where, listed, re.M), f"{case} not listed with FILE:LINE:COL"
        await pilot.press("escape")
        app.go("lesson:relief#overview")
        await wait_until(pilot, lambda: isinstance(app.screen, LessonScreen))
        await pilot.press("m")
        app.go("scenario:wells")
        await wait_until(pilot, lambda: "How do you want to play?" in screen_text(app))
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Decision 1: The offer" in screen_text(app))
    assert not (course_dir / "PWNED").exists() and not (tmp_path / "PWNED").exists()


async def test_a_corrupt_progress_file_is_moved_aside_and_a_fresh_one_used(tmp_path):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    junk = os.urandom(8192)
    (data_dir / "progress.sqlite3").write_bytes(junk)
    app = create_app(FIXTURE_COURSE, data_dir, learner="Ana")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await start(app, pilot)
        await wait_until(pilot, lambda: "could not be read" in toasts(app))
        [aside] = data_dir.glob("progress.sqlite3.corrupt-*[0-9]")
        assert f"It was kept as {aside.name} beside it; a fresh one was started." in toasts(app)
        assert app.sub_title == "Ana"  # saved as usual
        await study_a_little(app, pilot)
    assert aside.read_bytes() == junk
    store = ProgressStore.in_dir(data_dir)
    assert store.finished_attempts(store.learner("Ana").id, "wells")
    store.close()


async def test_an_uncreatable_data_folder_still_lets_the_learner_study(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder\n")
    app = create_app(FIXTURE_COURSE, blocker / "data", learner="Ana")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await start(app, pilot)
        await wait_until(pilot, lambda: NOT_SAVED in toasts(app))
        assert "cannot be saved" in toasts(app)
        assert app.sub_title == "Ana · progress not saved"
        await study_a_little(app, pilot)
        await pilot.press("m")
        await wait_until(pilot, lambda: "scenarios 1/1" in screen_text(app))
        assert "checks 1/2" in screen_text(app)
    assert blocker.read_text() == "not a folder\n"


async def test_a_disk_that_fills_up_mid_session_keeps_progress_in_memory(tmp_path):
    app = create_app(FIXTURE_COURSE, tmp_path / "data", learner="Ana")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await start(app, pilot)
        store, learner = app.store, app.learner
        # a real "database or disk is full": SQLite may not grow the file past its size now
        pages = store._db.execute("PRAGMA page_count").fetchone()[0]
        store._db.execute(f"PRAGMA max_page_count = {pages}")
        visits = 0
        while store.saving:  # the learner reads on until the disk is full
            visits += 1
            store.visit_section(learner.id, "basics", f"section-{visits}")
        await wait_until(pilot, lambda: "the disk is full" in toasts(app))
        assert app.sub_title == "Ana · progress not saved"
        assert f"section-{visits}" in store.sections_seen(learner.id, "basics")
        await study_a_little(app, pilot)
    on_disk = ProgressStore.in_dir(tmp_path / "data")
    ana = on_disk.learner("Ana").id
    assert f"section-{visits - 1}" in on_disk.sections_seen(ana, "basics")
    assert f"section-{visits}" not in on_disk.sections_seen(ana, "basics")
    on_disk.close()


async def test_a_decision_on_a_medium_gone_read_only_is_kept_and_play_goes_on(tmp_path):
    data_dir = tmp_path / "data"
    app = create_app(FIXTURE_COURSE, data_dir, learner="Ana")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await start(app, pilot)
        app.go("scenario:wells")
        await wait_until(pilot, lambda: "How do you want to play?" in screen_text(app))
        await pilot.press("down", "enter", "2", "2")
        await wait_until(pilot, lambda: "Decision 2: Six weeks later" in screen_text(app))
        app.store._db.execute("PRAGMA query_only = 1")  # writes now fail: SQLITE_READONLY
        await pilot.press("1", "1")
        await wait_until(pilot, lambda: "Trusted partner" in screen_text(app))
        assert "it is read-only" in toasts(app) and NOT_SAVED in toasts(app)
        [record] = app.store.finished_attempts(app.learner.id, "wells")
        assert record.choices == ("cmcoord", "review")
    on_disk = ProgressStore.in_dir(data_dir)
    record = on_disk.open_attempt(on_disk.learner("Ana").id, "wells")
    assert record.choices == ("cmcoord",)
    on_disk.close()


async def play_again_after(tmp_path, edit: tuple[str, str]) -> tuple[str, bool, int]:
    """Leave an attempt open after one decision, edit the scenario, open it in the app: what
    the briefing says, whether the app still runs, and the attempt's id."""
    course_dir = course_copy(tmp_path)
    data_dir = tmp_path / "data"
    store = ProgressStore.in_dir(data_dir)
    scenario = load_course(course_dir).scenarios["wells"]
    attempt = start_attempt(store, store.learner("Ana").id, scenario, "training")
    attempt.choose("approve")
    store.close()
    replace_in(course_dir / "scenarios" / "wells.yaml", *edit)
    app = create_app(course_dir, data_dir, learner="Ana")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await start(app, pilot)
        app.go("scenario:wells")
        await wait_until(pilot, lambda: "How do you want to play?" in screen_text(app))
        text = static_text(app) + screen_text(app)  # the note may be scrolled out of view
        if "Resume your attempt" in text:
            await pilot.press("enter")
            await wait_until(pilot, lambda: isinstance(app.screen, PlayerScreen))
            # its feedback was never moved on from: it comes back first
            await wait_until(pilot, lambda: "You chose" in screen_text(app))
            await pilot.press("enter")
            await wait_until(pilot, lambda: "Six weeks later" in screen_text(app))
        return text, app.is_running, attempt.id


async def test_an_attempt_resumes_after_an_edit_that_keeps_its_scene(tmp_path):
    text, running, _ = await play_again_after(tmp_path, ("The dry season", "The rainy season"))
    assert "edited since you left it; your decisions still fit it" in text
    assert "Resume your attempt in training mode (1 decision(s) made)" in text and running


async def test_an_attempt_whose_path_was_edited_away_is_closed_with_a_note(tmp_path):
    text, running, attempt_id = await play_again_after(tmp_path, ("id: approve", "id: accept"))
    assert "decision 1 no longer fits it, so that attempt was closed. Start again." in text
    assert "Resume your attempt" not in text and running
    store = ProgressStore.in_dir(tmp_path / "data")
    record = store.attempt(attempt_id)
    assert record.status == "closed" and "no longer fits" in record.note
    store.close()


async def test_leaving_a_lesson_before_its_page_is_painted_is_no_crash(tmp_path):
    app = create_app(FIXTURE_COURSE, tmp_path / "data", learner="Ana")
    async with app.run_test(size=(100, 30)) as pilot:
        await start(app, pilot)
        for _ in range(10):  # a quick learner, or a slow laptop: m lands mid-paint
            app.go("lesson:relief#overview")
            await wait_until(pilot, lambda: isinstance(app.screen, LessonScreen))
            await pilot.press("m")
        await wait_until(pilot, lambda: "1. Basics of peacebuilding" in screen_text(app))
    assert app.return_code in (None, 0)
