"""Settings kept with the progress: app-wide ones (the theme) as methods of ``ProgressStore``,
and each learner's own (the daily review limit, where they stand in a lesson's checks)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .database import Database


def learner_setting(store: Database, learner_id: int, key: str) -> str | None:
    """One of a learner's settings; None when never set."""
    rows = store.read(
        "SELECT value FROM learner_settings WHERE learner_id = ? AND key = ?", learner_id, key
    )
    return rows[0][0] if rows else None


def set_learner_setting(store: Database, learner_id: int, key: str, value: str) -> None:
    with store.write() as db:
        db.execute(
            "INSERT INTO learner_settings (learner_id, key, value) VALUES (?, ?, ?) "
            "ON CONFLICT (learner_id, key) DO UPDATE SET value = excluded.value",
            (learner_id, key, value),
        )


class Settings:
    def setting(self, key: str) -> str | None:
        """An app-wide setting (the theme, say); None when never set."""
        rows = self.read("SELECT value FROM settings WHERE key = ?", key)
        return rows[0][0] if rows else None

    def set_setting(self, key: str, value: str) -> None:
        with self.write() as db:
            db.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )
