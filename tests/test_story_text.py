"""Text that follows the story: parsing, rendering, and errors at their exact place."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import copy_course
from mltcourse.content.loader import load_course
from mltcourse.content.scalarpos import scalar_position
from mltcourse.content.story_text import (
    RenderError,
    TemplateError,
    check,
    conditional_passages,
    parse,
    render,
)

SCENARIO = "scenarios/crossroads.yaml"
TRUST = {"trust": 50, "security": 40}


def test_values_and_passages_render_for_the_state():
    text = "Trust is {trust}. {if trust >= 60: They smile.}{elif trust >= 40: They nod.}{else: No.}"
    assert render(text, {"trust": 70}, set()) == "Trust is 70. They smile."
    assert render(text, {"trust": 45.5}, set()) == "Trust is 45.5. They nod."
    assert render(text, {"trust": 10}, set()) == "Trust is 10. No."


def test_flags_nesting_and_escaped_braces():
    text = "{if went_alone: You went alone{if trust < 60: , and it shows}.} Set \\{a\\} and \\}."
    assert render(text, TRUST, {"went_alone"}) == "You went alone, and it shows. Set {a} and }."
    assert render(text, TRUST, set()) == "Set {a} and }."


def test_a_passage_that_shows_nothing_leaves_no_double_space():
    text = (
        "The chief {if went_alone: coldly} greets you.\n\n{if went_alone: A second line.}\n\nEnd."
    )
    assert render(text, TRUST, set()) == "The chief greets you.\n\nEnd."


def test_plain_text_is_returned_unchanged():
    text = "  Two  spaces, kept.\n\n\n"
    assert render(text, TRUST, set()) is text


@pytest.mark.parametrize(
    ("text", "offset", "fragment"),
    [
        ("a } b", 2, "closes nothing"),
        ("a {if trust > 5 text}", 20, "expected ':'"),
        ("a {if trust >: x}", 13, "condition:"),
        ("x {if trust > 5: open", 2, "never closed"),
        ("{else: x}", 1, "must follow"),
        ("{if a: x}{else: y}{elif b: z}", 19, "nothing may follow"),
        ("{two words}", 0, "expected an indicator name"),
    ],
)
def test_syntax_errors_carry_their_offset(text, offset, fragment):
    with pytest.raises(TemplateError) as caught:
        parse(text)
    assert caught.value.offset == offset
    assert fragment in str(caught.value)


def test_names_are_checked_with_a_suggestion():
    problems = check(parse("{trsut} {went_alone} {if went_alon: x}"), TRUST, {"went_alone"})
    messages = [(p.offset, str(p)) for p in problems]
    assert messages[0] == (1, "unknown indicator 'trsut'; did you mean 'trust'?")
    assert messages[1][0] == 9 and "flag 'went_alone'" in messages[1][1]
    assert messages[2][0] == 25 and "did you mean 'went_alone'?" in messages[2][1]


def test_conditional_passages_are_listed_outer_first():
    parts = parse("{if a: {if b: x}}{elif c: y}{else: z}")
    assert [b.source for b in conditional_passages(parts)] == ["a", "b", "c"]


def test_strict_rendering_raises_where_display_falls_back():
    assert render("{nothing} here", {}, set()) == "nothing here"
    with pytest.raises(RenderError):
        render("{nothing} here", {}, set(), strict=True)
    assert render("{if trust > 1: x} y", {}, set()) == "y"
    assert render("broken {if", {}, set()) == "broken {if"


_PIECES = st.sampled_from(
    ["{", "}", "\\{", "\\}", "\\", "{trust}", "{if ", "{elif ", "{else:", ":", "trust > 5",
     "went_alone", " and ", "[bold]", "[/]", "\n", " ", "x", "é", "-", "(", ")", "not "]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(
    st.lists(_PIECES, max_size=30).map("".join),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
)
def test_rendering_never_raises_and_adds_no_markup(text, trust, flag):
    """Whatever the text and state, display works and adds only digits of a value."""
    out = render(text, {"trust": trust, "security": 1}, {"went_alone"} if flag else set())
    allowed = set(text) | set("0123456789.-infa")
    assert set(out) <= allowed
    if "[" not in text:
        assert "[" not in out


def test_scalar_positions_in_plain_quoted_and_block_values():
    lines = ['text: "say \\"hi\\" {x}"', "text: >-", "  folded line", "  goes {on}"]
    assert scalar_position(lines, (1, 7), 'say "hi" {x}', 9) == (1, 19)
    assert scalar_position(lines, (2, 7), "folded line goes {on}", 17) == (4, 8)


def _errors(root: Path) -> list[str]:
    return [f"{d.line}:{d.column}: {d.message}" for d in load_course(root).errors]


def _mutated(tmp_path: Path, old: str, new: str) -> Path:
    root = copy_course(tmp_path)
    path = root / SCENARIO
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    return root


def test_an_unknown_name_in_a_block_scene_text_is_reported_at_its_column(tmp_path):
    root = _mutated(
        tmp_path,
        "    text: A second choice.\n",
        "    text: |\n      A second choice.\n      Trust {if trst > 5: holds}.\n",
    )
    line = (root / SCENARIO).read_text().splitlines().index("      Trust {if trst > 5: holds}.") + 1
    assert _errors(root) == [
        f"{line}:17: text: condition: unknown indicator or flag 'trst'; did you mean 'trust'?"
    ]


def test_a_syntax_error_in_feedback_and_in_an_ending(tmp_path):
    root = _mutated(
        tmp_path,
        "feedback: Consulting keeps partners",
        "feedback: Consulting {trust keeps partners",
    )
    path = root / SCENARIO
    path.write_text(path.read_text().replace("text: Trust is low.", "text: Trust is {low}."))
    errors = _errors(root)
    lines = path.read_text().splitlines()
    feedback = next(i for i, t in enumerate(lines) if "Consulting {trust" in t) + 1
    ending = next(i for i, t in enumerate(lines) if "Trust is {low}" in t) + 1
    column = lines[feedback - 1].index("{trust") + 1
    assert errors[0].startswith(f"{feedback}:{column}: text: expected an indicator name")
    assert errors[1] == f"{ending}:21: text: unknown indicator 'low'"


def test_a_valid_text_loads_and_keeps_its_source(tmp_path):
    root = _mutated(tmp_path, "text: A third choice.", "text: 'Trust is {trust}{if went_alone: .}'")
    course = load_course(root)
    assert course.errors == ()
    assert (
        course.scenarios["crossroads"].scenes["third"].text == "Trust is {trust}{if went_alone: .}"
    )


def _storied_course(tmp_path: Path) -> Path:
    """The fixture course with a scene, a feedback and an ending that refer back."""
    root = _mutated(
        tmp_path,
        "    text: A third choice.",
        "    text: >-\n      Trust is at {trust}. {if went_alone: The ministry remembers you went"
        "\n      alone.}{else: The ministry thanks you for asking.}",
    )
    path = root / SCENARIO
    text = path.read_text()
    text = text.replace(
        "feedback: Keeping control holds security steady but the country learns nothing.",
        "feedback: Keeping control holds security steady{if went_alone:, again,} but the "
        "country learns nothing.",
    )
    text = text.replace("text: It is fine.", "text: 'It is fine{if trust < 60: , just}.'")
    path.write_text(text)
    return root


def test_the_debrief_and_reports_show_the_text_as_it_read(tmp_path):
    from mltcourse.engine.state import replay
    from mltcourse.engine.story import text_in
    from mltcourse.reports.debrief import build_debrief
    from mltcourse.reports.html import debrief_html
    from mltcourse.reports.markdown import debrief_markdown

    course = load_course(_storied_course(tmp_path))
    assert course.errors == ()
    scenario = course.scenarios["crossroads"]
    state = replay(scenario, ["alone", "apologise", "rights-first", "keep"])
    assert state.ending == "middling"
    debrief = build_debrief(scenario, state, course)
    keep = debrief.decisions[-1]
    assert (
        keep.feedback
        == "Keeping control holds security steady, again, but the country learns nothing."
    )
    assert debrief.ending_text == "It is fine, just."
    for report in (debrief_markdown(debrief, course), debrief_html(debrief, course)):
        assert "steady, again, but" in report
        assert "{if" not in report
    before = replay(scenario, ["consult", "rights-first"])
    third = scenario.scenes["third"]
    assert text_in(third.text, before) == "Trust is at 70. The ministry thanks you for asking."
    consult = build_debrief(scenario, replay(scenario, ["consult", "rights-first", "keep"]), course)
    assert "again" not in consult.decisions[-1].feedback


def test_a_play_can_start_at_any_scene_in_a_given_state(tmp_path):
    from mltcourse.engine.start import StartError, parse_jump, start_state
    from mltcourse.engine.state import choose
    from mltcourse.reports.debrief import build_debrief

    course = load_course(_storied_course(tmp_path))
    scenario = course.scenarios["crossroads"]
    start = start_state(scenario, "third", ["trust=55"], ["went_alone"])
    assert (start.node, start.value["trust"], start.flags) == ("third", 55, {"went_alone"})
    assert parse_jump(scenario, "third trust=55 went_alone") == start
    state = choose(scenario, start, "keep")
    debrief = build_debrief(scenario, state, course, start=start)
    assert [d.node for d in debrief.decisions] == ["third"]
    assert "again" in debrief.decisions[0].feedback
    assert debrief.history["trust"] == [55, 55]
    for bad, fragment in [
        (("thrid", [], []), "did you mean 'third'?"),
        (("third", ["trust=101"], []), "runs from 0 to 100"),
        (("third", ["trust=high"], []), "not a number"),
        (("third", ["went_alone=1"], []), "is a flag"),
        (("third", [], ["trust"]), "is an indicator"),
        (("third", [], ["went_alne"]), "did you mean 'went_alone'?"),
        (("third", ["trst=5"], []), "did you mean 'trust'?"),
    ]:
        with pytest.raises(StartError, match=fragment):
            start_state(scenario, *bad)
