"""The progress store when the file or the disk is in trouble: an unreadable file is moved aside
(never overwritten), an unwritable disk gives a store held in memory, a busy file is waited for;
and whatever text learners and authors use goes in and out as it is, as data, never as SQL."""

from __future__ import annotations

import os
import sqlite3
import tempfile
import threading
import time
from contextlib import closing
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apptest import FIXTURE_COURSE
from mltcourse.cli import main
from mltcourse.safetext import clean_name, first_control
from mltcourse.store import ProgressStore, database, open_store, opening
from mltcourse.store.schema import MIGRATIONS, migrate

NAME = "progress.sqlite3"


def progress_file(path: Path) -> None:
    """A real progress file with one learner's answer in it."""
    store = ProgressStore(path)
    store.record_answer(store.learner("Ana").id, "basics", "who-leads", [0], True)
    store.close()


def truncated(path: Path) -> None:
    progress_file(path)
    path.write_bytes(path.read_bytes()[: 3 * 4096])


def foreign(path: Path) -> None:
    with closing(sqlite3.connect(path)) as db:
        db.execute("CREATE TABLE photos (name TEXT)")
        db.commit()


def folder(path: Path) -> None:
    path.mkdir()
    (path / "kept.txt").write_text("mine\n")


UNREADABLE = {
    "random bytes": (lambda path: path.write_bytes(os.urandom(20_000)), "not a database"),
    "a text file": (lambda path: path.write_text("learner,score\nAna,1\n"), "not a database"),
    "a truncated database": (truncated, "malformed"),
    "another program's database": (foreign, "some other program"),
    "a folder": (folder, "a folder, not a file"),
}


def contents(path: Path) -> object:
    return sorted(os.listdir(path)) if path.is_dir() else path.read_bytes()


@pytest.mark.parametrize("case", sorted(UNREADABLE))
def test_an_unreadable_progress_file_is_moved_aside_and_a_fresh_one_started(tmp_path, case):
    make, reason = UNREADABLE[case]
    make(tmp_path / NAME)
    before = contents(tmp_path / NAME)
    store = open_store(tmp_path)
    [aside] = tmp_path.glob(f"{NAME}.corrupt-*[0-9]")
    assert contents(aside) == before  # kept exactly as it was
    assert reason in store.notice and f"It was kept as {aside.name} beside it" in store.notice
    assert store.saving and store.integrity() == "ok" and store.learners() == []
    store.learner("Ben")
    store.close()
    again = open_store(tmp_path)
    assert again.notice is None and [x.name for x in again.learners()] == ["Ben"]
    again.close()


def test_the_write_ahead_log_goes_aside_with_its_file_and_names_never_clash(tmp_path, monkeypatch):
    monkeypatch.setattr(opening.time, "strftime", lambda _: "20300101-120000")
    for attempt in range(2):
        (tmp_path / NAME).write_text("not a database\n")
        (tmp_path / f"{NAME}-wal").write_bytes(b"log %d" % attempt)
        open_store(tmp_path).close()
    first, second = sorted(tmp_path.glob(f"{NAME}.corrupt-*[0-9]"), key=lambda p: len(p.name))
    assert (first.name, second.name) == (f"{NAME}.corrupt-20300101-120000", f"{first.name}-2")
    assert Path(f"{first}-wal").read_bytes() == b"log 0"
    assert Path(f"{second}-wal").read_bytes() == b"log 1"


def test_an_empty_file_is_an_empty_database_and_is_used_as_it_is(tmp_path):
    (tmp_path / NAME).write_bytes(b"")
    store = open_store(tmp_path)
    assert store.notice is None and store.saving
    assert not list(tmp_path.glob("*.corrupt-*"))
    store.close()


def test_a_file_from_a_newer_mltcourse_is_left_alone_and_progress_kept_in_memory(tmp_path):
    progress_file(tmp_path / NAME)
    with closing(sqlite3.connect(tmp_path / NAME)) as db:
        db.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
        db.commit()
    before = (tmp_path / NAME).read_bytes()
    store = open_store(tmp_path)
    assert not store.saving and "upgrade mltcourse" in store.notice
    store.learner("Ben")
    store.close()
    assert (tmp_path / NAME).read_bytes() == before


