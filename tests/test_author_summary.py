"""One missing id used all over the course: every error stays, and one line says they are
one problem, how often and where first."""

from __future__ import annotations

import re

from helpers import copy_course
from mltcourse.cli import main
from mltcourse.content.diagnostics import Diagnostic, repeated_unknowns
from mltcourse.content.loader import load_course
from test_author_errors import mutate

COORDINATION = """\
  - id: coordination
    title: Coordination
    statement: Partners plan together and defer to whoever holds the mandate.
    sources: [basics#why-it-matters]
"""


def _validate(capsys, root, *more: str) -> tuple[int, list[str], str]:
    code = main(["--content", str(root), "validate", *more])
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err


def test_a_principle_taken_out_of_the_catalogue_is_summed_up_once(tmp_path, capsys):
    root = mutate(copy_course(tmp_path), COORDINATION, "", "modules/principles.yaml")
    errors = load_course(root).errors
    code, out, err = _validate(capsys, root)
    assert code == 1 and len(errors) == 5  # a module's list, a check, three choices
    assert sum("unknown principle 'coordination'" in line for line in out) == 4
    assert sum("'coordination' is neither a principle nor a risk id" in line for line in out) == 1
    first = errors[0]
    assert out[-1] == (
        "note: principle 'coordination' is not in the catalogue and is used 5 times "
        f"(first at {first.file}:{first.line}:{first.column})"
    )
    assert err.strip() == "5 errors, 0 warnings"  # the note is no error of its own
    code = main(["--content", str(root), "lint"])
    assert capsys.readouterr().out.splitlines()[-1].startswith("note: principle 'coordination'")


def test_a_risk_and_a_lesson_renamed_away(tmp_path, capsys):
    root = copy_course(tmp_path)
    module = "modules/01-basics/module.yaml"
    mutate(root, "  - id: gap\n", "  - id: capacity-gap\n", module)
    _, out, _ = _validate(capsys, root)
    assert re.fullmatch(
        r"note: risk 'basics\.gap' is not among its lesson's risks and is used 4 times "
        r"\(first at .*01-basics/module\.yaml:\d+:\d+\)",
        out[-1],
    )
    # With the lesson gone, its risks are missing because it is: one line, not one per risk.
    root = copy_course(tmp_path / "again")
    mutate(root, "id: basics\n", "id: essentials\n", module)
    _, out, _ = _validate(capsys, root)
    notes = [line for line in out if line.startswith("note:")]
    assert len(notes) == 1 and notes[0].startswith(
        "note: module 'basics' is not a lesson of the course and is used "
    )
    count = int(re.search(r"used (\d+) times", notes[0]).group(1))
    assert count == sum(
        "'basics" in line and "unknown" in line or "neither" in line for line in out
    )


def test_a_few_uses_need_no_summary():
    two = [Diagnostic("a.yaml", n, 3, "unknown principle 'x'; did you mean 'y'?") for n in (1, 2)]
    assert repeated_unknowns(two) == []
    three = [*two, Diagnostic("b.yaml", 1, 1, "unknown principle 'x'")]
    assert repeated_unknowns(three) == [
        "principle 'x' is not in the catalogue and is used 3 times (first at a.yaml:1:3)"
    ]
    warned = [Diagnostic("a.yaml", n, 1, "unknown principle 'x'", "warning") for n in (1, 2, 3)]
    assert repeated_unknowns(warned) == []
