"""The facilitator's console in the app (Pilot): a clock per team that runs on while another
team is on screen, a decision taken back with u, the notes panel scrolled from the keyboard,
and the hot wash's short columns in view at 120x40."""

from __future__ import annotations

import time

from apptest import screen_text, wait_until
from exercisetest import exercise_course
from mltcourse.store import ProgressStore
from mltcourse.store.exercises import ExerciseStore
from mltcourse.tui.app import create_app

TARGET = "app:facilitate('crossroads', 'Alpha, Bravo', 300, False, 'Dana')"


def on(app, name: str) -> bool:
    return type(app.screen).__name__ == name


async def console(app, pilot):
    await wait_until(pilot, lambda: on(app, "FacilitateScreen"))
    await pilot.pause(0.05)
    return app.screen


async def test_each_team_keeps_its_own_clock_while_another_is_on_screen(tmp_path):
    root, data = exercise_course(tmp_path), tmp_path / "data"
    app = create_app(root, data, learner="Trainer", start=TARGET)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await console(app, pilot)
        await pilot.press("c")  # Alpha's clock runs
        await pilot.pause(0.1)
        assert "running" in screen_text(app)
        await pilot.press("right")  # Bravo: a full clock of its own, paused
        await pilot.pause(1.3)
        assert "paused" in screen_text(app)
        assert app.screen.query_one("#fac-clock").seconds == 300
        alpha = screen.live.clocks[0]
        assert alpha.running
        await pilot.press("left")
        await pilot.pause(0.6)
        assert app.screen.query_one("#fac-clock").seconds < 300  # ran on meanwhile
        assert screen.live.clocks[0].remaining(time.monotonic()) < 299
        await pilot.press("escape")  # leaving saves what is left
    progress = ProgressStore.in_dir(data)
    record = ExerciseStore(progress).open_exercises()[0]
    progress.close()
    assert record.facilitator == "Dana"
    assert record.teams[0].clock < 299 and record.teams[1].clock in (None, 300)


async def test_u_takes_back_the_last_decision_after_a_yes(tmp_path):
    root, data = exercise_course(tmp_path), tmp_path / "data"
    app = create_app(root, data, learner="Trainer", start=TARGET)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await console(app, pilot)
        await pilot.press("2")  # a stray key records "Act alone" at once
        await wait_until(pilot, lambda: "Team Alpha chose: Act alone." in screen_text(app))
        await pilot.press("u")
        await wait_until(pilot, lambda: on(app, "ConfirmScreen"))
        assert "Take back team Alpha's last decision?" in screen_text(app)
        await pilot.press("y")
        await wait_until(pilot, lambda: app.screen is screen)
        await pilot.pause(0.05)
        assert "Team Alpha · Decision 1: First" in screen_text(app)
        assert screen.live.exercise.teams[0].decisions == ()
        await pilot.press("1")
        await wait_until(pilot, lambda: "Team Alpha chose: Consult partners." in screen_text(app))
    progress = ProgressStore.in_dir(data)
    record = ExerciseStore(progress).open_exercises()[0]
    progress.close()
    (fix,) = record.teams[0].corrections
    assert (fix.old.choice, fix.new_choice) == ("alone", "consult")


async def test_the_notes_scroll_from_the_keyboard_on_a_small_screen(tmp_path):
    root, data = exercise_course(tmp_path), tmp_path / "data"
    app = create_app(root, data, learner="Trainer", start=TARGET)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await console(app, pilot)
        side = screen.query_one("#fac-side")
        assert side.max_scroll_y > 0 and side.scroll_y == 0
        await pilot.press("right_square_bracket")
        await pilot.pause(0.05)
        assert side.scroll_y > 0
        await pilot.press("left_square_bracket")
        await pilot.pause(0.05)
        assert side.scroll_y == 0


async def test_the_hot_wash_shows_votes_decided_by_and_quality_at_120_columns(tmp_path):
    root, data = exercise_course(tmp_path), tmp_path / "data"
    app = create_app(root, data, learner="Trainer", start=TARGET)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await console(app, pilot)
        screen.live.enter_tally(0, {"consult": 2, "alone": 2})
        screen.live.reveal_tally(0)
        screen.refresh_view()
        await pilot.press("2")  # the facilitator's call on the tie
        await wait_until(pilot, lambda: "tie-break" in screen_text(app))
        await pilot.press("h")
        await wait_until(pilot, lambda: on(app, "HotWashScreen"))
        await pilot.press("2")  # the Decisions tab, by its key
        await pilot.pause(0.2)
        text = screen_text(app)
        for column in ("Votes", "Decided by", "Quality"):
            assert column in text
        assert "1:2 2:2" in text and "facilitator's call (tie-break)" in text
        assert "2. Act alone." in text  # options go by their number and text, not their id
        assert "consult" not in text and "alone 2" not in text


async def test_the_principle_chart_wraps_long_names_instead_of_cutting_them():
    from textual.app import App

    from mltcourse.tui.widgets.charts import PrincipleChart

    class ChartApp(App):
        def compose(self):
            yield PrincipleChart()

    app = ChartApp()
    async with app.run_test(size=(50, 10)) as pilot:
        chart = app.query_one(PrincipleChart)
        chart.rows = (("Continually updated conflict analysis with partners", 0.5),)
        await pilot.pause(0.05)
        text = screen_text(app)
        assert "…" not in text and "partners" in text and "50 %" in text


async def test_a_finished_exercise_reopens_for_its_hot_wash(tmp_path):
    from mltcourse.content.loader import load_course
    from mltcourse.store.exercises import start_exercise

    root, data = exercise_course(tmp_path), tmp_path / "data"
    scenario = load_course(root).scenarios["crossroads"]
    progress = ProgressStore.in_dir(data)
    live = start_exercise(ExerciseStore(progress), scenario, ("Alpha", "Bravo"))
    for index in (0, 1):
        for choice in ("consult", "rights-first", "hand-over"):
            live.record_choice(index, choice)
    progress.close()  # the trainer quit before the hot wash

    app = create_app(root, data, learner="Trainer", start=TARGET)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await console(app, pilot)
        assert screen.live.id == live.id and screen.live.exercise.finished
        await pilot.press("h")
        await wait_until(pilot, lambda: on(app, "HotWashScreen"))
        assert "Decision quality" in screen_text(app)
        await pilot.press("escape", "escape")
        await wait_until(pilot, lambda: on(app, "CourseMapScreen"))
        await pilot.press("f")  # the set-up dialog lists it too
        await wait_until(pilot, lambda: on(app, "ExerciseSetup"))
        assert f"{live.id}. Crossroads" in screen_text(app) and "finished" in screen_text(app)