def test_a_folder_that_cannot_be_created_gives_a_store_in_memory(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")  # a file where a folder should be: refused even to root
    store = open_store(blocker / "data")
    assert not store.saving
    assert store.notice == (
        f"Progress cannot be saved to {blocker / 'data' / NAME}: not a directory. You can go "
        "on studying; your progress is kept in memory until mltcourse closes."
    )
    ana = store.learner("Ana")
    store.record_answer(ana.id, "basics", "who-leads", [0], True)
    assert store.checks_passed(ana.id) == {"basics": {"who-leads"}}
    store.close()


def read_only_medium(monkeypatch) -> None:
    """Progress files open read-only, as on a write-protected stick (chmod does not stop
    root, who runs the tests in CI)."""
    connect = database._connect

    def read_only(target, **options):
        if target == ":memory:" or options:
            return connect(target, **options)
        return connect(f"{Path(target).resolve().as_uri()}?mode=ro", uri=True)

    monkeypatch.setattr(database, "_connect", read_only)


def test_a_read_only_progress_file_is_read_and_new_progress_kept_in_memory(tmp_path, monkeypatch):
    progress_file(tmp_path / NAME)
    before = (tmp_path / NAME).read_bytes()
    read_only_medium(monkeypatch)
    store = open_store(tmp_path)
    told = []
    store.on_notice = told.append
    ana = store.learner("Ana")  # the first write: refused, so moved to memory
    assert not store.saving and told == [store.notice] and "it is read-only" in store.notice
    store.record_answer(ana.id, "relief", "tiers", [1], True)
    assert store.checks_passed(ana.id) == {"basics": {"who-leads"}, "relief": {"tiers"}}
    store.close()
    assert (tmp_path / NAME).read_bytes() == before


def test_a_write_the_full_disk_refuses_midway_is_made_whole_in_memory(tmp_path):
    store = open_store(tmp_path)
    ana = store.learner("Ana")
    pages = store._db.execute("PRAGMA page_count").fetchone()[0]
    store._db.execute(f"PRAGMA max_page_count = {pages}")  # a real SQLITE_FULL from here
    decisions = [(f"node-{n}", "x" * 100) for n in range(200)]  # needs pages the disk lacks
    attempt_id = store.record_attempt(
        ana.id, "wells", "digest", "assessment", "play", decisions, ("trusted", "success", 1.0)
    )
    assert not store.saving and "the disk is full" in store.notice
    record = store.attempt(attempt_id)
    assert record.status == "finished" and len(record.choices) == 200
    store.close()
    on_disk = ProgressStore(tmp_path / NAME)
    assert on_disk.attempt(attempt_id) is None and on_disk.integrity() == "ok"
    on_disk.close()


def test_a_commit_the_full_disk_refuses_is_made_whole_in_memory(tmp_path, monkeypatch):
    full = sqlite3.OperationalError("database or disk is full")
    full.sqlite_errorcode = 13  # SQLITE_FULL, as when the log cannot grow at COMMIT

    class FullAtCommit(sqlite3.Connection):
        def execute(self, sql, *args):
            if sql == "COMMIT" and self.in_transaction:
                raise full
            return super().execute(sql, *args)

    progress_file(tmp_path / NAME)
    connect = database._connect

    def failing_commits(target, **options):
        if target == ":memory:":
            return connect(target, **options)
        return connect(target, factory=FullAtCommit, **options)

    monkeypatch.setattr(database, "_connect", failing_commits)
    store = open_store(tmp_path)
    ana = store.learners()[0]
    attempt = store.start_attempt(ana.id, "wells", "digest", "training")
    assert not store.saving and "the disk is full" in store.notice
    store.record_decision(attempt, 1, "offer", "approve")
    assert store.open_attempt(ana.id, "wells").choices == ("approve",)
    store.close()
    monkeypatch.undo()
    on_disk = ProgressStore(tmp_path / NAME)
    assert on_disk.open_attempt(ana.id, "wells") is None
    on_disk.close()


def hold_write_lock(path: Path, seconds: float) -> threading.Thread:
    """Another process's long write, as a second connection holding the write lock."""
    holding = threading.Event()

    def hold() -> None:
        with closing(sqlite3.connect(path, isolation_level=None)) as other:
            other.execute("BEGIN IMMEDIATE")
            holding.set()
            time.sleep(seconds)
            other.execute("COMMIT")

    thread = threading.Thread(target=hold)
    thread.start()
    holding.wait(5)
    return thread


def test_a_write_waits_for_another_programs_write_instead_of_failing(tmp_path):
    store = open_store(tmp_path)
    ana = store.learner("Ana")
    holder = hold_write_lock(store.path, 0.5)
    began = time.monotonic()
    store.record_answer(ana.id, "basics", "who-leads", [0], True)
    assert time.monotonic() - began >= 0.4 and store.saving
    holder.join()
    store.close()


def test_a_file_locked_past_the_timeout_moves_progress_to_memory(tmp_path, monkeypatch):
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 200)
    store = open_store(tmp_path)
    ana = store.learner("Ana")
    holder = hold_write_lock(store.path, 1.0)
    store.record_answer(ana.id, "basics", "who-leads", [0], True)
    holder.join()
    assert not store.saving and "held it locked" in store.notice
    assert store.checks_passed(ana.id) == {"basics": {"who-leads"}}
    store.close()


