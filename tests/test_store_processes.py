"""The progress store across processes: killed with SIGKILL at random moments, and written by
two processes at once. Each writer reports every action once its commit has returned, so the
test knows exactly what must be in the file afterwards."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from contextlib import closing
from pathlib import Path

from mltcourse.store import open_store

# Records attempts, decisions and answers as fast as it can, reporting each after its commit.
# argv: data folder, learner name, iterations (0: until killed), and "together" to say "ready",
# start on a line from stdin (two writers begin at once, both opening the folder) and pause a
# millisecond after each action. SQLite's busy wait is not fair: a process writing with no pause
# at all would hold off the other until it is done. People pause between actions; so does this.
WRITER = textwrap.dedent(
    """
    import sys, time
    from mltcourse.store import open_store

    data, name, iterations = sys.argv[1], sys.argv[2], int(sys.argv[3])
    together = sys.argv[4:] == ["together"]
    if together:
        print("ready", flush=True)
        sys.stdin.readline()
    store = open_store(data)
    assert store.saving, store.notice
    learner = store.learner(name)

    def report(*action):
        print(*action, flush=True)
        if together:
            time.sleep(0.001)

    n = 0
    while not iterations or n < iterations:
        n += 1
        attempt = store.start_attempt(learner.id, f"scenario-{n % 3}", "digest", "training")
        report("attempt", attempt)
        for seq in (1, 2, 3):
            store.record_decision(attempt, seq, f"node-{seq}", f"{name}:{n}:{seq}")
            report("decision", attempt, seq)
        store.record_answer(learner.id, "module", f"{name}:{n}", [seq], True)
        report("answer", f"{name}:{n}")
    store.close()
    """
)


def writer(data: Path, name: str, out: Path, iterations: int = 0, together: bool = False):
    args = [sys.executable, "-c", WRITER, str(data), name, str(iterations)]
    with out.open("w") as stdout:  # a file, not a pipe: a full pipe would stall the writer
        return subprocess.Popen(
            args + (["together"] if together else []),
            stdin=subprocess.PIPE,
            stdout=stdout,
            stderr=subprocess.PIPE,
            text=True,
        )


def reported(out: Path) -> list[list[str]]:
    """The actions the writer reported (a kill may cut the last line short)."""
    lines = out.read_text().splitlines(keepends=True)
    return [line.split() for line in lines if line.endswith("\n") and line != "ready\n"]


def missing(db: sqlite3.Connection, report: list[list[str]]) -> list[list[str]]:
    """Reported actions that are not in the database."""
    queries = {
        "attempt": "SELECT 1 FROM attempts WHERE id = ?",
        "decision": "SELECT 1 FROM decisions WHERE attempt_id = ? AND seq = ?",
        "answer": "SELECT 1 FROM check_answers WHERE check_id = ?",
    }
    return [line for line in report if not db.execute(queries[line[0]], line[1:]).fetchone()]


def test_kill_9_at_random_moments_loses_no_committed_action(tmp_path):
    seed = random.randrange(1_000_000)
    rng = random.Random(seed)
    data = tmp_path / "data"
    runs, mid_flow, deadline = 0, 0, time.monotonic() + 30
    while runs < 20 and time.monotonic() < deadline:
        runs += 1
        out = tmp_path / f"run-{runs}.txt"
        child = writer(data, f"run-{runs}", out)
        try:
            time.sleep(rng.uniform(0.05, 0.4))  # from start-up and opening to full flow
        finally:
            os.kill(child.pid, signal.SIGKILL)
            _, errors = child.communicate(timeout=10)
        assert child.returncode == -signal.SIGKILL, f"seed {seed}: {errors}"
        report = reported(out)
        mid_flow += bool(report)
        store = open_store(data)  # what the app does: it must open as it is
        assert store.notice is None and store.saving, f"seed {seed}, run {runs}"
        store.close()
        with closing(sqlite3.connect(data / "progress.sqlite3")) as db:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok", f"seed {seed}"
            assert missing(db, report) == [], f"seed {seed}, run {runs}"
    assert runs >= 10 and mid_flow >= runs // 2, f"seed {seed}: too few kills mid-flow"


def test_two_processes_writing_at_once_both_work_and_lose_nothing(tmp_path):
    data = tmp_path / "data"  # a new folder: both writers create the progress file at once
    outs = {name: tmp_path / f"{name}.txt" for name in ("trainer", "learner")}
    children = {name: writer(data, name, out, 60, together=True) for name, out in outs.items()}
    try:
        deadline = time.monotonic() + 30
        while not all(out.read_text() for out in outs.values()):
            assert time.monotonic() < deadline, "the writers did not start"
            time.sleep(0.01)
        for child in children.values():
            child.stdin.write("go\n")
            child.stdin.flush()
        errors = {name: child.communicate(timeout=60)[1] for name, child in children.items()}
    finally:
        for child in children.values():
            if child.poll() is None:
                child.kill()
                child.wait(timeout=10)
    assert errors == {"trainer": "", "learner": ""}
    assert [child.returncode for child in children.values()] == [0, 0]
    with closing(sqlite3.connect(data / "progress.sqlite3")) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        for out in outs.values():
            report = reported(out)
            assert len(report) == 60 * 5 and missing(db, report) == []
        order = db.execute("SELECT substr(choice, 1, 7) FROM decisions ORDER BY made").fetchall()
    turns = sum(a != b for a, b in zip(order, order[1:], strict=False))
    assert turns >= 10, f"the writers took only {turns} turns: they did not write at once"
