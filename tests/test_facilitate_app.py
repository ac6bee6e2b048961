"""The facilitation screen driven with Textual's Pilot: a three-team exercise with votes, a
hidden tally revealed, role cards, notes hidden for projection, resume after a restart, the
hot wash and the export of the after-action review."""

from __future__ import annotations

import csv

from apptest import course_copy, screen_text, start, wait_until
from exercisetest import CHOICE_NOTE, OWNER, SCENE_NOTE, exercise_course
from mltcourse.cli import main
from mltcourse.store import ProgressStore
from mltcourse.store.exercises import ExerciseStore
from mltcourse.tui.app import create_app

SIZE = (140, 45)
TARGET = "app:facilitate('crossroads', 'Alpha, Bravo, Charlie', 90, False)"


def facilitation(app):
    return type(app.screen).__name__ == "FacilitateScreen"


async def open_exercise(app, pilot) -> None:
    await wait_until(pilot, lambda: facilitation(app))
    await pilot.pause(0.05)


async def type_text(pilot, text: str) -> None:
    for key in text:
        await pilot.press(key)


async def enter_votes(app, pilot, *counts: int) -> None:
    await pilot.press("v")
    await wait_until(pilot, lambda: type(app.screen).__name__ == "VoteDialog")
    for count in counts:
        await type_text(pilot, str(count))
        await pilot.press("enter")  # next field; on the last, records the tally
    await wait_until(pilot, lambda: facilitation(app))


async def test_a_three_team_exercise_with_votes_resumes_and_exports(tmp_path):
    root, data = exercise_course(tmp_path), tmp_path / "data"
    app = create_app(root, data, learner="Trainer", start=TARGET)
    async with app.run_test(size=SIZE) as pilot:
        await open_exercise(app, pilot)
        text = screen_text(app)
        assert "Team Alpha · Decision 1: First" in text and "1. Consult partners." in text
        assert SCENE_NOTE[:20] in text and CHOICE_NOTE[:20] in text  # wrapped in the side panel
        assert "owns this decision" in text

        await pilot.press("a")  # role cards: the Force Commander owns the first decision
        await wait_until(pilot, lambda: type(app.screen).__name__ == "RoleDialog")
        await type_text(pilot, "Ana")
        await pilot.press("enter", "enter")
        await type_text(pilot, "Ben")
        await pilot.press("enter", "enter", "enter", "enter")
        await wait_until(pilot, lambda: facilitation(app))
        assert f"Decision for: {OWNER} (Ben)" in screen_text(app)

        await enter_votes(app, pilot, 4, 1)  # Alpha: hidden until revealed
        text = screen_text(app)
        assert "5 votes in, hidden" in text and "Votes: 5" not in text
        await pilot.press("r")
        await pilot.pause(0.05)
        assert "Votes: 5" in screen_text(app)
        await pilot.press("enter")  # the majority
        await wait_until(pilot, lambda: "Team Alpha chose: Consult partners." in screen_text(app))
        assert "The team's majority vote." in screen_text(app)
        assert "Trust +10" in screen_text(app)

        await pilot.press("right")  # Bravo: a tie, the facilitator's call
        await enter_votes(app, pilot, 2, 2)
        await pilot.press("r", "enter")
        await pilot.pause(0.05)
        assert "Team Bravo · Decision 1" in screen_text(app)  # a tie is not applied
        await pilot.press("2")
        await wait_until(pilot, lambda: "Team Bravo chose: Act alone." in screen_text(app))
        assert "The facilitator's call on a tie (a tie-break)." in screen_text(app)

        await pilot.press("right")  # Charlie: recorded directly, votes entered but hidden
        await enter_votes(app, pilot, 1, 3)
        await pilot.press("n")  # notes hidden before projecting
        await pilot.pause(0.05)
        assert SCENE_NOTE[:20] not in screen_text(app)
    # the laptop dies here: nothing but the database survives

    store = ProgressStore.in_dir(data)
    record = ExerciseStore(store).open_exercises()[0]
    store.close()
    assert [len(t.decisions) for t in record.teams] == [1, 1, 0]
    assert record.teams[2].tally.revealed is False and record.current_team == 2

    app = create_app(root, data, learner="Trainer", start=TARGET)
    async with app.run_test(size=SIZE) as pilot:
        await open_exercise(app, pilot)
        text = screen_text(app)
        assert "Team Charlie · Decision 1" in text and "4 votes in, hidden" in text
        assert SCENE_NOTE[:20] not in text  # hidden notes stay hidden after the crash
        screen = app.screen
        await pilot.press("1")  # against Charlie's 1:3 majority: asked first
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ConfirmScreen")
        assert "Override team Charlie's vote?" in screen_text(app)
        await pilot.press("n")  # not overridden: nothing recorded
        await wait_until(pilot, lambda: app.screen is screen)
        assert screen.live.exercise.teams[2].decisions == ()
        for _ in range(60):  # play every team to the end with option 1, overriding when asked
            if screen.live.exercise.finished:
                break
            if app.screen is not screen:
                await pilot.press("y")
            else:
                phase = screen.phase()
                await pilot.press({"deciding": "1", "consequences": "enter"}.get(phase, "right"))
            await pilot.pause(0.02)
        assert screen.live.exercise.finished
        charlie = screen.live.exercise.teams[2].decisions[0]
        assert (charlie.choice, charlie.how, charlie.reason) == (
            "consult",
            "facilitator",
            "override",
        )

        await pilot.press("h")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "HotWashScreen")
        text = screen_text(app)
        assert "Alpha" in text and "Bravo" in text and "Charlie" in text
        assert "Decision quality" in text
        assert SCENE_NOTE[:20] not in screen_text(app)
        await pilot.press("x")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ExportDialog")
        await pilot.press("enter")  # notes hidden: the participants' version by default
        folder = data / "exercises" / f"exercise-{record.id}-crossroads"
        await wait_until(pilot, lambda: list(folder.glob("*-decisions.csv")))

    (page_path,) = folder.glob("aar-crossroads-exercise-*-participants.html")
    page = page_path.read_text()
    assert "After-action review (participants): Crossroads" in page and "<svg" in page
    assert "Discussion prompts" in page and SCENE_NOTE not in page
    assert "Exercise: no. " in page and "Facilitator: Trainer" in page
    (decisions,) = folder.glob("*-decisions.csv")
    rows = list(csv.DictReader(decisions.open()))
    first = {r["team"]: r for r in rows if r["seq"] == "1"}
    assert first["Alpha"]["votes"] == "consult=4; alone=1"
    assert first["Alpha"]["owner_member"] == "Ben"
    assert first["Bravo"]["decided_by"] == "facilitator"
    assert first["Charlie"]["votes"] == "consult=1; alone=3"
    assert first["Bravo"]["reason"] == "tie-break" and first["Charlie"]["reason"] == "override"
    (markdown,) = folder.glob("*.md")
    assert "Discussion prompts" in markdown.read_text()


