"""An exercise's life and its records: decisions taken back, overrides apart from tie-breaks,
a clock per team across a resume, a new countdown on resume, the notes setting, finished
exercises listed and reopened, after-action files that never overwrite (the participants'
version without notes), the records CSV and the organisation's xAPI identifiers."""

from __future__ import annotations

import csv
import io
import json
import time
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exercisetest import CHOICE_NOTE, SCENE_NOTE, exercise_course
from mltcourse import __version__
from mltcourse.cli import main
from mltcourse.content.loader import load_course
from mltcourse.engine.clock import Countdown
from mltcourse.engine.exercise import (
    FACILITATOR,
    OVERRIDE,
    TIE_BREAK,
    ExerciseError,
    against_majority,
    decide_by_majority,
    enter_tally,
    new_exercise,
    record_choice,
    undo_last,
)
from mltcourse.reports.aar import after_action_of
from mltcourse.reports.aar_markdown import after_action_markdown
from mltcourse.reports.records_csv import records_csv
from mltcourse.reports.xapi import EXT_COURSE_VERSION, statement_problems
from mltcourse.reports.xapi_settings import SettingsError, XapiConfig, load_xapi_config
from mltcourse.reports.xapi_teams import team_statements
from mltcourse.store import TRAINING, ProgressStore
from mltcourse.store.attempts import start
from mltcourse.store.exercises import (
    ExerciseStore,
    find_to_resume,
    resume_exercise,
    start_exercise,
)
from mltcourse.store.records import learner_histories


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    return exercise_course(tmp_path_factory.mktemp("life"))


@pytest.fixture(scope="module")
def course(root):
    return load_course(root)


@pytest.fixture
def scenario(course):
    return course.scenarios["crossroads"]


@pytest.fixture
def store(tmp_path):
    progress = ProgressStore.in_dir(tmp_path / "data")
    yield ExerciseStore(progress)
    progress.close()


# --- overrides, tie-breaks and decisions taken back --------------------------------------------


def test_an_override_is_told_apart_from_a_tie_break(scenario):
    ex = new_exercise(scenario, "Alpha,Bravo")
    ex = enter_tally(scenario, ex, 0, {"consult": 2, "alone": 2})
    assert not against_majority(ex, 0, "alone")  # a tie: no majority to go against
    ex = record_choice(scenario, ex, 0, "alone")
    assert (ex.teams[0].decisions[-1].how, ex.teams[0].decisions[-1].reason) == (
        FACILITATOR,
        TIE_BREAK,
    )
    ex = enter_tally(scenario, ex, 1, {"consult": 5, "alone": 1})
    assert against_majority(ex, 1, "alone") and not against_majority(ex, 1, "consult")
    ex = record_choice(scenario, ex, 1, "alone")
    assert ex.teams[1].decisions[-1].reason == OVERRIDE
    tied = enter_tally(scenario, new_exercise(scenario, "Tie"), 0, {"consult": 1, "alone": 1})
    with pytest.raises(ExerciseError, match="“Consult partners.” and “Act alone.”"):
        decide_by_majority(scenario, tied, 0)  # the tie is named by the options' texts


def test_taking_back_restores_the_team_and_its_votes(scenario):
    ex = new_exercise(scenario, "Alpha")
    ex = enter_tally(scenario, ex, 0, {"consult": 4, "alone": 1})
    before = ex.teams[0]
    ex = decide_by_majority(scenario, ex, 0)
    ex, undone = undo_last(scenario, ex, 0)
    assert undone.choice == "consult"
    assert ex.teams[0].state == before.state and ex.teams[0].decisions == ()
    assert ex.teams[0].tally.counts == before.tally.counts and ex.teams[0].tally.revealed
    with pytest.raises(ExerciseError, match="no decision to take back"):
        undo_last(scenario, ex, 0)


