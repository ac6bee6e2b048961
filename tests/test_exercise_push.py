"""Injects the facilitator pushes into a team's play: real events of the play (effects, the
decision they open, the risk they materialise), refused in words when the rules forbid them,
recorded so that a resume (even after kill -9) replays them in place, and shown as pushed by
the facilitator in the after-action review and the xAPI statements."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exercisetest import exercise_course
from mltcourse.content.loader import load_course
from mltcourse.engine.exercise import (
    ExerciseError,
    enter_tally,
    last_push,
    new_exercise,
    push_to_team,
    record_choice,
    take_back_push,
    undo_last,
)
from mltcourse.engine.push import condition_note, push_inject, push_refusal, rebuild, state_after
from mltcourse.engine.scoring import risk_ledger, score
from mltcourse.engine.state import IllegalMove, choose, new_game, open_choices
from mltcourse.reports.aar import after_action_of, when
from mltcourse.reports.aar_html import after_action_html
from mltcourse.reports.aar_markdown import after_action_markdown
from mltcourse.reports.xapi import statement_problems, timestamp
from mltcourse.reports.xapi_teams import EXT_PUSHED_AFTER, team_statements
from mltcourse.store import ProgressStore
from mltcourse.store.exercises import ExerciseStore, resume_exercise, start_exercise

RUMOUR = """\
  - id: rumour
    title: A rumour spreads
    text: Word goes round that the mission is leaving.
    when: trust >= 95
    effects: {security: -20, trust: -5}
    flags: {rumour_heard: true}
"""


def push_course(tmp_path):
    """The exercise course with a second inject, one without choices whose condition the
    fixture's paths never meet (only a push fires it)."""
    root = exercise_course(tmp_path)
    path = root / "scenarios" / "crossroads.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("endings:\n", RUMOUR + "endings:\n"), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    return push_course(tmp_path_factory.mktemp("push"))


@pytest.fixture(scope="module")
def scenario(root):
    return load_course(root).scenarios["crossroads"]


@pytest.fixture
def store(tmp_path):
    progress = ProgressStore.in_dir(tmp_path / "data")
    yield ExerciseStore(progress)
    progress.close()


# --- the engine ------------------------------------------------------------------------------


def test_a_pushed_inject_with_choices_is_the_decision_now_open(scenario):
    state = choose(scenario, new_game(scenario), "consult")  # trust 60, security 45
    assert push_refusal(scenario, state, "gap-shows") is None
    pushed = push_inject(scenario, state, "gap-shows")
    assert pushed.node == "gap-shows" and pushed.resume == "second"
    assert pushed.value["trust"] == 50  # its effect: trust -10
    assert [c.id for c in open_choices(scenario, pushed)] == ["apologise", "deflect"]
    assert pushed.events[-1].pushed and pushed.events[-1].after == 1
    assert "basics.gap" in risk_ledger(scenario, pushed).materialized
    decided = choose(scenario, pushed, "apologise")
    assert decided.node == "second" and decided.value["trust"] == 55
    assert [d.node for d in decided.decisions] == ["first", "gap-shows"]
    assert score(scenario, decided).decisions[1].best == ("apologise",)


def test_a_pushed_inject_without_choices_changes_the_state_and_leaves_the_scene_open(scenario):
    state = new_game(scenario)
    pushed = push_inject(scenario, state, "rumour")
    assert pushed.node == "first" and pushed.resume is None
    assert pushed.value["security"] == 30 and pushed.value["trust"] == 45
    assert "rumour_heard" in pushed.flags
    assert [c.id for c in open_choices(scenario, pushed)] == ["consult", "alone"]


def test_the_rules_that_forbid_a_push_are_said_in_words(scenario):
    state = push_inject(scenario, new_game(scenario), "rumour")
    again = push_refusal(scenario, state, "rumour")
    assert "was pushed to this team before its first decision" in again
    assert "at most once" in again
    opened = push_inject(scenario, state, "gap-shows")
    assert "still waiting for the team's decision" in push_refusal(scenario, opened, "rumour")
    with pytest.raises(IllegalMove, match="at most once"):
        push_inject(scenario, state, "rumour")
    natural = choose(scenario, new_game(scenario), "alone")  # went alone, security 60
    assert natural.node == "gap-shows"  # fired on its own
    natural = choose(scenario, natural, "apologise")
    said = push_refusal(scenario, natural, "gap-shows")
    assert "already happened on its own to this team after decision 1" in said
    finished = choose(scenario, choose(scenario, natural, "rights-first"), "keep")
    assert "reached an ending" in push_refusal(scenario, finished, "rumour")
    assert "no inject 'nope'" in push_refusal(scenario, new_game(scenario), "nope")


