"""Training feedback as a step of its own: read or not. Until the learner moves on from a
decision's feedback, the decision may be taken back; a resume shows unread feedback again.
A mixin of ``ProgressStore``."""

from __future__ import annotations


class FeedbackSteps:
    def _now(self) -> float:
        from .progress import now

        return now()

    def mark_feedback_read(self, attempt_id: int, seq: int) -> None:
        """The learner moved on from the feedback on decision ``seq``: it is not shown again
        on a resume, and that decision can no longer be taken back."""
        with self.write() as db:
            db.execute(
                "UPDATE decisions SET read = ? WHERE attempt_id = ? AND seq = ? AND read IS NULL",
                (self._now(), attempt_id, seq),
            )

    def feedback_unread(self, attempt_id: int) -> bool:
        """Whether the feedback on the attempt's last decision was never moved on from."""
        rows = self.read(
            "SELECT read IS NULL FROM decisions WHERE attempt_id = ? ORDER BY seq DESC LIMIT 1",
            attempt_id,
        )
        return bool(rows and rows[0][0])

    def take_back(self, attempt_id: int, seq: int) -> bool:
        """Undo decision ``seq`` if it is the last and its feedback is still unread (training
        only offers this); an attempt that decision had finished is open again."""
        with self.write() as db:
            taken = db.execute(
                "SELECT node, made FROM decisions WHERE attempt_id = ? AND seq = ?",
                (attempt_id, seq),
            ).fetchone()
            gone = db.execute(
                "DELETE FROM decisions WHERE attempt_id = ? AND seq = ? AND read IS NULL "
                "AND seq = (SELECT MAX(seq) FROM decisions WHERE attempt_id = ?)",
                (attempt_id, seq, attempt_id),
            ).rowcount
            if gone:
                from .review import withdraw_missed_decision

                withdraw_missed_decision(db, attempt_id, *taken)
                db.execute(
                    "UPDATE attempts SET status = 'open', ending = NULL, outcome = NULL, "
                    "score = NULL, updated = ? WHERE id = ?",
                    (self._now(), attempt_id),
                )
        return bool(gone)