def test_two_processes_creating_the_file_at_once_do_not_both_migrate(tmp_path):
    path = tmp_path / NAME
    first = sqlite3.connect(path, isolation_level=None)

    class Late(sqlite3.Connection):
        """Takes the write lock just after the other has created every table."""

        raced = False

        def execute(self, sql, *args):
            if sql == "BEGIN IMMEDIATE" and not self.raced:
                self.raced = True
                migrate(first)
            return super().execute(sql, *args)

    second = sqlite3.connect(path, isolation_level=None, factory=Late)
    assert migrate(second) == len(MIGRATIONS) and second.raced
    assert second.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    first.close()
    second.close()


def test_the_command_line_says_on_stderr_what_it_did_with_a_corrupt_file(tmp_path, capsys):
    (tmp_path / NAME).write_bytes(os.urandom(4096))
    argv = ["--content", str(FIXTURE_COURSE), "play", "wells", "--data-dir", str(tmp_path)]
    assert main([*argv, "--choose", "cmcoord", "review", "--learner", "Ana"]) == 0
    err = capsys.readouterr().err
    assert err.startswith(f"mltcourse: The progress file {tmp_path / NAME} could not be read")
    assert "a fresh one was started" in err
    store = ProgressStore(tmp_path / NAME)
    assert store.finished_attempts(store.learner("Ana").id, "wells")
    store.close()


# Any text a learner types or an author writes: quotes, SQL, control characters, any script.
text = st.text(min_size=1, max_size=40)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=text, module=text, check=text, choices=st.lists(text, min_size=1, max_size=4))
def test_any_text_goes_in_and_out_safely_and_never_runs_as_sql(name, module, check, choices):
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(folder)
        schema = store.read("SELECT sql FROM sqlite_master ORDER BY name")
        if not clean_name(name):  # nothing left once controls and spaces are taken out
            with pytest.raises(ValueError):
                store.learner(name)
            name = "x" + name
        learner = store.learner(name)
        # A name is cleaned as it is taken in (one line, no control characters); the rest of
        # the text goes in and out as it is.
        assert learner.name == clean_name(name) and store.learner(name).id == learner.id
        assert first_control(learner.name) is None and "\n" not in learner.name
        store.record_answer(learner.id, module, check, [0], True)
        assert store.checks_passed(learner.id) == {module: {check}}
        attempt = store.start_attempt(learner.id, module, check, "training")
        for seq, choice in enumerate(choices, 1):
            store.record_decision(attempt, seq, check, choice)
        assert store.open_attempt(learner.id, module).choices == tuple(choices)
        assert store.read("SELECT sql FROM sqlite_master ORDER BY name") == schema
        store.close()


def _schema(path: Path) -> list[tuple[str, str]]:
    with closing(sqlite3.connect(path)) as db:
        return sorted(db.execute("SELECT name, sql FROM sqlite_master").fetchall())


def test_a_first_launch_copies_the_shipped_empty_file_and_it_is_the_migrated_schema(
    tmp_path, monkeypatch
):
    from mltcourse.store import prebuilt

    template = tmp_path / "shipped" / prebuilt.PROGRESS_TEMPLATE
    template.parent.mkdir()
    prebuilt.write_progress_template(template)
    migrated = tmp_path / "migrated.sqlite3"
    with closing(sqlite3.connect(migrated, isolation_level=None)) as db:
        migrate(db)
    assert _schema(template) == _schema(migrated)

    monkeypatch.setattr(prebuilt, "progress_template", lambda: template)
    copies: list[str] = []
    real_copy = database.shutil.copyfile
    monkeypatch.setattr(database.shutil, "copyfile", lambda *a: copies.append(a) or real_copy(*a))
    progress_file(tmp_path / "data" / NAME)
    assert len(copies) == 1  # the file began as the template
    store = ProgressStore(tmp_path / "data" / NAME)  # an existing file is opened, not replaced
    assert store.checks_passed(store.learner("Ana").id) == {"basics": {"who-leads"}}
    assert store.read("PRAGMA journal_mode")[0][0] == "wal"
    store.close()
    assert len(copies) == 1
    assert all(p.name.startswith(NAME) for p in (tmp_path / "data").iterdir())  # no copy left


def test_a_damaged_shipped_file_is_not_used(tmp_path, monkeypatch):
    from mltcourse.store import prebuilt

    template = tmp_path / prebuilt.PROGRESS_TEMPLATE
    prebuilt.write_progress_template(template)
    template.write_bytes(template.read_bytes()[:4096] + os.urandom(8192))
    monkeypatch.setattr(prebuilt, "progress_template", lambda: template)
    copies: list[tuple] = []
    real_copy = database.shutil.copyfile
    monkeypatch.setattr(database.shutil, "copyfile", lambda *a: copies.append(a) or real_copy(*a))
    store = open_store(tmp_path / "data")
    assert copies  # it was tried
    assert store.saving and store.notice is None  # created the usual way, nothing moved aside
    assert store.read("PRAGMA user_version")[0][0] == len(MIGRATIONS)
    store.close()
    assert all(p.name.startswith(NAME) for p in (tmp_path / "data").iterdir())  # no copy left
