"""Learner progress in SQLite: lessons read, check answers, scenario attempts and decisions.

Every write is its own transaction, committed before the call returns, so a crash (even
``kill -9``) loses at most the action in flight. The journal is WAL, so the app and a headless
``mltcourse play`` can use the same file at once.
"""

from __future__ import annotations

import getpass
import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from ..safetext import clean_name
from .database import Database, Transaction
from .feedback import FeedbackSteps
from .paths import DATABASE_NAME
from .settings import Settings

if TYPE_CHECKING:
    from .review import MissedDecision

TRAINING, ASSESSMENT = "training", "assessment"
MODES = (TRAINING, ASSESSMENT)


def now() -> float:
    """The clock every record is stamped with (tests pin it for stable output)."""
    return time.time()


def default_learner_name() -> str:
    """The login name, as a first guess at who is studying."""
    try:
        return getpass.getuser() or "learner"
    except (OSError, KeyError):
        return "learner"


# Records as named tuples, not dataclasses: the map needs them on its first paint, and a
# dataclass costs a millisecond or more to create at import, a named tuple a fifth of that.
class Learner(NamedTuple):
    id: int
    name: str


class AttemptRecord(NamedTuple):
    id: int
    learner_id: int
    scenario: str
    digest: str
    mode: str
    source: str
    status: str  # open | finished | closed
    started: float
    updated: float
    ending: str | None
    outcome: str | None
    score: float | None
    note: str | None
    choices: tuple[str, ...]


class ScenarioProgress(NamedTuple):
    finished: int
    best: float | None  # best decision quality among finished attempts
    open: bool


class Place(NamedTuple):
    """Where the learner was last: a lesson section, or an unfinished scenario."""

    kind: str  # lesson | scenario
    target: str  # module id or scenario id
    anchor: str | None
    when: float


_ATTEMPT_COLUMNS = (
    "id, learner_id, scenario, digest, mode, source, status, started, updated, ending, "
    "outcome, score, note"
)


