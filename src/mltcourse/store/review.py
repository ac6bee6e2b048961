"""Spaced review in the progress file: each learner's review items, their FSRS cards, and every
review, each committed as it is made.

Items are added inside the transaction that records the slip (``ProgressStore.record_answer``,
``record_decision``, ``record_attempt``), so a kill can never keep the slip and lose its item.
The rules (what becomes an item, grading) are in ``engine/review.py``, the schedule in
``engine/schedule.py``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from ..engine.schedule import CHECK, DECISION, DEFAULT_DAILY_LIMIT, Scheduled, new_card, schedule
from .database import Database, Transaction
from .settings import learner_setting, set_learner_setting

DAILY_LIMIT_KEY = "review.daily_limit"


@dataclass(frozen=True, slots=True)
class MissedDecision:
    """A decision that becomes a review item: where it was and the options that were open."""

    module: str
    scenario: str
    node: str
    open: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ReviewItem:
    id: int
    kind: str  # check | decision
    module: str
    scenario: str | None  # decisions only
    item: str  # check id, or scene (inject) id
    options: tuple[str, ...] | None  # a decision's open options when it was missed
    due: float

    def json(self, when: str) -> dict:
        """The item as ``mltcourse review --json`` lists it; ``when`` is its due time, written."""
        row: dict = {"kind": self.kind, "id": self.item, "module": self.module}
        if self.scenario is not None:
            row["scenario"] = self.scenario
        row["due"] = when
        return row


_ITEM_COLUMNS = "id, kind, module, scenario, item, options, due"


def _item(row: tuple) -> ReviewItem:
    item_id, kind, module, scenario, item, options, due = row
    return ReviewItem(
        item_id,
        kind,
        module,
        scenario or None,
        item,
        tuple(json.loads(options)) if options else None,
        due,
    )


def _add(
    db: Transaction,
    learner_id: int,
    kind: str,
    module: str,
    scenario: str,
    item: str,
    options: str | None,
    stamp: float,
) -> None:
    """A new item due now; an item missed again (a decision in a later play) is due now."""
    cursor = db.execute(
        "INSERT OR IGNORE INTO review_items (learner_id, kind, module, scenario, item, options, "
        "card, due, created) VALUES (?, ?, ?, ?, ?, ?, '{}', ?, ?)",
        (learner_id, kind, module, scenario, item, options, stamp, stamp),
    )
    if cursor.rowcount == 1:
        item_id = int(cursor.lastrowid)
        db.execute(
            "UPDATE review_items SET card = ? WHERE id = ?", (new_card(item_id, stamp), item_id)
        )
    else:
        db.execute(
            "UPDATE review_items SET due = MIN(due, ?), options = COALESCE(?, options) "
            "WHERE learner_id = ? AND kind = ? AND module = ? AND scenario = ? AND item = ?",
            (stamp, options, learner_id, kind, module, scenario, item),
        )


def add_missed_check(db: Transaction, learner_id: int, module: str, check_id: str, stamp: float):
    _add(db, learner_id, CHECK, module, "", check_id, None, stamp)


def add_missed_decision(db: Transaction, learner_id: int, missed: MissedDecision, stamp: float):
    options = json.dumps(list(missed.open))
    _add(db, learner_id, DECISION, missed.module, missed.scenario, missed.node, options, stamp)


def withdraw_missed_decision(db: Transaction, attempt_id: int, node: str, made: float) -> None:
    """A decision taken back (training, before its feedback was read) takes back the review
    item it made: the one made at that moment and not reviewed since."""
    db.execute(
        "DELETE FROM review_items WHERE kind = ? AND item = ? AND created = ? "
        "AND (learner_id, scenario) = (SELECT learner_id, scenario FROM attempts WHERE id = ?) "
        "AND NOT EXISTS (SELECT 1 FROM reviews WHERE item_id = review_items.id)",
        (DECISION, node, made, attempt_id),
    )


# --- reading ------------------------------------------------------------------------------------


def due_items(store: Database, learner_id: int, now: float, limit: int = -1) -> list[ReviewItem]:
    """The items due at ``now``, most overdue first (at most ``limit``; -1: all)."""
    rows = store.read(
        f"SELECT {_ITEM_COLUMNS} FROM review_items WHERE learner_id = ? AND due <= ? "
        "ORDER BY due, id LIMIT ?",
        learner_id,
        now,
        limit,
    )
    return [_item(row) for row in rows]


def lesson_checks(store: Database, learner_id: int, module: str) -> list[ReviewItem]:
    """A lesson's checks that are review items, due or not: "review these now" after the
    lesson's checks asks them all at once, the soonest due first."""
    rows = store.read(
        f"SELECT {_ITEM_COLUMNS} FROM review_items WHERE learner_id = ? AND kind = ? "
        "AND module = ? ORDER BY due, id",
        learner_id,
        CHECK,
        module,
    )
    return [_item(row) for row in rows]


