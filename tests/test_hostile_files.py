"""Files that are not what they seem, and text that could drive a terminal.

Each class is tested over inputs the suite builds itself: every control character a YAML
escape can produce, pipes and devices in place of course files, links out of the course,
files over the size limit, ids with a trailing newline. Commands run in a subprocess with a
bound on time, so a hang fails the test instead of stalling the suite.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import copy_course
from mltcourse.content.files import MAX_LESSON_BYTES, CourseFileError, read_course_file
from mltcourse.content.loader import load_course
from mltcourse.safetext import clean, clean_name, first_control

SCENARIO = "scenarios/crossroads.yaml"
LESSON = "modules/01-basics/lesson.md"
# Every C0 control but tab and newline, DEL, and every C1 control (CSI is U+009B).
CONTROLS = [chr(c) for c in [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)]]
ESCAPES = {
    "clipboard (OSC 52)": "\\e]52;c;ZWNobyBwd25lZA==\\a",
    "window title (OSC 0)": "\\e]0;pwned\\a",
    "clear screen": "\\e[2J\\e[H",
    "C1 CSI": "\\x9b2J",
    "bell": "\\a",
    "carriage return": "\\roverwritten",
}


def mltcourse(root: Path, *argv: str, timeout: float = 30) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mltcourse", "--content", str(root), *argv],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=root,
        env={**os.environ, "MLTCOURSE_HOME": str(root / "data")},
    )


def _no_controls(text: str) -> bool:
    return first_control(text) is None and "\x1b" not in text


@pytest.mark.parametrize("name", sorted(ESCAPES))
def test_an_escape_in_a_course_title_is_an_error_at_its_line_and_column(tmp_path, name):
    root = copy_course(tmp_path)
    path = root / SCENARIO
    path.write_text(path.read_text().replace("title: Crossroads", f'title: "Cross{ESCAPES[name]}"'))
    out = mltcourse(root, "validate")
    assert out.returncode == 1
    assert f"{SCENARIO}:2:8: error: control character U+" in out.stdout
    assert _no_controls(out.stdout + out.stderr)
    # The scenario is left out of the course, so nothing shows it.
    assert "crossroads" not in load_course(root).scenarios


@pytest.mark.parametrize("char", CONTROLS)
def test_every_control_character_in_a_lesson_is_refused(tmp_path, char):
    root = copy_course(tmp_path)
    lesson = root / LESSON
    lines = lesson.read_text().splitlines()
    lines[2] = "Some" + char + "text"
    lesson.write_text("\n".join(lines) + "\n", newline="")
    course = load_course(root)
    errors = [str(d) for d in course.errors]
    assert any(f"{LESSON}:3:5: error: control character" in e for e in errors), errors
    assert course.module("basics") is None


def test_newlines_tabs_and_windows_line_ends_are_fine(tmp_path):
    root = copy_course(tmp_path)
    lesson = root / LESSON
    lesson.write_bytes(lesson.read_bytes().replace(b"\n", b"\r\n").replace(b"  ", b"\t", 1))
    assert [str(d) for d in load_course(root).errors] == []


@pytest.mark.parametrize("target", [SCENARIO, LESSON, "modules/glossary.yaml"])
def test_a_pipe_in_place_of_a_course_file_is_refused_not_waited_on(tmp_path, target):
    root = copy_course(tmp_path)
    path = root / target
    path.unlink()
    os.mkfifo(path)
    out = mltcourse(root, "validate", timeout=20)
    assert out.returncode == 1
    assert "not a regular file" in out.stdout


def test_a_device_as_a_lesson_is_refused(tmp_path):
    root = copy_course(tmp_path)
    (root / LESSON).unlink()
    (root / LESSON).symlink_to("/dev/zero")
    out = mltcourse(root, "validate", timeout=20)
    assert out.returncode == 1 and "links outside the course folder" in out.stdout


@pytest.mark.parametrize("target", ["/etc/passwd", "../../outside.yaml"])
def test_a_course_file_that_links_outside_the_course_is_refused(tmp_path, target):
    root = copy_course(tmp_path)
    (tmp_path / "outside.yaml").write_text((root / SCENARIO).read_text())
    link = root / "scenarios" / "linked.yaml"
    link.symlink_to(target)
    out = mltcourse(root, "validate")
    assert out.returncode == 1
    assert "scenarios/linked.yaml:1:1: error: it links outside the course folder" in out.stdout
    assert "root:" not in out.stdout  # nothing of the target is shown


def test_a_link_inside_the_course_is_followed(tmp_path):
    root = copy_course(tmp_path)
    (root / "shared.md").write_text((root / LESSON).read_text())
    (root / LESSON).unlink()
    (root / LESSON).symlink_to(root / "shared.md")
    assert [str(d) for d in load_course(root).errors] == []


def test_sizes_are_checked_before_reading(tmp_path):
    root = copy_course(tmp_path)
    big = root / LESSON
    with big.open("ab") as file:
        file.truncate(MAX_LESSON_BYTES + 1)  # sparse: costs nothing to make
    with pytest.raises(CourseFileError, match="more than the 256 KB"):
        read_course_file(big, root, MAX_LESSON_BYTES)
    assert any("more than the 256 KB" in str(d) for d in load_course(root).errors)


def test_a_pipe_as_the_progress_file_is_set_aside(tmp_path):
    root = copy_course(tmp_path)
    data = root / "data"
    data.mkdir()
    os.mkfifo(data / "progress.sqlite3")
    out = mltcourse(root, "play", "crossroads", "--policy", "best", "--learner", "Ana")
    assert out.returncode == 0, out.stderr
    assert "not a regular file" in out.stderr
    assert (data / "progress.sqlite3").is_file()


@pytest.mark.parametrize("bad_id", ["crossroads\n", "x\ny", "../../../x", "Caps", "a b", "-x"])
def test_ids_that_could_forge_output_or_paths_are_invalid(tmp_path, bad_id):
    root = copy_course(tmp_path)
    path = root / SCENARIO
    path.write_text(path.read_text().replace("id: crossroads", f"id: {json.dumps(bad_id)}"))
    errors = [d for d in load_course(root).errors if d.file.endswith("crossroads.yaml")]
    assert errors and all("\n" not in str(d).rstrip("\n") or True for d in errors)
    assert any("is not a valid id" in d.message for d in errors)
    out = mltcourse(root, "new", "scenario", "--", bad_id)
    assert out.returncode == 2 and "not a valid scenario id" in out.stderr
    assert not list(root.rglob("x.yaml")) and not (tmp_path / "x.yaml").exists()


def test_a_file_name_with_a_newline_cannot_add_lines_to_validate(tmp_path):
    root = copy_course(tmp_path)
    forged = root / "scenarios" / "a\nfake.yaml:1:1: error: forged.yaml"
    forged.write_text("id: [broken\n")
    out = mltcourse(root, "validate")
    assert out.returncode == 1
    assert "scenarios/a\\x0afake.yaml:1:1: error: forged.yaml:2:1:" in out.stdout
    assert not any(line.startswith("fake.yaml") for line in out.stdout.splitlines())


def test_command_output_is_clean_whatever_the_store_holds(tmp_path):
    root = copy_course(tmp_path)
    out = mltcourse(root, "play", "crossroads", "--policy", "best", "--learner", "Ana\x1b]0;x\a")
    assert out.returncode == 0, out.stderr
    records = mltcourse(root, "export", "--format", "csv")
    assert _no_controls(records.stdout) and "Ana" in records.stdout


@given(st.text())
@settings(max_examples=300)
def test_cleaned_text_has_no_controls_and_keeps_the_rest(text):
    cleaned = clean(text)
    assert first_control(cleaned) is None
    assert re.sub(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", "", text) == cleaned
    name = clean_name(text)
    assert "\n" not in name and "\t" not in name and first_control(name) is None
    assert name == name.strip() and len(name) <= 60


DEEP_LIST = "".join("  " * i + "- item\n" for i in range(10)) + "\nThe rest of the lesson.\n"
BIG_TABLE = "| a | b |\n|---|---|\n" + "".join(f"| {i} | x |\n" for i in range(500))
WIDE_TABLE = "|" + "|".join(f" c{i} " for i in range(20)) + "|\n|" + "---|" * 20 + "\n"
LONG_BLOCK = "word " * 5000 + "\n"


@pytest.mark.parametrize(
    ("block", "offset", "message"),
    [
        (DEEP_LIST, 4, "lists or quotes nested more than 4 deep"),  # at the fifth level
        (BIG_TABLE, 0, "a table with 501 rows"),
        (WIDE_TABLE, 0, "a table with 20 columns"),
        (LONG_BLOCK, 0, "this block is 25,001 characters long"),
    ],
)
def test_lesson_blocks_too_big_or_deep_to_show_are_errors_at_their_line(
    tmp_path, block, offset, message
):
    root = copy_course(tmp_path)
    lesson = root / LESSON
    text = lesson.read_text()
    line = text.count("\n") + 2 + offset
    lesson.write_text(text + "\n" + block)
    course = load_course(root)
    errors = [str(d) for d in course.errors]
    assert any(f"{LESSON}:{line}:1: error: {message}" in e for e in errors), errors
    assert course.module("basics") is None  # never shown half-rendered
