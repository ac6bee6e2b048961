"""What the store knows that the completion rule weighs: one learner's facts, read at once.

The rule itself is pure (``reports/progress.py``); this module only asks the database. Spaced
review's tables (migration 3) are read directly: a check missed at first counts "after review"
once a review of it was rated Hard or better (FSRS ratings 2-4; 1 is Again), and the items
due now are counted. Both are simply empty while nothing has been reviewed.
"""

from __future__ import annotations

from dataclasses import dataclass

from .progress import ProgressStore

RECALLED = 2  # the lowest FSRS rating that is a successful recall (Hard)


@dataclass(frozen=True, slots=True)
class FirstAnswer:
    correct: bool
    at: float


@dataclass(frozen=True, slots=True)
class FinishedAttempt:
    scenario: str
    mode: str
    ending: str | None
    outcome: str | None
    score: float | None
    started: float
    updated: float


@dataclass(frozen=True, slots=True)
class LearnerFacts:
    name: str
    created: float
    last_seen: float
    reads: dict[str, float]  # module -> when it was read to its end
    first_answers: dict[tuple[str, str], FirstAnswer]  # (module, check) -> the first answer
    recalled: dict[tuple[str, str], float]  # (module, check) -> first successful review
    attempts: tuple[FinishedAttempt, ...]  # finished, oldest first
    review_due: int


def learner_facts(store: ProgressStore, learner_id: int, at: float) -> LearnerFacts:
    """Everything the completion rule needs about one learner, as of ``at``."""
    with store.reading():
        name, created, last_seen = store.read(
            "SELECT name, created, last_seen FROM learners WHERE id = ?", learner_id
        )[0]
        reads = dict(
            store.read("SELECT module, read_at FROM lesson_reads WHERE learner_id = ?", learner_id)
        )
        first: dict[tuple[str, str], FirstAnswer] = {}
        for module, check, correct, answered in store.read(
            "SELECT module, check_id, correct, answered FROM check_answers WHERE learner_id = ? "
            "ORDER BY id",
            learner_id,
        ):
            first.setdefault((module, check), FirstAnswer(bool(correct), answered))
        attempts = tuple(
            FinishedAttempt(*row)
            for row in store.read(
                "SELECT scenario, mode, ending, outcome, score, started, updated FROM attempts "
                "WHERE learner_id = ? AND status = 'finished' ORDER BY updated, id",
                learner_id,
            )
        )
        return LearnerFacts(
            name=name,
            created=created,
            last_seen=last_seen,
            reads=reads,
            first_answers=first,
            recalled=recalled_checks(store, learner_id),
            attempts=attempts,
            review_due=review_due(store, learner_id, at),
        )


def recalled_checks(store: ProgressStore, learner_id: int) -> dict[tuple[str, str], float]:
    """Checks the learner recalled in spaced review, with the time of the first such review."""
    rows = store.read(
        "SELECT i.module, i.item, MIN(r.reviewed) FROM review_items i "
        "JOIN reviews r ON r.item_id = i.id "
        "WHERE i.learner_id = ? AND i.kind = 'check' AND r.rating >= ? "
        "GROUP BY i.module, i.item",
        learner_id,
        RECALLED,
    )
    return {(module, item): at for module, item, at in rows}


def review_due(store: ProgressStore, learner_id: int, at: float) -> int:
    """How many review items are due for the learner at ``at`` (0 with none)."""
    rows = store.read(
        "SELECT COUNT(*) FROM review_items WHERE learner_id = ? AND due <= ?", learner_id, at
    )
    return int(rows[0][0])