def test_a_correction_stays_in_the_record_and_is_voided_in_xapi(course, scenario, store):
    live = start_exercise(store, scenario, ("Alpha",), facilitator="Dana")
    live.enter_tally(0, {"consult": 1, "alone": 3})
    live.record_choice(0, "consult")  # an override, then taken back
    sent_before = team_statements(course, store.record(live.id))
    answered = [s for s in sent_before if s["verb"]["display"]["en-US"] == "answered"]
    live.take_back(0)
    live.decide_by_majority(0)  # the majority this time

    record = store.record(live.id)
    (fix,) = record.teams[0].corrections
    assert (fix.seq, fix.old.choice, fix.old.reason, fix.new_choice) == (
        1,
        "consult",
        "override",
        "alone",
    )
    assert [d.choice for d in record.teams[0].decisions] == ["alone"]
    statements = team_statements(course, record)
    assert all(statement_problems(s) == [] for s in statements)
    voided = [s for s in statements if s["verb"]["id"].endswith("/voided")]
    assert len(voided) == 1
    assert voided[0]["object"] == {"objectType": "StatementRef", "id": answered[0]["id"]}
    assert voided[0]["actor"]["name"] == "Dana"
    assert answered[0]["id"] in {s["id"] for s in statements}  # the original, same id

    resumed = resume_exercise(store, live.id, scenario)
    assert [d.choice for d in resumed.exercise.teams[0].decisions] == ["alone"]
    review = after_action_of(course, store.record(live.id))
    assert review.teams[0].corrections == ((1, "First", "Consult partners.", "Act alone."),)
    assert "Correction at decision 1 (First)" in after_action_markdown(review)


def test_taking_back_the_last_decision_reopens_a_finished_exercise(scenario, store):
    live = start_exercise(store, scenario, ("Solo",))
    for choice in ("consult", "rights-first", "hand-over"):
        live.record_choice(0, choice)
    assert store.record(live.id).status == "finished"
    live.take_back(0)
    assert store.record(live.id).status == "open" and not live.exercise.finished


# --- clocks, countdown and notes across a resume -----------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    limit=st.integers(1, 3600),
    steps=st.lists(st.tuples(st.booleans(), st.floats(0, 5000)), max_size=12),
)
def test_a_countdown_stays_within_its_limit_and_only_runs_when_started(limit, steps):
    clock, moment = Countdown.fresh(limit), 0.0
    for toggle, wait in steps:
        if toggle:
            clock = clock.toggle(moment)
        before = clock.remaining(moment)
        moment += wait
        after = clock.remaining(moment)
        assert 0 <= after <= before <= limit
        if not clock.running:
            assert after == before


def test_each_team_has_its_own_clock_and_a_resume_finds_it_paused(scenario, store):
    live = start_exercise(store, scenario, ("Alpha", "Bravo"), countdown=300)
    live.toggle_clock(0, 1000.0)  # Alpha deliberates; Bravo's clock stays full
    live.save_clocks(1060.0)
    assert live.clocks[1].remaining(1060.0) == 300
    resumed = resume_exercise(store, live.id, scenario)
    alpha, bravo = resumed.clocks
    assert alpha.remaining(5000.0) == pytest.approx(240) and not alpha.running
    assert bravo.remaining(5000.0) == 300
    resumed.record_choice(0, "consult")  # the next decision: a full clock again
    assert resume_exercise(store, live.id, scenario).clocks[0].remaining(0) == 300


def test_a_new_countdown_on_resume_takes_effect_with_a_note(scenario, store):
    live = start_exercise(store, scenario, ("Xray", "Yankee"), countdown=4)
    live.toggle_clock(0, 0.0)
    live.save_clocks(3.0)
    resumed = resume_exercise(store, live.id, scenario, countdown=600)
    assert resumed.exercise.countdown == 600 and "600 s per decision (was 4 s)" in resumed.note
    assert [c.remaining(0) for c in resumed.clocks] == [600, 600]
    assert store.record(live.id).countdown == 600
    assert resume_exercise(store, live.id, scenario, countdown=600).note is None


def test_hidden_notes_stay_hidden_after_a_resume(scenario, store):
    live = start_exercise(store, scenario, ("Alpha",))
    live.hide_notes(True)
    assert resume_exercise(store, live.id, scenario).notes_hidden is True


def test_a_finished_exercise_reopens_by_its_teams_for_a_while(scenario, store):
    live = start_exercise(store, scenario, ("Red", "Blue"))
    for index in (0, 1):
        for choice in ("consult", "rights-first", "hand-over"):
            live.record_choice(index, choice)
    finished = store.record(live.id)
    assert finished.status == "finished"
    assert find_to_resume(store, scenario.id, ("red", "BLUE"), finished.updated + 60) == live.id
    assert find_to_resume(store, scenario.id, ("Red", "Blue"), finished.updated + 86400) is None
    assert live.id in [r.id for r in store.reopenable()]


# --- the command line: listing and the after-action review of any exercise ---------------------


