"""The author's mistakes from the walk-through: each gets one error (or warning) at the line
of the mistake, with the fix."""

import json
from pathlib import Path

import pytest

from helpers import copy_course
from mltcourse.cli import main
from mltcourse.content.loader import load_course
from mltcourse.engine.lint import lint_course

SCENARIO = "scenarios/crossroads.yaml"


def mutate(root: Path, old: str, new: str, relative: str = SCENARIO) -> Path:
    path = root / relative
    text = path.read_text()
    assert old in text, f"fixture no longer contains {old!r}"
    path.write_text(text.replace(old, new, 1))
    return root


def diagnostics(root: Path, severity: str = "error") -> list[str]:
    return [
        f"{Path(d.file).name}:{d.line}:{d.column}: {d.message}"
        for d in load_course(root).diagnostics
        if d.severity == severity
    ]


def lint_messages(root: Path) -> list[str]:
    course = load_course(root)
    assert not course.errors, course.errors
    return [f"{Path(d.file).name}:{d.line}:{d.column}: {d.message}" for d in lint_course(course)]


def test_a_typo_in_a_scene_key_gives_one_error_with_the_fix(tmp_path):
    root = mutate(copy_course(tmp_path), "  third:\n", "  thrd:\n")
    assert diagnostics(root) == [
        "crossroads.yaml:40:15: unknown scene 'third' (also used on line 47); "
        "did you mean 'thrd' (line 61)?"
    ]


def test_scenes_behind_a_broken_next_are_not_also_unreachable(tmp_path):
    root = copy_course(tmp_path)
    path = root / SCENARIO
    path.write_text(path.read_text().replace("next: third", "next: elsewhere"))
    assert diagnostics(root) == [
        "crossroads.yaml:40:15: unknown scene 'elsewhere' (also used on line 47)"
    ]


def test_missing_fallback_is_reported_at_the_last_ending(tmp_path):
    root = mutate(
        copy_course(tmp_path),
        "    rating: failure\n    text: Trust is low.",
        "    rating: failure\n    when: trust < 50\n    text: Trust is low.",
    )
    assert diagnostics(root) == [
        "crossroads.yaml:113:11: the last ending must have no 'when': it is the fallback "
        "that catches every other final state"
    ]


def test_next_in_an_inject_choice_states_the_inject_rule(tmp_path):
    root = mutate(
        copy_course(tmp_path),
        "        text: Apologise and consult.\n",
        "        text: Apologise and consult.\n        next: third\n",
    )
    assert diagnostics(root) == [
        "crossroads.yaml:89:9: 'next' does not belong in inject choice: inject choices have no "
        "next; after the choice the story resumes where the inject interrupted it (to send the "
        "play elsewhere, set a flag and test it there)"
    ]


def test_risk_ids_written_the_wrong_way_say_how_to_write_them(tmp_path):
    root = mutate(copy_course(tmp_path), "mitigates: [basics.gap]", "mitigates: [gap]")
    assert diagnostics(root) == [
        "crossroads.yaml:22:21: 'gap' is not a valid risk id (module.risk): a risk "
        "is named with its lesson's id first, MODULE.gap (mltcourse list --risks shows each "
        "lesson's risks); write 'basics.gap'"
    ]
    root = mutate(
        copy_course(tmp_path / "b"),
        "  - id: gap\n",
        "  - id: basics.gap\n",
        "modules/01-basics/module.yaml",
    )
    assert any(
        m.endswith(
            "'basics.gap' is not a valid id (lower case, digits, '-' or '_'): in "
            "module.yaml a risk's id has no module part: write 'gap'"
        )
        for m in diagnostics(root)
    ), diagnostics(root)


def test_unknown_risk_and_condition_names_get_did_you_mean(tmp_path):
    root = mutate(copy_course(tmp_path), "raises: [basics.gap]", "raises: [basics.gapp]")
    root = mutate(root, "when: went_alone and", "when: went_alon and")
    assert diagnostics(root) == [
        "crossroads.yaml:31:18: unknown risk 'basics.gapp'; did you mean 'basics.gap'?",
        "crossroads.yaml:83:11: condition: unknown indicator or flag 'went_alon'; "
        "did you mean 'went_alone'?",
    ]


