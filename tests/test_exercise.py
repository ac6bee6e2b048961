"""Group exercises: the pure rules, the store (saved as it goes, resumed after a kill) and the
after-action review in Markdown, HTML and CSV."""

from __future__ import annotations

import csv
import io
import os
import re
import signal
import subprocess
import sys
import textwrap
from dataclasses import replace

import pytest

from exercisetest import CHOICE_NOTE, OWNER, SCENE_NOTE, exercise_course
from mltcourse.content.loader import load_course
from mltcourse.engine.exercise import (
    FACILITATOR,
    MAJORITY,
    RECORDED,
    ExerciseError,
    assign_role,
    decide_by_majority,
    decision_owner,
    enter_tally,
    new_exercise,
    record_choice,
    reveal_tally,
    team_names,
)
from mltcourse.engine.state import IllegalMove
from mltcourse.reports.aar import build_after_action
from mltcourse.reports.aar_files import decisions_csv, write_after_action
from mltcourse.reports.aar_html import after_action_html
from mltcourse.reports.aar_markdown import after_action_markdown
from mltcourse.store import ProgressStore
from mltcourse.store.exercises import ExerciseStore, resume_exercise, start_exercise


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    return load_course(exercise_course(tmp_path_factory.mktemp("exercise")))


@pytest.fixture
def scenario(course):
    return course.scenarios["crossroads"]


@pytest.fixture
def store(tmp_path):
    progress = ProgressStore.in_dir(tmp_path / "data")
    yield ExerciseStore(progress)
    progress.close()


# --- the rules -------------------------------------------------------------------------------


def test_team_names_are_trimmed_distinct_and_present():
    assert team_names(" Alpha, Bravo ,,Charlie ") == ("Alpha", "Bravo", "Charlie")
    for bad in ("", " , ", "Alpha,alpha", ",".join(f"T{i}" for i in range(10))):
        with pytest.raises(ExerciseError):
            team_names(bad)


def test_a_majority_vote_decides_and_a_tie_needs_the_facilitators_call(scenario):
    ex = new_exercise(scenario, "Alpha,Bravo,Charlie")
    ex = enter_tally(scenario, ex, 0, {"consult": 4, "alone": 1})
    ex = decide_by_majority(scenario, ex, 0)
    alpha = ex.teams[0].decisions[-1]
    assert (alpha.choice, alpha.how, alpha.tally.revealed) == ("consult", MAJORITY, True)

    ex = enter_tally(scenario, ex, 1, {"consult": 2, "alone": 2})
    with pytest.raises(ExerciseError, match="tie"):
        decide_by_majority(scenario, ex, 1)
    ex = record_choice(scenario, ex, 1, "alone")
    assert ex.teams[1].decisions[-1].how == FACILITATOR

    ex = enter_tally(scenario, ex, 2, {"consult": 5, "alone": 0})
    ex = record_choice(scenario, ex, 2, "alone")  # overriding the vote
    assert ex.teams[2].decisions[-1].how == FACILITATOR
    assert ex.teams[2].tally is None  # cleared for the next decision

    ex = record_choice(scenario, ex, 0, "rights-first")
    assert ex.teams[0].decisions[-1].how == RECORDED
    assert ex.teams[0].decisions[-1].tally is None


def test_a_tally_stays_hidden_until_revealed_and_counts_only_open_options(scenario):
    ex = new_exercise(scenario, "Alpha")
    ex = enter_tally(scenario, ex, 0, {"consult": 3})
    assert ex.teams[0].tally.revealed is False
    assert ex.teams[0].tally.counts == (("consult", 3), ("alone", 0))
    assert reveal_tally(ex, 0).teams[0].tally.revealed is True
    for counts in ({"bold": 2}, {"consult": -1}, {"consult": 0}):
        with pytest.raises(ExerciseError):
            enter_tally(scenario, ex, 0, counts)
    with pytest.raises(IllegalMove):
        record_choice(scenario, ex, 0, "bold")  # gated by trust >= 60, and not in this scene


