"""Where a learner stands inside a lesson's knowledge checks, so that they reopen there.

One ``learner_settings`` row per lesson, holding the id of the check to show next (an id, not
a number, so that an author adding or reordering checks never sends the learner elsewhere).
"""

from __future__ import annotations

from .database import Database

CHECK_KEY = "checks.at:{module}"


def check_position(store: Database, learner_id: int, module: str) -> str | None:
    """The check the learner was on in this lesson; None if they never opened its checks."""
    rows = store.read(
        "SELECT value FROM learner_settings WHERE learner_id = ? AND key = ?",
        learner_id,
        CHECK_KEY.format(module=module),
    )
    return rows[0][0] if rows else None


def set_check_position(store: Database, learner_id: int, module: str, check: str) -> None:
    with store.write() as db:
        db.execute(
            "INSERT INTO learner_settings (learner_id, key, value) VALUES (?, ?, ?) "
            "ON CONFLICT (learner_id, key) DO UPDATE SET value = excluded.value",
            (learner_id, CHECK_KEY.format(module=module), check),
        )