async def test_the_course_map_sets_up_an_exercise(tmp_path):
    app = create_app(exercise_course(tmp_path), tmp_path / "data", learner="Trainer")
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.course is not None)
        await pilot.press("f")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ExerciseSetup")
        # top to bottom, as a trainer fills it in: teams, seconds, then the scenario
        await pilot.press(*"Red, Blue", "enter", *"60", "enter", "enter")
        await open_exercise(app, pilot)
        text = screen_text(app)
        assert "Red" in text and "Blue" in text and "Time left" in text
        await pilot.press("c")
        clock = app.screen.query_one("#fac-clock")
        await wait_until(pilot, lambda: clock.seconds < 60)  # it runs (a loaded machine: later)


def test_facilitate_refuses_bad_arguments_before_starting_the_app(tmp_path, capsys):
    root = exercise_course(tmp_path)
    base = ["--content", str(root), "facilitate", "--data-dir", str(tmp_path / "d")]
    assert main([*base, "nowhere", "--teams", "A,B"]) == 2
    assert main([*base, "crossroads", "--teams", "A,a"]) == 2
    assert main([*base, "crossroads", "--teams", "A", "--countdown", "0"]) == 2
    assert "team names must differ" in capsys.readouterr().err


async def test_without_an_exercise_the_app_opens_on_the_course_map(tmp_path):
    """The app's own start-up is untouched when no exercise is asked for."""
    app = create_app(course_copy(tmp_path), tmp_path / "data", learner="Ana")
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot)
        assert not facilitation(app)
