"""A cache of the loaded course in the data folder.

Reading and validating every YAML and Markdown file costs more than everything else at
start-up; when no course file (and no loader code) has changed since the last run, the app
reads the course model back from one pickle instead. The key covers every course file's
path, size and modification time, the loader's own source files and the current folder
(diagnostics name files relative to it), so a stale entry is never used.

Beside each pickle sits the course's outline (``content/outline.py``) as JSON: all the course
map needs, readable without importing the course model, so the first screen never waits for it.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import types
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__
from ..content.outline import CourseOutline, outline_of

if TYPE_CHECKING:
    from ..content.model import Condition, Course

LOADER_CODE = Path(__file__).resolve().parent.parent / "content"

COURSE_FILES = ("modules/*.yaml", "modules/*/*.yaml", "modules/*/*.md", "scenarios/*.y*ml")

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
    loader_code = _stat(LOADER_CODE.glob("*.py"))
    files = {**snapshot(root), **loader_code}
    stamps = [f"{path}:{mtime}:{size}" for path, (mtime, size) in sorted(files.items())]
    return _digest(__version__, os.getcwd(), *stamps)


# The model holds read-only mappings and compiled conditions, which pickle cannot store as
# they are: store the plain dict, and the condition's parsed form to compile again.
def _mapping(items: dict) -> types.MappingProxyType:
    return types.MappingProxyType(items)


def _condition(source: str, expr) -> Condition:
    from ..content.condition_compile import compile_condition
    from ..content.model import Condition

    return Condition(source, compile_condition(expr), expr)


def _reducers() -> dict:
    import copyreg

    from ..content.model import Condition

    reducers = copyreg.dispatch_table.copy()
    reducers[types.MappingProxyType] = lambda m: (_mapping, (dict(m),))
    reducers[Condition] = lambda c: (_condition, (c.source, c.expr))
    return reducers


def _entry(root: Path, cache_dir: Path) -> Path:
    return Path(cache_dir) / f"course-{_digest(str(root.resolve()))}-{_fingerprint(root)}.pickle"


def cached_course(root: Path, cache_dir: Path) -> Course | None:
    """The course from the cache if nothing changed since it was stored, else None.

    A hit costs milliseconds, so the app takes this path on the UI thread at start-up and
    only sends a real load to a worker.
    """
    from ..content.model import Course

    try:
        with _entry(Path(root), cache_dir).open("rb") as file:
            course = pickle.load(file)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError):
        return None
    return course if isinstance(course, Course) else None


def cached_outline(root: Path, cache_dir: Path) -> CourseOutline | None:
    """The course's outline if nothing changed since the course was cached, else None."""
    outline = _entry(Path(root), cache_dir).with_suffix(".outline.json")
    try:
        return CourseOutline.from_json(json.loads(outline.read_bytes()))
    except (OSError, ValueError):  # missing, stale, damaged or not an outline
        return None


def load_course_cached(root: Path, cache_dir: Path) -> Course:
    """The course under ``root``, from the cache when nothing changed, else freshly loaded."""
    root = Path(root)
    course = cached_course(root, cache_dir)
    if course is not None:
        return course
    from ..content.loader import load_course

    course = load_course(root)
    _store(course, _entry(root, cache_dir))
    return course


def _store(course: Course, entry: Path) -> None:
    """Write the entry atomically and drop older ones; a failure only costs the cache."""
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        same_root = entry.name.rsplit("-", 1)[0]
        for old in entry.parent.glob(f"{same_root}-*.*"):
            old.unlink(missing_ok=True)
        partial = entry.with_suffix(f".{os.getpid()}.tmp")
        with partial.open("wb") as file:
            pickler = pickle.Pickler(file, protocol=pickle.HIGHEST_PROTOCOL)
            pickler.dispatch_table = _reducers()
            pickler.dump(course)
        os.replace(partial, entry)
        # The outline goes second: one is never found without the course it summarises.
        partial.write_text(json.dumps(outline_of(course).to_json()), encoding="utf-8")
        os.replace(partial, entry.with_suffix(".outline.json"))
    except (OSError, pickle.PicklingError):
        pass
