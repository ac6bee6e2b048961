"""What the commands share: finding the course, naming files, usage errors."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from ..content.diagnostics import Diagnostic
from ..content.loader import load_course
from ..content.model import Course
from ..content.paths import default_root
from . import UsageError


def _course(args, extra: list[Path] | None = None) -> Course:
    root = default_root(args.content)
    if not root.is_dir():
        raise UsageError(f"no course folder at {root}")
    return load_course(root, extra or [])


def _split_paths(args) -> tuple[Path, list[Path], Callable[[str], bool] | None]:
    """(content root, extra scenario files, a test for the files to report on, None for all)."""
    root = default_root(args.content)
    if not args.paths:
        return root, [], None
    extra: list[Path] = []
    selected: list[Path] = []
    for raw in args.paths:
        path = Path(raw)
        if not path.exists():
            raise UsageError(f"{raw}: no such file or folder")
        if path.is_dir() and ((path / "modules").is_dir() or (path / "scenarios").is_dir()):
            root = path
        elif path.is_file() and path.suffix in (".yaml", ".yml") and path.parent.name != "modules":
            in_course = path.resolve().is_relative_to(root.resolve())
            if not in_course and path.name != "module.yaml":
                extra.append(path)
        selected.append(path.resolve())

    def wanted(file: str) -> bool:
        target = Path(file).resolve()
        return any(target == p or target.is_relative_to(p) for p in selected)

    return root, extra, wanted


def _scenario(course: Course, scenario_id: str):
    scenario = course.scenarios.get(scenario_id)
    if scenario is None:
        path = Path(scenario_id)
        if path.is_file():
            match = [
                s for s in course.scenarios.values() if Path(s.path).resolve() == path.resolve()
            ]
            if match:
                return match[0]
        failed = [d for d in course.errors if Path(d.file).stem == scenario_id]
        if failed:
            for diagnostic in failed:
                print(diagnostic, file=sys.stderr)
            raise UsageError(f"scenario {scenario_id!r} has errors (see above)")
        known = ", ".join(sorted(course.scenarios)) or "none"
        raise UsageError(f"unknown scenario {scenario_id!r} (known: {known})")
    return scenario


def _print_diagnostics(diagnostics: list[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        print(diagnostic)


def _summary(errors: int, warnings: int) -> str:
    def plural(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    return f"{plural(errors, 'error')}, {plural(warnings, 'warning')}"


def _extra_file(name: str) -> list[Path]:
    path = Path(name)
    return [path] if path.is_file() and path.suffix in (".yaml", ".yml") else []


def _progress_store(args):
    """The learners' progress in --data-dir; what had to be done to open it goes to stderr."""
    from ..store import data_dir, open_store

    store = open_store(data_dir(args.data_dir))
    if store.notice:
        print(f"mltcourse: {store.notice}", file=sys.stderr)
    return store
