"""Build hook: read and check the bundled course once, when the wheel is built, and ship the
result (store/prebuilt.py), so that the first launch after an install does not pay for it."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class PrebuiltCourse(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name != "wheel":
            return
        root = Path(self.root)
        sys.path.insert(0, str(root / "src"))
        try:
            from mltcourse.store.prebuilt import FOLDER, write_prebuilt
        finally:
            sys.path.pop(0)
        out = Path(tempfile.mkdtemp(prefix="mltcourse-prebuilt-")) / FOLDER
        try:
            write_prebuilt(root, out)
        except Exception as exc:  # the package still works, only its first launch is slower
            self.app.display_warning(f"mltcourse: no prebuilt course in this wheel: {exc}")
            return
        for path in out.iterdir():
            build_data["force_include"][str(path)] = f"mltcourse/_course/{FOLDER}/{path.name}"