def test_the_condition_is_the_facilitator_s_to_overrule_and_the_note_says_so(scenario):
    start = new_game(scenario)
    assert "(went_alone and security >= 60) does not hold" in condition_note(
        scenario, start, "gap-shows"
    )
    gone_alone = choose(scenario, start, "alone")
    assert gone_alone.node == "gap-shows"
    assert "(trust >= 95) does not hold" in condition_note(scenario, gone_alone, "rumour")
    assert condition_note(scenario, gone_alone, "gap-shows").startswith("Its condition holds")


def test_a_push_the_story_would_later_fire_on_its_own_does_not_fire_twice(scenario):
    pushed = push_inject(scenario, new_game(scenario), "gap-shows")
    state = choose(scenario, pushed, "deflect")
    assert state.node == "first"
    state = choose(scenario, state, "alone")  # its condition now holds: it has fired already
    assert state.node == "second"
    assert [e.inject for e in state.events] == ["gap-shows"]


def test_rebuilding_a_play_puts_each_push_in_its_place(scenario):
    state = choose(scenario, new_game(scenario), "consult")
    state = push_inject(scenario, state, "rumour")
    state = push_inject(scenario, state, "gap-shows")
    state = choose(scenario, state, "apologise")
    state = choose(scenario, state, "rights-first")
    choices = [d.choice for d in state.decisions]
    assert rebuild(scenario, choices, [(1, "rumour"), (1, "gap-shows")]) == state
    assert state_after(scenario, state, 1).node == "gap-shows"
    assert state_after(scenario, state, 0) == new_game(scenario)
    assert GameStateRoundTrip.of(state) == state


class GameStateRoundTrip:
    @staticmethod
    def of(state):
        from mltcourse.engine.state import GameState

        return GameState.from_json(state.to_json())


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_pushing_at_any_point_of_a_random_play_never_breaks_it(scenario, data):
    state = new_game(scenario)
    pushes = 0
    while not state.finished:
        if data.draw(st.booleans(), label="push now"):
            inject = data.draw(st.sampled_from([i.id for i in scenario.injects]), label="inject")
            refusal = push_refusal(scenario, state, inject)
            if refusal is None:
                state = push_inject(scenario, state, inject)
                pushes += 1
            else:
                assert isinstance(refusal, str) and refusal.endswith(".")
                with pytest.raises(IllegalMove):
                    push_inject(scenario, state, inject)
        options = open_choices(scenario, state)
        assert options  # a push never leaves a team with nothing to decide
        state = choose(scenario, state, data.draw(st.sampled_from([c.id for c in options])))
        for name, indicator in scenario.indicators.items():
            assert indicator.min <= state.value[name] <= indicator.max
    assert len([e for e in state.events if e.pushed]) == pushes
    replayed = rebuild(
        scenario,
        [d.choice for d in state.decisions],
        [(e.after, e.inject) for e in state.events if e.pushed],
    )
    assert replayed == state


# --- the exercise ----------------------------------------------------------------------------


def test_a_push_sets_aside_the_votes_of_the_decision_it_interrupts(scenario):
    ex = enter_tally(scenario, new_exercise(scenario, "A,B"), 0, {"consult": 2, "alone": 1})
    kept = push_to_team(scenario, ex, 0, "rumour")  # same options: the votes stand
    assert kept.teams[0].tally == ex.teams[0].tally
    ex = push_to_team(scenario, kept, 0, "gap-shows")
    team = ex.teams[0]
    assert team.tally is None and team.state.node == "gap-shows"
    assert ex.teams[1].state == new_game(scenario)  # one team only


def test_undo_takes_back_the_push_before_the_decision_before_it(scenario):
    ex = record_choice(scenario, new_exercise(scenario, "A"), 0, "consult")
    ex = push_to_team(scenario, ex, 0, "gap-shows")
    ex = record_choice(scenario, ex, 0, "deflect")
    ex, undone = undo_last(scenario, ex, 0)  # the inject's decision: back at the inject
    assert undone.choice == "deflect" and ex.teams[0].state.node == "gap-shows"
    assert last_push(ex.teams[0]).inject == "gap-shows"
    with pytest.raises(ExerciseError, match="pushed"):
        undo_last(scenario, ex, 0)
    ex, inject = take_back_push(scenario, ex, 0)
    assert inject == "gap-shows"
    assert ex.teams[0].state == choose(scenario, new_game(scenario), "consult")
    with pytest.raises(ExerciseError, match="no inject pushed"):
        take_back_push(scenario, ex, 0)


def test_a_resume_replays_the_pushes_in_place(store, scenario):
    live = start_exercise(store, scenario, "A,B")
    live.record_choice(0, "consult")
    live.push_inject(0, "rumour")
    assert 0 in live.events  # on the projector until the room moves on
    live.push_inject(0, "gap-shows")
    live.record_choice(0, "apologise")
    live.push_inject(1, "rumour")
    live.take_back_push(1)
    again = resume_exercise(store, live.id, scenario)
    assert again.exercise == live.exercise
    assert again.exercise.teams[1].state == new_game(scenario)
    assert again.note is None
    record = store.record(live.id)
    assert [(p.inject, p.decisions) for p in record.teams[0].pushes] == [
        ("rumour", 1),
        ("gap-shows", 1),
    ]
    assert record.teams[1].pushes[0].taken_back is not None


