"""A trainer at the console (Pilot): keys typed ahead and pasted columns land in the box they
were meant for (role cards, votes, the set-up dialog, filled top to bottom), and the
consequences on the projector when the laptop died are shown again on resume."""

from __future__ import annotations

from textual import events
from textual.keys import _character_to_key

from apptest import screen_text, wait_until
from exercisetest import exercise_course
from mltcourse.content.loader import load_course
from mltcourse.store import ProgressStore
from mltcourse.store.exercises import ExerciseStore, resume_exercise, start_exercise
from mltcourse.tui.app import create_app

TARGET = "app:facilitate('crossroads', 'Alpha, Bravo', 0, False, 'Dana')"
CONTROL_KEYS = {"\r": "enter", "\t": "tab"}


def on(app, name: str) -> bool:
    return type(app.screen).__name__ == name


def burst(app, text: str) -> None:
    """Every key of ``text`` sent at once, as a terminal delivers fast typing: none is read
    before the last is queued (Pilot's press waits for the app after each key)."""
    for char in text:
        if char in CONTROL_KEYS:
            app._driver.send_message(events.Key(CONTROL_KEYS[char], None))
        else:
            app._driver.send_message(events.Key(_character_to_key(char), char))


async def console(app, pilot):
    await wait_until(pilot, lambda: on(app, "FacilitateScreen"))
    await pilot.pause(0.05)
    return app.screen


async def test_a_roster_typed_fast_fills_one_role_card_per_name(tmp_path):
    root, data = exercise_course(tmp_path), tmp_path / "data"
    app = create_app(root, data, learner="Trainer", start=TARGET)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await console(app, pilot)
        await pilot.press("a")
        await wait_until(pilot, lambda: on(app, "RoleDialog"))
        burst(app, "Amina Diallo\rJonas Berg\rPriya Nair\r\r\r\r")
        await wait_until(pilot, lambda: app.screen is screen)
        await pilot.pause(0.05)
        assert dict(screen.team.roles) == {
            "SRSG": "Amina Diallo",
            "DSRSG-RC/HC": "Jonas Berg",
            "Force Commander": "Priya Nair",
        }


async def test_votes_typed_fast_go_one_per_option_and_the_last_enter_records_them(tmp_path):
    root, data = exercise_course(tmp_path), tmp_path / "data"
    app = create_app(root, data, learner="Trainer", start=TARGET)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await console(app, pilot)
        await pilot.press("v")
        await wait_until(pilot, lambda: on(app, "VoteDialog"))
        burst(app, "4\r1\r")  # the last digit is read after the Enter that records
        await wait_until(pilot, lambda: app.screen is screen)
        assert screen.team.tally.counts == (("consult", 4), ("alone", 1))
        assert not screen.team.tally.revealed


async def test_a_pasted_column_fills_the_boxes_in_turn(tmp_path):
    root, data = exercise_course(tmp_path), tmp_path / "data"
    app = create_app(root, data, learner="Trainer", start=TARGET)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await console(app, pilot)
        await pilot.press("a")
        await wait_until(pilot, lambda: on(app, "RoleDialog"))
        app._driver.send_message(events.Paste("Amina Diallo\r\nJonas Berg\nLi Wei\n"))
        await pilot.pause(0.1)
        boxes = [box.value for box in app.screen.fields()]
        assert boxes[:4] == ["Amina Diallo", "Jonas Berg", "Li Wei", ""]
        assert app.focused is app.screen.fields()[3]  # typing goes on where the paste ended
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen)
        await pilot.press("v")
        await wait_until(pilot, lambda: on(app, "VoteDialog"))
        app._driver.send_message(events.Paste("3\nthree\n"))  # a word is not a vote
        await pilot.pause(0.1)
        assert [box.value for box in app.screen.fields()] == ["3", ""]


