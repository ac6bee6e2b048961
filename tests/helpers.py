"""Shared test helpers: fixture courses copied into tmp_path so tests can change them."""

from __future__ import annotations

import shutil
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
CORE_COURSE = FIXTURES / "core_course"
REPO = Path(__file__).parent.parent


def copy_course(tmp_path: Path, source: Path = CORE_COURSE) -> Path:
    target = tmp_path / "course"
    shutil.copytree(source, target)
    return target


def edited(root: Path, relative: str, *replacements: tuple[str, str]) -> Path:
    """``root`` with the file ``relative`` changed: each ``old`` (which must be there) replaced
    once by its ``new``."""
    path = root / relative
    text = path.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return root
