"""Story text in the records that outlive a play: the after-action review (its prompts,
Markdown, HTML and CSV), the records CSV and the xAPI statements read every text of a
decision (its text, options and feedback) in the state it was shown in, and never show its
braces; titles and notes are shown as written."""

from __future__ import annotations

import json

import pytest

from exercisetest import exercise_course
from mltcourse.content.loader import load_course
from mltcourse.engine.exercise import new_exercise, push_to_team, record_choice
from mltcourse.reports.aar import build_after_action
from mltcourse.reports.aar_files import decisions_csv
from mltcourse.reports.aar_html import after_action_html
from mltcourse.reports.aar_markdown import after_action_markdown
from mltcourse.reports.records_csv import records_csv
from mltcourse.reports.xapi import learner_statements
from mltcourse.reports.xapi_teams import team_statements
from mltcourse.store import TRAINING, ProgressStore
from mltcourse.store.attempts import start
from mltcourse.store.exercises import ExerciseStore, start_exercise
from mltcourse.store.records import learner_histories

# The second scene's text, options and feedback follow trust and whether the first decision
# went alone; its title and notes are literal.
SECOND = """\
  second:
    title: Second
    text: >-
      Trust stands at {trust}. {if went_alone: The ministry remembers you went alone.}
    notes: Ask what trust allowed.
    choices:
      - id: rights-first
        text: 'Put rights first ({trust}).'
        next: third
        effects: {trust: 10, security: -10}
        principles: {rights: 2}
        feedback: >-
          Protecting people first{if went_alone:, late,} costs security but builds trust.
        notes: Rights chosen.
        section: basics#risks
      - id: security-first
        text: 'Put security first{if trust < 50: , again}.'
        next: third
        effects: {security: 15, trust: -5}
        principles: {rights: -1}
        raises: [basics.backlash]
        feedback: Security gains are real, but rights concerns breed resentment over time.
        section: basics#risks
"""


def storied_course(tmp_path):
    root = exercise_course(tmp_path)
    path = root / "scenarios" / "crossroads.yaml"
    text = path.read_text(encoding="utf-8")
    start, end = text.index("  second:\n"), text.index("  third:\n")
    text = text[:start] + SECOND + text[end:]
    text = text.replace("text: Apologise and consult.", "text: 'Apologise at {trust} and consult.'")
    path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    course = load_course(storied_course(tmp_path_factory.mktemp("storied")))
    assert course.errors == ()
    return course


@pytest.fixture(scope="module")
def scenario(course):
    return course.scenarios["crossroads"]


def played(scenario):
    """Alpha consults (trust 60 at the second scene); Bravo goes alone, the gap shows and it
    apologises (trust 45); Charlie is pushed the inject, deflects (trust 50)."""
    ex = new_exercise(scenario, ["Alpha", "Bravo", "Charlie"])
    for choice in ("consult", "rights-first", "hand-over"):
        ex = record_choice(scenario, ex, 0, choice)
    for choice in ("alone", "apologise", "rights-first", "keep"):
        ex = record_choice(scenario, ex, 1, choice)
    ex = record_choice(scenario, ex, 2, "consult")
    ex = push_to_team(scenario, ex, 2, "gap-shows")
    for choice in ("deflect", "security-first", "keep"):
        ex = record_choice(scenario, ex, 2, choice)
    assert ex.finished
    return ex


def test_each_team_step_reads_in_that_teams_state(course, scenario):
    review = build_after_action(course, scenario, played(scenario))
    alpha, bravo, charlie = ({s.node: s for s in team.steps} for team in review.teams)
    assert (alpha["second"].node_title, alpha["second"].choice_text) == (
        "Second",
        "Put rights first (60).",
    )
    assert bravo["second"].choice_text == "Put rights first (45)."
    assert charlie["second"].choice_text == "Put security first."  # trust 50 after deflect
    assert bravo["gap-shows"].choice_text == "Apologise at 40 and consult."  # the inject's -10
    charlie_events = review.teams[2].events
    assert [e.title for e in charlie_events] == ["The gap shows"]


