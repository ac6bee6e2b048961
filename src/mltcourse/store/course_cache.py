"""A cache of the loaded course in the data folder.

Reading and validating every YAML and Markdown file costs more than everything else at
start-up; when no course file (and no loader code) has changed since the last run, the app
reads the course model back from one JSON file instead. It is plain data, checked field by
field as it is read (``store/plain.py``): the data folder may be shared, and nothing written
there can run code in a later start. A cache that cannot be read is removed and rebuilt. The
key covers every course file's path, size and modification time, the loader's own source
files and the current folder (diagnostics name files relative to it), so a stale entry is
never used.

Beside each entry sits the course's outline (``content/outline.py``) as JSON: all the course
map needs, readable without importing the course model, so the first screen never waits for it;
and its full-text index (``store/search_index.py``), under the same key, written after a load.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__
from ..content.outline import CourseOutline, outline_of

if TYPE_CHECKING:
    from ..content.model import Course

LOADER_CODE = Path(__file__).resolve().parent.parent / "content"

COURSE_FILES = (
    "modules/*.yaml",
    "modules/*/*.yaml",
    "modules/*/*.md",
    "scenarios/*.y*ml",
    "assets/**/*",  # lesson links to assets are checked, so their presence is part of the key
)

Snapshot = dict[str, tuple[int, int]]


def _stat(paths) -> Snapshot:
    files: Snapshot = {}
    for path in paths:
        try:
            stat = path.stat()
        except OSError:
            continue
        files[str(path)] = (stat.st_mtime_ns, stat.st_size)
    return files


def snapshot(root: Path) -> Snapshot:
    """(modification time, size) of every course file under ``root``."""
    return _stat(path for pattern in COURSE_FILES for path in root.glob(pattern))


def _digest(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def _fingerprint(root: Path) -> str:
    loader_code = _stat([*LOADER_CODE.glob("*.py"), Path(__file__).with_name("plain.py")])
    files = {**snapshot(root), **loader_code}
    stamps = [f"{path}:{mtime}:{size}" for path, (mtime, size) in sorted(files.items())]
    return _digest(__version__, os.getcwd(), *stamps)


def _entry(root: Path, cache_dir: Path) -> Path:
    return Path(cache_dir) / f"course-{_digest(str(root.resolve()))}-{_fingerprint(root)}.json"


def search_index_path(root: Path, cache_dir: Path) -> Path:
    """Where the course's full-text index is kept: beside its entry, under the same key."""
    from .search_index import SUFFIX

    return _entry(Path(root), cache_dir).with_suffix(SUFFIX)


def cached_course(root: Path, cache_dir: Path, notes: list[str] | None = None) -> Course | None:
    """The course from the cache if nothing changed since it was stored, else None.

    A damaged, truncated or wrong-typed entry is removed (so the next load rebuilds it) and
    a note says so in ``notes``.
    """
    entry = _entry(Path(root), cache_dir)
    try:
        return course_from_entry(_read_regular(entry))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, RecursionError) as exc:
        if notes is not None:
            notes.append(f"The course cache {entry.name} could not be read ({exc}); rebuilt it.")
        for stale in (entry, entry.with_suffix(".outline.json")):
            with contextlib.suppress(OSError):
                stale.unlink()
        return None


_HEADER = b"mltcourse course cache 1 sha256="


def entry_bytes(course: Course) -> bytes:
    """A course as an entry: a line with the body's hash, then the model as plain JSON."""
    from .plain import to_plain

    body = json.dumps(to_plain(course), separators=(",", ":")).encode()
    return _HEADER + hashlib.sha256(body).hexdigest().encode() + b"\n" + body


def course_from_entry(data: bytes) -> Course:
    """The course back from an entry; ValueError if it is damaged or not a course."""
    from .plain import course_from_plain

    return course_from_plain(json.loads(_checked_body(data)))


def _checked_body(data: bytes) -> bytes:
    """The JSON body of an entry whose first line carries the body's own hash."""
    header, _, body = data.partition(b"\n")
    if not header.startswith(_HEADER):
        raise ValueError("not a course cache entry")
    if hashlib.sha256(body).hexdigest().encode() != header[len(_HEADER) :]:
        raise ValueError("damaged: its content does not match its checksum")
    return body


def _read_regular(path: Path) -> bytes:
    """A cache file's bytes; FileNotFoundError if absent, OSError if it is not a regular file."""
    import stat

    handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(handle, "rb") as file:
        if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
            raise OSError("not a regular file")
        return file.read()


def cached_outline(root: Path, cache_dir: Path) -> CourseOutline | None:
    """The course's outline if nothing changed since the course was cached, else None."""
    outline = _entry(Path(root), cache_dir).with_suffix(".outline.json")
    try:
        return CourseOutline.from_json(json.loads(_read_regular(outline)))
    except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError):
        pass  # missing, stale, damaged or not an outline
    from . import prebuilt  # the installed course's, made when the package was built

    return prebuilt.outline(root)


def load_course_cached(root: Path, cache_dir: Path, notes: list[str] | None = None) -> Course:
    """The course under ``root``, from the cache when nothing changed, else freshly loaded."""
    root = Path(root)
    course = cached_course(root, cache_dir, notes)
    if course is not None:
        return course
    from . import prebuilt

    course = prebuilt.course(root)
    if course is None:
        from ..content.loader import load_course

        course = load_course(root)
    _store(course, _entry(root, cache_dir))
    return course


def _store(course: Course, entry: Path) -> None:
    """Write the entry atomically and drop older ones; a failure only costs the cache."""
    from .plain import PlainDataError

    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        same_root = entry.name.rsplit("-", 1)[0]
        for old in entry.parent.glob(f"{same_root}-*.*"):
            old.unlink(missing_ok=True)
        partial = entry.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(entry_bytes(course))
        os.replace(partial, entry)
        # The outline goes second: one is never found without the course it summarises.
        partial.write_text(json.dumps(outline_of(course).to_json()), encoding="utf-8")
        os.replace(partial, entry.with_suffix(".outline.json"))
    except (OSError, PlainDataError):
        pass


def store_search_index(course: Course, root: Path, cache_dir: Path) -> None:
    """Write the course's full-text index beside its entry unless it is there: after a load,
    once the course is handed over, so that the load itself never waits for it. A failure
    only means the first search builds it."""
    import sqlite3

    from .search_index import store_index

    path = search_index_path(root, cache_dir)
    if path.is_file():
        return
    with contextlib.suppress(OSError, sqlite3.Error):
        path.parent.mkdir(parents=True, exist_ok=True)
        store_index(course, Path(root), path)
