"""Opening the progress store whatever state the data folder is in, never failing.

A progress file that is not a readable mltcourse database is moved aside under a name that
says so (``progress.sqlite3.corrupt-<time>``), never overwritten, and a fresh one is started. A
folder that cannot be created or written, or a file of a newer mltcourse, gives a store held in
memory for the session. Either way ``store.notice`` says what happened, for the app to show
and the command line to print.
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

from .database import UnreadableProgress, cannot_write_reason, unsaved_notice
from .paths import DATABASE_NAME
from .progress import ProgressStore
from .schema import SchemaTooNew


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_dev, stat.st_ino


def move_aside(path: Path) -> Path:
    """Rename the progress file (and its write-ahead log) to a free ``.corrupt-<time>`` name."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.corrupt-{stamp}")
    count = 1
    while aside.exists():
        count += 1
        aside = path.with_name(f"{path.name}.corrupt-{stamp}-{count}")
    os.replace(path, aside)
    for suffix in ("-wal", "-shm"):
        log = path.with_name(path.name + suffix)
        if log.exists():
            os.replace(log, aside.with_name(aside.name + suffix))
    return aside


def open_store(data_dir: str | Path) -> ProgressStore:
    """The progress store in ``data_dir``: on disk if at all possible, else in memory."""
    path = Path(data_dir) / DATABASE_NAME
    moved = None
    for _ in range(2):  # a second go after moving an unreadable file aside
        examined = _identity(path)
        try:
            store = ProgressStore(path)
        except UnreadableProgress as error:
            if _identity(path) != examined:  # another instance has already moved it aside
                continue
            unread = f"The progress file {path} could not be read ({error})."
            try:
                aside = move_aside(path)
            except OSError as failure:
                return _in_memory(path, unread, cannot_write_reason(failure))
            moved = f"{unread} It was kept as {aside.name} beside it; a fresh one was started."
        except SchemaTooNew as error:
            return _in_memory(path, None, str(error))
        except (sqlite3.Error, OSError) as error:
            return _in_memory(path, moved, cannot_write_reason(error) or str(error))
        else:
            store.notice = moved
            return store
    return _in_memory(path, moved, "it cannot be read, even when fresh")


def _in_memory(path: Path, first: str | None, reason: str | None) -> ProgressStore:
    store = ProgressStore(path, in_memory=True)
    store.notice = " ".join(filter(None, (first, unsaved_notice(path, reason or "unknown"))))
    return store
