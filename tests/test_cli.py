"""The command line: exit codes, stable JSON keys, and each author command end to end."""

import json
import subprocess
import sys

import pytest

from helpers import CORE_COURSE, copy_course
from mltcourse.cli import main


def run(capsys, *args):
    code = main(["--content", str(CORE_COURSE), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_validate_clean_course(capsys):
    code, out, err = run(capsys, "validate")
    assert code == 0 and out == "" and "0 errors" in err


def test_validate_reports_file_line_column_and_exit_1(tmp_path, capsys):
    root = copy_course(tmp_path)
    path = root / "scenarios" / "crossroads.yaml"
    path.write_text(
        path.read_text().replace(
            "next: third\n        effects: {trust: 10", "next: nowhere\n        effects: {trust: 10"
        )
    )
    code = main(["--content", str(root), "validate"])
    out = capsys.readouterr().out
    assert code == 1
    assert out.strip().endswith("crossroads.yaml:40:15: error: unknown scene 'nowhere'")
    code = main(["--content", str(root), "validate", "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1 and report["ok"] is False
    assert set(report) == {"ok", "errors", "warnings"}
    assert report["errors"][0]["line"] == 40 and report["errors"][0]["column"] == 15
    assert set(report["errors"][0]) == {"file", "line", "column", "message"}


def test_validate_a_single_path_reports_only_that_file(tmp_path, capsys):
    root = copy_course(tmp_path)
    (root / "scenarios" / "broken.yaml").write_text("id: broken\n")
    code = main(["--content", str(root), "validate", str(root / "scenarios" / "crossroads.yaml")])
    assert code == 0
    code = main(["--content", str(root), "validate", str(root / "scenarios" / "broken.yaml")])
    out = capsys.readouterr().out
    assert code == 1 and "broken.yaml:1:1: error: scenario is missing the required field" in out


def test_usage_errors_exit_2(capsys):
    assert run(capsys, "play", "no-such-scenario")[0] == 2
    with pytest.raises(SystemExit) as info:
        main(["playtest", "--random", "many"])
    assert info.value.code == 2
    assert run(capsys, "playtest", "--random", "-1")[0] == 2
    code, _, err = run(capsys, "play", "crossroads", "--choose", "bold")
    assert code == 2 and "open here: consult, alone" in err


def test_list_json_keys(capsys):
    code, out, _ = run(capsys, "list", "--json")
    data = json.loads(out)
    assert code == 0
    module = data["modules"][0]
    assert {"id", "title", "order", "checks", "risks", "scenarios"} <= set(module)
    assert module["checks"] == 3 and module["scenarios"] == ["crossroads"]
    scenario = data["scenarios"][0]
    assert {"id", "title", "module", "scenes", "endings"} <= set(scenario)
    assert (scenario["scenes"], scenario["endings"]) == (3, 3)
    assert data["principles"] == ["ownership", "coordination", "rights"]


def test_list_risks_gives_each_full_id_and_title_by_lesson(capsys):
    code, out, _ = run(capsys, "list", "--risks")
    assert code == 0
    lines = out.splitlines()
    assert lines[:2] == ["Risks (2), by lesson", "  basics: Basics"]
    assert lines[2].split(None, 1) == ["basics.gap", "Capacity gap"]
    assert lines[3].split(None, 1) == ["basics.backlash", "Backlash"]
    code, out, _ = run(capsys, "list", "--risks", "--json")
    first = json.loads(out)["risks"][0]
    assert code == 0 and first == {
        "id": "basics.gap",
        "module": "basics",
        "title": "Capacity gap",
        "text": "Nobody is ready to take over.",
        "section": "basics#risk-gap",
    }
    assert "Risks: mltcourse list --risks" in run(capsys, "list")[1]


def test_playtest_json_keys_and_reproducibility(capsys):
    code, out, _ = run(capsys, "playtest", "crossroads", "--random", "300", "--seed", "3", "--json")
    first = json.loads(out)
    assert code == 0
    assert {
        "scenario",
        "runs",
        "seed",
        "endings",
        "unvisited_scenes",
        "unvisited_choices",
        "decisions",
        "score",
    } <= set(first)
    assert set(first["decisions"]) == {"min", "max", "mean"} == set(first["score"])
    assert sum(first["endings"].values()) == 300
    _, again, _ = run(capsys, "playtest", "crossroads", "--random", "300", "--seed", "3", "--json")
    assert json.loads(again) == first


def test_playtest_exhaustive(capsys):
    code, out, _ = run(capsys, "playtest", "crossroads", "--exhaustive", "--json")
    data = json.loads(out)
    assert data["score"] == {"best": 1.0, "worst": 0.0}
    assert data["unreachable_endings"] == []


def test_coverage_json_lists_every_catalogue_entry(capsys):
    code, out, _ = run(capsys, "coverage", "--json")
    data = json.loads(out)
    assert data["principles"] == {
        "ownership": ["crossroads"],
        "coordination": ["crossroads"],
        "rights": ["crossroads"],
    }
    assert data["risks"] == {"basics.gap": ["crossroads"], "basics.backlash": ["crossroads"]}


def test_play_report_json(capsys):
    code, out, _ = run(
        capsys,
        "play",
        "crossroads",
        "--choose",
        "alone",
        "deflect",
        "security-first",
        "keep",
        "--report",
        "json",
    )
    data = json.loads(out)
    assert code == 0
    assert {"scenario", "ending", "outcome", "decisions", "score", "risks"} <= set(data)
    assert data["ending"] == "bad" and data["outcome"] == "failure"
    assert [d["scene"] for d in data["decisions"]] == ["first", "gap-shows", "second", "third"]
    assert set(data["decisions"][0]) >= {"scene", "choice", "quality"}
    assert data["score"]["overall"] == 0.0
    assert data["risks"] == {
        "raised": ["basics.gap", "basics.backlash"],
        "mitigated": [],
        "materialized": ["basics.gap"],
    }


def test_play_policy_markdown(capsys):
    code, out, _ = run(capsys, "play", "crossroads", "--policy", "best")
    assert code == 0
    assert "# Debrief: Crossroads" in out and "Good (success)" in out


def test_graph_formats(capsys):
    _, out, _ = run(capsys, "graph", "crossroads")
    assert out.startswith("flowchart TD") and 'n_second -- "bold [trust >= 60]" --> end_' in out
    _, out, _ = run(capsys, "graph", "crossroads", "--format", "dot")
    assert out.startswith('digraph "crossroads"') and '"first" -> "second"' in out


def test_lint_reports_dominated_choice(tmp_path, capsys):
    root = copy_course(tmp_path)
    path = root / "scenarios" / "crossroads.yaml"
    path.write_text(
        path.read_text().replace(
            "effects: {security: 5}\n        principles: {ownership: -2}",
            "effects: {security: -5}\n        principles: {ownership: -2}",
        )
    )
    code = main(["--content", str(root), "lint", "--json"])
    warnings = json.loads(capsys.readouterr().out)["warnings"]
    assert code == 0
    assert any("choice 'keep' is dominated by 'hand-over'" in w["message"] for w in warnings)


def test_new_scenario_scaffold_validates(tmp_path, capsys):
    root = copy_course(tmp_path)
    assert main(["--content", str(root), "new", "scenario", "fresh-start"]) == 0
    text = (root / "scenarios" / "fresh-start.yaml").read_text()
    assert text.startswith("# yaml-language-server: $schema=../schema/scenario.schema.json")
    assert main(["--content", str(root), "validate"]) == 0
    assert main(["--content", str(root), "new", "scenario", "fresh-start"]) == 2


def test_schema_command(capsys):
    code, out, _ = run(capsys, "schema", "scenario")
    schema = json.loads(out)
    assert schema["title"] == "mltcourse scenario"
    assert "scenes" in schema["required"]


def test_module_entry_point_runs():
    out = subprocess.run(
        [sys.executable, "-m", "mltcourse", "--content", str(CORE_COURSE), "validate", "--json"],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0 and json.loads(out.stdout)["ok"] is True


def test_lint_warns_when_the_best_option_always_sits_in_one_place(capsys):
    code, out, _ = run(capsys, "lint", "--json")
    messages = [w["message"] for w in json.loads(out)["warnings"]]
    assert (
        "the doctrine-best option is choice 1 in 3 of 4 decisions; vary its place so it "
        "cannot be guessed" in messages
    )


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], {"content": None, "data_dir": None, "learner": None, "watch": False}),
        (["--learner", "list", "--watch"], {"learner": "list", "watch": True}),  # not a command
        (["--content", "c", "--data-dir", "d"], {"content": "c", "data_dir": "d"}),
    ],
)
def test_launching_the_app_takes_the_global_options(monkeypatch, argv, expected):
    launched = []
    monkeypatch.setattr("mltcourse.cli._run_app", lambda args: launched.append(args) or 0)
    assert main(argv) == 0
    [args] = launched
    assert args.command is None
    assert {key: getattr(args, key) for key in expected} == expected


@pytest.mark.parametrize("argv", [["--data-dir"], ["--bogus"], ["nonsense"]])
def test_a_mistaken_app_command_line_gets_the_full_usage(monkeypatch, capsys, argv):
    monkeypatch.setattr("mltcourse.cli._run_app", lambda args: pytest.fail("launched"))
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    assert "COMMAND" in capsys.readouterr().err  # the full parser's usage, with the commands


def test_lint_strict_fails_on_warnings_for_ci(capsys):
    code, out, _ = run(capsys, "lint")
    assert code == 0 and "warning" in out  # the fixture course has warnings
    code, _, _ = run(capsys, "lint", "--strict")
    assert code == 1