def test_role_cards_and_the_owner_of_the_decision(scenario):
    ex = new_exercise(scenario, "Alpha")
    ex = assign_role(ex, 0, OWNER, "  Ben  ")
    ex = assign_role(ex, 0, "SRSG", "Ana")
    assert ex.teams[0].roles == (("SRSG", "Ana"), (OWNER, "Ben"))
    assert decision_owner(scenario, ex.teams[0]) == (OWNER, "Ben")
    assert assign_role(ex, 0, "SRSG", "").teams[0].roles == ((OWNER, "Ben"),)
    with pytest.raises(ExerciseError):
        assign_role(ex, 0, "Mayor", "Zed")


# --- the store -------------------------------------------------------------------------------


def test_every_move_is_saved_and_the_exercise_resumes_as_it_was(scenario, store, tmp_path):
    live = start_exercise(store, scenario, ("Alpha", "Bravo", "Charlie"), countdown=90)
    live.assign_role(0, OWNER, "Ben")
    live.enter_tally(0, {"consult": 3, "alone": 2})
    live.reveal_tally(0)
    live.decide_by_majority(0)
    live.record_choice(1, "alone")
    live.enter_tally(2, {"consult": 1, "alone": 4})  # hidden, not yet applied
    live.show_team(2)

    other = ProgressStore.in_dir(tmp_path / "data")  # what another process would read
    try:
        resumed = resume_exercise(ExerciseStore(other), live.id, scenario)
    finally:
        other.close()
    assert resumed.exercise == live.exercise
    assert resumed.current == 2 and resumed.exercise.countdown == 90
    assert resumed.exercise.teams[2].tally.revealed is False


def test_an_edited_scenario_drops_only_the_decisions_that_no_longer_fit(scenario, store, course):
    live = start_exercise(store, scenario, ("Alpha",))
    live.record_choice(0, "consult")
    live.record_choice(0, "rights-first")
    scenes = dict(scenario.scenes)
    second = scenes["second"]
    scenes["second"] = replace(
        second, choices=tuple(c for c in second.choices if c.id != "rights-first")
    )
    edited = replace(scenario, scenes=scenes, digest="edited")
    resumed = resume_exercise(store, live.id, edited)
    assert [d.choice for d in resumed.exercise.teams[0].decisions] == ["consult"]
    assert "Alpha from decision 2" in resumed.note
    assert len(store.record(live.id).teams[0].decisions) == 1


KILLED = textwrap.dedent(
    """
    import sys, time
    from mltcourse.content.loader import load_course
    from mltcourse.store import ProgressStore
    from mltcourse.store.exercises import ExerciseStore, start_exercise

    scenario = load_course(sys.argv[1]).scenarios["crossroads"]
    live = start_exercise(ExerciseStore(ProgressStore.in_dir(sys.argv[2])), scenario, "A,B,C")
    live.enter_tally(0, {"consult": 3, "alone": 1})
    live.decide_by_majority(0)
    live.enter_tally(1, {"consult": 1, "alone": 2})
    print(live.id, flush=True)
    time.sleep(60)
    """
)


def test_a_killed_facilitator_loses_nothing(tmp_path, scenario):
    root = exercise_course(tmp_path / "src")
    data = tmp_path / "killed"
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED, str(root), str(data)], stdout=subprocess.PIPE, text=True
    )
    try:
        exercise_id = int(child.stdout.readline())
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
    progress = ProgressStore.in_dir(data)
    try:
        assert progress.integrity() == "ok"
        live = resume_exercise(ExerciseStore(progress), exercise_id, scenario)
    finally:
        progress.close()
    teams = live.exercise.teams
    assert [d.choice for d in teams[0].decisions] == ["consult"]
    assert teams[1].tally.counts == (("consult", 1), ("alone", 2))
    assert teams[2].decisions == ()


# --- the after-action review -----------------------------------------------------------------


