"""Option texts are story text, read in the state in which the decision is offered: checked by
validate at their place, covered by lint, playtest and graph, shown rendered by the app, the
facilitator's console and headless play. Titles and notes are shown as written: a brace in
one is an error."""

from __future__ import annotations

from pathlib import Path

import pytest

from apptest import course_copy, screen_text, start, wait_until
from exercisetest import exercise_course
from helpers import copy_course, edited
from mltcourse.cli import main
from mltcourse.content.loader import load_course
from mltcourse.engine.exercise import ExerciseError, decide_by_majority, enter_tally, new_exercise
from mltcourse.engine.graph import mermaid
from mltcourse.engine.lint_story import lint_passages
from mltcourse.engine.playtest import random_playtest
from mltcourse.tui.app import create_app

SCENARIO = "scenarios/crossroads.yaml"
KEEP = "text: 'Keep control{if went_alone:, as at the start,} with trust at {trust}.'"


def _edited(root: Path, *replacements: tuple[str, str]) -> Path:
    return edited(root, SCENARIO, *replacements)


def _place(root: Path, line_text: str, fragment: str) -> str:
    """``line:column`` of ``fragment`` in the line of the scenario that holds ``line_text``."""
    lines = (root / SCENARIO).read_text(encoding="utf-8").splitlines()
    number = next(n for n, line in enumerate(lines, 1) if line_text in line)
    return f"{number}:{lines[number - 1].index(fragment) + 1}"


def _validate(capsys, root: Path) -> tuple[int, str]:
    code = main(["--content", str(root), "validate"])
    return code, capsys.readouterr().out


def test_validate_reports_a_wrong_name_or_a_syntax_error_in_an_option_text_at_its_place(
    tmp_path, capsys
):
    root = _edited(
        copy_course(tmp_path),
        ("text: Keep control.", "text: 'Keep control at {trst}.'"),
        ("text: Apologise and consult.", "text: 'Apologise and {consult.'"),
    )
    code, out = _validate(capsys, root)
    keep, apologise = _place(root, "{trst}", "trst"), _place(root, "{consult", "{")
    assert code == 1
    assert (
        f"crossroads.yaml:{keep}: error: text: unknown indicator 'trst'; did you mean 'trust'?"
        in out
    )
    assert f"crossroads.yaml:{apologise}: error: text: expected an indicator name" in out


def test_a_brace_in_a_title_or_in_notes_is_an_error_at_its_place(tmp_path, capsys):
    root = _edited(
        copy_course(tmp_path),
        ("title: Crossroads", "title: 'Crossroads at {trust}'"),
        ("    title: Second\n", "    title: 'Second {if went_alone: again}'\n"),
        ("title: The gap shows", "title: The gap } shows"),
        ("    title: Good\n", "    title: Good {trust}\n"),
        ("    title: Third\n", "    title: Third\n    notes: Ask what {trust} allows.\n"),
        (
            "        feedback: Handing over",
            "        notes: 'Trust is {trust} here.'\n        feedback: Handing over",
        ),
    )
    code, out = _validate(capsys, root)
    assert code == 1
    title = "a title is shown as written, so '{' would show as it is; story text ({name}, "
    fix = "{if …}) belongs in the text, an option or feedback"
    for line_text, brace, message in [
        ("Crossroads at", "{", f"title: {title}{fix}"),
        ("Second {if", "{", f"title: {title}{fix}"),
        ("The gap } shows", "}", f"title: {title.replace('{', '}', 1)}{fix}"),
        ("Good {trust}", "{", f"title: {title}{fix}"),
        ("Ask what {trust}", "{", "notes: notes are shown as written, so '{' would show"),
        ("Trust is {trust} here", "{", "notes: notes are shown as written, so '{' would show"),
    ]:
        assert f"crossroads.yaml:{_place(root, line_text, brace)}: error: {message}" in out, (
            line_text,
            out,
        )
    assert out.count("error:") == 6


def _storied(tmp_path: Path) -> Path:
    """The core course with the last decision's option text following the story."""
    return _edited(copy_course(tmp_path), ("text: Keep control.", KEEP))


def test_play_prints_the_options_as_they_read_and_refuses_a_broken_one(tmp_path, capsys):
    root = _storied(tmp_path)
    path = ["--choose", "alone", "apologise", "rights-first", "keep", "--no-record"]
    code = main(["--content", str(root), "play", "crossroads", *path])
    out = capsys.readouterr().out
    assert code == 0
    assert "**Your choice:** Keep control, as at the start, with trust at 55." in out
    assert "{if" not in out and "{trust}" not in out
    _edited(root, ("with trust at {trust}", "with trust at {trsut}"))
    code = main(["--content", str(root), "play", "crossroads", *path])
    err = capsys.readouterr().err
    place = _place(root, "{trsut}", "trsut")
    assert code != 0 and f"crossroads.yaml:{place}: error: text: unknown indicator 'trsut'" in err