def count_due(store: Database, learner_id: int, now: float) -> tuple[int, int]:
    """(items due at ``now``, items due later)."""
    rows = store.read(
        "SELECT COALESCE(SUM(due <= ?), 0), COALESCE(SUM(due > ?), 0) FROM review_items "
        "WHERE learner_id = ?",
        now,
        now,
        learner_id,
    )
    return int(rows[0][0]), int(rows[0][1])


def item(store: Database, item_id: int) -> ReviewItem | None:
    rows = store.read(f"SELECT {_ITEM_COLUMNS} FROM review_items WHERE id = ?", item_id)
    return _item(rows[0]) if rows else None


def review_count(store: Database, item_id: int) -> int:
    return store.read("SELECT count(*) FROM reviews WHERE item_id = ?", item_id)[0][0]


def reviews_of(store: Database, item_id: int) -> list[tuple[int, str, float, str]]:
    """Every review of an item, oldest first: (rating, answer JSON, when, FSRS log JSON)."""
    return store.read(
        "SELECT rating, answer, reviewed, log FROM reviews WHERE item_id = ? ORDER BY id", item_id
    )


def reviewed_since(store: Database, learner_id: int, since: float) -> int:
    return store.read(
        "SELECT count(*) FROM reviews WHERE learner_id = ? AND reviewed >= ?", learner_id, since
    )[0][0]


def first_answers(store: Database, learner_id: int, module: str) -> dict[str, bool]:
    """Each check's first answer in the lesson: whether it was right (what the score counts)."""
    rows = store.read(
        "SELECT check_id, correct FROM check_answers WHERE id IN (SELECT MIN(id) FROM "
        "check_answers WHERE learner_id = ? AND module = ? GROUP BY check_id)",
        learner_id,
        module,
    )
    return {check_id: bool(correct) for check_id, correct in rows}


# --- writing a review, and the daily limit ------------------------------------------------------


def record_review(
    store: Database, item_id: int, rating: int, answer: str, when: float
) -> Scheduled:
    """Grade an item at ``when``: its review, FSRS log and new schedule in one commit."""
    with store.write() as db:
        row = db.execute(
            "SELECT learner_id, card FROM review_items WHERE id = ?", (item_id,)
        ).fetchone()
        if row is None:
            raise KeyError(f"no review item {item_id}")
        learner_id, card = row
        scheduled = schedule(card, rating, when)  # before the insert: a bad rating writes nothing
        db.execute(
            "INSERT INTO reviews (item_id, learner_id, rating, answer, reviewed, log) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (item_id, learner_id, int(rating), answer, when, scheduled.log),
        )
        db.execute(
            "UPDATE review_items SET card = ?, due = ? WHERE id = ?",
            (scheduled.card, scheduled.due, item_id),
        )
    return scheduled


def daily_limit(store: Database, learner_id: int) -> int:
    value = learner_setting(store, learner_id, DAILY_LIMIT_KEY)
    try:
        return max(1, int(value)) if value is not None else DEFAULT_DAILY_LIMIT
    except ValueError:
        return DEFAULT_DAILY_LIMIT


def set_daily_limit(store: Database, learner_id: int, limit: int) -> None:
    set_learner_setting(store, learner_id, DAILY_LIMIT_KEY, str(limit))