def test_an_effect_beyond_the_whole_range_warns_in_validate_and_lint(tmp_path, capsys):
    root = mutate(copy_course(tmp_path), "effects: {security: 10}", "effects: {security: 150}")
    expected = (
        "crossroads.yaml:28:29: effect +150 on 'security' is larger than its whole range "
        "(0 to 100); it is cut off at the top, so say what you mean with +100 or less"
    )
    assert diagnostics(root, "warning") == [expected]
    assert main(["--content", str(root), "lint"]) == 0
    printed = expected.replace("28:29: ", "28:29: warning: ")
    assert printed in capsys.readouterr().out


def test_a_value_yaml_reads_as_true_or_a_number_where_text_belongs_says_quote_it(tmp_path):
    root = mutate(copy_course(tmp_path), "title: Crossroads", "title: true")
    assert diagnostics(root) == [
        "crossroads.yaml:2:8: title: expected text, found true/false; quote it if it is meant "
        'as text: "true"'
    ]


def test_yes_and_on_are_text_as_in_the_editor(tmp_path):
    root = mutate(copy_course(tmp_path), "flags: {went_alone: true}", "flags: {went_alone: yes}")
    assert diagnostics(root) == [
        "crossroads.yaml:29:29: went_alone: expected true or false, found text 'yes'"
    ]


def test_flag_never_read_is_reported_where_it_is_set(tmp_path):
    root = mutate(
        copy_course(tmp_path), "when: went_alone and security >= 60", "when: security >= 60"
    )
    found = [m for m in lint_messages(root) if "went_alone" in m]
    assert found == ["crossroads.yaml:29:17: flag 'went_alone' is set but no condition reads it"]


def test_best_play_against_the_story_names_the_condition_and_final_values(tmp_path):
    root = mutate(copy_course(tmp_path), "when: trust >= 70", "when: trust >= 95")
    found = [m for m in lint_messages(root) if "doctrine-best play ends in" in m]
    assert found == [
        "crossroads.yaml:100:5: the doctrine-best play ends in 'middling' (mixed), not in a "
        "success ending: scoring and story disagree; ending 'good' (line 100) needs "
        "trust >= 95, and the play ends with trust 80"
    ]


def test_lint_on_two_processes_says_what_one_says(tmp_path):
    root = copy_course(tmp_path)
    text = (root / SCENARIO).read_text().replace("id: crossroads", "id: crossroads-two", 1)
    (root / "scenarios" / "crossroads-two.yaml").write_text(text)
    course = load_course(root)
    assert len(course.scenarios) == 2
    assert lint_course(course, workers=2) == lint_course(course, workers=1)


def test_playtest_without_a_scenario_plays_every_one(tmp_path, capsys):
    root = copy_course(tmp_path)
    text = (root / SCENARIO).read_text().replace("id: crossroads", "id: crossroads-two", 1)
    (root / "scenarios" / "crossroads-two.yaml").write_text(text)
    code = main(["--content", str(root), "playtest", "--random", "50", "--json"])
    reports = json.loads(capsys.readouterr().out)
    assert code == 0
    assert sorted(r["scenario"] for r in reports) == ["crossroads", "crossroads-two"]
    assert all(r["runs"] == 50 for r in reports)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--module", "01-basics"], "--module takes the module id, not its folder: use 'basics'"),
        (["--module", "basic"], "unknown module 'basic'; did you mean 'basics'?"),
        (["--module", "zzz"], "unknown module 'zzz'; known: basics"),
    ],
)
def test_new_checks_the_module_before_writing(tmp_path, capsys, args, message):
    root = copy_course(tmp_path)
    assert main(["--content", str(root), "new", "scenario", "fresh", *args]) == 2
    assert capsys.readouterr().err.strip() == f"mltcourse: {message}"
    assert not (root / "scenarios" / "fresh.yaml").exists()


def test_new_checks_the_id_before_writing(tmp_path, capsys):
    root = copy_course(tmp_path)
    assert main(["--content", str(root), "new", "scenario", "Bad_ID"]) == 2
    assert "'Bad_ID' is not a valid scenario id" in capsys.readouterr().err
    assert main(["--content", str(root), "new", "scenario", "crossroads"]) == 2
    assert "the scenario id 'crossroads' is already used by" in capsys.readouterr().err
    assert sorted(p.name for p in (root / "scenarios").iterdir()) == ["crossroads.yaml"]


