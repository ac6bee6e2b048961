"""Hostile and broken course files: each is refused with FILE:LINE:COL and a plain message.

The suite builds its own corpus. Every case runs the real command in a subprocess with a
bound on time, so a hang or a crash (not just a wrong message) fails the test.
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import copy_course

SCENARIO = "scenarios/crossroads.yaml"
LESSON = "modules/01-basics/lesson.md"
DIAGNOSTIC = re.compile(r"^(?P<file>[^\n]+?):(?P<line>\d+):(?P<col>\d+): error: (?P<msg>.+)$", re.M)


def alias_bomb() -> bytes:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    return ("\n".join(lines) + "\n").encode()


CORPUS = {
    "syntax error": b"id: x\ntitle: [unclosed\nmodule: basics\n",
    "tab indentation": b"id: x\nscenes:\n\tfirst: {}\n",
    "root is a list": b"- id: x\n- title: y\n",
    "root is a scalar": b"just a sentence\n",
    "empty file": b"",
    "only a comment": b"# nothing here\n",
    "wrong type": b"id: x\ntitle: 5\nmodule: [basics]\n",
    "binary data": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    "invalid utf-8": b"id: x\ntitle: caf\xe9\n",
    "python object tag": b"id: !!python/object/apply:os.system ['touch PWNED']\n",
    "python name tag": b"id: !!python/name:os.system\n",
    "alias bomb": alias_bomb(),
    "deep flow nesting": b"id: " + b"[" * 20000 + b"]" * 20000 + b"\n",
    "deep block nesting": b"".join(b"  " * i + b"- k:\n" for i in range(3000)) + b"x\n",
    "very large file": b"id: x\ntitle: " + b"y" * 5_000_000 + b"\n",
    "duplicate keys": b"id: x\ntitle: a\ntitle: b\n",
}


def validate(root: Path, *paths: str, timeout: float = 30):
    return subprocess.run(
        [sys.executable, "-m", "mltcourse", "--content", str(root), "validate", *paths],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=root,
    )


@pytest.mark.parametrize("case", sorted(CORPUS))
def test_hostile_scenario_file_is_refused_cleanly(tmp_path, case):
    root = copy_course(tmp_path)
    (root / "scenarios" / "hostile.yaml").write_bytes(CORPUS[case])
    result = validate(root)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    errors = [m for m in DIAGNOSTIC.finditer(result.stdout)]
    assert errors, result.stdout
    assert all(Path(m["file"]).name == "hostile.yaml" for m in errors)
    assert not (root / "PWNED").exists()
    # the rest of the course still loads and is served
    listing = subprocess.run(
        [sys.executable, "-m", "mltcourse", "--content", str(root), "list", "--json"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert '"crossroads"' in listing.stdout


def test_duplicate_keys_name_both_lines(tmp_path):
    root = copy_course(tmp_path)
    (root / "scenarios" / "hostile.yaml").write_bytes(CORPUS["duplicate keys"])
    out = validate(root).stdout
    assert "hostile.yaml:3:1: error: duplicate key 'title' (first defined at line 2)" in out


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("../../../etc/passwd", "links to files are not allowed"),
        ("/etc/passwd", "links to files are not allowed"),
        ("file:///etc/passwd", "scheme 'file'"),
        ("javascript:alert(1)", "scheme 'javascript'"),
        ("asset:../../secret.txt", "inside the course's assets/ folder"),
    ],
)
def test_links_outside_the_course_are_rejected(tmp_path, target, reason):
    root = copy_course(tmp_path)
    lesson = root / LESSON
    lesson.write_text(lesson.read_text() + f"\nSee [this]({target}).\n")
    result = validate(root)
    assert result.returncode == 1
    assert any(
        reason in m["msg"] and m["file"].endswith("lesson.md")
        for m in DIAGNOSTIC.finditer(result.stdout)
    ), result.stdout


@pytest.mark.parametrize(
    ("condition", "fragment"),
    [
        ("trust > 1 and " * 400 + "trust > 1", "longer than"),
        ("(" * 500 + "trust > 1" + ")" * 500, "nested more than"),
        ("trust > 1" + "0" * 400, "out of range"),
        ("trust > 1e999", "unexpected"),
    ],
)
def test_conditions_built_to_hurt(tmp_path, condition, fragment):
    root = copy_course(tmp_path)
    path = root / SCENARIO
    path.write_text(path.read_text().replace("when: trust >= 60", f"when: {condition}"))
    result = validate(root)
    assert result.returncode == 1
    assert fragment in result.stdout and "Traceback" not in result.stderr


def test_markup_in_content_is_just_text_to_the_validator(tmp_path):
    root = copy_course(tmp_path)
    path = root / SCENARIO
    path.write_text(
        path.read_text().replace(
            "title: Crossroads", 'title: "[@click=app.quit]Quit[/] [bold red]x"'
        )
    )
    assert validate(root).returncode == 0