async def test_the_set_up_dialog_is_filled_top_to_bottom_at_typing_speed(tmp_path):
    root, data = exercise_course(tmp_path), tmp_path / "data"
    app = create_app(root, data, learner="Trainer")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.course is not None)
        await pilot.press("f")
        await wait_until(pilot, lambda: on(app, "ExerciseSetup"))
        assert app.focused is app.screen.query_one("#teams")  # no exercise to resume
        burst(app, "Red, Blue\r90\r\r")  # teams, seconds, Enter on the scenario
        screen = await console(app, pilot)
        assert [t.name for t in screen.live.exercise.teams] == ["Red", "Blue"]
        assert screen.live.exercise.countdown == 90
        await pilot.press("escape")
        await wait_until(pilot, lambda: on(app, "CourseMapScreen"))
        await pilot.press("f")  # now there is one to resume: the list comes first
        await wait_until(pilot, lambda: on(app, "ExerciseSetup"))
        assert app.focused is app.screen.query_one("#open-exercises")
        await pilot.press("tab")
        assert app.focused is app.screen.query_one("#teams")
        burst(app, "Gold\r-5\r\r")  # "-" cannot be typed in the seconds box
        screen = await console(app, pilot)
        assert [t.name for t in screen.live.exercise.teams] == ["Gold"]
        assert screen.live.exercise.countdown == 5


async def test_the_consequences_on_screen_at_a_crash_are_shown_again(tmp_path):
    root, data = exercise_course(tmp_path), tmp_path / "data"
    app = create_app(root, data, learner="Trainer", start=TARGET)
    async with app.run_test(size=(120, 40)) as pilot:
        await console(app, pilot)
        await pilot.press("1")
        await wait_until(pilot, lambda: "Team Alpha chose: Consult partners." in screen_text(app))
    # the app is gone without Enter having been pressed (a crash keeps no more than this)

    app = create_app(root, data, learner="Trainer", start=TARGET)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await console(app, pilot)
        assert screen.phase() == "consequences"
        assert "Team Alpha chose: Consult partners." in screen_text(app)
        assert "Indicators:" in screen_text(app)  # the changes, worked out again
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Decision 2" in screen_text(app))

    app = create_app(root, data, learner="Trainer", start=TARGET)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await console(app, pilot)  # once moved on from, they are not shown again
        assert screen.phase() == "deciding" and "Decision 2" in screen_text(app)


def test_unseen_consequences_survive_a_resume_until_the_room_moves_on(tmp_path):
    scenario = load_course(exercise_course(tmp_path)).scenarios["crossroads"]
    progress = ProgressStore.in_dir(tmp_path / "data")
    store = ExerciseStore(progress)
    live = start_exercise(store, scenario, ("Alpha", "Bravo"))
    live.record_choice(0, "consult")
    live.record_choice(1, "consult")
    live.move_on(1)
    live.record_choice(1, "rights-first")
    before, after = live.turns[1]

    again = resume_exercise(store, live.id, scenario)
    assert set(again.turns) == {0, 1}
    assert again.turns[1] == (before, after)
    assert again.turns[0][0].decisions == () and len(again.turns[0][1].decisions) == 1

    again.take_back(1)  # a decision taken back has no consequences to show
    again.move_on(0)
    assert resume_exercise(store, live.id, scenario).turns == {}
    progress.close()


async def test_facilitating_asks_nobody_who_is_studying(tmp_path):
    """F11: a learner's question came first, and a digit meant for a team named a learner."""
    root, data = exercise_course(tmp_path), tmp_path / "data"
    app = create_app(root, data, start=TARGET)  # no learner given, none known
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await console(app, pilot)
        await pilot.pause(0.2)
        assert app.screen is screen and "Who is studying?" not in screen_text(app)
        await pilot.press("2")
        await wait_until(pilot, lambda: screen.phase() == "consequences")
        await pilot.press("escape", "escape")  # the map, then a lesson: that one asks
        await wait_until(pilot, lambda: on(app, "CourseMapScreen"))
        await pilot.press("enter")
        await wait_until(pilot, lambda: on(app, "LearnerPicker"))
        assert "Esc quits" not in screen_text(app)
        await pilot.press("escape")  # cancels; the trainer is still in the app
        await wait_until(pilot, lambda: on(app, "CourseMapScreen"))
        assert app.is_running and app.learner is None
    progress = ProgressStore.in_dir(data)
    assert progress.learners() == []
    progress.close()


