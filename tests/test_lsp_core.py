"""The language server's pure parts: ranges in client units, and no failure on any text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pygls.workspace.position_codec import PositionCodec

from helpers import CORE_COURSE, copy_course
from mltcourse.content.diagnostics import Diagnostic
from mltcourse.lsp import answers
from mltcourse.lsp.checking import to_lsp, token_end
from mltcourse.lsp.course import CourseView
from mltcourse.lsp.cursor import slot_at

SCENARIO_TEXT = (CORE_COURSE / "scenarios" / "crossroads.yaml").read_text()


def test_a_range_counts_utf16_units_before_the_fault():
    lines = ['        title: "\U0001f30d Earth" next: nowhere\n']
    column = lines[0].index("nowhere") + 1  # 1-based code points, as the validator counts
    found = to_lsp(Diagnostic("f.yaml", 1, column, "unknown scene"), lines, PositionCodec())
    code_points = column - 1
    # The globe is one code point but two UTF-16 units, so the editor's column is one more.
    assert found.range.start.character == code_points + 1
    assert found.range.end.character - found.range.start.character == len("nowhere")
    utf32 = to_lsp(Diagnostic("f.yaml", 1, column, "x"), lines, PositionCodec("utf-32"))
    assert utf32.range.start.character == code_points


def test_a_range_covers_the_value_or_key_at_fault():
    assert token_end("next: nowhere  # later", 6) == 13
    assert token_end("  do-no-harm: 2", 2) == 12
    assert token_end("section: 'a#b' ", 9) == 14
    assert token_end("raises: [a.b, c.d]", 9) == 12
    assert token_end("short", 10) == 10


def test_a_message_reaches_the_editor_without_control_characters():
    found = to_lsp(Diagnostic("f", 1, 1, "bad \x1b]52;c;x\x07 value"), ["x\n"], PositionCodec())
    assert "\x1b" not in found.message and "\x07" not in found.message


edits = st.tuples(
    st.integers(0, len(SCENARIO_TEXT)),
    st.integers(0, 40),
    st.sampled_from(["", ":", "[", "{", "- ", "#", "'", '"', "\t", "\n", "next: ", "é\U0001f30d"]),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(edit=edits, where=st.tuples(st.integers(0, 140), st.integers(0, 60)))
def test_no_half_typed_text_makes_the_server_fail(tmp_path, edit, where):
    """Whatever an author has typed so far, every answer is an answer or nothing."""
    root = copy_course(tmp_path) if not (tmp_path / "course").exists() else tmp_path / "course"
    path = (root / "scenarios" / "crossroads.yaml").resolve()
    start, length, inserted = edit
    text = SCENARIO_TEXT[:start] + inserted + SCENARIO_TEXT[start + length :]
    view = CourseView(root.resolve())
    view.open(path, SCENARIO_TEXT)
    view.remember({path: SCENARIO_TEXT})
    view.open(path, text)
    course = view.validate({path: text})
    assert all(d.line >= 1 and d.column >= 1 for d in course.diagnostics)
    lines = text.splitlines(True)
    codec = PositionCodec()
    for diagnostic in course.diagnostics:
        to_lsp(diagnostic, lines, codec)
    line, column = where
    slot = slot_at([x.rstrip("\r\n") for x in lines], line, column)
    if slot is not None:
        symbols = view.symbols(path)
        answers.completion(slot, symbols, codec, lines, line, min(column, slot.end))
        answers.hover(slot, symbols, codec, lines, line)
        answers.definition(slot, symbols, codec, view.text)
        assert symbols.local.scenes  # the last text that parsed still gives the scene ids
