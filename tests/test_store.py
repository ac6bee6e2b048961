"""The progress store: schema migrations, one commit per action, resume by replay."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from apptest import FIXTURE_COURSE, course_copy
from mltcourse.content.loader import load_course
from mltcourse.content.outline import outline_of
from mltcourse.store import ASSESSMENT, TRAINING, ProgressStore
from mltcourse.store.attempts import follow_edit, resume, start
from mltcourse.store.schema import MIGRATIONS, SchemaTooNew, migrate
from mltcourse.store.summary import continuation, course_progress


@pytest.fixture(scope="module")
def course():
    return load_course(FIXTURE_COURSE)


@pytest.fixture
def store(tmp_path: Path):
    store = ProgressStore.in_dir(tmp_path)
    yield store
    store.close()


def version(path: Path) -> int:
    with sqlite3.connect(path) as db:
        return db.execute("PRAGMA user_version").fetchone()[0]


def test_a_new_store_has_the_latest_schema_in_wal_mode(store):
    assert version(store.path) == len(MIGRATIONS)
    with sqlite3.connect(store.path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"learners", "attempts", "decisions", "check_answers", "lesson_reads"} <= tables


def test_migrations_run_in_order_once_and_keep_data(tmp_path: Path):
    path = tmp_path / "p.sqlite3"
    db = sqlite3.connect(path, isolation_level=None)
    first = ("CREATE TABLE notes (text TEXT);",)
    assert migrate(db, first) == 1
    db.execute("INSERT INTO notes VALUES ('kept')")
    second = first + ("ALTER TABLE notes ADD COLUMN stamp REAL;",)
    assert migrate(db, second) == 2
    assert migrate(db, second) == 2  # nothing left to apply
    assert db.execute("SELECT text, stamp FROM notes").fetchall() == [("kept", None)]
    db.close()


def test_a_new_file_gets_every_migration_in_one_commit(tmp_path: Path):
    """One write to disk for a first launch, not one per migration; a half-made schema
    can then never be left behind."""
    db = sqlite3.connect(tmp_path / "p.sqlite3", isolation_level=None)
    statements: list[str] = []
    db.set_trace_callback(statements.append)
    assert migrate(db) == len(MIGRATIONS)
    assert statements.count("COMMIT") == 1
    assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    db.close()


def test_a_failed_migration_leaves_the_database_as_it_was(tmp_path: Path):
    db = sqlite3.connect(tmp_path / "p.sqlite3", isolation_level=None)
    migrate(db, ("CREATE TABLE a (x);",))
    with pytest.raises(sqlite3.Error):
        migrate(db, ("CREATE TABLE a (x);", "CREATE TABLE b (y); CREATE TABLE a (x);"))
    assert db.execute("PRAGMA user_version").fetchone()[0] == 1
    names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert names == {"a"}
    db.close()


def test_a_database_from_a_newer_version_is_refused(tmp_path: Path):
    path = tmp_path / "p.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    with pytest.raises(SchemaTooNew):
        ProgressStore(path)


def test_learners_are_unique_whatever_the_case(store):
    ana = store.learner("Ana")
    assert store.learner("ana").id == ana.id
    store.learner("Ben")
    assert [learner.name for learner in store.learners()] == ["Ben", "Ana"]
    assert store.current_learner().name == "Ben"
    assert store.current_learner("Cleo").name == "Cleo"


def test_each_decision_is_committed_before_choose_returns(store, course):
    scenario = course.scenarios["wells"]
    learner = store.learner("Ana")
    attempt = start(store, learner.id, scenario, TRAINING)
    attempt.choose("approve")
    with sqlite3.connect(store.path) as other:  # a second connection sees committed rows only
        rows = other.execute("SELECT seq, node, choice FROM decisions").fetchall()
    assert rows == [(1, "offer", "approve")]


def test_finishing_records_ending_outcome_and_score(store, course):
    scenario = course.scenarios["wells"]
    learner = store.learner("Ana")
    attempt = start(store, learner.id, scenario, ASSESSMENT)
    attempt.choose("cmcoord")
    attempt.choose("review")
    [record] = store.finished_attempts(learner.id, "wells")
    assert (record.ending, record.outcome, record.score) == ("trusted", "success", 1.0)
    assert record.choices == ("cmcoord", "review")
    assert store.scenario_progress(learner.id)["wells"].best == 1.0


def test_resume_replays_the_stored_choices(store, course):
    scenario = course.scenarios["wells"]
    learner = store.learner("Ana")
    attempt = start(store, learner.id, scenario, TRAINING)
    attempt.choose("approve")
    resumed = resume(store, learner.id, scenario)
    assert resumed is not None and resumed.note is None
    assert resumed.attempt.state == attempt.state
    assert resumed.attempt.mode == TRAINING


def test_resume_after_an_edit_that_still_fits_carries_on_and_says_so(store, tmp_path):
    course_dir = course_copy(tmp_path)
    scenario = load_course(course_dir).scenarios["wells"]
    learner = store.learner("Ana")
    start(store, learner.id, scenario, TRAINING).choose("approve")
    path = course_dir / "scenarios" / "wells.yaml"
    path.write_text(path.read_text().replace("The dry season", "The rainy season"))
    edited = load_course(course_dir).scenarios["wells"]
    resumed = resume(store, learner.id, edited)
    assert resumed.attempt is not None and "edited" in resumed.note
    assert store.open_attempt(learner.id, "wells").digest == edited.digest


def test_resume_after_an_edit_that_breaks_the_path_closes_the_attempt(store, tmp_path):
    course_dir = course_copy(tmp_path)
    scenario = load_course(course_dir).scenarios["wells"]
    learner = store.learner("Ana")
    start(store, learner.id, scenario, TRAINING).choose("approve")
    path = course_dir / "scenarios" / "wells.yaml"
    path.write_text(path.read_text().replace("id: approve", "id: accept"))
    resumed = resume(store, learner.id, load_course(course_dir).scenarios["wells"])
    assert resumed.attempt is None and "decision 1 no longer fits" in resumed.note
    assert store.open_attempt(learner.id, "wells") is None


def test_follow_edit_keeps_the_decisions_that_still_fit(store, tmp_path):
    course_dir = course_copy(tmp_path)
    scenario = load_course(course_dir).scenarios["wells"]
    learner = store.learner("Ana")
    attempt = start(store, learner.id, scenario, TRAINING)
    attempt.choose("cmcoord")
    path = course_dir / "scenarios" / "wells.yaml"
    path.write_text(path.read_text().replace("id: cmcoord", "id: consult"))
    carried, note = follow_edit(attempt, load_course(course_dir).scenarios["wells"])
    assert carried.id != attempt.id and carried.state.node == "offer"
    assert "decision 1 no longer fits" in note
    assert store.attempt(attempt.id).status == "closed"


def test_course_progress_counts_reading_checks_and_scenarios(store, course):
    learner = store.learner("Ana")
    store.mark_read(learner.id, "basics")
    store.record_answer(learner.id, "basics", "who-leads", [0], True)
    store.record_answer(learner.id, "basics", "tier-plan", [1], False)
    basics, relief = course_progress(store, learner.id, outline_of(course)).lessons
    assert (basics.read, basics.checks_passed, basics.done) == (True, 1, 0.75)
    assert (relief.read, relief.scenarios_finished, relief.done) == (False, 0, 0.0)


def test_continue_goes_where_the_learner_was_else_to_the_first_lesson(store, course):
    outline = outline_of(course)
    ana = store.learner("Ana")
    nobody = course_progress(store, None, outline)  # no learner chosen yet
    assert nobody.section is None and nobody.unfinished is None
    first = continuation(course_progress(store, ana.id, outline), outline)
    assert first == ("start", "lesson:basics#overview", "Basics of peacebuilding")
    store.visit_section(ana.id, "relief", "risks")
    step = continuation(course_progress(store, ana.id, outline), outline)
    assert step.kind == "lesson" and step.target == "lesson:relief#risks"
    start(store, ana.id, course.scenarios["wells"], TRAINING)
    step = continuation(course_progress(store, ana.id, outline), outline)
    assert step.kind == "scenario" and step.target == "scenario:wells"
    gone = outline._replace(scenarios=())  # the scenario has since left the course
    step = continuation(course_progress(store, ana.id, gone), gone)
    assert step.kind == "lesson" and step.target == "lesson:relief#risks"  # the lesson, then
    gone = gone._replace(modules=())  # and the lesson too
    assert continuation(course_progress(store, ana.id, gone), gone) is None


def test_last_place_is_the_latest_of_lesson_and_open_attempt(store, course, monkeypatch):
    import mltcourse.store.progress as progress

    learner = store.learner("Ana")
    monkeypatch.setattr(progress, "now", lambda: 100.0)
    store.visit_section(learner.id, "relief", "risks")
    assert store.last_place(learner.id).anchor == "risks"
    monkeypatch.setattr(progress, "now", lambda: 200.0)
    start(store, learner.id, course.scenarios["wells"], TRAINING)
    assert store.last_place(learner.id).kind == "scenario"
