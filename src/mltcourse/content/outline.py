"""The course in outline: what the course map shows, and nothing else.

The map is the first screen, so it must not wait for the full course model (whose classes,
compiled conditions and lesson text cost tens of milliseconds to import and unpickle). The
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
        """The outline back from ``to_json``; a malformed document raises ValueError."""
        try:
            return cls(
                modules=tuple(ModuleOutline(*m[:6], tuple(m[6])) for m in data["modules"]),
                scenarios=tuple(ScenarioOutline(*s) for s in data["scenarios"]),
                errors=tuple(Diagnostic(*e) for e in data["errors"]),
            )
        except (KeyError, TypeError, IndexError) as error:
            raise ValueError(f"not a course outline: {error}") from error


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
            ScenarioOutline(s.id, s.title, s.module) for s in course.scenarios.values()
        ),
        errors=course.errors,
    )
