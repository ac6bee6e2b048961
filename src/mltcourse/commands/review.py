"""``mltcourse review``: what is due for a learner's spaced review, read from the progress file
without loading the course (the rules: engine/review.py, engine/schedule.py, store/review.py)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from . import UsageError
from .common import _progress_store


def _stamp(when: float) -> str:
    return datetime.fromtimestamp(when, UTC).isoformat(timespec="seconds")


def _learner(store, name: str | None):
    """The named learner, else the one active last; asking never creates a profile."""
    known = store.learners()
    if name:
        found = [learner for learner in known if learner.name.casefold() == name.casefold()]
        if not found:
            names = ", ".join(learner.name for learner in known) or "none yet"
            raise UsageError(f"no learner named {name!r} (known: {names})")
        return found[0]
    if not known:
        raise UsageError("no learner has studied here yet (see --data-dir)")
    return known[0]


def cmd_review(args) -> int:
    from ..engine.schedule import day_start, parse_daily_limit
    from ..safetext import clean
    from ..store import review
    from ..store.progress import now

    store = _progress_store(args)
    try:
        learner = _learner(store, getattr(args, "learner", None))
        if args.daily_limit is not None:
            try:
                limit = parse_daily_limit(args.daily_limit)
            except ValueError as error:
                raise UsageError(str(error)) from None
            review.set_daily_limit(store, learner.id, limit)
        stamp = now()
        due = review.due_items(store, learner.id, stamp)
        _, later = review.count_due(store, learner.id, stamp)
        limit = review.daily_limit(store, learner.id)
        done = review.reviewed_since(store, learner.id, day_start(stamp))
    finally:
        store.close()
    if args.json:
        listing = {
            "learner": learner.name,
            "due": [item.json(_stamp(item.due)) for item in due],
            "later": later,
        }
        print(json.dumps(listing, indent=2))
        return 0
    summary = f"{learner.name}: {len(due)} due for review, {later} later"
    print(clean(f"{summary}; today {done} of {limit} reviewed (the daily limit)"))
    for item in due:
        where = f"{item.module}/{item.item}"
        if item.scenario:
            where = f"{item.scenario}/{item.item} (lesson {item.module})"
        when = datetime.fromtimestamp(item.due).strftime("%Y-%m-%d %H:%M")
        print(clean(f"  {item.kind:<9} {where}  due {when}"))
    return 0
