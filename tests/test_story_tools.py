"""Story text in the author tools (lint, playtest, graph) and play --from on the command line."""

import json
import re
from pathlib import Path

from mltcourse.cli import main
from mltcourse.content.loader import load_course
from mltcourse.engine.graph import dot, mermaid, story_map
from mltcourse.engine.lint_story import lint_passages
from mltcourse.engine.playtest import random_playtest
from test_story_text import SCENARIO, _mutated, _storied_course


def _scenario(root: Path):
    course = load_course(root)
    assert course.errors == ()
    return course.scenarios["crossroads"]


def test_lint_warns_of_a_passage_no_play_or_every_play_shows(tmp_path):
    root = _mutated(
        tmp_path,
        "text: A first choice.",
        "text: 'A first choice.{if went_alone: Never yet.}{if trust >= 50: Always.}'",
    )
    messages = [d.message for d in lint_passages(_scenario(root))]
    assert messages == [
        "scene 'first': the passage {if went_alone: …} never shows on any play that reaches it",
        "scene 'first': the passage {if trust >= 50: …} shows on every play that reaches it: "
        "its condition changes nothing",
    ]


def test_lint_is_quiet_for_passages_that_follow_the_story(tmp_path):
    assert lint_passages(_scenario(_storied_course(tmp_path))) == []


def test_playtest_counts_passages_and_renders_every_text(tmp_path, capsys):
    scenario = _scenario(_storied_course(tmp_path))
    report = random_playtest(scenario, 300, 7).as_json(scenario)
    third = report["passages"]["third#1"]
    assert 0 < third["shown"] < third["read"] == report["scene_visits"]["third"]
    assert third["shown"] + report["passages"]["third#2"]["shown"] == third["read"]
    assert report["render_errors"] == [] and report["passages_never_shown"] == []
    code = main(["--content", str(tmp_path / "course"), "playtest", "crossroads", "--random", "50"])
    out = capsys.readouterr().out
    assert code == 0 and "story text passages (shown / read):" in out and "third/keep#1" in out


def test_graph_marks_storied_scenes_and_draws_injects_where_they_fire(tmp_path):
    scenario = _scenario(_storied_course(tmp_path))
    chart = mermaid(scenario)
    assert 'n_third["Third<br/>✎ text follows went_alone"]' in chart
    assert "    n_first -.-> n_gap_shows" in chart
    assert '    n_gap_shows -. "apologise | deflect" .-> n_second' in chart
    graph = dot(scenario)
    assert '"first" -> "gap-shows" [style=dashed, color=gray, constraint=false];' in graph


def _nine_injects(tmp_path: Path) -> Path:
    """Nine injects, each on a trust or security threshold, one with choices."""
    injects = []
    for n in range(9):
        name, level = ("trust", 55 + 5 * n) if n % 2 else ("security", 55 + 5 * n)
        injects.append(
            f"  - id: event-{n}\n    title: Event {n}\n    text: Something happens ({n}).\n"
            f"    when: {name} >= {min(level, 100)}\n    effects: {{trust: -1}}\n"
        )
    root = _mutated(tmp_path, "injects:\n", "injects:\n" + "".join(injects))
    return root


def test_a_map_with_nine_injects_keeps_them_together_and_out_of_the_layout(tmp_path):
    scenario = _scenario(_nine_injects(tmp_path))
    assert len(scenario.injects) == 10
    story = story_map(scenario)
    assert story.analysed
    fired = [i.id for i in scenario.injects if story.sources.get(i.id)]
    assert len(fired) >= 6  # most of them can fire, and each is drawn from where it does
    chart = mermaid(scenario)
    block = chart.split("    subgraph injects", 1)[1].split("\n    end\n", 1)[0]
    assert all(f"n_{i.id.replace('-', '_')}{{{{" in block for i in scenario.injects)
    for inject in fired:
        for source in story.sources[inject]:
            assert f"    n_{source.replace('-', '_')} -.-> n_{inject.replace('-', '_')}" in chart
    graph = dot(scenario)
    cluster = graph.split("subgraph cluster_injects {", 1)[1].split("  }", 1)[0]
    assert cluster.count("shape=hexagon") == 10
    inject_edges = [line for line in graph.splitlines() if re.search(r'-> "event-\d"', line)]
    assert inject_edges and all("constraint=false" in line for line in inject_edges)
    # every scene-to-scene edge is still drawn, once
    assert graph.count('"first" -> "second"') == 2


def _play(capsys, root: Path, *args):
    code = main(["--content", str(root), "play", "crossroads", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_play_from_a_scene_with_a_state(tmp_path, capsys):
    root = _storied_course(tmp_path)
    given = ["--from", "third", "--set", "trust=55", "--flag", "went_alone", "--choose", "keep"]
    code, out, err = _play(capsys, root, *given, "--report", "json", "--no-record")
    assert code == 0, err
    report = json.loads(out)
    assert [(d["scene"], d["choice"]) for d in report["decisions"]] == [("third", "keep")]
    assert report["ending"] == "middling" and report["indicators"]["trust"] == 55
    data = ["--data-dir", str(tmp_path / "data"), "--learner", "Ana"]
    code, out, err = _play(capsys, root, *given, *data)
    assert code == 0 and "not recorded: a play --from a scene is a test" in err
    assert "steady, again, but" in out and "{if" not in out
    assert "from scene third, trust=55, flag went\\_alone" in out


def test_play_from_refuses_unknown_names_and_values_out_of_range(tmp_path, capsys):
    root = _storied_course(tmp_path)
    for args, fragment in [
        (["--from", "thrid"], "unknown scene 'thrid'; did you mean 'third'?"),
        (["--from", "third", "--set", "trust=120"], "trust runs from 0 to 100"),
        (["--from", "third", "--flag", "went_alon"], "did you mean 'went_alone'?"),
        (["--set", "trust=50"], "--set and --flag say what the state is at --from SCENE"),
    ]:
        code, _, err = _play(capsys, root, *args, "--no-record")
        assert code != 0 and fragment in err, (args, err)


def test_an_error_in_story_text_is_reported_by_validate_at_its_column(tmp_path, capsys):
    root = _mutated(tmp_path, "text: A third choice.", "text: A third {choice.")
    code = main(["--content", str(root), "validate"])
    out = capsys.readouterr().out
    line = (root / SCENARIO).read_text().splitlines().index("    text: A third {choice.") + 1
    assert code == 1 and f"crossroads.yaml:{line}:19: error: text: expected an indicator" in out
