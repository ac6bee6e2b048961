"""`mltcourse play` records to the same store as the app, unless told not to."""

from __future__ import annotations

from apptest import FIXTURE_COURSE
from mltcourse.cli import main
from mltcourse.content.loader import load_course
from mltcourse.store import TRAINING, ProgressStore
from mltcourse.store.attempts import start


def play(data, *extra: str) -> int:
    return main(
        ["--content", str(FIXTURE_COURSE), "play", "wells", "--data-dir", str(data), *extra]
    )


def test_a_finished_headless_play_is_recorded_for_the_learner(tmp_path, capsys):
    assert play(tmp_path, "--choose", "cmcoord", "review", "--learner", "Ana") == 0
    assert "# Debrief: The wells offer" in capsys.readouterr().out
    store = ProgressStore.in_dir(tmp_path)
    ana = store.learner("Ana")
    [record] = store.finished_attempts(ana.id, "wells")
    assert (record.source, record.mode, record.ending) == ("play", "assessment", "trusted")
    assert record.choices == ("cmcoord", "review")
    store.close()


def test_no_record_leaves_the_store_untouched(tmp_path):
    assert play(tmp_path, "--policy", "best", "--no-record") == 0
    assert not (tmp_path / "progress.sqlite3").exists()


def test_an_unfinished_path_is_not_recorded_and_the_apps_attempt_stays_open(tmp_path, capsys):
    store = ProgressStore.in_dir(tmp_path)
    ana = store.learner("Ana")
    scenario = load_course(FIXTURE_COURSE).scenarios["wells"]
    start(store, ana.id, scenario, TRAINING).choose("approve")
    assert play(tmp_path, "--choose", "cmcoord", "--learner", "Ana") == 0
    assert "not recorded" in capsys.readouterr().err
    assert store.open_attempt(ana.id, "wells").choices == ("approve",)
    assert store.finished_attempts(ana.id, "wells") == []
    store.close()


def test_the_html_report_is_one_escaped_self_contained_file(tmp_path, capsys):
    assert play(tmp_path, "--choose", "approve", "review", "--report", "html", "--no-record") == 0
    html = capsys.readouterr().out
    assert html.startswith("<!doctype html>") and "<svg" in html
    assert "src=" not in html and "<script" not in html and "<link" not in html


def test_a_bot_policy_records_nothing_unless_a_learner_is_named(tmp_path, capsys):
    assert play(tmp_path, "--policy", "best") == 0
    assert not (tmp_path / "progress.sqlite3").exists()
    assert play(tmp_path, "--policy", "worst", "--learner", "Ana") == 0
    store = ProgressStore.in_dir(tmp_path)
    [record] = store.finished_attempts(store.learner("Ana").id, "wells")
    assert record.choices and record.source == "play"
    store.close()


def test_an_exported_debrief_says_who_when_how_and_on_which_course(tmp_path, capsys):
    assert play(tmp_path, "--choose", "cmcoord", "review", "--learner", "Ana") == 0
    text = capsys.readouterr().out
    assert "**Learner:** Ana  " in text
    assert "**Mode:** headless, given path  " in text
    assert "**When:** " in text and "**Course:** mltcourse 0.1.0, wells file " in text
    assert play(tmp_path, "--policy", "best", "--report", "html") == 0
    page = capsys.readouterr().out
    assert "Learner: not recorded · Mode: headless, the doctrine-best policy · When: " in page