def played(scenario):
    """Three teams to the end: they diverge at the first decision, all pass over 'bold'."""
    ex = new_exercise(scenario, ["Alpha", "Bravo", "<b>Charlie</b>"])
    ex = assign_role(ex, 0, OWNER, "=HYPERLINK(1)")
    ex = enter_tally(scenario, ex, 0, {"consult": 3, "alone": 2})
    ex = decide_by_majority(scenario, ex, 0)
    ex = record_choice(scenario, ex, 1, "alone")
    ex = enter_tally(scenario, ex, 2, {"consult": 2, "alone": 2})
    ex = record_choice(scenario, ex, 2, "alone")
    paths = {0: ["rights-first", "hand-over"], 1: ["apologise", "rights-first", "keep"]}
    paths[2] = ["deflect", "security-first", "keep"]
    for index, path in paths.items():
        for choice in path:
            ex = record_choice(scenario, ex, index, choice)
    assert ex.finished
    return ex


def test_the_review_sets_the_teams_side_by_side_with_prompts(course, scenario):
    review = build_after_action(course, scenario, played(scenario))
    alpha, bravo, charlie = review.teams
    assert [s.choice for s in alpha.steps] == ["consult", "rights-first", "hand-over"]
    assert alpha.steps[0].votes[0] == ("consult", "Consult partners.", 3)
    assert alpha.steps[0].owner_member == "=HYPERLINK(1)"
    assert "basics.gap" in bravo.ledger.materialized
    assert alpha.rating == "success" and charlie.rating != "success"
    first = review.prompts[0]
    assert first.node == "first" and first.diverged
    assert set(first.against_doctrine) == {"Bravo", "<b>Charlie</b>"}
    assert first.notes == (SCENE_NOTE, CHOICE_NOTE)
    assert "Acting alone is fast" in "".join(f for *_, f in first.choices)

    markdown = after_action_markdown(review)
    assert "## Discussion prompts" in markdown and SCENE_NOTE in markdown
    assert "| Coordination | 100 % |" in markdown
    assert "Consult partners 3 · Act alone 2" in markdown  # options by their text, not ids


def test_the_html_page_is_self_contained_escaped_and_charted(course, scenario):
    page = after_action_html(build_after_action(course, scenario, played(scenario)))
    assert page.startswith("<!doctype html>")
    assert "<b>Charlie</b>" not in page and "&lt;b&gt;Charlie&lt;/b&gt;" in page
    assert page.count("<svg") >= 4  # quality, profiles, and a vote bar per tallied decision
    assert "<script" not in page and "src=" not in page and "http" not in page
    assert 'aria-label="Principle profiles"' in page
    assert CHOICE_NOTE in page and "Decision quality" in page


def test_the_decisions_csv_has_a_row_per_team_decision(course, scenario, tmp_path):
    review = build_after_action(course, scenario, played(scenario))
    rows = list(csv.DictReader(io.StringIO(decisions_csv(review))))
    assert len(rows) == sum(len(team.steps) for team in review.teams) == 11
    first = rows[0]
    assert (first["team"], first["choice"], first["decided_by"]) == ("Alpha", "consult", "majority")
    assert first["votes"] == "consult=3; alone=2" and first["votes_total"] == "5"
    assert first["owner_role"] == OWNER and first["owner_member"] == "'=HYPERLINK(1)"
    assert {r["decided_by"] for r in rows} == {"majority", "recorded", "facilitator"}
    written = write_after_action(review, tmp_path / "out")
    assert [p.suffix for p in written] == [".md", ".html", ".csv"]
    assert all(p.name.startswith("aar-crossroads-") for p in written)


def test_the_after_action_markdown_escapes_names_and_content_and_files_hold_no_controls(
    course, scenario, tmp_path
):
    from dataclasses import replace as swap

    ex = played(scenario)
    # A team name as a store written by anything might hold it: markup, HTML, an escape.
    teams = list(ex.teams)
    teams[1] = swap(teams[1], name="**Bold** | <img src=x> \x1b]0;pwned\a")
    ex = swap(ex, teams=tuple(teams))
    review = build_after_action(course, scenario, ex)
    text = after_action_markdown(review)
    assert "<b>Charlie</b>" not in text and "\\<b\\>Charlie\\</b\\>" in text
    assert not re.search(r"(?<!\\)<", text)  # every < from content is escaped
    assert "**Bold**" not in text and "\\|" in text
    for path in write_after_action(review, tmp_path / "aar"):
        written = path.read_text(encoding="utf-8")
        assert "\x1b" not in written and "\a" not in written, path.name
