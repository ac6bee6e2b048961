"""Option texts and feedback are story text on the last surfaces that showed them as written:
the served room (a team's device and the projector), the review screen, and the lint's
measure of an option's length, which counts what a learner can read, not the braces."""

from __future__ import annotations

from pathlib import Path

from apptest import screen_text, wait_until
from exercisetest import exercise_course
from helpers import copy_course, edited
from mltcourse.content.loader import load_course
from mltcourse.engine import judgement
from mltcourse.engine.lint import lint_scenario
from mltcourse.engine.review import prompt_for
from mltcourse.store import ProgressStore
from mltcourse.store import review as book
from mltcourse.store.classroom import Seat
from mltcourse.store.room import room_view
from mltcourse.tui.app import create_app
from mltcourse.tui.device import DeviceApp
from mltcourse.tui.screens.review import ReviewScreen

SCENARIO = "scenarios/crossroads.yaml"
STORIED_OPTIONS = (
    ("text: Consult partners.", "text: 'Consult partners (trust {trust}).'"),
    (
        "text: Put rights first.",
        "text: 'Put rights first{if went_alone:, late,} (trust {trust}).'",
    ),
)


def _edited(root: Path, *replacements: tuple[str, str]) -> Path:
    return edited(root, SCENARIO, *replacements)


def _exercise(data: Path, tally: str | None = None) -> int:
    """An open exercise: Alpha has consulted partners (trust 50 to 60), Bravo has not begun."""
    store = ProgressStore.in_dir(data)
    with store.write() as db:
        exercise = db.execute(
            "INSERT INTO exercises (scenario, digest, started, updated) "
            "VALUES ('crossroads', 'd', 0, 0)"
        ).lastrowid
        db.executemany(
            "INSERT INTO exercise_teams (exercise_id, position, name, tally) VALUES (?, ?, ?, ?)",
            [(exercise, 0, "Alpha", tally), (exercise, 1, "Bravo", None)],
        )
        db.execute(
            "INSERT INTO exercise_decisions (exercise_id, position, seq, node, choice, how, made) "
            "VALUES (?, 0, 1, 'first', 'consult', 'recorded', 0)",
            (exercise,),
        )
    store.close()
    return int(exercise)


def test_the_room_reads_each_team_s_options_and_last_choice_in_their_states(tmp_path):
    root = _edited(exercise_course(tmp_path), *STORIED_OPTIONS)
    scenario = load_course(root).scenarios["crossroads"]
    exercise = _exercise(tmp_path / "data")
    store = ProgressStore.in_dir(tmp_path / "data")
    room = room_view(store, scenario, exercise)
    store.close()
    assert room is not None
    alpha, bravo = room.teams
    assert alpha.option_texts == (
        "Put rights first (trust 60).",
        "Put security first.",
        "A bold move that needs trust.",
    )
    assert [c.id for c in alpha.options] == ["rights-first", "security-first", "bold"]
    assert alpha.last_text == "Consult partners (trust 50)."  # as it was offered, not 60
    assert bravo.option_texts == ("Consult partners (trust 50).", "Act alone.")
    assert bravo.last_text is None


async def test_a_team_device_shows_its_options_as_the_team_reads_them(tmp_path):
    root = _edited(exercise_course(tmp_path), *STORIED_OPTIONS)
    data = tmp_path / "data"
    _exercise(data)
    app = DeviceApp(root, data, "crossroads", ("Alpha", "Bravo"), Seat("class-t", "seat-1"), 0)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: "Decision 2: Second" in screen_text(app))
        text = screen_text(app)
        assert "○ 1. Put rights first (trust 60)." in text
        assert "{" not in text


async def test_the_projector_shows_options_the_last_choice_and_the_bars_as_read(tmp_path):
    root = _edited(exercise_course(tmp_path), *STORIED_OPTIONS)
    data = tmp_path / "data"
    tally = '{"node": "second", "counts": [["rights-first", 4], ["bold", 1]], "revealed": %s}'
    exercise = _exercise(data, tally % "false")
    app = DeviceApp(root, data, "crossroads", ("Alpha", "Bravo"), Seat("c", ""), None)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: "decision 2: Second" in screen_text(app))
        text = screen_text(app)
        assert "Team Alpha chose: Consult partners (trust 50)." in text
        assert "1. Put rights first (trust 60)." in text
        store = ProgressStore.in_dir(data)
        with store.write() as db:
            db.execute(
                "UPDATE exercise_teams SET tally = ? WHERE exercise_id = ? AND position = 0",
                (tally % "true", exercise),
            )
        store.close()
        await wait_until(pilot, lambda: "Votes: 5" in screen_text(app))
        text = screen_text(app)
        assert "1. Put rights first (trust 60)." in text  # the bar's label
        assert "{" not in text


