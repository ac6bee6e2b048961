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