@pytest.fixture
def finished_data(root, scenario, tmp_path):
    """A data folder with one finished exercise (facilitator Dana) and one open one."""
    data = tmp_path / "cli-data"
    progress = ProgressStore.in_dir(data)
    store = ExerciseStore(progress)
    live = start_exercise(store, scenario, ("Alpha", "Bravo"), 120, "Dana")
    live.enter_tally(0, {"consult": 3, "alone": 2})
    live.decide_by_majority(0)
    for choice in ("rights-first", "hand-over"):
        live.record_choice(0, choice)
    for choice in ("alone", "deflect", "security-first", "keep"):
        live.record_choice(1, choice)
    start_exercise(store, scenario, ("Zulu",))
    progress.close()
    return data


def test_exercises_lists_every_exercise_as_json(root, finished_data, capsys):
    assert (
        main(["--content", str(root), "exercises", "--json", "--data-dir", str(finished_data)]) == 0
    )
    listing = json.loads(capsys.readouterr().out)
    assert [(e["id"], e["status"], e["teams"]) for e in listing] == [
        (1, "finished", ["Alpha", "Bravo"]),
        (2, "open", ["Zulu"]),
    ]
    first = listing[0]
    assert first["scenario"] == "crossroads" and first["facilitator"] == "Dana"
    assert first["started"].endswith("Z") and first["decisions"] == 7


def test_export_aar_writes_any_exercise_again_without_overwriting(root, finished_data, tmp_path):
    out = tmp_path / "handouts"
    base = ["--content", str(root), "export", "--data-dir", str(finished_data), "--format", "aar"]
    assert main([*base, "--exercise", "1", "--out", str(out)]) == 0
    first = sorted(out.iterdir())
    kept = {p: p.read_bytes() for p in first}
    assert main([*base, "--exercise", "1", "--out", str(out)]) == 0
    assert main([*base, "--exercise", "1", "--out", str(out), "--participant"]) == 0
    files = sorted(out.iterdir())
    assert len(files) == 9 and all(p.read_bytes() == kept[p] for p in first)
    assert len({p.name for p in files}) == 9
    full = next(p for p in first if p.suffix == ".md").read_text()
    assert "**Exercise:** no. 1" in full and "**Facilitator:** Dana" in full
    assert "**Date:**" in full and "**Clock:** 120 s per decision" in full
    assert SCENE_NOTE in full
    for handout in (p for p in files if "participants" in p.name and p.suffix != ".csv"):
        text = handout.read_text()
        assert SCENE_NOTE not in text and CHOICE_NOTE not in text and "Facilitator:" in text
    assert main([*base, "--exercise", "9"]) == 2
    assert main([*base]) == 2


def test_the_html_review_names_risks_and_options_by_their_titles(course, finished_data):
    from mltcourse.reports.aar_html import after_action_html

    progress = ProgressStore.in_dir(finished_data)
    record = ExerciseStore(progress).record(1)
    progress.close()
    review = after_action_of(course, record)
    page = after_action_html(review)
    assert "basics.gap" not in page and course.risks["basics.gap"].title in page
    assert "consult 3" not in page and "Consult partners 3 · Act alone 2" in page
    long = "Continually updated conflict analysis shared with the country team"
    titles = {p: long for p in review.principle_titles}
    page = after_action_html(replace(review, principle_titles=titles))
    assert "…" not in page and "country team</tspan>" in page  # wrapped, never cut


# --- the records CSV and xAPI for an organisation ----------------------------------------------


@pytest.fixture
def learner_data(root, scenario, finished_data):
    progress = ProgressStore.in_dir(finished_data)
    ana = progress.learner("José Ramírez")
    progress.mark_read(ana.id, "basics")
    attempt = start(progress, ana.id, scenario, TRAINING)
    for choice in ("consult", "rights-first", "hand-over"):
        attempt.choose(choice)
    progress.close()
    return finished_data


def test_the_records_csv_has_correctness_texts_and_split_columns(course, learner_data):
    progress = ProgressStore.in_dir(learner_data)
    histories = learner_histories(progress)
    exercises = ExerciseStore(progress).all_exercises()
    progress.close()
    rows = list(csv.DictReader(io.StringIO(records_csv(course, histories, exercises))))
    learner = [r for r in rows if r["actor_type"] == "learner" and r["event"] == "decision"]
    # rights-first passed over the bold move that trust 60 had opened
    assert [r["correct"] for r in learner] == ["yes", "no", "yes"]
    assert learner[0]["score"] == "1.000" and learner[0]["mode"] == "training"
    assert (learner[0]["item_text"], learner[0]["response_text"]) == ("First", "Consult partners.")
    alpha = next(r for r in rows if r["actor"] == "Alpha" and r["event"] == "decision")
    assert (alpha["response"], alpha["decided_by"]) == ("consult", "majority")
    assert (alpha["votes_for_response"], alpha["votes_total"]) == ("3", "5")
    assert alpha["exercise"] == "1" and alpha["scenario_title"] == "Crossroads"
    assert all(len(r["time"]) == 19 and r["time"][10] == " " for r in rows)  # 2026-12-02 14:05:09


