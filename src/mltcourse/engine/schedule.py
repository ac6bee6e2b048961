"""When a review item comes back: FSRS cards held as JSON, and the learner's daily share.

The schedule is FSRS without same-day learning steps: a course is studied day by day, so the
shortest interval is a day and every review puts the item due strictly later. Nothing here
reads the course, so the store and the course map can use it without loading the content model;
``fsrs`` itself loads with the first card made or reviewed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fsrs import Scheduler

CHECK, DECISION = "check", "decision"  # the two kinds of review item

DEFAULT_DAILY_LIMIT = 20
MAX_DAILY_LIMIT = 500

# FSRS's ratings (fsrs.Rating), as the reviews table stores them
AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4


@cache
def _scheduler() -> Scheduler:
    """FSRS, loaded when a card is first made or reviewed (not with the app's start-up)."""
    from fsrs import Scheduler

    return Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)


def _utc(stamp: float) -> datetime:
    return datetime.fromtimestamp(stamp, UTC)


def new_card(item_id: int, due: float) -> str:
    """A fresh FSRS card for an item, due at ``due`` (seconds since the epoch), as JSON."""
    from fsrs import Card

    return Card(card_id=item_id, due=_utc(due)).to_json()


@dataclass(frozen=True, slots=True)
class Scheduled:
    card: str  # the card after the review, as JSON
    due: float  # when the item comes back (seconds since the epoch)
    log: str  # FSRS's review log, as JSON


def schedule(card: str, rating: int, when: float) -> Scheduled:
    """Review a card at ``when`` with ``rating``: the new card, its due time and the log."""
    from fsrs import Card, Rating

    reviewed, log = _scheduler().review_card(Card.from_json(card), Rating(rating), _utc(when))
    return Scheduled(reviewed.to_json(), reviewed.due.timestamp(), log.to_json())


def day_start(now: float) -> float:
    """Local midnight before ``now``: the daily limit counts the learner's own day."""
    local = datetime.fromtimestamp(now).astimezone()
    return local.replace(hour=0, minute=0, second=0, microsecond=0).timestamp()


def session_size(due: int, daily_limit: int, reviewed_today: int) -> int:
    """How many due items a session takes: no more than today's limit leaves."""
    return max(0, min(due, daily_limit - reviewed_today))


def parse_daily_limit(text: str) -> int:
    """A daily limit typed by the learner (ValueError with a reason if it is not one)."""
    try:
        limit = int(text.strip())
    except ValueError:
        raise ValueError(f"the daily limit must be a whole number, not {text.strip()!r}") from None
    if not 1 <= limit <= MAX_DAILY_LIMIT:
        raise ValueError(f"the daily limit must be between 1 and {MAX_DAILY_LIMIT}")
    return limit
