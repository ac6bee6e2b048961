"""Find, read and check the course files of a content folder, and build the course model.

A file that fails is left out of the course and its errors are kept, so the rest of the
course still loads and the app can say which files need fixing.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from .build import (
    FileContext,
    ScenarioBuilder,
    build_glossary,
    build_module,
    build_principles,
)
from .completion import COURSE_SETTINGS_FILE, build_completion
from .diagnostics import ContentError, Diagnostic
from .files import (
    MAX_LESSON_BYTES,
    MAX_YAML_BYTES,
    CourseFileError,
    control_diagnostics,
    read_course_file,
    yaml_control_diagnostics,
)
from .model import Completion, Course, Module, Principle, Scenario, Term
from .paths import GLOSSARY_FILE, PRINCIPLES_FILE, display_path
from .schema import FILE_SCHEMAS
from .schema_types import conform
from .suggest import scoped_risk_hints
from .validate import AnyId, validate_course
from .yamlread import YMap, read_yaml


@dataclass
class CourseFiles:
    principles: Path | None
    glossary: Path | None
    modules: list[Path]  # module.yaml files
    scenarios: list[Path]


def discover(root: Path) -> CourseFiles:
    modules_dir, scenarios_dir = root / "modules", root / "scenarios"
    principles = root / PRINCIPLES_FILE
    glossary = root / GLOSSARY_FILE
    module_files = sorted(modules_dir.glob("*/module.yaml")) if modules_dir.is_dir() else []
    scenario_files = (
        sorted(p for p in scenarios_dir.iterdir() if p.suffix in (".yaml", ".yml"))
        if scenarios_dir.is_dir()
        else []
    )
    # Anything at these names is read (and refused there if it is not a regular file).
    return CourseFiles(
        principles if principles.exists() or principles.is_symlink() else None,
        glossary if glossary.exists() or glossary.is_symlink() else None,
        module_files,
        scenario_files,
    )


Overrides = Mapping[Path, str]


def _course_bytes(path: Path, root: Path | None, limit: int, overrides: Overrides) -> bytes:
    """A file's bytes: the text an editor holds for it (keyed by resolved path), else the disk's."""
    if overrides:
        text = overrides.get(Path(path).resolve())
        if text is not None:
            data = text.encode("utf-8")
            if len(data) > limit:
                raise CourseFileError(f"it is {len(data):,} bytes, more than {limit // 1024} KB")
            return data
    return read_course_file(path, root, limit)


def _read(
    path: Path,
    kind: str,
    diagnostics: list[Diagnostic],
    root: Path | None,
    overrides: Overrides,
) -> tuple[YMap, FileContext, str] | None:
    """Read one YAML file and check its shape; None (with diagnostics) when unusable."""
    file = display_path(path)
    try:
        data = _course_bytes(path, root, MAX_YAML_BYTES, overrides)
    except CourseFileError as exc:
        diagnostics.append(Diagnostic(file, 1, 1, str(exc)))
        return None
    digest = hashlib.sha256(data).hexdigest()
    try:
        value = read_yaml(data, file)
    except ContentError as exc:
        diagnostics.append(exc.diagnostic)
        return None
    controls = yaml_control_diagnostics(value, file)
    if controls:
        diagnostics.extend(controls)
        return None
    ctx = FileContext(file, data.decode("utf-8-sig", errors="replace"))
    if not isinstance(value, YMap):
        diagnostics.append(
            Diagnostic(file, 1, 1, f"the top level of a {kind} file must be a mapping of fields")
        )
        return None
    problems = conform(value, FILE_SCHEMAS[kind], file)
    if problems:
        diagnostics.extend(problems)
        return None
    return value, ctx, digest


def load_course(
    root: str | os.PathLike,
    extra: list[Path] | tuple[Path, ...] = (),
    overrides: Overrides | None = None,
) -> Course:
    """Load and validate every course file under ``root`` (plus any extra scenario files).

    ``overrides`` maps resolved paths to text read instead of the file on disk: the language
    server checks an editor's unsaved buffers in the context of the rest of the course."""
    root = Path(root)
    overrides = overrides or {}
    files = discover(root)
    scenario_paths = list(files.scenarios) + [p for p in extra if p not in files.scenarios]
    diagnostics: list[Diagnostic] = []

    principles: dict[str, Principle] = {}
    principle_data = None
    principle_ids: frozenset[str] | None = None
    if files.principles is None:
        diagnostics.append(
            Diagnostic(
                display_path(root / PRINCIPLES_FILE), 1, 1, "the principle catalogue is missing"
            )
        )
        principle_ids = AnyId()
    else:
        read = _read(files.principles, "principles", diagnostics, root, overrides)
        if read:
            principle_data = read
            for principle in build_principles(read[0]):
                principles.setdefault(principle.id, principle)
        else:
            principle_ids = _ids_named(files.principles, root, overrides)

    glossary: tuple[Term, ...] = ()
    glossary_data = None
    if files.glossary is not None:
        read = _read(files.glossary, "glossary", diagnostics, root, overrides)
        if read:
            glossary_data = read
            glossary = build_glossary(read[0])

    modules: list[tuple[Module, YMap, FileContext]] = []
    unreadable: set[str] = set()
    for path in files.modules:
        read = _read(path, "module", diagnostics, root, overrides)
        if not read:
            unreadable.add(path.parent.name.split("-", 1)[-1])  # NN-id names the module
            continue
        data, ctx, _ = read
        lesson_path = path.parent / "lesson.md"
        try:
            raw = _course_bytes(lesson_path, root, MAX_LESSON_BYTES, overrides)
            lesson = raw.decode("utf-8").replace("\r\n", "\n")
        except (OSError, UnicodeDecodeError) as exc:
            ctx.error(data, "id", f"cannot read {display_path(lesson_path)}: {exc}")
            lesson = ""
        lesson_problems = control_diagnostics(lesson, display_path(lesson_path))
        if lesson_problems:
            diagnostics.extend(lesson_problems)
            lesson = ""
        module = build_module(data, lesson, display_path(lesson_path), ctx)
        modules.append((module, data, ctx))

    scenarios: list[tuple[Scenario, YMap, FileContext]] = []
    for path in scenario_paths:
        read = _read(path, "scenario", diagnostics, None if path in extra else root, overrides)
        if not read:
            continue
        data, ctx, digest = read
        scenario = ScenarioBuilder(data, display_path(path), ctx, digest).build()
        scenarios.append((scenario, data, ctx))

    diagnostics[:] = scoped_risk_hints(diagnostics, (r.id for m, _, _ in modules for r in m.risks))
    known_scenarios = {s.id for s, _, _ in scenarios} | {p.stem for p in scenario_paths}
    completion = _completion(root, known_scenarios, diagnostics, overrides)
    course = validate_course(
        root=str(root),
        principles=principles,
        principle_data=principle_data,
        glossary=glossary,
        glossary_data=glossary_data,
        modules=modules,
        scenarios=scenarios,
        diagnostics=diagnostics,
        unreadable_modules=unreadable,
        principle_ids=principle_ids,
    )
    return replace(course, completion=completion)