class ProgressStore(FeedbackSteps, Settings, Database):
    """A learner's lessons, answers and attempts (the connection and its safety: database.py)."""

    @classmethod
    def in_dir(cls, data_dir: str | Path) -> ProgressStore:
        return cls(Path(data_dir) / DATABASE_NAME)

    # --- learners ----------------------------------------------------------------------------

    def learners(self) -> list[Learner]:
        """Every profile, the most recently used first."""
        rows = self.read("SELECT id, name FROM learners ORDER BY last_seen DESC, id")
        return [Learner(*row) for row in rows]

    def learner(self, name: str) -> Learner:
        """The profile with this name (any case), created if new; marked as used now. The name
        is cleaned as it is taken in: one line, no control characters."""
        name = clean_name(name)
        if not name:
            raise ValueError("a learner needs a name")
        stamp = now()
        with self.write() as db:
            db.execute(
                "INSERT INTO learners (name, created, last_seen) VALUES (?, ?, ?) "
                "ON CONFLICT (name) DO UPDATE SET last_seen = excluded.last_seen",
                (name, stamp, stamp),
            )
            row = db.execute("SELECT id, name FROM learners WHERE name = ?", (name,)).fetchone()
        return Learner(*row)

    def current_learner(self, name: str | None = None) -> Learner:
        """The named profile, else the one used last, else a new one named after the user."""
        if name:
            return self.learner(name)
        known = self.learners()
        if known:  # by id: a name stored before names were cleaned still finds its profile
            with self.write() as db:
                db.execute("UPDATE learners SET last_seen = ? WHERE id = ?", (now(), known[0].id))
            return known[0]
        return self.learner(default_learner_name())

    # --- lessons -----------------------------------------------------------------------------

    def visit_section(self, learner_id: int, module: str, anchor: str) -> None:
        stamp = now()
        with self.write() as db:
            db.execute(
                "INSERT INTO section_visits (learner_id, module, anchor, first_seen, last_seen) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (learner_id, module, anchor) "
                "DO UPDATE SET last_seen = excluded.last_seen",
                (learner_id, module, anchor, stamp, stamp),
            )

    def sections_seen(self, learner_id: int, module: str) -> set[str]:
        rows = self.read(
            "SELECT anchor FROM section_visits WHERE learner_id = ? AND module = ?",
            learner_id,
            module,
        )
        return {anchor for (anchor,) in rows}

    def mark_read(self, learner_id: int, module: str) -> None:
        with self.write() as db:
            db.execute(
                "INSERT OR IGNORE INTO lesson_reads (learner_id, module, read_at) VALUES (?, ?, ?)",
                (learner_id, module, now()),
            )

    def lessons_read(self, learner_id: int) -> set[str]:
        rows = self.read("SELECT module FROM lesson_reads WHERE learner_id = ?", learner_id)
        return {module for (module,) in rows}

    # --- knowledge checks --------------------------------------------------------------------

    def record_answer(
        self, learner_id: int, module: str, check_id: str, picked: list[int], correct: bool
    ) -> None:
        """Record an answer; a check's first answer, if wrong, makes it a review item in the
        same commit (later answers are practice)."""
        stamp = now()
        with self.write() as db:
            answered_before = db.execute(
                "SELECT 1 FROM check_answers WHERE learner_id = ? AND module = ? AND check_id = ?",
                (learner_id, module, check_id),
            ).fetchone()
            if not correct and answered_before is None:
                from .review import add_missed_check  # here: the map starts without it

                add_missed_check(db, learner_id, module, check_id, stamp)
            db.execute(
                "INSERT INTO check_answers (learner_id, module, check_id, picked, correct, "
                "answered) VALUES (?, ?, ?, ?, ?, ?)",
                (learner_id, module, check_id, json.dumps(sorted(picked)), int(correct), stamp),
            )

    def checks_passed(self, learner_id: int) -> dict[str, set[str]]:
        """Per module, the checks the learner has answered correctly at least once."""
        rows = self.read(
            "SELECT DISTINCT module, check_id FROM check_answers "
            "WHERE learner_id = ? AND correct = 1",
            learner_id,
        )
        passed: dict[str, set[str]] = {}
        for module, check_id in rows:
            passed.setdefault(module, set()).add(check_id)
        return passed

    def last_answers(self, learner_id: int, module: str) -> dict[str, tuple[list[int], bool]]:
        """Each check's most recent answer: the options picked and whether it was right."""
        rows = self.read(
            "SELECT check_id, picked, correct FROM check_answers "
            "WHERE learner_id = ? AND module = ? ORDER BY id",
            learner_id,
            module,
        )
        return {check_id: (json.loads(picked), bool(ok)) for check_id, picked, ok in rows}

    # --- scenario attempts -------------------------------------------------------------------

    def start_attempt(
        self, learner_id: int, scenario: str, digest: str, mode: str, source: str = "app"
    ) -> int:
        """A new attempt; an attempt left open at the same scenario is closed first."""
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}")
        stamp = now()
        with self.write() as db:
            db.execute(
                "UPDATE attempts SET status = 'closed', updated = ?, "
                "note = 'left unfinished: a new attempt was started' "
                "WHERE learner_id = ? AND scenario = ? AND status = 'open'",
                (stamp, learner_id, scenario),
            )
            cursor = db.execute(
                "INSERT INTO attempts (learner_id, scenario, digest, mode, source, started, "
                "updated) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (learner_id, scenario, digest, mode, source, stamp, stamp),
            )
        return int(cursor.lastrowid)

    def record_attempt(
        self,
        learner_id: int,
        scenario: str,
        digest: str,
        mode: str,
        source: str,
        decisions: list[tuple[str, str]],
        ending: tuple[str, str, float | None],
        missed: tuple[MissedDecision, ...] = (),
    ) -> int:
        """A whole finished attempt (node, choice per decision) in one transaction, with the
        review items of its ``missed`` decisions."""
        stamp = now()
        with self.write() as db:
            cursor = db.execute(
                "INSERT INTO attempts (learner_id, scenario, digest, mode, source, status, "
                "started, updated) VALUES (?, ?, ?, ?, ?, 'finished', ?, ?)",
                (learner_id, scenario, digest, mode, source, stamp, stamp),
            )
            attempt_id = int(cursor.lastrowid)
            db.executemany(
                "INSERT INTO decisions (attempt_id, seq, node, choice, made) "
                "VALUES (?, ?, ?, ?, ?)",
                [(attempt_id, seq, n, c, stamp) for seq, (n, c) in enumerate(decisions, 1)],
            )
            if missed:
                from .review import add_missed_decision

            for decision in missed:
                add_missed_decision(db, learner_id, decision, stamp)
            self._finish(db, attempt_id, ending, stamp)
        return attempt_id

    def record_decision(
        self,
        attempt_id: int,
        seq: int,
        node: str,
        choice: str,
        ending: tuple[str, str, float | None] | None = None,
        missed: MissedDecision | None = None,
    ) -> None:
        """Commit one decision (the ``seq``-th, from 1); with ``ending`` (id, rating, score)
        the attempt is finished in the same transaction, and a ``missed`` decision becomes a
        review item in it."""
        stamp = now()
        with self.write() as db:
            db.execute(
                "INSERT INTO decisions (attempt_id, seq, node, choice, made) "
                "VALUES (?, ?, ?, ?, ?)",
                (attempt_id, seq, node, choice, stamp),
            )
            if missed is not None:
                from .review import add_missed_decision

                (learner_id,) = db.execute(
                    "SELECT learner_id FROM attempts WHERE id = ?", (attempt_id,)
                ).fetchone()
                add_missed_decision(db, learner_id, missed, stamp)
            db.execute("UPDATE attempts SET updated = ? WHERE id = ?", (stamp, attempt_id))
            if ending is not None:
                self._finish(db, attempt_id, ending, stamp)

    def finish_attempt(self, attempt_id: int, ending: tuple[str, str, float | None]) -> None:
        with self.write() as db:
            self._finish(db, attempt_id, ending, now())

    @staticmethod
    def _finish(db: Transaction, attempt_id: int, ending, stamp: float) -> None:
        ending_id, outcome, score = ending
        db.execute(
            "UPDATE attempts SET status = 'finished', ending = ?, outcome = ?, score = ?, "
            "updated = ? WHERE id = ?",
            (ending_id, outcome, score, stamp, attempt_id),
        )

    def close_attempt(self, attempt_id: int, note: str) -> None:
        """Close an attempt that cannot go on, saying why."""
        with self.write() as db:
            db.execute(
                "UPDATE attempts SET status = 'closed', note = ?, updated = ? WHERE id = ?",
                (note, now(), attempt_id),
            )

    def set_digest(self, attempt_id: int, digest: str) -> None:
        with self.write() as db:
            db.execute("UPDATE attempts SET digest = ? WHERE id = ?", (digest, attempt_id))

    def _attempts(self, where: str, *params) -> list[AttemptRecord]:
        with self.reading():
            rows = self._db.execute(
                f"SELECT {_ATTEMPT_COLUMNS} FROM attempts WHERE {where} ORDER BY started, id",
                params,
            ).fetchall()
            records = []
            for row in rows:
                choices = self._db.execute(
                    "SELECT choice FROM decisions WHERE attempt_id = ? ORDER BY seq", (row[0],)
                ).fetchall()
                records.append(AttemptRecord(*row, choices=tuple(c for (c,) in choices)))
        return records

    def attempt(self, attempt_id: int) -> AttemptRecord | None:
        found = self._attempts("id = ?", attempt_id)
        return found[0] if found else None

    def open_attempt(self, learner_id: int, scenario: str) -> AttemptRecord | None:
        found = self._attempts(
            "learner_id = ? AND scenario = ? AND status = 'open'", learner_id, scenario
        )
        return found[0] if found else None

    def finished_attempts(self, learner_id: int, scenario: str) -> list[AttemptRecord]:
        """The learner's finished attempts at a scenario, oldest first."""
        return self._attempts(
            "learner_id = ? AND scenario = ? AND status = 'finished'", learner_id, scenario
        )

    def scenario_progress(self, learner_id: int) -> dict[str, ScenarioProgress]:
        rows = self.read(
            "SELECT scenario, SUM(status = 'finished'), "
            "MAX(CASE WHEN status = 'finished' THEN score END), SUM(status = 'open') "
            "FROM attempts WHERE learner_id = ? GROUP BY scenario",
            learner_id,
        )
        return {
            scenario: ScenarioProgress(int(done or 0), best, bool(is_open))
            for scenario, done, best, is_open in rows
        }

    def last_place(self, learner_id: int) -> Place | None:
        """The later of the last lesson section visited and the last unfinished attempt."""
        places = [self.last_section(learner_id), self.last_unfinished(learner_id)]
        return max(filter(None, places), key=lambda place: place.when, default=None)

    def last_section(self, learner_id: int) -> Place | None:
        """The lesson section the learner visited last."""
        section = self.read(
            "SELECT module, anchor, last_seen FROM section_visits WHERE learner_id = ? "
            "ORDER BY last_seen DESC LIMIT 1",
            learner_id,
        )
        return Place("lesson", *section[0]) if section else None

    def last_unfinished(self, learner_id: int) -> Place | None:
        """The scenario of the learner's latest attempt that is neither finished nor closed."""
        attempt = self.read(
            "SELECT scenario, updated FROM attempts WHERE learner_id = ? AND status = 'open' "
            "ORDER BY updated DESC LIMIT 1",
            learner_id,
        )
        return Place("scenario", attempt[0][0], None, attempt[0][1]) if attempt else None
