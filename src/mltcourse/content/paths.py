"""Where the course is: the folder a command or the app works on, and how to name its files.

Kept apart from the loader (which brings the YAML reader, the schema and the model with it)
so that launching the app does not import them before its first screen."""

from __future__ import annotations

import os
from pathlib import Path

PRINCIPLES_FILE = Path("modules") / "principles.yaml"
GLOSSARY_FILE = Path("modules") / "glossary.yaml"


def bundled_root() -> Path:
    """The course shipped with the package (or the repository's, when run from a checkout)."""
    here = Path(__file__).resolve().parent.parent
    packaged = here / "_course"
    if packaged.is_dir():
        return packaged
    return here.parent.parent


def default_root(explicit: str | os.PathLike | None = None) -> Path:
    """--content, else $MLTCOURSE_CONTENT, else the current folder if a course, else bundled."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("MLTCOURSE_CONTENT")
    if env:
        return Path(env)
    if (Path.cwd() / PRINCIPLES_FILE).is_file():
        return Path.cwd()
    return bundled_root()


def display_path(path: Path) -> str:
    """A path as an author would type it: relative to the current folder when inside it."""
    absolute = Path(os.path.abspath(path))  # a link is named as itself, not as its target
    try:
        return str(absolute.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
