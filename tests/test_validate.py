"""Each validation rule, triggered by changing one thing in a copy of the fixture course."""

from pathlib import Path

import pytest

from helpers import copy_course
from mltcourse.content.loader import load_course


def mutate(tmp_path: Path, relative: str, old: str, new: str) -> Path:
    root = copy_course(tmp_path)
    path = root / relative
    text = path.read_text()
    assert old in text, f"fixture no longer contains {old!r}"
    path.write_text(text.replace(old, new, 1))
    return root


SCENARIO = "scenarios/crossroads.yaml"
MODULE = "modules/01-basics/module.yaml"


def messages(root: Path) -> list[str]:
    return [
        f"{Path(d.file).name}:{d.line}:{d.column}: {d.message}" for d in load_course(root).errors
    ]


def test_fixture_course_is_clean():
    from helpers import CORE_COURSE

    course = load_course(CORE_COURSE)
    assert course.errors == ()
    assert [m.id for m in course.modules] == ["basics"]
    assert list(course.scenarios) == ["crossroads"]
    assert set(course.risks) == {"basics.gap", "basics.backlash"}


@pytest.mark.parametrize(
    ("relative", "old", "new", "expected"),
    [
        (
            SCENARIO,
            "next: third\n        effects: {trust: 10",
            "next: thrid\n        effects: {trust: 10",
            "crossroads.yaml:40:15: unknown scene 'thrid'; did you mean 'third' (line 61)?",
        ),
        (
            SCENARIO,
            "{coordination: 2}",
            "{coordinaton: 2}",
            "crossroads.yaml:21:22: unknown principle 'coordinaton'; did you mean 'coordination'?",
        ),
        (
            SCENARIO,
            "mitigates: [basics.gap]",
            "mitigates: [basics.gapp]",
            "crossroads.yaml:22:21: unknown risk 'basics.gapp'; did you mean 'basics.gap'?",
        ),
        (
            SCENARIO,
            "section: basics#why-it-matters",
            "section: basics#nowhere",
            "crossroads.yaml:24:18: lesson 'basics' has no section 'nowhere'; its sections: "
            "activities, basics, benchmarks, checks, considerations, objectives, overview, "
            "risks, who-leads, why-it-matters",
        ),
        (
            SCENARIO,
            "module: basics",
            "module: basic",
            "crossroads.yaml:3:9: unknown module 'basic'; did you mean 'basics'?",
        ),
        (
            SCENARIO,
            "start: first",
            "start: frist",
            "crossroads.yaml:11:8: unknown start scene 'frist'; did you mean 'first'?",
        ),
        (
            SCENARIO,
            "when: trust >= 60",
            "when: trust >= 600",
            "crossroads.yaml:55:24: condition: 600 is outside the range of 'trust' (0 to 100)",
        ),
        (
            SCENARIO,
            "when: trust >= 60",
            "when: trust >=",
            "crossroads.yaml:55:23: condition: expected a name, number or '(' but found "
            "'the end of the condition'",
        ),
        (
            SCENARIO,
            "when: trust >= 60",
            "when: trusted",
            "crossroads.yaml:55:15: condition: unknown indicator or flag 'trusted'; "
            "did you mean 'trust'?",
        ),
        (
            SCENARIO,
            "effects: {trust: 10, security: -5}",
            "effects: {trust: 10, securty: -5}",
            "crossroads.yaml:20:30: unknown indicator 'securty'; did you mean 'security'?",
        ),
        (
            SCENARIO,
            "      - id: keep\n",
            "      - id: hand-over\n",
            "crossroads.yaml:72:13: duplicate choice id 'hand-over' (first at line 65)",
        ),
        (
            SCENARIO,
            "    when: trust >= 50\n",
            "",
            "crossroads.yaml:109:9: ending 'bad' can never be reached: the ending 'middling' "
            "before it has no 'when'",
        ),
        (
            SCENARIO,
            "  trust: {label: Trust, start: 50}",
            "  trust: {label: Trust, start: 150}",
            "crossroads.yaml:9:32: indicator 'trust': start 150 is outside its range 0 to 100",
        ),
        (
            SCENARIO,
            "title: Crossroads",
            "titel: Crossroads",
            "crossroads.yaml:2:1: unknown field 'titel' in scenario; did you mean 'title'?",
        ),
        (
            MODULE,
            "objective: know-lead\n    tests: [ownership]",
            "objective: know-leads\n    tests: [ownership]",
            "module.yaml:31:16: unknown objective 'know-leads'; did you mean 'know-lead'?",
        ),
        (
            MODULE,
            "tests: [basics.gap]",
            "tests: [basics.nope]",
            "module.yaml:58:13: 'basics.nope' is neither a principle nor a risk id",
        ),
        (
            MODULE,
            "principles: [ownership, coordination, rights]",
            "principles: [ownership, coordination, rites]",
            "module.yaml:7:39: unknown principle 'rites'; did you mean 'rights'?",
        ),
        (
            "modules/01-basics/lesson.md",
            "(lesson:basics#risks)",
            "(lesson:basics#riskz)",
            "lesson.md:5:35: link 'lesson:basics#riskz': lesson 'basics' has no section 'riskz'; "
            "did you mean 'risks'?",
        ),
        (
            "modules/01-basics/lesson.md",
            "(lesson:basics#risks)",
            "(../../etc/passwd)",
            "lesson.md:5:35: link '../../etc/passwd': links to files are not allowed; use "
            "lesson:MODULE#ANCHOR or asset:FILE",
        ),
        (
            "modules/01-basics/lesson.md",
            "(lesson:basics#risks)",
            "(file:///etc/passwd)",
            "lesson.md:5:35: link 'file:///etc/passwd': links with the scheme 'file' are not "
            "allowed",
        ),
    ],
)
def test_rule(tmp_path, relative, old, new, expected):
    found = messages(mutate(tmp_path, relative, old, new))
    assert expected in found, found


