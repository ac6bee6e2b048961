"""--watch: poll the course files' modification times and reload the course on a change.

Polling once a second costs a few stat calls and needs no extra dependency.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import App

POLL_SECONDS = 1.0

Snapshot = dict[str, tuple[int, int]]


def snapshot(root: Path) -> Snapshot:
    """(mtime, size) of every course file: modules, lessons, principles, glossary, scenarios."""
    files: Snapshot = {}
    for pattern in ("modules/*.yaml", "modules/*/*.yaml", "modules/*/*.md", "scenarios/*.y*ml"):
        for path in root.glob(pattern):
            try:
                stat = path.stat()
            except OSError:
                continue
            files[str(path)] = (stat.st_mtime_ns, stat.st_size)
    return files


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

    def _check(self) -> None:
        current = snapshot(self.root)
        changed = changed_files(self.last, current)
        if changed:
            self.last = current
            self.app.call_from_thread(self.app.load_course, changed)
