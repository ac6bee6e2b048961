"""The pedagogy lint: the best option must not be findable from the surface, and must cost."""

import pytest

from helpers import copy_course
from mltcourse.content.loader import load_course
from mltcourse.engine import judgement
from mltcourse.engine.lint import lint_module, lint_scenario

CROSSROADS = "scenarios/crossroads.yaml"
MODULE = "modules/01-basics/module.yaml"


def _edit(root, relative, *replacements):
    path = root / relative
    text = path.read_text()
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    path.write_text(text)


def _warnings(root, scenario="crossroads"):
    course = load_course(root)
    assert [str(d) for d in course.errors] == []
    return [w.message for w in lint_scenario(course.scenarios[scenario])], course


@pytest.fixture
def root(tmp_path):
    return copy_course(tmp_path)


def test_a_best_option_found_by_its_length_is_reported_at_the_first_decision(root):
    course = load_course(root)
    [warning] = [
        w for w in lint_scenario(course.scenarios["crossroads"]) if "is the longest" in w.message
    ]
    assert "longest in 4 of 4 decisions" in warning.message
    assert (warning.line, warning.column) == course.scenarios["crossroads"].scenes["first"].pos
    # Give three of the weaker options the longer text: the cue is gone.
    _edit(
        root,
        CROSSROADS,
        ("text: Act alone.", "text: Act alone, at once, on the mission's own authority."),
        ("text: Put security first.", "text: Put security first and hold every road by force."),
        ("text: Keep control.", "text: Keep control of the office for another whole year."),
    )
    messages, _ = _warnings(root)
    assert not [m for m in messages if "is the longest" in m]


def test_no_costly_best_option_is_reported_until_one_best_option_pays_a_price(root):
    messages, _ = _warnings(root)
    assert any("no decision gives its doctrine-best option a cost" in m for m in messages)
    _edit(
        root,
        CROSSROADS,
        ("principles: {ownership: 2}\n", "principles: {ownership: 3, coordination: -1}\n"),
    )
    messages, course = _warnings(root)
    third = course.scenarios["crossroads"].scenes["third"]
    assert judgement.decision_cues(third).best_costs
    assert not any("a cost" in m for m in messages)


def test_a_scenario_without_a_close_call_is_reported(root):
    messages, _ = _warnings(root)
    assert not any(
        "close call" in m for m in messages
    )  # 'bold' is within a point of 'rights-first'
    _edit(root, CROSSROADS, ("principles: {ownership: 2, rights: 1}", "principles: {rights: -1}"))
    messages, _ = _warnings(root)
    assert any("no decision is a close call" in m for m in messages)


def test_a_best_play_that_ends_at_the_caps_is_reported_at_its_last_decision(root):
    messages, _ = _warnings(root)
    assert not any("at their cap" in m for m in messages)
    _edit(
        root,
        CROSSROADS,
        ("trust: {label: Trust, start: 50}", "trust: {label: Trust, start: 50, max: 70}"),
    )
    course = load_course(root)
    scenario = course.scenarios["crossroads"]
    [warning] = [w for w in lint_scenario(scenario) if "at their cap" in w.message]
    assert "1 of 2 indicators at their cap (trust)" in warning.message
    assert (warning.line, warning.column) == scenario.scenes["second"].pos  # 'bold' ends the play


def test_a_check_whose_right_answer_gives_no_reason_is_reported_at_the_check(root):
    course = load_course(root)
    module = course.module("basics")
    who = next(c for c in module.checks if c.id == "who")
    warnings = [w for w in lint_module(module, course) if "'who'" in w.message]
    assert [w.message for w in warnings] == [
        "check 'who': the explanation of the right answer gives no reason; say why it is right, "
        "in the doctrine's terms"
    ]
    assert (warnings[0].line, warnings[0].column) == who.pos
    _edit(
        root,
        MODULE,
        (
            "explanation: Right, the mission supports.",
            "explanation: >-\n          Right. The UNCT and the host government lead development,"
            " and the mission\n          supports them, because only national actors can sustain"
            " it.",
        ),
    )
    course = load_course(root)
    module = course.module("basics")
    assert not [w for w in lint_module(module, course) if "'who'" in w.message]


@pytest.mark.parametrize(
    ("explanation", "bare"),
    [
        ("Right. Protection is the third pillar.", True),
        ("Correct.", True),
        (
            "Right. Protection is one of the four pillars, and the mission's protection strategy "
            "for SGBV is how it shows in practice (6.2).",
            False,
        ),
    ],
)
def test_what_counts_as_an_explanation_without_a_reason(explanation, bare):
    assert judgement.gives_no_reason(explanation) is bare


def test_right_answers_found_by_their_length_are_reported_for_the_module(root):
    second_check = """  - id: who-else
    kind: single
    prompt: Who coordinates relief?
    objective: know-lead
    tests: [coordination]
    options:
      - text: OCHA, with the humanitarian country team and the agencies it brings together
        correct: true
        explanation: >-
          OCHA coordinates humanitarian relief for the UN system, and the mission supports
          it rather than leading, which keeps humanitarian space intact.
      - text: The Force Commander
        explanation: The force supports relief only as a last resort, and never leads it.
"""
    _edit(
        root,
        MODULE,
        ("checks:\n", "checks:\n" + second_check),
        ("- text: The peace operation's own sections", "- text: The mission's sections"),
    )
    course = load_course(root)
    assert [str(d) for d in course.errors] == []
    module = course.module("basics")
    messages = [w.message for w in lint_module(module, course)]
    assert any(
        "the right option is the longest in 2 of 2 single-answer checks" in m for m in messages
    )
    _edit(
        root,
        MODULE,
        (
            "- text: The Force Commander\n",
            "- text: The Force Commander, who commands every unit that moves relief in the"
            " mission area\n",
        ),
    )
    course = load_course(root)
    messages = [w.message for w in lint_module(course.module("basics"), course)]
    assert not any("single-answer checks" in m for m in messages)
