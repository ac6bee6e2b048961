"""Story text in the app, and the watch-mode jump to any scene in a given state."""

from __future__ import annotations

from apptest import course_copy, screen_text, start, wait_until
from mltcourse.tui.app import create_app
from mltcourse.tui.screens.jump import JumpDialog

STORIED = (
    "text: The dry season arrives and the district asks what comes next.",
    "text: 'The dry season arrives {if wells_flagged: beside the flagged wells}{else: quietly}."
    " Security is {security}.'",
)


def _storied(tmp_path):
    course_dir = course_copy(tmp_path)
    path = course_dir / "scenarios" / "wells.yaml"
    text = path.read_text()
    assert STORIED[0] in text
    path.write_text(text.replace(*STORIED))
    return course_dir


async def test_the_player_shows_the_scene_as_it_reads_after_the_choices_made(tmp_path):
    app = create_app(_storied(tmp_path), tmp_path / "data", learner="Ana")
    async with app.run_test(size=(100, 30)) as pilot:
        await start(app, pilot)
        app.go("scenario:wells")
        await wait_until(pilot, lambda: "How do you want to play?" in screen_text(app))
        await pilot.press("enter", "1")  # training; approve the flagged wells
        await wait_until(pilot, lambda: "Continue" in screen_text(app))
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Six weeks later" in screen_text(app))
        text = screen_text(app)
        assert "arrives beside the flagged wells. Security is 60." in text
        assert "{if" not in text and "{security}" not in text


async def test_under_watch_j_jumps_to_a_scene_in_a_typed_state_and_records_nothing(tmp_path):
    app = create_app(_storied(tmp_path), tmp_path / "data", learner="Ana", watch=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await start(app, pilot)
        app.go("scenario:wells")
        await wait_until(pilot, lambda: "How do you want to play?" in screen_text(app))
        await pilot.press("j")
        await wait_until(pilot, lambda: isinstance(app.screen, JumpDialog))
        await pilot.press(*"follow-upp", "enter")
        await wait_until(pilot, lambda: "did you mean 'follow-up'?" in screen_text(app))
        await pilot.press("backspace", *" security=45", "enter")
        await wait_until(pilot, lambda: "Six weeks later" in screen_text(app))
        text = screen_text(app)
        assert "The dry season arrives quietly. Security is 45." in text
        assert "Press on" not in text  # closed below security 50, as in a real play
        assert "test play from follow-up (not recorded)" in text
        await pilot.press("1")
        await wait_until(pilot, lambda: "See the debrief" in screen_text(app))
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Test play ended: Trusted partner" in screen_text(app))
        assert app.store.finished_attempts(app.learner.id, "wells") == []


async def test_without_watch_there_is_no_jump(tmp_path):
    app = create_app(_storied(tmp_path), tmp_path / "data", learner="Ana")
    async with app.run_test(size=(100, 30)) as pilot:
        await start(app, pilot)
        app.go("scenario:wells")
        await wait_until(pilot, lambda: "How do you want to play?" in screen_text(app))
        await pilot.press("j")
        await pilot.pause(0.2)
        assert not isinstance(app.screen, JumpDialog)
