"""Where a learner stands inside a lesson's knowledge checks, so that they reopen there.

One ``learner_settings`` row per lesson, holding the id of the check to show next (an id, not
a number, so that an author adding or reordering checks never sends the learner elsewhere).
"""

from __future__ import annotations

from .database import Database
from .settings import learner_setting, set_learner_setting

CHECK_KEY = "checks.at:{module}"


def check_position(store: Database, learner_id: int, module: str) -> str | None:
    """The check the learner was on in this lesson; None if they never opened its checks."""
    return learner_setting(store, learner_id, CHECK_KEY.format(module=module))


def set_check_position(store: Database, learner_id: int, module: str, check: str) -> None:
    set_learner_setting(store, learner_id, CHECK_KEY.format(module=module), check)
