"""The progress file's connection: checked on opening, one transaction per write, and a place
in memory for progress when the disk will not take it.

Writes run in ``BEGIN IMMEDIATE`` transactions with a busy timeout, so a second app or a
headless ``mltcourse play`` on the same folder waits its turn instead of failing. When the disk
refuses a write (full, read-only, failing, or locked past the timeout), the database is copied
into memory and that write, and every later one, goes there: the learner keeps studying, is told
progress is no longer saved, and the file on disk is left as it was.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from .schema import SchemaTooNew, migrate

# A write waits this long for another process's write to finish. Writes take milliseconds;
# only a hung process holds the lock longer, and the UI thread should not wait on it more.
BUSY_TIMEOUT_MS = 5000

_SQLITE_HEADER = b"SQLite format 3\x00"

# Primary SQLite result codes (extended codes carry them in the low byte).
_BUSY = 5
_CORRUPT = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB
_CANNOT_WRITE = {
    3: "permission denied",  # SQLITE_PERM
    _BUSY: f"another program has held it locked for over {BUSY_TIMEOUT_MS // 1000} seconds",
    8: "it is read-only",  # SQLITE_READONLY
    10: "the disk reported an error",  # SQLITE_IOERR
    13: "the disk is full",  # SQLITE_FULL
    14: "it cannot be opened",  # SQLITE_CANTOPEN
}


class UnreadableProgress(Exception):
    """The progress file is not a readable mltcourse database (corrupt, foreign or a folder)."""


def _code(error: sqlite3.Error) -> int | None:
    code = getattr(error, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


def cannot_write_reason(error: BaseException) -> str | None:
    """Why the disk refused a write, in plain words; None if ``error`` is something else."""
    if isinstance(error, sqlite3.Error):
        return _CANNOT_WRITE.get(_code(error))
    if isinstance(error, OSError):
        return (error.strerror or str(error)).lower()
    return None


def _connect(target: str | Path, **options) -> sqlite3.Connection:
    connection = sqlite3.connect(target, isolation_level=None, check_same_thread=False, **options)
    connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return connection


def _use_wal(connection: sqlite3.Connection) -> None:
    """Switch to the write-ahead log. The switch takes an exclusive lock that SQLite does not
    wait for, so when two processes open a new file at once, retry up to the busy timeout."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            connection.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if _code(error) != _BUSY or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _looks_like_sqlite(path: Path) -> bool:
    """An SQLite database's header, or an empty or missing file (a database not begun)."""
    try:
        with path.open("rb") as file:
            head = file.read(len(_SQLITE_HEADER))
    except FileNotFoundError:
        return True
    return head in (b"", _SQLITE_HEADER)


def _start_from_template(path: Path) -> None:
    """Put the installed package's empty progress file (store/prebuilt.py) at ``path``, which
    does not exist yet: creating the tables takes a first launch ten milliseconds or more,
    copying them one. The copy is checked before it is linked into place, and linking never
    replaces a file another process made meanwhile; on any failure the file is simply created
    the usual way."""
    from .prebuilt import progress_template

    template = progress_template()
    if template is None:
        return
    staged = path.with_name(f".{path.name}.{os.getpid()}.new")
    try:
        shutil.copyfile(template, staged)
        check = sqlite3.connect(staged)
        try:
            fine = check.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        finally:
            check.close()
        if fine:
            os.link(staged, path)
    except (OSError, sqlite3.Error):
        pass  # another process made the file first, or the copy failed: create it as usual
    finally:
        with suppress(OSError):
            staged.unlink()