def test_export_csv_for_excel_starts_with_a_byte_order_mark(root, learner_data, tmp_path):
    base = ["--content", str(root), "export", "--data-dir", str(learner_data)]
    assert main([*base, "--excel", "--out", str(tmp_path / "x.csv")]) == 0
    assert main([*base, "--out", str(tmp_path / "plain.csv")]) == 0
    excel = (tmp_path / "x.csv").read_bytes()
    assert excel.startswith(b"\xef\xbb\xbf") and "José Ramírez".encode() in excel
    assert not (tmp_path / "plain.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert excel[3:] == (tmp_path / "plain.csv").read_bytes()


def test_xapi_identifiers_come_from_the_organisation_settings(root, learner_data, capsys):
    (learner_data / "settings.toml").write_text(
        '[xapi]\nactivity_base = "https://lms.example.org/xapi/mlt/"\n'
        'home_page = "https://sso.example.org"\n',
        encoding="utf-8",
    )
    base = ["--content", str(root), "export", "--data-dir", str(learner_data), "--format", "xapi"]
    assert main(base) == 0
    statements = json.loads(capsys.readouterr().out)
    assert all(statement_problems(s) == [] for s in statements)
    assert {s["object"]["id"].split("/xapi/mlt/")[0] for s in statements} == {
        "https://lms.example.org"
    }
    jose = next(s for s in statements if s["actor"]["name"] == "José Ramírez")
    assert jose["actor"]["account"]["homePage"] == "https://sso.example.org"
    versions = {s["context"]["extensions"][EXT_COURSE_VERSION] for s in statements}
    assert versions == {f"mltcourse {__version__}"}
    decision = next(s for s in statements if "/decisions/first" in s["object"]["id"])
    assert decision["object"]["definition"]["correctResponsesPattern"] == ["consult"]

    assert main([*base, "--xapi-base", "https://other.example.net/x"]) == 0
    moved = json.loads(capsys.readouterr().out)
    assert moved[0]["object"]["id"].startswith("https://other.example.net/x/")
    assert {s["id"] for s in moved}.isdisjoint({s["id"] for s in statements})

    (learner_data / "settings.toml").write_text('[xapi]\nactivity_base = "ftp://x"\n')
    assert main(base) == 2
    assert "activity_base" in capsys.readouterr().err


def test_settings_refuse_what_is_not_an_address(tmp_path):
    assert load_xapi_config(tmp_path) == XapiConfig()
    for bad in ('activity_base = "https://u:p@x.org"', 'lrs = "https://x.org/?key=1"', "x = 1"):
        (tmp_path / "settings.toml").write_text(f"[xapi]\n{bad}\n")
        with pytest.raises(SettingsError):
            load_xapi_config(tmp_path)
    (tmp_path / "settings.toml").write_text("[xapi\n")
    with pytest.raises(SettingsError, match="cannot be read"):
        load_xapi_config(tmp_path)


def test_while_serving_the_records_reach_the_configured_lrs_in_the_background(course, learner_data):
    from mltcourse.reports.lrs_sync import BackgroundSync
    from test_xapi import FakeLRS

    log: list[str] = []
    with FakeLRS() as lrs:
        config = XapiConfig(lrs=lrs.url)
        sync = BackgroundSync(lambda: course, learner_data, config, log.append, interval=0.05)
        sync.start()
        try:
            for _ in range(200):
                if sync.runs >= 2:
                    break
                time.sleep(0.02)
        finally:
            sync.stop()
    assert sync.runs >= 2 and lrs.stored
    assert len(lrs.received) == len(set(lrs.received))  # the second run sent nothing again
    assert any("statement(s) sent" in line for line in log)
    assert list((learner_data / "xapi-outbox").glob("*/sent.txt"))


def test_serve_refuses_a_bad_lrs_setting_before_serving(root, tmp_path, capsys):
    data = tmp_path / "serve-data"
    data.mkdir()
    (data / "settings.toml").write_text('[xapi]\nlrs = "https://u:p@lrs.example.org"\n')
    assert main(["--content", str(root), "serve", "--data-dir", str(data)]) == 2
    assert "lrs" in capsys.readouterr().err