def test_unreachable_scene(tmp_path):
    root = copy_course(tmp_path)
    path = root / SCENARIO
    path.write_text(
        path.read_text().replace(
            "  third:\n",
            "  orphan:\n    title: O\n    text: O\n    choices:\n"
            "      - {id: a, text: a, next: end, principles: {rights: 1}, feedback: f, "
            "section: basics#overview}\n"
            "      - {id: b, text: b, next: end, principles: {rights: -1}, feedback: f, "
            "section: basics#overview}\n"
            "  third:\n",
        )
    )
    assert any("scene 'orphan' can never be reached" in m for m in messages(root))


def test_all_gated_scene(tmp_path):
    root = mutate(
        tmp_path,
        SCENARIO,
        "      - id: hand-over\n        text: Hand over to the ministry.\n",
        "      - id: hand-over\n        text: Hand over to the ministry."
        "\n        when: trust > 10\n",
    )
    path = root / SCENARIO
    path.write_text(
        path.read_text().replace(
            "      - id: keep\n        text: Keep control.\n",
            "      - id: keep\n        text: Keep control.\n        when: trust < 5\n",
        )
    )
    assert any("every choice in scene 'third' has a condition" in m for m in messages(root))


def test_duplicate_scenario_ids_across_files(tmp_path):
    root = copy_course(tmp_path)
    (root / "scenarios" / "copy.yaml").write_text((root / SCENARIO).read_text())
    found = messages(root)
    assert any("scenario id 'crossroads' is already used by" in m for m in found)


def test_broken_file_leaves_the_rest_of_the_course(tmp_path):
    root = copy_course(tmp_path)
    (root / "scenarios" / "broken.yaml").write_text("id: broken\ntitle: [unclosed\n")
    course = load_course(root)
    assert "crossroads" in course.scenarios
    assert list(course.failed_files()) == [str(root / "scenarios" / "broken.yaml")] or any(
        f.endswith("broken.yaml") for f in course.failed_files()
    )


def test_fallback_ending_is_required(tmp_path):
    root = mutate(
        tmp_path,
        SCENARIO,
        "    rating: failure\n    text: Trust is low.",
        "    rating: failure\n    when: trust < 50\n    text: Trust is low.",
    )
    assert any("the last ending must have no 'when'" in m for m in messages(root))


def test_check_kind_rules(tmp_path):
    root = mutate(
        tmp_path,
        MODULE,
        "      - text: The peace operation's own sections\n",
        "      - text: The peace operation's own sections\n        correct: true\n",
    )
    assert any("exactly one correct option, has 2" in m for m in messages(root))


def test_a_broken_lesson_does_not_take_the_rest_of_the_course_with_it(tmp_path):
    import shutil

    from helpers import REPO

    root = tmp_path / "course"
    for folder in ("modules", "scenarios"):
        shutil.copytree(REPO / folder, root / folder)
    (root / "modules" / "07-transition" / "module.yaml").write_text("id: transition\norder: [\n")
    course = load_course(root)
    assert {d.file.rsplit("/", 1)[-1] for d in course.errors} == {"module.yaml"}
    assert all("07-transition" in d.file for d in course.errors)
    assert [m.id for m in course.modules] == [
        "peacebuilding",
        "humanitarian",
        "wps",
        "youth",
        "civil-society",
        "returns",
        "media",
    ]
    assert len(course.scenarios) == 10


def test_a_section_of_a_page_the_lesson_does_not_have_is_an_error(tmp_path):
    """The basics lesson has no risks and no considerations: a link to either would open
    its first page without a word, so it is an error with the sections it does have."""
    from apptest import course_copy
    from test_app_content import replace_in

    root = course_copy(tmp_path)
    basics = load_course(root).module("basics")
    assert {"risks", "considerations"}.isdisjoint(basics.anchors)
    assert {"overview", "activities", "benchmarks", "checks"} <= basics.anchors
    wells = root / "scenarios" / "wells.yaml"
    replace_in(wells, "section: relief#activities", "section: basics#risks")
    found = messages(root)
    assert any(
        m.startswith("wells.yaml:37:18: lesson 'basics' has no section 'risks'") for m in found
    ), found
