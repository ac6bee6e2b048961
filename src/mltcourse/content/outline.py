"""The course in outline: what the course map shows, and nothing else.

The map is the first screen, so it must not wait for the full course model (whose classes,
compiled conditions and lesson text cost tens of milliseconds to import and read back). The
outline is plain data, stored beside the course cache as a few kilobytes of JSON; the full
course follows in a worker once the map is on screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from .diagnostics import Diagnostic

if TYPE_CHECKING:
    from .model import Course


class ModuleOutline(NamedTuple):
    id: str
    order: int
    title: str
    doctrine: str
    minutes: int | None
    summary: str
    checks: tuple[str, ...]  # check ids


class ScenarioOutline(NamedTuple):
    id: str
    title: str
    module: str
    minutes: int | None = None  # the author's estimate of the playing time


class CourseOutline(NamedTuple):
    modules: tuple[ModuleOutline, ...]  # in course order
    scenarios: tuple[ScenarioOutline, ...]
    errors: tuple[Diagnostic, ...]

    def module(self, module_id: str) -> ModuleOutline | None:
        return next((m for m in self.modules if m.id == module_id), None)

    def scenario(self, scenario_id: str) -> ScenarioOutline | None:
        return next((s for s in self.scenarios if s.id == scenario_id), None)

    def scenarios_for(self, module_id: str) -> tuple[ScenarioOutline, ...]:
        return tuple(s for s in self.scenarios if s.module == module_id)

    def failed_files(self) -> dict[str, list[Diagnostic]]:
        out: dict[str, list[Diagnostic]] = {}
        for error in self.errors:
            out.setdefault(error.file, []).append(error)
        return out

    def to_json(self) -> dict:
        return {
            "modules": [list(m) for m in self.modules],
            "scenarios": [list(s) for s in self.scenarios],
            "errors": [[e.file, e.line, e.column, e.message] for e in self.errors],
        }

    @classmethod
    def from_json(cls, data: dict) -> CourseOutline:
        """The outline back from ``to_json``; a malformed or wrong-typed document raises
        ValueError (the file sits in a data folder that others may write to)."""
        try:
            modules = tuple(
                ModuleOutline(*_typed(m[:6], _MODULE_TYPES), _strings(m[6]))
                for m in _rows(data["modules"], 7)
            )
            scenarios = tuple(
                ScenarioOutline(*_typed(s, _SCENARIO_TYPES)) for s in _rows(data["scenarios"], 4)
            )
            errors = tuple(
                Diagnostic(*_typed(e, (str, int, int, str))) for e in _rows(data["errors"], 4)
            )
        except (KeyError, TypeError, IndexError) as error:
            raise ValueError(f"not a course outline: {error}") from error
        return cls(modules=modules, scenarios=scenarios, errors=errors)


_MODULE_TYPES = (str, int, str, str, (int, type(None)), str)
_SCENARIO_TYPES = (str, str, str, (int, type(None)))


def _rows(rows, width: int) -> list[list]:
    if type(rows) is not list or any(type(r) is not list or len(r) != width for r in rows):
        raise TypeError(f"expected rows of {width}")
    return rows


def _typed(row, types) -> list:
    for value, kind in zip(row, types, strict=True):
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if type(value) not in kinds:
            raise TypeError(f"{value!r} is not {kinds}")
    return row


def _strings(values) -> tuple[str, ...]:
    if type(values) is not list or any(type(v) is not str for v in values):
        raise TypeError("expected a list of text")
    return tuple(values)


def outline_of(course: Course) -> CourseOutline:
    return CourseOutline(
        modules=tuple(
            ModuleOutline(
                m.id,
                m.order,
                m.title,
                m.doctrine,
                m.minutes,
                m.summary,
                tuple(check.id for check in m.checks),
            )
            for m in sorted(course.modules, key=lambda m: m.order)
        ),
        scenarios=tuple(
            ScenarioOutline(s.id, s.title, s.module, s.minutes) for s in course.scenarios.values()
        ),
        errors=course.errors,
    )
