"""The bundled course, read and checked when the package is built, shipped with it.

The first launch after an install would otherwise parse and validate every lesson and
scenario before the map could show the course. The wheel carries the course's outline and its
model as plain data (the same checked format as the cache) and its full-text index, with a
fingerprint of the course files they were made from; they are used only while the installed
files still match it.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING

from ..content.outline import CourseOutline
from ..content.paths import bundled_root

if TYPE_CHECKING:
    from ..content.model import Course

FOLDER = "prebuilt"
SEARCH_INDEX = "search.sqlite"
PROGRESS_TEMPLATE = "progress.sqlite3"  # an empty progress file, every migration applied
COURSE_FILES = ("modules/*.yaml", "modules/*/*.yaml", "modules/*/*.md", "scenarios/*.y*ml")


def content_fingerprint(root: Path) -> str:
    """A hash of every course file's name and bytes: what the prebuilt data was made from."""
    digest = hashlib.sha256()
    paths = sorted({p for pattern in COURSE_FILES for p in Path(root).glob(pattern)})
    for path in paths:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def write_prebuilt(root: Path, out: Path) -> None:
    """Load the course under ``root`` and write its prebuilt data into ``out`` (at build time)."""
    import os

    from ..content.loader import load_course
    from ..content.outline import outline_of
    from .course_cache import entry_bytes

    here = os.getcwd()
    os.chdir(root)  # files are named relative to the course, as an author would type them
    try:
        course = load_course(Path("."))
    finally:
        os.chdir(here)
    if course.errors:
        raise RuntimeError("the bundled course has errors:\n" + "\n".join(map(str, course.errors)))
    out.mkdir(parents=True, exist_ok=True)
    (out / "course.json").write_bytes(entry_bytes(course))
    (out / "outline.json").write_text(json.dumps(outline_of(course).to_json()), encoding="utf-8")
    (out / "fingerprint.txt").write_text(content_fingerprint(root), encoding="utf-8")
    from ..content.search import course_documents
    from .search_index import write_index

    write_index(course_documents(course), out / SEARCH_INDEX)
    write_progress_template(out / PROGRESS_TEMPLATE)


def write_progress_template(target: Path) -> None:
    """An empty progress file as a first launch would create it, in write-ahead-log mode
    (which the file keeps), for store/database.py to copy."""
    import sqlite3

    from .schema import migrate

    target.unlink(missing_ok=True)
    connection = sqlite3.connect(target, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode = WAL")
        migrate(connection)
        connection.execute("VACUUM")
    finally:
        connection.close()  # the last connection closing folds the log into the file


def progress_template() -> Path | None:
    """The empty progress file shipped with the installed package; None from a checkout.
    It does not depend on the course, so it is used whatever course is studied."""
    path = bundled_root() / FOLDER / PROGRESS_TEMPLATE
    return path if path.is_file() else None


def _folder(root: Path) -> Path | None:
    """The prebuilt folder, if ``root`` is the installed course and its files are unchanged."""
    bundled = bundled_root()
    folder = bundled / FOLDER
    try:
        if Path(root).resolve() != bundled.resolve() or not folder.is_dir():
            return None
        expected = (folder / "fingerprint.txt").read_text(encoding="utf-8").strip()
        return folder if expected == content_fingerprint(bundled) else None
    except OSError:
        return None


def outline(root: Path) -> CourseOutline | None:
    folder = _folder(root)
    if folder is None:
        return None
    try:
        return CourseOutline.from_json(json.loads((folder / "outline.json").read_bytes()))
    except (OSError, ValueError, RecursionError):
        return None


def course(root: Path) -> Course | None:
    from .course_cache import course_from_entry

    folder = _folder(root)
    if folder is None:
        return None
    try:
        return course_from_entry((folder / "course.json").read_bytes())
    except (OSError, ValueError):
        return None


def search_index(root: Path) -> bytes | None:
    """The full-text index shipped with the package (see store/search_index.py), as bytes."""
    folder = _folder(root)
    if folder is None:
        return None
    try:
        return (folder / SEARCH_INDEX).read_bytes()
    except OSError:
        return None
