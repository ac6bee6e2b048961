"""A course folder as an editor sees it: the files on disk, overridden by the open buffers.

The validator runs on this view, so an error shows while it is typed, in the context of the
rest of the course; and the symbols for completion, hover and definition come from it too.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..content.files import MAX_LESSON_BYTES, MAX_YAML_BYTES, CourseFileError, read_course_file
from ..content.loader import discover, load_course
from ..content.model import Course
from ..content.paths import PRINCIPLES_FILE, default_root
from .symbols import FileSymbols, Symbol, lesson_symbols, read_symbols

KINDS = ("principles", "glossary", "module", "lesson", "scenario")


def find_root(path: Path) -> Path | None:
    """The course folder a file belongs to: the nearest one holding the principle catalogue."""
    for parent in path.parents:
        if (parent / PRINCIPLES_FILE).is_file():
            return parent
    return None


def file_kind(root: Path | None, path: Path) -> str | None:
    """What a file is in its course, from where it stands; None for a file the course ignores.

    A YAML file outside a course's known places is read as a scenario, as ``mltcourse
    validate FILE`` does."""
    parts = path.relative_to(root).parts if root and path.is_relative_to(root) else ()
    if parts[:1] == ("modules",):
        if parts[1:] in (("principles.yaml",), ("glossary.yaml",)):
            return parts[1].split(".")[0]
        if len(parts) == 3 and parts[2] in ("module.yaml", "lesson.md"):
            return parts[2].split(".")[0]
        return None
    return "scenario" if path.suffix in (".yaml", ".yml") else None


@dataclass
class Symbols:
    """The ids a file can refer to: the course's, and (in a scenario) its own."""

    principles: dict[str, Symbol] = field(default_factory=dict)
    modules: dict[str, Symbol] = field(default_factory=dict)
    risks: dict[str, Symbol] = field(default_factory=dict)
    sections: dict[str, Symbol] = field(default_factory=dict)
    local: FileSymbols = field(default_factory=FileSymbols)


class CourseView:
    """One course folder with the text of the buffers an editor has open in it."""

    def __init__(self, root: Path):
        self.root = root
        self.buffers: dict[Path, str] = {}
        self._parsed: dict[Path, tuple[str, FileSymbols]] = {}

    def open(self, path: Path, text: str) -> None:
        self.buffers[path] = text

    def close(self, path: Path) -> None:
        self.buffers.pop(path, None)

    def kind(self, path: Path) -> str | None:
        return file_kind(self.root, path)

    def text(self, path: Path) -> str | None:
        """A file's text: the editor's if it is open, else the disk's (None if unreadable)."""
        if path in self.buffers:
            return self.buffers[path]
        limit = MAX_LESSON_BYTES if path.suffix == ".md" else MAX_YAML_BYTES
        try:
            return read_course_file(path, self.root, limit).decode("utf-8-sig")
        except (CourseFileError, UnicodeDecodeError):
            return None

    def extra(self, buffers: dict[Path, str]) -> list[Path]:
        """Open scenarios the course folder does not list (new, or kept elsewhere)."""
        on_disk = {_resolved(p) for p in discover(self.root).scenarios}
        return [p for p in buffers if self.kind(p) == "scenario" and p not in on_disk]

    def validate(self, buffers: dict[Path, str]) -> Course:
        """The course checked with ``buffers`` (a copy of the open ones) in place of their
        files; it runs off the server's thread, so it must not read ``self.buffers``."""
        overrides = {path: text for path, text in buffers.items() if self.kind(path)}
        return load_course(self.root, self.extra(overrides), overrides)

    def file_symbols(self, path: Path, kind: str, text: str | None = None) -> FileSymbols:
        """The symbols of one file (of ``text``, else its current text), parsed again only when
        the text changed; a text that does not parse keeps those of the last one that did."""
        text = self.text(path) if text is None else text
        cached = self._parsed.get(path)
        if text is None:
            return cached[1] if cached else FileSymbols()
        if cached and cached[0] == text:
            return cached[1]
        if kind == "lesson":
            module = self.file_symbols(path.parent / "module.yaml", "module").modules
            module_id, title = next(((m.id, m.title) for m in module.values()), (None, ""))
            if module_id is None:
                return cached[1] if cached else FileSymbols()
            symbols = lesson_symbols(path, module_id, title, text)
        else:
            symbols = read_symbols(path, kind, text)
            if symbols is None:
                return cached[1] if cached else FileSymbols()
        self._parsed[path] = (text, symbols)
        return symbols

    def remember(self, buffers: dict[Path, str]) -> None:
        """Read the symbols of these buffers now, so that a later half-typed text falls back
        on the last one that parsed."""
        for path, text in buffers.items():
            kind = self.kind(path)
            if kind in ("principles", "module", "lesson", "scenario"):
                self.file_symbols(path, kind, text)

    def symbols(self, path: Path | None = None) -> Symbols:
        """Everything a file can refer to: the whole course's ids, and its own if a scenario."""
        out = Symbols()
        files = discover(self.root)
        sources = [(files.principles, "principles")] if files.principles else []
        for module_file in files.modules:
            sources += [(module_file, "module"), (module_file.parent / "lesson.md", "lesson")]
        for source, kind in sources:
            found = self.file_symbols(_resolved(source), kind)
            out.principles.update(found.principles)
            out.modules.update(found.modules)
            out.risks.update(found.risks)
            out.sections.update(found.sections)
        if path is not None and self.kind(path) == "scenario":
            out.local = self.file_symbols(path, "scenario")
        return out


def _resolved(path: Path) -> Path:
    return Path(os.path.realpath(path))


class Courses:
    """The course views of an editing session, one per course folder met.

    A file in no course folder (a scenario kept elsewhere) is checked against ``fallback``
    (the editor's workspace, when it is a course) or the default course, as ``mltcourse
    validate FILE`` would."""

    def __init__(self, fallback: Path | None = None):
        self.fallback = fallback if fallback and (fallback / PRINCIPLES_FILE).is_file() else None
        self.views: dict[Path, CourseView] = {}

    def view_for(self, path: Path) -> CourseView:
        root = _resolved(find_root(path) or self.fallback or default_root())
        if root not in self.views:
            self.views[root] = CourseView(root)
        return self.views[root]