STORIED_FEEDBACK = (
    (
        "feedback: Consulting keeps partners",
        "feedback: 'At trust {trust}, consulting keeps partners",
    ),
    ("roles clear for everyone.", "roles clear for everyone.'"),
    (
        "feedback: Acting alone is fast",
        "feedback: 'Acting alone{if went_alone: again} at security {security} is fast",
    ),
    ("nobody ready to take over later.", "nobody ready to take over later.'"),
)


def test_a_reasked_decision_reads_its_feedback_in_the_state_of_its_options(tmp_path):
    root = _edited(copy_course(tmp_path), *STORIED_FEEDBACK)
    course = load_course(root)
    assert course.errors == ()
    prompt = prompt_for(
        course, "decision", "basics", "crossroads", "first", ["consult", "alone"], "s"
    )
    assert prompt is not None
    assert [c.id for c in prompt.choices] == ["consult", "alone"]
    assert prompt.feedback[0].startswith("At trust 50, consulting keeps partners")
    assert prompt.feedback[1].startswith("Acting alone at security 50 is fast")


async def test_the_review_screen_shows_the_feedback_as_it_reads(tmp_path):
    root = _edited(copy_course(tmp_path), *STORIED_FEEDBACK)
    data = tmp_path / "data"
    store = ProgressStore.in_dir(data)
    learner = store.learner("Ana")
    missed = book.MissedDecision("basics", "crossroads", "first", ("consult", "alone"))
    with store.write() as db:
        book.add_missed_decision(db, learner.id, missed, 0.0)
    store.close()
    app = create_app(root, data, learner="Ana")
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_until(pilot, lambda: app.course is not None and app.learner is not None)
        app.action_review()
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen))
        screen = app.screen
        await wait_until(pilot, lambda: screen.prompt is not None)
        alone = screen.prompt.order.index(1) + 1  # 'alone' in the new order
        await pilot.press(str(alone))
        await wait_until(pilot, lambda: "The doctrine-best option:" in screen_text(app))
        text = screen_text(app)
        assert "Acting alone at security 50 is fast" in text
        assert "At trust 50, consulting keeps partners" in text
        assert "{" not in text


def test_an_option_s_length_is_measured_as_it_reads_not_as_written(tmp_path):
    # The weaker options are written longer than the best, braces and branches included,
    # but read shorter in every state: the best is still found by its length.
    root = _edited(
        copy_course(tmp_path),
        ("text: Act alone.", "text: '{if trust >= 60: Act alone now.}{else: Act alone.}'"),
        (
            "text: Put security first.",
            "text: '{if trust >= 60: Put security first.}{else: Hold the roads.}'",
        ),
        (
            "text: Keep control.",
            "text: '{if went_alone: Keep control, again.}{else: Keep control.}'",
        ),
    )
    course = load_course(root)
    assert course.errors == ()
    scenario = course.scenarios["crossroads"]
    [warning] = [w.message for w in lint_scenario(scenario) if "is the longest" in w.message]
    assert "longest in 4 of 4 decisions" in warning


def test_a_short_written_option_that_reads_long_is_the_longest(tmp_path):
    root = _edited(
        copy_course(tmp_path),
        (
            "  security: {label: Security, start: 50}\n",
            "  security: {label: Security, start: 50}\n"
            "  p: {label: Payment, start: 0, min: 0, max: 1000000}\n",
        ),
        ("text: Act alone.", "text: 'Pay {p} at once.'"),  # 16 written, up to 20 read
    )
    course = load_course(root)
    assert course.errors == ()
    scenario = course.scenarios["crossroads"]
    first = scenario.scenes["first"]
    consult, alone = first.choices
    assert len(alone.text) < len(consult.text) == 17
    assert judgement.reading_length(alone.text, scenario.indicators) == len("Pay 1000000 at once.")
    assert judgement.is_longest(alone, first.choices, scenario.indicators)
    assert not judgement.decision_cues(first, scenario.indicators).best_is_longest
    assert not next(
        c for c in judgement.scenario_cues(scenario) if c.node == "first"
    ).best_is_longest
