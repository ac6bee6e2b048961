"""Snapshots of the four main screens at 100x30 on the fixed fixture course.

Update after an intended change with ``pytest tests/test_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

from apptest import FIXTURE_COURSE, screen_text, start, wait_until
from mltcourse.tui.app import create_app
from mltcourse.tui.screens.debrief import DebriefScreen

SIZE = (100, 30)


def app_in(tmp_path):
    return create_app(FIXTURE_COURSE, tmp_path / "data", learner="Ana")


def test_course_map(snap_compare, tmp_path):
    async def loaded(pilot):
        await start(pilot.app, pilot)

    assert snap_compare(app_in(tmp_path), terminal_size=SIZE, run_before=loaded)


def test_lesson_page(snap_compare, tmp_path):
    async def open_page(pilot):
        await start(pilot.app, pilot)
        pilot.app.go("lesson:relief#humanitarian-space")
        await wait_until(pilot, lambda: "Independence" in screen_text(pilot.app))

    assert snap_compare(app_in(tmp_path), terminal_size=SIZE, run_before=open_page)


def test_scenario_player_after_a_choice(snap_compare, tmp_path):
    async def one_choice(pilot):
        await start(pilot.app, pilot)
        pilot.app.go("scenario:wells")
        await wait_until(pilot, lambda: "How do you want to play?" in screen_text(pilot.app))
        await pilot.press("enter", "1")
        await wait_until(pilot, lambda: "Continue →" in screen_text(pilot.app))

    assert snap_compare(app_in(tmp_path), terminal_size=SIZE, run_before=one_choice)


def test_debrief(snap_compare, tmp_path):
    async def played(pilot):
        app = pilot.app
        await start(app, pilot)
        app.go("scenario:wells")
        await wait_until(pilot, lambda: "How do you want to play?" in screen_text(app))
        await pilot.press("down", "enter", "2", "2")
        await wait_until(pilot, lambda: "Decision 2" in screen_text(app))
        await pilot.press("1", "1")
        await wait_until(pilot, lambda: isinstance(app.screen, DebriefScreen))
        await wait_until(pilot, lambda: "Trusted partner" in screen_text(app))

    assert snap_compare(app_in(tmp_path), terminal_size=SIZE, run_before=played)