def _ids_named(path: Path, root: Path, overrides: Overrides) -> frozenset[str]:
    """The ids a catalogue with errors still names, for checking the references to it (a
    missing field in one entry must not make every principle unknown); any id, if the file
    is not even YAML."""
    try:
        value = read_yaml(_course_bytes(path, root, MAX_YAML_BYTES, overrides), display_path(path))
    except (CourseFileError, ContentError):
        return AnyId()
    entries = value.get("principles") if isinstance(value, YMap) else None
    if not isinstance(entries, list):
        return AnyId()
    return frozenset(
        e["id"] for e in entries if isinstance(e, YMap) and isinstance(e.get("id"), str)
    )


def _completion(
    root: Path, scenario_ids: set[str], diagnostics: list[Diagnostic], overrides: Overrides
) -> Completion:
    """The course's completion rule (modules/course.yaml), else the default one; a file with
    errors keeps the default and reports them."""
    path = root / COURSE_SETTINGS_FILE
    if not (path.exists() or path.is_symlink()):
        return Completion()
    read = _read(path, "course", diagnostics, root, overrides)
    if read is None:
        return Completion()
    data, ctx, _ = read
    rule = build_completion(data, ctx, scenario_ids)
    diagnostics.extend(ctx.diagnostics)
    return Completion() if ctx.diagnostics else rule