def test_a_prompt_reads_each_option_as_its_first_chooser_read_it(course, scenario):
    review = build_after_action(course, scenario, played(scenario))
    second = next(p for p in review.prompts if p.node == "second")
    assert second.title == "Second"
    texts = {teams: (text, feedback) for teams, text, feedback in second.choices}
    assert texts["Alpha, Bravo"] == (
        "Put rights first (60).",
        "Protecting people first costs security but builds trust.",
    )
    assert texts["Charlie"][0] == "Put security first."
    assert second.notes == ("Ask what trust allowed.", "Rights chosen.")
    assert "“Put rights first (60)”" in second.question
    gap = next(p for p in review.prompts if p.node == "gap-shows")
    assert {teams: text for teams, text, _ in gap.choices} == {
        "Bravo": "Apologise at 40 and consult.",
        "Charlie": "Blame the ministry.",
    }


def test_no_brace_of_story_text_reaches_the_review_files(course, scenario):
    review = build_after_action(course, scenario, played(scenario))
    files = {
        "markdown": after_action_markdown(review),
        "html": after_action_html(review),
        "participants": after_action_html(review, participant=True),
        "csv": decisions_csv(review),
    }
    for name, text in files.items():
        assert "{trust}" not in text and "{if" not in text, name
    assert "Put rights first (45)." in files["csv"]
    assert "Ask what trust allowed." in files["markdown"]


@pytest.fixture
def records(course, scenario, tmp_path):
    """A learner who went alone and apologised, and the exercise above kept in a store."""
    store = ProgressStore.in_dir(tmp_path / "data")
    ana = store.learner("Ana")
    attempt = start(store, ana.id, scenario, TRAINING)
    for choice in ("alone", "apologise", "security-first", "keep"):
        attempt.choose(choice)
    live = start_exercise(ExerciseStore(store), scenario, ("Alpha", "Bravo"))
    for choice in ("consult", "rights-first", "hand-over"):
        live.record_choice(0, choice)
    live.record_choice(1, "consult")
    live.push_inject(1, "gap-shows")
    for choice in ("deflect", "security-first", "keep"):
        live.record_choice(1, choice)
    histories = learner_histories(store)
    exercises = ExerciseStore(store).all_exercises()
    store.close()
    return histories, exercises


def _second(statements, actor):
    return next(
        s["object"]["definition"]
        for s in statements
        if s["object"]["id"].endswith("/decisions/second") and s["actor"]["name"] == actor
    )


def test_xapi_describes_a_decision_as_the_learner_read_it(course, records):
    histories, exercises = records
    ana = learner_statements(course, histories[0])
    second = _second(ana, "Ana")
    assert second["name"]["en-US"] == "Second"
    assert second["description"]["en-US"] == (
        "Trust stands at 45. The ministry remembers you went alone."
    )
    assert [c["description"]["en-US"] for c in second["choices"]] == [
        "Put rights first (45).",
        "Put security first, again.",
    ]
    teams = team_statements(course, exercises[0])
    assert _second(teams, "Alpha")["description"]["en-US"] == "Trust stands at 60."
    bravo = _second(teams, "Bravo")  # the pushed inject in place: 60 - 10 + 0
    assert bravo["description"]["en-US"] == "Trust stands at 50."
    pushed = next(s for s in teams if "/injects/" in s["object"]["id"])
    assert pushed["object"]["definition"]["name"]["en-US"] == "The gap shows"
    everything = json.dumps(ana + teams)
    assert "{trust}" not in everything and "{if" not in everything


def test_the_records_csv_gives_texts_as_they_read(course, records):
    histories, exercises = records
    table = records_csv(course, histories, exercises)
    assert "Put security first, again." in table and "Second" in table
    assert "Put rights first (60)." in table
    assert "{trust}" not in table and "{if" not in table