def test_notes_hidden_in_the_last_exercise_start_hidden_in_the_next(tmp_path):
    """F2: a trainer who projects hid the notes before every exercise, or showed them."""
    scenario = load_course(exercise_course(tmp_path)).scenarios["crossroads"]
    progress = ProgressStore.in_dir(tmp_path / "data")
    store = ExerciseStore(progress)
    first = start_exercise(store, scenario, ("Alpha",))
    assert not first.notes_hidden and first.note is None  # nothing said before: shown
    first.hide_notes(True)
    second = start_exercise(store, scenario, ("Bravo",))
    assert second.notes_hidden and store.record(second.id).notes_hidden
    assert "n shows them" in second.note
    second.hide_notes(False)
    assert not start_exercise(store, scenario, ("Charlie",)).notes_hidden
    progress.close()


async def test_at_80x24_the_next_step_keys_show_and_each_view_starts_at_its_heading(tmp_path):
    root, data = exercise_course(tmp_path), tmp_path / "data"
    app = create_app(root, data, learner="Trainer", start=TARGET)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await console(app, pilot)
        screen.live.enter_tally(0, {"consult": 1, "alone": 6})
        screen.refresh_view()
        await pilot.pause(0.05)
        bar = screen_text(app).splitlines()[-1]
        for key in ("v Votes", "r Reveal", "⏎ Apply", "h Hot wash"):
            assert key in bar
        await pilot.press("r")
        stage = screen.query_one("#fac-stage")
        await wait_until(pilot, lambda: stage.scroll_y > 0)  # the votes brought into view
        await pilot.press("1")  # against the vote: asked first
        await wait_until(pilot, lambda: on(app, "ConfirmScreen"))
        await pilot.press("y")
        await wait_until(pilot, lambda: screen.phase() == "consequences")
        await pilot.pause(0.1)
        assert stage.scroll_y == 0
        text = screen_text(app)
        assert "Team Alpha chose: Consult partners." in text
        how = str(screen.query_one("#fac-text").render())  # wrapped on screen at 80 columns
        assert how == (
            "The facilitator overrode the team's vote. 1 of 7 votes for it. "
            "The vote favoured “Act alone.” (6)."
        )


async def test_teams_pasted_one_a_line_become_the_list_of_teams(tmp_path):
    app = create_app(exercise_course(tmp_path), tmp_path / "data", learner="Trainer")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.course is not None)
        await pilot.press("f")
        await wait_until(pilot, lambda: on(app, "ExerciseSetup"))
        app._driver.send_message(events.Paste("Alpha\nBravo\n\nCharlie\n"))
        await pilot.pause(0.1)
        assert app.screen.query_one("#teams").value == "Alpha, Bravo, Charlie"
        assert app.screen.query_one("#countdown").value == ""
        assert app.focused is app.screen.query_one("#teams")


async def test_a_one_line_paste_is_pasted_once(tmp_path):
    root, data = exercise_course(tmp_path), tmp_path / "data"
    app = create_app(root, data, learner="Trainer", start=TARGET)
    async with app.run_test(size=(120, 40)) as pilot:
        await console(app, pilot)
        await pilot.press("a")
        await wait_until(pilot, lambda: on(app, "RoleDialog"))
        app._driver.send_message(events.Paste("Amina Diallo\n"))
        await pilot.pause(0.1)
        assert [box.value for box in app.screen.fields()][:2] == ["Amina Diallo", ""]
