"""Every learner's timestamped records, read for export (CSV, xAPI) rather than for the app.

The app asks the store narrow questions (what has this learner read?); an export needs the
whole history with the time of each event, so it reads the tables directly, in one place.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from .progress import ProgressStore


@dataclass(frozen=True, slots=True)
class LessonRead:
    module: str
    at: float


@dataclass(frozen=True, slots=True)
class CheckAnswer:
    module: str
    check: str
    picked: tuple[int, ...]
    correct: bool
    at: float


@dataclass(frozen=True, slots=True)
class AttemptDecision:
    seq: int
    node: str
    choice: str
    at: float


@dataclass(frozen=True, slots=True)
class AttemptHistory:
    scenario: str
    mode: str
    status: str  # open | finished | closed
    started: float
    updated: float
    ending: str | None
    outcome: str | None
    score: float | None
    decisions: tuple[AttemptDecision, ...]


@dataclass(frozen=True, slots=True)
class LearnerHistory:
    name: str
    created: float
    last_seen: float
    reads: tuple[LessonRead, ...]
    answers: tuple[CheckAnswer, ...]
    attempts: tuple[AttemptHistory, ...]


def learner_histories(store: ProgressStore, name: str | None = None) -> list[LearnerHistory]:
    """All learners' histories (or the one named, any case), oldest profile first."""
    with store.reading():
        where, params = ("WHERE name = ?", (name,)) if name else ("", ())
        learners = store.read(
            f"SELECT id, name, created, last_seen FROM learners {where} ORDER BY created, id",
            *params,
        )
        return [_history(store, *row) for row in learners]


def _history(
    store: ProgressStore, learner_id: int, name: str, created: float, last_seen: float
) -> LearnerHistory:
    reads = tuple(
        LessonRead(*row)
        for row in store.read(
            "SELECT module, read_at FROM lesson_reads WHERE learner_id = ? ORDER BY read_at",
            learner_id,
        )
    )
    answers = tuple(
        CheckAnswer(module, check, tuple(json.loads(picked)), bool(correct), at)
        for module, check, picked, correct, at in store.read(
            "SELECT module, check_id, picked, correct, answered FROM check_answers "
            "WHERE learner_id = ? ORDER BY answered, id",
            learner_id,
        )
    )
    attempts = []
    for attempt_id, *fields in store.read(
        "SELECT id, scenario, mode, status, started, updated, ending, outcome, score "
        "FROM attempts WHERE learner_id = ? ORDER BY started, id",
        learner_id,
    ):
        decisions = tuple(
            AttemptDecision(*row)
            for row in store.read(
                "SELECT seq, node, choice, made FROM decisions WHERE attempt_id = ? ORDER BY seq",
                attempt_id,
            )
        )
        attempts.append(AttemptHistory(*fields, decisions=decisions))
    return LearnerHistory(name, created, last_seen, reads, answers, tuple(attempts))
