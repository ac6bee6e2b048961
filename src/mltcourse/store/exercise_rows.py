"""The rows of group exercises in the progress database: every write its own transaction.

Every role card, vote tally, team decision, correction, pushed inject and clock is committed
before the call returns, so an exercise survives the facilitator's laptop dying mid-session.
The tables share the progress store's connection and lock (one file, one write-ahead log).
"""

from __future__ import annotations

from ..engine.exercise import Tally, TeamDecision
from ..safetext import clean_name
from .exercise_records import EXERCISE_COLUMNS, ExerciseRecord, read_record, tally_json
from .progress import ProgressStore, now


class ExerciseStore:
    def __init__(self, progress: ProgressStore) -> None:
        self.progress = progress

    def create(
        self,
        scenario: str,
        digest: str,
        names: tuple[str, ...],
        countdown: int | None,
        facilitator: str | None = None,
        notes_hidden: bool = False,
    ) -> int:
        stamp = now()
        facilitator = clean_name(facilitator or "") or None
        with self.progress.write() as db:
            cursor = db.execute(
                "INSERT INTO exercises (scenario, digest, countdown, started, updated, "
                "facilitator, notes_hidden) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (scenario, digest, countdown, stamp, stamp, facilitator, int(notes_hidden)),
            )
            exercise_id = int(cursor.lastrowid)
            db.executemany(
                "INSERT INTO exercise_teams (exercise_id, position, name) VALUES (?, ?, ?)",
                [(exercise_id, position, name) for position, name in enumerate(names)],
            )
        return exercise_id

    def set_role(self, exercise_id: int, position: int, role: str, member: str) -> None:
        member = clean_name(member)
        with self.progress.write() as db:
            if member:
                db.execute(
                    "INSERT INTO exercise_roles (exercise_id, position, role, member) "
                    "VALUES (?, ?, ?, ?) ON CONFLICT (exercise_id, position, role) "
                    "DO UPDATE SET member = excluded.member",
                    (exercise_id, position, role, member),
                )
            else:
                db.execute(
                    "DELETE FROM exercise_roles WHERE exercise_id = ? AND position = ? "
                    "AND role = ?",
                    (exercise_id, position, role),
                )
            self._touch(db, exercise_id)

    def save_tally(self, exercise_id: int, position: int, tally: Tally | None) -> None:
        with self.progress.write() as db:
            db.execute(
                "UPDATE exercise_teams SET tally = ? WHERE exercise_id = ? AND position = ?",
                (tally_json(tally), exercise_id, position),
            )
            self._touch(db, exercise_id)

    def record_decision(
        self, exercise_id: int, position: int, seq: int, decision: TeamDecision, finished: bool
    ) -> None:
        """One team decision (the ``seq``-th, from 1), its pending tally cleared, its clock
        full again, the correction it answers completed, and the exercise marked finished when
        it was the last one, all in one transaction."""
        stamp = now()
        with self.progress.write() as db:
            db.execute(
                "INSERT INTO exercise_decisions (exercise_id, position, seq, node, choice, how, "
                "tally, made, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    exercise_id,
                    position,
                    seq,
                    decision.node,
                    decision.choice,
                    decision.how,
                    tally_json(decision.tally),
                    stamp,
                    decision.reason,
                ),
            )
            db.execute(
                "UPDATE exercise_teams SET tally = NULL, clock = NULL "
                "WHERE exercise_id = ? AND position = ?",
                (exercise_id, position),
            )
            db.execute(
                "UPDATE exercise_corrections SET new_choice = ? WHERE id = (SELECT max(id) "
                "FROM exercise_corrections WHERE exercise_id = ? AND position = ? AND seq = ?) "
                "AND new_choice IS NULL",
                (decision.choice, exercise_id, position, seq),
            )
            status = "finished" if finished else "open"
            db.execute(
                "UPDATE exercises SET status = ?, updated = ? WHERE id = ?",
                (status, stamp, exercise_id),
            )

    def take_back(self, exercise_id: int, position: int, seq: int, tally: Tally | None) -> None:
        """Take back a team's ``seq``-th (its last) decision: kept as a correction, the row
        gone, its votes pending again, and the exercise open again, in one transaction."""
        stamp = now()
        with self.progress.write() as db:
            db.execute(
                "INSERT INTO exercise_corrections (exercise_id, position, seq, node, old_choice, "
                "old_how, old_reason, old_tally, old_made, made) SELECT exercise_id, position, "
                "seq, node, choice, how, reason, tally, made, ? FROM exercise_decisions "
                "WHERE exercise_id = ? AND position = ? AND seq = ?",
                (stamp, exercise_id, position, seq),
            )
            db.execute(
                "DELETE FROM exercise_decisions WHERE exercise_id = ? AND position = ? AND seq = ?",
                (exercise_id, position, seq),
            )
            db.execute(
                "UPDATE exercise_teams SET tally = ? WHERE exercise_id = ? AND position = ?",
                (tally_json(tally), exercise_id, position),
            )
            db.execute(
                "UPDATE exercises SET status = 'open', updated = ? WHERE id = ?",
                (stamp, exercise_id),
            )

    def mark_shown(self, exercise_id: int, position: int, seq: int) -> None:
        """The room has moved on from the consequences of a team's ``seq``-th decision."""
        with self.progress.write() as db:
            db.execute(
                "UPDATE exercise_decisions SET shown = ? WHERE exercise_id = ? AND position = ? "
                "AND seq = ? AND shown IS NULL",
                (now(), exercise_id, position, seq),
            )

    def record_push(
        self, exercise_id: int, position: int, inject: str, decisions: int, votes_go: bool
    ) -> None:
        """An inject pushed into a team's play after its ``decisions`` decisions; with
        ``votes_go`` (it changed what is open) the ballots and the tally for the decision
        then open go with it, in one transaction."""
        with self.progress.write() as db:
            db.execute(
                "INSERT INTO exercise_pushes (exercise_id, position, inject, decisions, pushed) "
                "VALUES (?, ?, ?, ?, ?)",
                (exercise_id, position, inject, decisions, now()),
            )
            if votes_go:
                self._set_votes_aside(db, exercise_id, position, decisions + 1)
            self._touch(db, exercise_id)

    def take_back_push(self, exercise_id: int, position: int, decisions: int) -> None:
        """Undo the latest push to a team that stands: kept in the record as taken back; the
        votes cast on its decision go (the team is back at its ``decisions + 1``-th)."""
        with self.progress.write() as db:
            db.execute(
                "UPDATE exercise_pushes SET taken_back = ? WHERE id = (SELECT max(id) FROM "
                "exercise_pushes WHERE exercise_id = ? AND position = ? AND taken_back IS NULL)",
                (now(), exercise_id, position),
            )
            self._set_votes_aside(db, exercise_id, position, decisions + 1)
            self._touch(db, exercise_id)

    def mark_push_shown(self, exercise_id: int, position: int) -> None:
        """The room has moved on from the injects pushed to the team."""
        with self.progress.write() as db:
            db.execute(
                "UPDATE exercise_pushes SET shown = ? WHERE exercise_id = ? AND position = ? "
                "AND shown IS NULL",
                (now(), exercise_id, position),
            )

    def drop_pushes(self, exercise_id: int, position: int, ids: list[int]) -> None:
        """Forget pushes that no longer fit the scenario (an edit since)."""
        with self.progress.write() as db:
            db.executemany(
                "DELETE FROM exercise_pushes WHERE id = ? AND exercise_id = ? AND position = ?",
                [(push_id, exercise_id, position) for push_id in ids],
            )

    @staticmethod
    def _set_votes_aside(db, exercise_id: int, position: int, seq: int) -> None:
        db.execute(
            "DELETE FROM ballots WHERE exercise_id = ? AND position = ? AND seq = ?",
            (exercise_id, position, seq),
        )
        db.execute(
            "UPDATE exercise_teams SET tally = NULL WHERE exercise_id = ? AND position = ?",
            (exercise_id, position),
        )

    def drop_decisions(self, exercise_id: int, position: int, keep: int) -> None:
        """Forget a team's decisions after the first ``keep`` (they no longer fit the
        scenario), so the team can go on from there."""
        with self.progress.write() as db:
            db.execute(
                "DELETE FROM exercise_decisions WHERE exercise_id = ? AND position = ? AND seq > ?",
                (exercise_id, position, keep),
            )
            self._touch(db, exercise_id)

    def save_clock(self, exercise_id: int, position: int, left: float | None) -> None:
        """Seconds left on a team's clock (None: a full one)."""
        with self.progress.write() as db:
            db.execute(
                "UPDATE exercise_teams SET clock = ? WHERE exercise_id = ? AND position = ?",
                (left, exercise_id, position),
            )

    def set_countdown(self, exercise_id: int, countdown: int | None) -> None:
        """A new time per decision; every team's clock starts full from it."""
        with self.progress.write() as db:
            db.execute("UPDATE exercises SET countdown = ? WHERE id = ?", (countdown, exercise_id))
            db.execute(
                "UPDATE exercise_teams SET clock = NULL WHERE exercise_id = ?", (exercise_id,)
            )

    def set_notes_hidden(self, exercise_id: int, hidden: bool) -> None:
        with self.progress.write() as db:
            db.execute(
                "UPDATE exercises SET notes_hidden = ? WHERE id = ?", (int(hidden), exercise_id)
            )

    def set_current(self, exercise_id: int, position: int) -> None:
        with self.progress.write() as db:
            db.execute(
                "UPDATE exercises SET current_team = ? WHERE id = ?", (position, exercise_id)
            )

    def set_digest(self, exercise_id: int, digest: str) -> None:
        with self.progress.write() as db:
            db.execute("UPDATE exercises SET digest = ? WHERE id = ?", (digest, exercise_id))

    def close(self, exercise_id: int, note: str) -> None:
        with self.progress.write() as db:
            db.execute(
                "UPDATE exercises SET status = 'closed', note = ?, updated = ? WHERE id = ?",
                (note, now(), exercise_id),
            )

    @staticmethod
    def _touch(db, exercise_id: int) -> None:
        db.execute("UPDATE exercises SET updated = ? WHERE id = ?", (now(), exercise_id))

    # --- reading -----------------------------------------------------------------------------

    def _records(self, where: str, *params) -> list[ExerciseRecord]:
        with self.progress.reading():
            rows = self.progress.read(
                f"SELECT {EXERCISE_COLUMNS} FROM exercises WHERE {where} ORDER BY started, id",
                *params,
            )
            return [read_record(self.progress.read, row) for row in rows]

    def record(self, exercise_id: int) -> ExerciseRecord | None:
        found = self._records("id = ?", exercise_id)
        return found[0] if found else None

    def open_exercises(self) -> list[ExerciseRecord]:
        return self._records("status = 'open'")

    def reopenable(self) -> list[ExerciseRecord]:
        """Open and finished exercises (not those closed as abandoned), oldest first."""
        return self._records("status IN ('open', 'finished')")

    def notes_were_hidden(self) -> bool:
        """Whether the facilitator notes were hidden in the latest exercise (a trainer who
        projects hides them every time)."""
        with self.progress.reading():
            rows = self.progress.read(
                "SELECT notes_hidden FROM exercises ORDER BY started DESC, id DESC LIMIT 1"
            )
        return bool(rows and rows[0][0])

    def all_exercises(self) -> list[ExerciseRecord]:
        return self._records("1")
