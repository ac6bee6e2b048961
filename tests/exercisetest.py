"""Helpers for the group-exercise tests: the core fixture course, with decision owners and
facilitator notes added to its scenario, copied into a test's own folder."""

from __future__ import annotations

from pathlib import Path

from helpers import copy_course

OWNER = "Force Commander"
SCENE_NOTE = "Listen for who they would consult first."
CHOICE_NOTE = "Ask what consulting costs in time."


def exercise_course(tmp_path: Path) -> Path:
    """core_course with an owner and notes on the first scene and a note on one choice."""
    root = copy_course(tmp_path)
    path = root / "scenarios" / "crossroads.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "    title: First\n    text: A first choice.\n",
        f"    title: First\n    text: A first choice.\n    owner: {OWNER}\n"
        f"    notes: {SCENE_NOTE}\n",
    )
    text = text.replace(
        "        feedback: Consulting keeps partners on board and the roles clear for everyone.\n",
        "        feedback: Consulting keeps partners on board and the roles clear for everyone.\n"
        f"        notes: {CHOICE_NOTE}\n",
    )
    assert SCENE_NOTE in text and CHOICE_NOTE in text
    path.write_text(text, encoding="utf-8")
    return root
