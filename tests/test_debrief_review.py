"""The debrief explains the trade-off: every open option weighed, the principle profile
explained, and the risk ledger told in order, in the data and in Markdown and HTML."""

import pytest

from helpers import copy_course
from mltcourse.content.loader import load_course
from mltcourse.engine.state import new_game, replay
from mltcourse.reports.debrief import build_debrief
from mltcourse.reports.html import debrief_html
from mltcourse.reports.markdown import debrief_markdown, md


@pytest.fixture
def course(tmp_path):
    root = copy_course(tmp_path)
    path = root / "scenarios" / "crossroads.yaml"
    # The doctrine-best hand-over now strains coordination: a best option with a cost.
    text = path.read_text().replace(
        "principles: {ownership: 2}\n", "principles: {ownership: 3, coordination: -1}\n"
    )
    path.write_text(text)
    loaded = load_course(root)
    assert [str(d) for d in loaded.errors] == []
    return loaded


def _debrief(course, *choices):
    scenario = course.scenarios["crossroads"]
    return build_debrief(scenario, replay(scenario, list(choices)), course)


def test_every_open_option_is_shown_with_what_it_bought_and_cost(course):
    debrief = _debrief(course, "consult", "rights-first", "hand-over")
    second = debrief.decisions[1]
    assert [o.id for o in second.options] == ["rights-first", "security-first", "bold"]
    verdicts = {o.id: o.verdict for o in second.options}
    assert verdicts == {
        "rights-first": "defensible",
        "security-first": None,
        "bold": "doctrine-best",
    }
    assert second.defensible == ("rights-first",) and second.close_call
    security_first = next(o for o in second.options if o.id == "security-first")
    assert security_first.buys() == ["Security +15"]
    assert security_first.costs() == ["Trust -5", "Rights -1", "raises “Backlash”"]
    assert "A close call" in second.why and "“Put rights first.”" in second.why
    first = debrief.decisions[0]
    assert not first.close_call and "A close call" not in first.why
    assert "it honours Coordination +2 and mitigates “Capacity gap”" in first.why


def test_options_closed_at_the_time_are_not_shown(course):
    scenario = course.scenarios["crossroads"]
    state = replay(scenario, ["alone", "deflect", "rights-first", "hand-over"])
    debrief = build_debrief(scenario, state, course)
    second = next(d for d in debrief.decisions if d.node == "second")
    assert [o.id for o in second.options] == ["rights-first", "security-first"]  # no 'bold'
    assert not second.defensible


def test_a_strained_principle_is_explained_even_when_the_best_option_strained_it(course):
    debrief = _debrief(course, "consult", "rights-first", "hand-over")
    assert debrief.score.overall < 1  # rights-first was defensible, not the best
    [note] = [n for n in debrief.principle_notes if n.title == "Coordination"]
    assert note.quality == 0.5
    [sentence] = note.strained_at
    assert sentence.startswith("Decision 3, Third: your choice scored -1 on it")
    assert "It was still the doctrine-best choice overall" in sentence
    [ownership] = [n for n in debrief.principle_notes if n.title == "Ownership"]
    assert ownership.strained_at == (
        "Decision 2, Second: your choice scored 0 on it where another open option scored +2.",
    )
    # A principle the player always honoured as well as possible has no note.
    assert "Rights" not in {n.title for n in debrief.principle_notes}


def test_the_risk_ledger_is_told_in_order_with_titles_not_ids(course):
    debrief = _debrief(course, "alone", "apologise", "security-first", "keep")
    story = [(e.kind, e.after, e.risk_title) for e in debrief.risk_story]
    assert story == [
        ("raised", 1, "Capacity gap"),
        ("materialised", 1, "Capacity gap"),
        ("raised", 3, "Backlash"),
    ]
    raised, materialised, _ = debrief.risk_story
    assert raised.cause == "“Act alone”"
    assert materialised.cause == "The gap shows"
    assert raised.section_title == "Basics › Challenges and risks: Capacity gap"
    assert raised.section == "basics#risk-gap"


def test_markdown_and_html_carry_the_review(course):
    debrief = _debrief(course, "consult", "rights-first", "hand-over")
    text = debrief_markdown(debrief, course)
    assert "| principle | quality | chart |" in text
    assert "| option | verdict | value | buys | costs |" in text
    assert "| Put security first. |  | -2 | Security +15 |" in text
    assert "(defensible alternative)" in text
    assert "### Why a principle reads below 100 %" in text
    assert "At decision 1: **Mitigated** “Capacity gap”" in text
    assert "basics#" not in text  # sections by their titles, not ids
    page = debrief_html(debrief, course)
    assert "<th>Buys</th><th>Costs</th>" in page and "defensible alternative" in page
    assert "Why a principle reads below 100 %" in page
    assert "basics#" not in page


def test_the_unfinished_debrief_has_no_review_rows(course):
    scenario = course.scenarios["crossroads"]
    debrief = build_debrief(scenario, new_game(scenario), course)
    assert debrief.decisions == () and debrief.risk_story == () and debrief.principle_notes == ()
    assert "No risk was raised" in debrief_markdown(debrief, course)


@pytest.mark.parametrize(
    "raw", ["<script>alert(1)</script>", "a | b", "**bold** [link](http://x)", "# heading"]
)
def test_content_cannot_add_markdown(raw):
    escaped = md(raw)
    for mark in ("<", "|", "**", "[", "#"):
        assert mark not in escaped.replace("\\" + mark[0], "")
