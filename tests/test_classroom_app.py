"""The served roles in the app, through Pilot: a seat asks who is studying (never the last
learner), checks a PIN and cannot switch; a team device votes into its seat's ballot; the
presenter shows a tally only once revealed and never a facilitator note."""

from __future__ import annotations

from apptest import screen_text, wait_until
from exercisetest import CHOICE_NOTE, SCENE_NOTE, exercise_course
from mltcourse.store import ProgressStore
from mltcourse.store.classroom import ClassStore, Seat
from mltcourse.store.exercises import ExerciseStore
from mltcourse.store.room import find_exercise
from mltcourse.tui.app import create_app
from mltcourse.tui.device import DeviceApp
from mltcourse.tui.screens.seat_sign_in import SeatSignIn

SEAT = Seat("class-t", "seat-1")


async def _type(pilot, text: str) -> None:
    for character in text:
        await pilot.press(character)


async def test_a_seat_asks_who_is_studying_even_with_a_single_learner(tmp_path):
    root = exercise_course(tmp_path)
    data = tmp_path / "data"
    store = ProgressStore.in_dir(data)
    ClassStore(store).sign_in("earlier", "s0", "Priya", pin="2468")
    store.learner("Jonas")
    store.close()
    app = create_app(root, data, learner="Jonas", seat=SEAT)  # --learner is ignored too
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: "Who is studying?" in screen_text(app))
        assert isinstance(app.screen, SeatSignIn) and app.learner is None
        text = screen_text(app)
        assert "Jonas" not in text and "Priya" not in text
        await _type(pilot, "Priya")
        await pilot.press("enter")  # she has a PIN: it is asked for
        await wait_until(pilot, lambda: app.screen.focused.id == "seat-pin")
        await _type(pilot, "1111")
        await pilot.press("enter")
        await wait_until(pilot, lambda: "not Priya's PIN" in screen_text(app))
        assert app.learner is None
        await _type(pilot, "2468")
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.learner is not None)
        assert app.learner.name == "Priya"
        app.action_switch_learner()  # the palette's "switch learner" too
        await pilot.pause(0.1)
        assert not isinstance(app.screen, SeatSignIn) and app.learner.name == "Priya"
    store = ProgressStore.in_dir(data)
    roster = ClassStore(store).roster("class-t")
    store.close()
    assert [(row.seat, row.learner) for row in roster] == [("seat-1", "Priya")]


def _exercise(data, tally: str | None = None) -> int:
    store = ProgressStore.in_dir(data)
    with store.write() as db:
        cursor = db.execute(
            "INSERT INTO exercises (scenario, digest, started, updated) "
            "VALUES ('crossroads', 'd', 0, 0)"
        )
        db.executemany(
            "INSERT INTO exercise_teams (exercise_id, position, name, tally) VALUES (?, ?, ?, ?)",
            [(cursor.lastrowid, 0, "Alpha", tally), (cursor.lastrowid, 1, "Bravo", None)],
        )
    found = find_exercise(store, "crossroads", ("alpha", "BRAVO"))
    store.close()
    assert found == cursor.lastrowid
    return found


async def test_a_team_device_votes_into_its_seat_s_ballot(tmp_path):
    root = exercise_course(tmp_path)
    data = tmp_path / "data"
    exercise = _exercise(data)
    app = DeviceApp(root, data, "crossroads", ("Alpha", "Bravo"), SEAT, 1)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: "Decision 1: First" in screen_text(app))
        text = screen_text(app)
        assert "Team Bravo" in text and "Consult partners." in text
        assert SCENE_NOTE not in text and CHOICE_NOTE not in text
        await pilot.press("2")
        await wait_until(pilot, lambda: "Your vote is in" in screen_text(app))
        await pilot.press("1")  # a change of mind replaces the ballot
        await pilot.pause(0.3)
    store = ProgressStore.in_dir(data)
    counts = ClassStore(store).ballot_counts(exercise, 1, 1)
    store.close()
    assert counts == {"consult": 1}


async def test_the_presenter_shows_a_tally_only_once_revealed(tmp_path):
    root = exercise_course(tmp_path)
    data = tmp_path / "data"
    hidden = '{"node": "first", "counts": [["consult", 7], ["alone", 3]], "revealed": false}'
    exercise = _exercise(data, hidden)
    app = DeviceApp(root, data, "crossroads", ("Alpha", "Bravo"), Seat("c", ""), None)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: "decision 1: First" in screen_text(app))
        text = screen_text(app)
        assert "7" not in text.replace("decision 1", "") and "Votes" not in text
        assert SCENE_NOTE not in text and CHOICE_NOTE not in text
        store = ProgressStore.in_dir(data)
        with store.write() as db:
            db.execute(
                "UPDATE exercise_teams SET tally = ? WHERE exercise_id = ? AND position = 0",
                (hidden.replace("false", "true"), exercise),
            )
        store.close()
        await wait_until(pilot, lambda: "Votes: 10" in screen_text(app))
        text = screen_text(app)
        assert "Consult partners." in text and "Act alone." in text


async def test_the_console_takes_ballots_as_the_hidden_tally_and_pushes_injects(tmp_path):
    root, data = exercise_course(tmp_path), tmp_path / "data"
    target = "app:facilitate('crossroads', 'Alpha, Bravo', 0, False)"
    app = create_app(root, data, learner="Trainer", start=target)
    async with app.run_test(size=(140, 45)) as pilot:
        await wait_until(pilot, lambda: type(app.screen).__name__ == "FacilitateScreen")
        exercise = app.screen.live.id
        devices = ProgressStore.in_dir(data)  # the devices' processes: another connection
        for seat, choice in (("s1", "consult"), ("s2", "alone"), ("s3", "consult")):
            ClassStore(devices).cast_ballot(exercise, 0, 1, seat, choice)
        await wait_until(pilot, lambda: "3 votes in, hidden" in screen_text(app))
        tally = app.screen.live.exercise.teams[0].tally
        assert dict(tally.counts) == {"consult": 2, "alone": 1} and not tally.revealed
        ClassStore(devices).cast_ballot(exercise, 0, 1, "s2", "consult")  # a change of mind
        await wait_until(pilot, lambda: app.screen.live.exercise.teams[0].tally.count("alone") == 0)
        await pilot.press("r")
        await wait_until(pilot, lambda: "Votes: 3" in screen_text(app))
        await pilot.press("i")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "InjectPicker")
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Event, pushed: The gap shows" in screen_text(app))
        pushes = ExerciseStore(devices).record(exercise).teams[0].pushes
        assert [(p.inject, p.decisions) for p in pushes] == [("gap-shows", 0)]
        assert ClassStore(devices).ballot_counts(exercise, 0, 1) == {}  # votes set aside
        devices.close()