def test_lint_playtest_and_graph_count_passages_in_option_texts(tmp_path):
    root = _edited(
        _storied(tmp_path), ("text: Consult partners.", "text: 'Consult{if went_alone: again}.'")
    )
    course = load_course(root)
    assert course.errors == ()
    scenario = course.scenarios["crossroads"]
    assert [d.message for d in lint_passages(scenario)] == [
        "the option text of choice 'consult' in scene 'first': the passage {if went_alone: …} "
        "never shows on any play that reaches it"
    ]
    report = random_playtest(scenario, 300, 7).as_json(scenario)
    keep = report["passages"]["third/keep#1"]
    assert 0 < keep["shown"] < keep["read"] == report["scene_visits"]["third"]
    assert report["passages_never_shown"] == ["first/consult#1"]
    assert report["render_errors"] == []
    assert 'n_third["Third<br/>✎ text follows went_alone"]' in mermaid(scenario)


WELLS = (
    (
        "text: Review the district plan with the humanitarian country team.",
        "text: 'Review the plan {if wells_flagged: and the flagged wells} with the country team.'",
    ),
    ("text: Press on without review.", "text: 'Press on at security {security}.'"),
)


async def test_the_player_shows_the_options_as_they_read_in_the_state_offered(tmp_path):
    course_dir = course_copy(tmp_path)
    path = course_dir / "scenarios" / "wells.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new in WELLS:
        assert old in text
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    app = create_app(course_dir, tmp_path / "data", learner="Ana")
    async with app.run_test(size=(100, 30)) as pilot:
        await start(app, pilot)
        app.go("scenario:wells")
        await wait_until(pilot, lambda: "How do you want to play?" in screen_text(app))
        await pilot.press("enter", "1")  # training; approve the flagged wells: security 60
        await wait_until(pilot, lambda: "Continue" in screen_text(app))
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Six weeks later" in screen_text(app))
        text = screen_text(app)
        assert "1. Review the plan and the flagged wells with the country team." in text
        assert "2. Press on at security 60." in text
        assert "{" not in text
        await pilot.press("2")  # security 65 after it: the option reads as it was offered
        await wait_until(pilot, lambda: "You chose: Press on at security 60." in screen_text(app))


async def test_the_console_shows_options_and_votes_as_the_team_reads_them(tmp_path):
    root = _edited(
        exercise_course(tmp_path),
        ("text: Consult partners.", "text: 'Consult partners (trust {trust}).'"),
        ("text: Act alone.", "text: 'Act alone{if security < 60:, with security at {security}}.'"),
    )
    target = "app:facilitate('crossroads', 'Alpha', 90, False)"
    app = create_app(root, tmp_path / "data", learner="Trainer", start=target)
    async with app.run_test(size=(140, 45)) as pilot:
        await wait_until(pilot, lambda: type(app.screen).__name__ == "FacilitateScreen")
        await pilot.pause(0.05)
        text = screen_text(app)
        assert "1. Consult partners (trust 50)." in text
        assert "2. Act alone, with security at 50." in text
        await pilot.press("v")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "VoteDialog")
        assert "2. Act alone, with security at 50." in screen_text(app)
        await pilot.press("2", "enter", "2", "enter")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "FacilitateScreen")
        await pilot.press("r")
        await wait_until(pilot, lambda: "A tie: press the number" in screen_text(app))
        assert screen_text(app).count("2. Act alone, with security at 50.") == 2  # and its bar
        await pilot.press("2")  # security 60 after it: the choice reads as it was offered
        chose = "Team Alpha chose: Act alone, with security at 50."
        await wait_until(pilot, lambda: chose in screen_text(app))
        await pilot.press("u")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ConfirmScreen")
        assert "“Act alone, with security at 50.”" in screen_text(app)
        assert "{" not in screen_text(app)


def test_a_tie_names_the_options_as_the_team_reads_them(tmp_path):
    root = _edited(
        copy_course(tmp_path), ("text: Consult partners.", "text: 'Consult at {trust}.'")
    )
    scenario = load_course(root).scenarios["crossroads"]
    tied = enter_tally(scenario, new_exercise(scenario, "Tie"), 0, {"consult": 1, "alone": 1})
    with pytest.raises(ExerciseError, match="a tie between “Consult at 50.” and “Act alone.”"):
        decide_by_majority(scenario, tied, 0)