def open_file(path: Path) -> sqlite3.Connection:
    """A checked, migrated connection to the progress file (UnreadableProgress if it is not
    one); ``quick_check`` costs milliseconds for a progress file's size."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        mode = None
    if mode is None:
        _start_from_template(path)
    if mode is not None and stat.S_ISDIR(mode):
        raise UnreadableProgress("it is a folder, not a file")
    if mode is not None and not stat.S_ISREG(mode):  # a pipe or a device would hang the read
        raise UnreadableProgress("it is not a regular file (a pipe or a device)")
    if not _looks_like_sqlite(path):  # before SQLite touches it or a log beside it
        raise UnreadableProgress("file is not a database")
    connection = _connect(path)
    try:  # check before anything is written, so that a file moved aside is as it was found
        verdict = connection.execute("PRAGMA quick_check").fetchone()[0]
        if verdict != "ok":
            raise UnreadableProgress("the database is damaged")
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        tables = connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if version == 0 and tables:
            raise UnreadableProgress("it is a database of some other program")
        _use_wal(connection)
        connection.execute("PRAGMA synchronous = FULL")
        connection.execute("PRAGMA foreign_keys = ON")
        migrate(connection)
    except sqlite3.DatabaseError as error:
        connection.close()
        if _code(error) in _CORRUPT:
            raise UnreadableProgress(str(error)) from error
        raise
    except BaseException:
        connection.close()
        raise
    return connection


def memory_copy(source: sqlite3.Connection | None) -> sqlite3.Connection:
    """An in-memory database holding what ``source`` holds, or a fresh one if it cannot be
    read or is of a newer schema. Foreign keys are not enforced: when the copy had to start
    empty, the app still holds ids of rows the copy lacks, and a session must not fail on that.
    """
    memory = _connect(":memory:")
    try:
        if source is not None:
            source.backup(memory)
        migrate(memory)
    except (sqlite3.Error, SchemaTooNew):
        memory.close()
        memory = _connect(":memory:")
        migrate(memory)
    return memory


def read_only(path: Path) -> sqlite3.Connection | None:
    """The progress file opened for reading only, if it can be."""
    try:
        return _connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except (sqlite3.Error, OSError, ValueError):
        return None


class Transaction:
    """One write's statements, run on the store's connection and remembered, so that if the
    disk refuses them partway they can all be run again on the in-memory copy. Replaying gives
    the same row ids: the copy holds exactly what the disk had committed."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self.statements: list[tuple[str, str, object]] = []

    def execute(self, sql: str, params=()) -> sqlite3.Cursor:
        return self._run("execute", sql, params)

    def executemany(self, sql: str, rows) -> sqlite3.Cursor:
        return self._run("executemany", sql, list(rows))

    def _run(self, method: str, sql: str, params) -> sqlite3.Cursor:
        self.statements.append((method, sql, params))
        try:
            return getattr(self.database._db, method)(sql, params)
        except sqlite3.Error as error:
            if not self.database._hold_in_memory(error):
                raise
            return self.replay()

    def replay(self) -> sqlite3.Cursor:
        """Begin again on the (in-memory) connection and run every statement so far."""
        connection = self.database._db
        connection.execute("BEGIN IMMEDIATE")
        cursor = connection.cursor()
        for method, sql, params in self.statements:
            cursor = getattr(connection, method)(sql, params)
        return cursor


class Database:
    """One SQLite connection, shared by the app's threads under a lock."""

    def __init__(self, path: str | Path, in_memory: bool = False) -> None:
        self.path = Path(path)
        self._lock = threading.RLock()
        self.notice: str | None = None  # what the learner should be told about their progress
        self.on_notice: Callable[[str], None] | None = None  # told when writes move to memory
        self.saving = not in_memory
        if in_memory:
            source = read_only(self.path)
            self._db = memory_copy(source)
            if source is not None:
                source.close()
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = open_file(self.path)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def integrity(self) -> str:
        return self.read("PRAGMA integrity_check")[0][0]

    @contextmanager
    def write(self) -> Iterator[Transaction]:
        """One committed transaction (on disk, or in memory once the disk has refused)."""
        with self._lock:
            transaction = Transaction(self)
            try:
                self._db.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as error:
                if not self._hold_in_memory(error):
                    raise
                self._db.execute("BEGIN IMMEDIATE")
            try:
                yield transaction
            except BaseException:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise
            try:
                self._db.execute("COMMIT")
            except sqlite3.Error as error:
                if not self._hold_in_memory(error):
                    raise
                transaction.replay()
                self._db.execute("COMMIT")

    def read(self, sql: str, *params) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    def reading(self) -> threading.RLock:
        """Hold this while several reads must see one state (no write can come between)."""
        return self._lock

    def _hold_in_memory(self, error: sqlite3.Error) -> bool:
        """Move to an in-memory copy if the disk refused a write; False for other errors."""
        reason = cannot_write_reason(error)
        if reason is None or not self.saving:
            return False
        disk = self._db
        with suppress(sqlite3.Error):
            if disk.in_transaction:
                disk.execute("ROLLBACK")
        self._db = memory_copy(disk)
        with suppress(sqlite3.Error):
            disk.close()
        self.saving = False
        self.notice = unsaved_notice(self.path, reason)
        if self.on_notice is not None:
            self.on_notice(self.notice)
        return True


def unsaved_notice(path: Path, reason: str) -> str:
    return (
        f"Progress cannot be saved to {path}: {reason}. You can go on studying; your progress "
        "is kept in memory until mltcourse closes."
    )
