"""``mltcourse new``: a new scenario in a course folder, or a course folder of one's own."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from ..content.paths import PRINCIPLES_FILE, bundled_root, default_root, display_path
from ..content.suggest import did_you_mean
from ..safetext import clean
from .common import UsageError, _course


def cmd_new(args) -> int:
    if args.what == "course":
        return _new_course(args)
    return _new_scenario(args)


def _new_scenario(args) -> int:
    from ..content.scaffold import scenario_scaffold
    from ..content.schema import ID_PATTERN

    if not re.fullmatch(ID_PATTERN.strip("^$"), args.id):
        raise UsageError(
            f"{clean(args.id)!r} is not a valid scenario id: use lower-case letters, digits, "
            "'-' and '_', starting with a letter or digit (for example: road-to-kiru)"
        )
    root = default_root(args.content)
    if _is_installed(root):
        raise UsageError(
            "no course folder here, and new scenarios are never written into the installed "
            "package. Run this inside a course folder (one with modules/principles.yaml), "
            "give --content DIR, or start a course of your own with: mltcourse new course DIR"
        )
    course = _course(args)
    if args.module and course.module(args.module) is None:
        folder = re.fullmatch(r"\d+-(.+)", args.module)
        if folder and course.module(folder.group(1)):
            raise UsageError(
                f"--module takes the module id, not its folder: use {folder.group(1)!r}"
            )
        known = [m.id for m in course.modules]
        hint = did_you_mean(args.module, known) or f"; known: {', '.join(known)}"
        raise UsageError(f"unknown module {clean(args.module)!r}{hint}")
    if args.id in course.scenarios:
        raise UsageError(
            f"the scenario id {args.id!r} is already used by {course.scenarios[args.id].path}"
        )
    path = root / "scenarios" / f"{args.id}.yaml"
    if path.exists():
        raise UsageError(f"{display_path(path)} already exists")
    text = scenario_scaffold(course, args.id, args.module)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(display_path(path))
    return 0


def _is_installed(root: Path) -> bool:
    """Is ``root`` the course inside the installed package (not a checkout of its source)?"""
    return root.resolve() == bundled_root().resolve() and not (root / ".git").exists()


def _new_course(args) -> int:
    from ..content.scaffold import copy_course

    target = Path(args.id)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UsageError(f"{display_path(target)} already exists and is not empty")
    source = default_root(args.content)
    if not (source / PRINCIPLES_FILE).is_file():
        raise UsageError(f"no course at {display_path(source)} to start from")
    course = _course(args)
    if course.errors:
        raise UsageError(
            f"the course at {display_path(source)} has errors: run mltcourse validate there first"
        )
    scenario = copy_course(course, source, target)
    print(f"{display_path(target)}: a course of your own, from {display_path(source)}")
    print(
        f"  modules/ (the principles, the glossary and every lesson), scenarios/{scenario}.yaml,"
        " schema/ for your editor"
    )
    print(f"Next: cd {display_path(target)} && mltcourse validate && mltcourse new scenario ID")
    sys.stdout.flush()
    return 0
