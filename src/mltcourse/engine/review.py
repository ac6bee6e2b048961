"""Spaced review: which slips become review items, how an answer grades one, and when it
comes back (FSRS).

Pure rules over the content model and FSRS cards held as JSON; the store (store/review.py)
keeps them and the screens only show them.

- A knowledge check becomes an item when its first answer is wrong: later answers in the lesson
  are practice, after the right answer was shown.
- A scenario decision becomes an item when the choice was neither the doctrine-best open option
  nor a defensible alternative (the debrief's own rule, ``engine.judgement``), in any mode.
- A review grades the item: a check answered right is Good, wrong is Again; a decision re-made
  as the doctrine-best is Good, as a defensible alternative Hard, otherwise Again.
- The schedule is FSRS without same-day learning steps: a course is studied day by day, so the
  shortest interval is a day and every review puts the item due strictly later.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import TYPE_CHECKING

from ..content.model import Check, Choice, Scenario
from .judgement import best_of, defensible_of
from .state import Decision

if TYPE_CHECKING:
    from fsrs import Scheduler

CHECK, DECISION = "check", "decision"
KINDS = (CHECK, DECISION)

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


# --- which slips become items, and how an answer grades one -----------------------------------


def verdict(chosen: Choice, open_options: Sequence[Choice]) -> str | None:
    """ "doctrine-best", "defensible" or None: how the debrief calls a choice among the open
    options (``judgement.best_of`` and ``judgement.defensible_of``)."""
    if chosen.id in {c.id for c in best_of(open_options)}:
        return "doctrine-best"
    if chosen.id in {c.id for c in defensible_of(open_options)}:
        return "defensible"
    return None


def decision_missed(chosen: Choice, open_options: Sequence[Choice]) -> bool:
    """The choice was neither the doctrine-best nor a defensible alternative."""
    return verdict(chosen, open_options) is None


def missed_in(scenario: Scenario, decision: Decision) -> bool:
    """A decision of a play that becomes a review item (a lone open option is no decision)."""
    node = scenario.node(decision.node)
    open_options = [c for c in node.choices if c.id in decision.open]
    chosen = next((c for c in open_options if c.id == decision.choice), None)
    return chosen is not None and len(open_options) > 1 and decision_missed(chosen, open_options)


def grade_decision(chosen: Choice, open_options: Sequence[Choice]) -> int:
    return {"doctrine-best": GOOD, "defensible": HARD}.get(verdict(chosen, open_options), AGAIN)


def grade_check(check: Check, picked: frozenset[int] | set[int]) -> int:
    return GOOD if check.is_right(picked) else AGAIN


@dataclass(frozen=True, slots=True)
class CheckSummary:
    """Where a learner stands after a lesson's checks: first answers only."""

    total: int
    first_right: int
    missed: tuple[tuple[Check, str], ...]  # (check, MODULE#ANCHOR of its section), in order
    unanswered: tuple[int, ...]  # 1-based numbers of the checks not answered yet


def check_summary(
    checks: Sequence[Check], first: dict[str, bool], sections: dict[str, str]
) -> CheckSummary:
    """The first-attempt score, the checks missed at the first attempt and those not tried."""
    missed = tuple((c, sections.get(c.id, "")) for c in checks if c.id in first and not first[c.id])
    return CheckSummary(
        total=len(checks),
        first_right=sum(1 for c in checks if first.get(c.id)),
        missed=missed,
        unanswered=tuple(n for n, c in enumerate(checks, 1) if c.id not in first),
    )


# --- re-asking ----------------------------------------------------------------------------------


def option_order(count: int, seed: str) -> list[int]:
    """The options' places for a re-asked item: a shuffle fixed by ``seed`` (the same review
    shows the same order after a restart) that never keeps the original order."""
    order = list(range(count))
    if count < 2:
        return order
    random.Random(seed).shuffle(order)
    if order == sorted(order):
        order = order[1:] + order[:1]
    return order


def review_seed(item_id: int, reviews_so_far: int) -> str:
    return f"review:{item_id}:{reviews_so_far}"


# --- today's share ------------------------------------------------------------------------------


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


def answer_json(**answer) -> str:
    return json.dumps(answer, sort_keys=True)