def test_new_never_writes_into_the_installed_package(tmp_path, capsys, monkeypatch):
    installed = copy_course(tmp_path / "site-packages")
    monkeypatch.setattr("mltcourse.commands.scaffolding.bundled_root", lambda: installed)
    monkeypatch.setattr("mltcourse.commands.scaffolding.default_root", lambda _: installed)
    monkeypatch.chdir(tmp_path)
    assert main(["new", "scenario", "outside-test"]) == 2
    err = capsys.readouterr().err
    assert "new scenarios are never written into the installed package" in err
    assert "mltcourse new course DIR" in err
    assert not (installed / "scenarios" / "outside-test.yaml").exists()


def test_new_course_then_new_scenario_is_valid_and_lint_clean(tmp_path, capsys, monkeypatch):
    from helpers import REPO

    target = tmp_path / "our-course"
    assert main(["--content", str(REPO), "new", "course", str(target)]) == 0
    copied = sorted(p.name for p in (target / "scenarios").iterdir())
    assert len(copied) == 1
    assert (target / "modules" / "principles.yaml").is_file()
    assert (target / "modules" / "glossary.yaml").is_file()
    assert len(list((target / "modules").glob("*/lesson.md"))) == len(
        list((REPO / "modules").glob("*/lesson.md"))
    )
    assert (target / "schema" / "scenario.schema.json").is_file()
    first_line = (target / "scenarios" / copied[0]).read_text().splitlines()[0]
    assert first_line == "# yaml-language-server: $schema=../schema/scenario.schema.json"
    assert load_course(target).errors == ()
    capsys.readouterr()
    monkeypatch.chdir(target)
    assert main(["new", "scenario", "my-first", "--module", "returns"]) == 0
    assert capsys.readouterr().out.strip() == "scenarios/my-first.yaml"
    course = load_course(target)
    assert course.diagnostics == ()
    assert lint_course(course, lambda f: f.endswith("my-first.yaml")) == []
    assert main(["new", "course", str(target)]) == 2
    assert "already exists and is not empty" in capsys.readouterr().err


def test_a_field_indented_into_the_text_above_is_pointed_out(tmp_path):
    root = mutate(
        copy_course(tmp_path),
        "        feedback: Consulting keeps partners on board and the roles clear for everyone.\n"
        "        section: basics#why-it-matters\n",
        "        feedback: >-\n          Consulting keeps partners on board and the roles clear.\n"
        "          section: basics#why-it-matters\n",
    )
    assert diagnostics(root) == [
        "crossroads.yaml:17:9: choice is missing the required field 'section'; the 'feedback' "
        "text (line 23) contains 'section:', so that line is probably indented too far: line "
        "it up with 'feedback'"
    ]


def test_asset_links_must_name_a_file_in_assets(tmp_path):
    root = mutate(
        copy_course(tmp_path),
        "(lesson:basics#risks)",
        "(asset:maps/east.png)",
        "modules/01-basics/lesson.md",
    )
    assert diagnostics(root) == [
        "lesson.md:5:35: link 'asset:maps/east.png': there is no assets/maps/east.png in the course"
    ]
    (root / "assets" / "maps").mkdir(parents=True)
    (root / "assets" / "maps" / "east.png").write_bytes(b"\x89PNG")
    assert diagnostics(root) == []


def test_the_guide_states_the_limits_and_names_the_tools_use():
    import re

    from helpers import REPO
    from mltcourse.content import schema

    guide = (REPO / "docs" / "authoring.md").read_text(encoding="utf-8")
    kinds = re.search(r"JSON Schema of a KIND of file: (.*?), with", guide).group(1)
    assert re.findall(r"`([a-z]+)`", kinds) == list(schema.FILE_SCHEMAS)
    scene = {f.name: f.type for f in schema.SCENE.fields}
    assert (scene["choices"].min_items, scene["choices"].max_items) == (2, 9)
    assert "| `choices` | yes | two to nine choices |" in guide
    objectives = {f.name: f.type for f in schema.MODULE_FILE.fields}["objectives"]
    assert (objectives.min_items, objectives.max_items) == (1, 12)
    assert "1 to 12 learning objectives" in guide
    for rule in ("no delayed consequence", "flag never read", "scoring and story disagree"):
        assert f"| {rule} |" in guide
    assert "Merge\n  keys (`<<: *base`) do not" in guide
    assert "`asset:` scheme" in guide


def test_a_hyphenated_name_in_a_condition_is_given_back_with_underscores(tmp_path):
    root = mutate(copy_course(tmp_path), "when: went_alone and", "when: went-alone and")
    assert diagnostics(root) == [
        "crossroads.yaml:83:15: condition: unexpected '-': names in conditions use '_', not "
        "'-': went_alone"
    ]
