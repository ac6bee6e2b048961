"""The full-text index of the course: an SQLite FTS5 file beside the course cache.

It is named after the course cache entry (``course_cache.search_index_path``), so it is
dropped with it when the course changes, and written again once the changed course is loaded
(``course_cache.store_search_index``, which the app's loader calls after handing the course
over), or by the first search that finds none. The data folder may be shared, so
the file is opened read-only with an untrusted schema, and anything that goes wrong reading it
(damaged, not SQLite, a wrong shape) is ``SearchIndexError``: the caller builds a fresh one.
Results are ranked by bm25 with titles weighted above bodies.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ..content.search import KINDS, TITLE_WEIGHT, Document, SearchResult, fts_query
from ..safetext import clean

if TYPE_CHECKING:
    from ..content.model import Course

SUFFIX = ".search.sqlite"
FORMAT = "mltcourse search 1"
SNIPPET_WORDS = 16
MAX_RESULTS = 50
# The snippet's marks round matched words: control characters, which no course text holds
# (the loader refuses them) and which ``clean`` removes from anything else.
_OPEN, _CLOSE = "\x01", "\x02"
_MARKED = re.compile(f"{_OPEN}(.*?){_CLOSE}", re.DOTALL)
_SPACES = re.compile(r"\s+")  # a snippet is one line, whatever the text's line breaks

_SCHEMA = f"""
CREATE VIRTUAL TABLE search USING fts5(
    title, body, kind UNINDEXED, ref UNINDEXED,
    tokenize = 'porter unicode61 remove_diacritics 2', prefix = '2 3'
);
CREATE TABLE about (format TEXT NOT NULL);
INSERT INTO about VALUES ('{FORMAT}');
"""


class SearchIndexError(Exception):
    """The index file is missing, damaged or not one of ours."""


def _fill(connection: sqlite3.Connection, documents: Iterable[Document]) -> None:
    connection.executescript(_SCHEMA)
    connection.executemany(
        "INSERT INTO search (title, body, kind, ref) VALUES (?, ?, ?, ?)",
        ((d.title, d.body, d.kind, d.ref) for d in documents),
    )
    connection.commit()


def write_index(documents: Iterable[Document], path: Path) -> None:
    """Build the index in memory and write it to ``path`` in one go, atomically (a reader
    never sees half a file; writing page by page to disk costs more than the build)."""
    connection = sqlite3.connect(":memory:")
    try:
        _fill(connection, documents)
        data = connection.serialize()
    finally:
        connection.close()
    _write_atomically(Path(path), data)


def _write_atomically(path: Path, data: bytes) -> None:
    partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        partial.write_bytes(data)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def store_index(course: Course, root: Path, path: Path) -> None:
    """Write the course's index at ``path``: the one shipped with the package when ``root``
    is the installed, unchanged course (store/prebuilt.py), else one built now."""
    from ..content.search import course_documents
    from . import prebuilt

    shipped = prebuilt.search_index(root)
    if shipped is not None:
        _write_atomically(Path(path), shipped)
    else:
        write_index(course_documents(course), path)


class SearchIndex:
    """Queries over one index; open with ``open`` (a file) or ``build`` (in memory)."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    @classmethod
    def open(cls, path: Path) -> SearchIndex:
        path = Path(path)
        if not path.is_file():
            raise SearchIndexError(f"no search index at {path}")
        try:
            uri = f"{path.resolve().as_uri()}?mode=ro"
            connection = sqlite3.connect(uri, uri=True, check_same_thread=False)
        except (sqlite3.Error, ValueError) as exc:
            raise SearchIndexError(str(exc)) from None
        try:
            connection.execute("PRAGMA trusted_schema = OFF")
            (found,) = connection.execute("SELECT format FROM about").fetchone()
            if found != FORMAT:
                raise SearchIndexError(f"an index of another format ({found!r})")
            connection.execute("SELECT title, body, kind, ref FROM search LIMIT 0").fetchall()
        except (sqlite3.Error, TypeError, ValueError) as exc:
            connection.close()
            raise SearchIndexError(f"not a search index: {exc}") from None
        except SearchIndexError:
            connection.close()
            raise
        return cls(connection)

    @classmethod
    def build(cls, documents: Iterable[Document]) -> SearchIndex:
        """An index in memory, for when none can be written beside the cache."""
        connection = sqlite3.connect(":memory:", check_same_thread=False)
        _fill(connection, documents)
        return cls(connection)

    def close(self) -> None:
        self._connection.close()

    def search(self, text: str, limit: int = 20) -> list[SearchResult]:
        """The best matches for what the learner typed, best first; [] for nothing to find.
        Never an FTS5 syntax error: see ``content.search.fts_query``."""
        query = fts_query(text)
        if query is None:
            return []
        try:
            rows = self._connection.execute(
                "SELECT kind, ref, title, snippet(search, 1, ?, ?, '…', ?),"
                " highlight(search, 0, ?, ?) || ' ' || highlight(search, 1, ?, ?)"
                " FROM search WHERE search MATCH ? ORDER BY bm25(search, ?, 1.0) LIMIT ?",
                (
                    _OPEN,
                    _CLOSE,
                    SNIPPET_WORDS,
                    _OPEN,
                    _CLOSE,
                    _OPEN,
                    _CLOSE,
                    query,
                    TITLE_WEIGHT,
                    max(1, min(limit, MAX_RESULTS)),
                ),
            ).fetchall()
        except sqlite3.Error as exc:
            raise SearchIndexError(f"the search index cannot be read: {exc}") from None
        return [result for row in rows if (result := _result(*row)) is not None]


def _result(kind, ref, title, snippet, marked) -> SearchResult | None:
    if kind not in KINDS or not all(isinstance(v, str) for v in (ref, title, snippet, marked)):
        return None  # not a row this program wrote
    parts: list[tuple[str, bool]] = []
    for number, piece in enumerate(re.split(f"{_OPEN}|{_CLOSE}", snippet)):
        if piece:
            parts.append((clean(_SPACES.sub(" ", piece)), number % 2 == 1))
    matches = dict.fromkeys(clean(m).strip() for m in _MARKED.findall(marked))
    return SearchResult(
        kind, clean(ref), clean(title), tuple(parts), tuple(m for m in matches if m)
    )


def index_for(course: Course, root: Path, path: Path | None) -> SearchIndex:
    """The course's index: the file at ``path`` if it is sound, else one written there now
    (see ``store_index``), else, when nothing can be written, one in memory."""
    from ..content.search import course_documents

    if path is not None:
        with contextlib.suppress(SearchIndexError):
            return SearchIndex.open(path)
        with contextlib.suppress(OSError, sqlite3.Error):
            path.parent.mkdir(parents=True, exist_ok=True)
            store_index(course, root, path)
            with contextlib.suppress(SearchIndexError):
                return SearchIndex.open(path)
    return SearchIndex.build(course_documents(course))
