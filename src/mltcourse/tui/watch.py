"""--watch: poll the course files' modification times and reload the course on a change.

Polling once a second costs a few stat calls and needs no extra dependency.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import App

from ..store.course_cache import Snapshot, snapshot

POLL_SECONDS = 1.0


def changed_files(before: Snapshot, after: Snapshot) -> frozenset[str]:
    return frozenset(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))


class ContentWatcher:
    """Checks the files from a thread worker every second; asks the app to reload on change."""

    def __init__(self, app: App, root: Path) -> None:
        self.app = app
        self.root = root
        self.last = snapshot(root)

    def start(self) -> None:
        self.app.set_interval(POLL_SECONDS, self._poll)

    def _poll(self) -> None:
        self.app.run_worker(self._check, thread=True, exclusive=True, group="watch")

    def changes(self) -> frozenset[str]:
        """The course files changed since the last look."""
        current = snapshot(self.root)
        changed = changed_files(self.last, current)
        self.last = current
        return changed

    def _check(self) -> None:
        changed = self.changes()
        if changed:
            self.app.call_from_thread(self.app.load_course, changed)
