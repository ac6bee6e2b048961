"""App-wide settings kept with the progress (the theme, say). A mixin of ``ProgressStore``."""

from __future__ import annotations


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
