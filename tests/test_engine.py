import json

import pytest

from helpers import CORE_COURSE
from mltcourse.content.loader import load_course
from mltcourse.engine.analysis import analyse
from mltcourse.engine.playtest import policy_play, random_playtest
from mltcourse.engine.scoring import quality, risk_ledger, score
from mltcourse.engine.state import (
    GameState,
    IllegalMove,
    choose,
    history,
    new_game,
    open_choices,
    replay,
)


@pytest.fixture(scope="module")
def scenario():
    return load_course(CORE_COURSE).scenarios["crossroads"]


def test_new_game_starts_at_start_with_start_values(scenario):
    state = new_game(scenario)
    assert state.node == "first"
    assert dict(state.values) == {"trust": 50, "security": 50}
    assert [c.id for c in open_choices(scenario, state)] == ["consult", "alone"]


def test_effects_flags_and_gated_choices(scenario):
    state = choose(scenario, new_game(scenario), "consult")
    assert state.value["trust"] == 60 and state.value["security"] == 45
    assert [c.id for c in open_choices(scenario, state)] == [
        "rights-first",
        "security-first",
        "bold",
    ]
    state = replay(scenario, ["alone", "apologise"])
    assert "went_alone" in state.flags
    assert state.node == "second" and state.value["trust"] == 45
    assert [c.id for c in open_choices(scenario, state)] == ["rights-first", "security-first"]


def test_inject_fires_once_and_resumes_where_the_story_was_heading(scenario):
    state = replay(scenario, ["alone"])
    assert state.node == "gap-shows"  # security 60 and went_alone: the inject asks for a decision
    assert state.value["trust"] == 40  # the inject's own effect
    assert [e.inject for e in state.events] == ["gap-shows"]
    state = choose(scenario, state, "apologise")
    assert state.node == "second"  # resumed
    state = choose(scenario, state, "security-first")
    assert [e.inject for e in state.events] == ["gap-shows"]  # not again


def test_illegal_moves(scenario):
    with pytest.raises(IllegalMove):
        choose(scenario, new_game(scenario), "bold")
    finished = replay(scenario, ["consult", "bold"])
    assert finished.finished and finished.ending == "good"
    with pytest.raises(IllegalMove):
        choose(scenario, finished, "consult")


def test_effects_are_clamped(scenario):
    state = replay(scenario, ["consult", "rights-first", "hand-over"])
    assert all(0 <= v <= 100 for _, v in state.values)


def test_ending_selection_in_order(scenario):
    assert replay(scenario, ["consult", "bold"]).ending == "good"  # trust 80
    assert replay(scenario, ["consult", "security-first", "keep"]).ending == "middling"
    assert replay(scenario, ["alone", "deflect", "security-first", "keep"]).ending == "bad"


def test_state_json_round_trip(scenario):
    state = replay(scenario, ["alone", "apologise", "rights-first"])
    again = GameState.from_json(state.to_json())
    assert again == state
    assert json.loads(again.to_json()) == json.loads(state.to_json())


def test_quality_is_position_between_worst_and_best():
    assert quality(2, [2, -1, 0]) == 1
    assert quality(-1, [2, -1, 0]) == 0
    assert quality(0, [2, -1, 0]) == pytest.approx(1 / 3)
    assert quality(1, [1, 1]) is None


def test_scoring_judges_against_open_options(scenario):
    best = replay(scenario, ["consult", "bold"])
    result = score(scenario, best)
    assert result.overall == 1.0
    # at 'second' three choices were open; bold was best overall
    assert result.decisions[1].best == ("bold",)
    worst = replay(scenario, ["alone", "deflect", "security-first", "keep"])
    result = score(scenario, worst)
    assert result.overall == 0.0
    assert result.principles["coordination"] == 0.0


def test_decision_not_counting_for_a_principle_when_options_are_equal_on_it(scenario):
    state = replay(scenario, ["consult", "rights-first", "hand-over"])
    third = score(scenario, state).decisions[2]
    assert set(third.principles) == {"ownership"}


def test_risk_ledger(scenario):
    state = replay(scenario, ["alone", "deflect", "security-first", "keep"])
    ledger = risk_ledger(scenario, state)
    assert ledger.raised == ("basics.gap", "basics.backlash")
    assert ledger.materialized == ("basics.gap",)
    assert ledger.mitigated == ()


def test_history_has_a_point_per_decision(scenario):
    state = replay(scenario, ["consult", "rights-first", "hand-over"])
    series = history(scenario, state)
    assert series["trust"] == [50, 60, 70, 75]


def test_policies(scenario):
    assert policy_play(scenario, "best").ending == "good"
    assert policy_play(scenario, "worst").ending == "bad"


def test_analysis_bounds_and_paths(scenario):
    result = analyse(scenario)
    assert result.best == 1.0 and result.worst == 0.0
    assert result.best_path == ["first/consult", "second/bold"]
    assert result.worst_path[0] == "first/alone"
    assert result.reachable_endings == {"good", "middling", "bad"}
    assert (result.min_decisions, result.max_decisions) == (2, 4)
    assert result.cycles == set()


def test_random_playtest_is_reproducible_and_counts(scenario):
    first = random_playtest(scenario, 500, seed=7).as_json(scenario)
    second = random_playtest(scenario, 500, seed=7).as_json(scenario)
    assert first == second
    assert sum(first["endings"].values()) == 500
    assert first["unvisited_scenes"] == [] and first["unvisited_choices"] == []
    assert first["scene_visits"]["first"] == 500
    assert first["risks"]["materialized"]["basics.gap"] == first["inject_fires"]["gap-shows"]
    other = random_playtest(scenario, 500, seed=8).as_json(scenario)
    assert other["choice_visits"] != first["choice_visits"]


def test_scene_loops_are_found_statically(scenario):
    from dataclasses import replace
    from types import MappingProxyType

    from mltcourse.engine.analysis import scene_loops

    assert scene_loops(scenario) == []
    third = scenario.scenes["third"]
    keep = third.choices[1]
    new_third = replace(third, choices=(third.choices[0], replace(keep, next="first")))
    looped = replace(scenario, scenes=MappingProxyType({**scenario.scenes, "third": new_third}))
    assert scene_loops(looped) == [["first", "second", "third"]]


def test_the_analysis_and_random_playtest_stop_at_their_time_limit_and_say_so():
    from helpers import CORE_COURSE
    from mltcourse.content.loader import load_course
    from mltcourse.engine.analysis import AnalysisTooLarge, analyse
    from mltcourse.engine.playtest import random_playtest

    scenario = load_course(CORE_COURSE).scenarios["crossroads"]
    with pytest.raises(AnalysisTooLarge, match=r"stopped after 0 s at \d+ states"):
        analyse(scenario, time_limit=-1)
    report = random_playtest(scenario, 10_000, seed=1, time_limit=-1)
    assert report.runs == 1 and report.stopped == "stopped after 0 s at 1 plays"
    assert report.as_json(scenario)["stopped"] == report.stopped
    assert random_playtest(scenario, 50, seed=1).stopped is None