def test_an_unseen_pushed_event_is_on_the_projector_again_after_a_resume(store, scenario):
    live = start_exercise(store, scenario, "A")
    live.push_inject(0, "rumour")
    before, after, inject = resume_exercise(store, live.id, scenario).events[0]
    assert inject == "rumour" and before == new_game(scenario) and after.value["security"] == 30
    live.move_on(0)
    assert resume_exercise(store, live.id, scenario).events == {}


KILLED = textwrap.dedent(
    """
    import sys, time
    from mltcourse.content.loader import load_course
    from mltcourse.store import ProgressStore
    from mltcourse.store.exercises import ExerciseStore, start_exercise

    scenario = load_course(sys.argv[1]).scenarios["crossroads"]
    live = start_exercise(ExerciseStore(ProgressStore.in_dir(sys.argv[2])), scenario, "A,B")
    live.record_choice(0, "consult")
    live.push_inject(0, "gap-shows")
    live.push_inject(1, "rumour")
    print(live.id, live.exercise.teams[0].state.to_json(), flush=True)
    time.sleep(60)
    """
)


def test_a_killed_facilitator_loses_no_push(tmp_path, scenario):
    root = push_course(tmp_path / "src")
    data = tmp_path / "killed"
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED, str(root), str(data)], stdout=subprocess.PIPE, text=True
    )
    try:
        exercise_id, state = child.stdout.readline().split(" ", 1)
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
    progress = ProgressStore.in_dir(data)
    try:
        live = resume_exercise(ExerciseStore(progress), int(exercise_id), scenario)
    finally:
        progress.close()
    alpha, bravo = live.exercise.teams
    assert alpha.state.to_json() == state.strip()
    assert alpha.state.node == "gap-shows"
    assert bravo.state.value["security"] == 30 and bravo.state.node == "first"


# --- the after-action review and xAPI --------------------------------------------------------


def _pushed_exercise(store, scenario):
    live = start_exercise(store, scenario, "A,B", facilitator="Dana Trainer")
    live.record_choice(0, "consult")
    live.push_inject(0, "gap-shows")
    live.record_choice(0, "deflect")
    live.push_inject(1, "rumour")
    live.take_back_push(1)
    live.record_choice(1, "alone")  # gap-shows fires on its own for B
    return live


def test_the_review_shows_each_push_as_the_facilitator_s_and_when(store, root, scenario):
    course = load_course(root)
    live = _pushed_exercise(store, scenario)
    record = store.record(live.id)
    review = after_action_of(course, record)
    alpha, bravo = review.teams
    assert [s.heading for s in alpha.steps] == ["First", "The gap shows (pushed)"]
    assert [s.heading for s in bravo.steps] == ["First"]
    pushed_at = when(record.teams[0].pushes[0].pushed, with_date=False)
    text = after_action_markdown(review)
    assert f"“The gap shows” pushed by the facilitator after decision 1 ({pushed_at})." in text
    assert "“The gap shows” happened after decision 1, its condition met." in text
    assert "“A rumour spreads” pushed by the facilitator before its first decision" in text
    assert "then taken back" in text
    page = after_action_html(review)
    assert "The gap shows (pushed)" in page and "pushed by the facilitator" in page


def test_xapi_gives_a_push_as_experienced_with_the_facilitator_as_instructor(store, root, scenario):
    course = load_course(root)
    live = _pushed_exercise(store, scenario)
    record = store.record(live.id)
    statements = team_statements(course, record)
    assert all(statement_problems(s) == [] for s in statements)
    pushed = [s for s in statements if "/injects/" in s["object"].get("id", "")]
    assert [(s["actor"]["name"], s["object"]["definition"]["name"]["en-US"]) for s in pushed] == [
        ("A", "The gap shows"),
        ("B", "A rumour spreads"),
    ]
    assert all(s["verb"]["display"]["en-US"] == "experienced" for s in pushed)
    assert pushed[0]["context"]["instructor"]["name"] == "Dana Trainer"
    assert pushed[0]["result"]["extensions"][EXT_PUSHED_AFTER] == 1
    assert pushed[0]["timestamp"] == timestamp(record.teams[0].pushes[0].pushed)
    voided = [s for s in statements if s["verb"]["display"]["en-US"] == "voided"]
    assert {"objectType": "StatementRef", "id": pushed[1]["id"]} in [s["object"] for s in voided]
    answered = [s for s in statements if s["verb"]["display"]["en-US"] == "answered"]
    assert [s["result"]["response"] for s in answered if s["actor"]["name"] == "A"] == [
        "consult",
        "deflect",
    ]
