"""How far a learner has come through the course: the course map's figures.

Worked out from the course outline, so the map can show them before the full course loads."""

from __future__ import annotations

from typing import NamedTuple

from ..content.outline import CourseOutline, ModuleOutline, ScenarioOutline
from .progress import Place, ProgressStore, ScenarioProgress


class LessonProgress(NamedTuple):  # a named tuple, as in progress.py: cheap at start-up
    module: ModuleOutline
    read: bool
    checks_passed: int
    scenarios: tuple[tuple[ScenarioOutline, ScenarioProgress | None], ...]

    @property
    def scenarios_finished(self) -> int:
        return sum(1 for _, progress in self.scenarios if progress and progress.finished)

    @property
    def best_score(self) -> float | None:
        """The best decision quality over this lesson's scenarios."""
        scores = [p.best for _, p in self.scenarios if p and p.best is not None]
        return max(scores, default=None)

    @property
    def done(self) -> float:
        """Share of the lesson's work done: reading, checks and scenarios count equally."""
        parts = [1.0 if self.read else 0.0]
        if self.module.checks:
            parts.append(self.checks_passed / len(self.module.checks))
        if self.scenarios:
            parts.append(self.scenarios_finished / len(self.scenarios))
        return sum(parts) / len(parts)


class CourseProgress(NamedTuple):
    lessons: tuple[LessonProgress, ...]
    section: Place | None  # the lesson section visited last
    unfinished: Place | None  # the latest unfinished scenario: Continue's target until it ends

    @property
    def overall(self) -> float:
        if not self.lessons:
            return 0.0
        return sum(lesson.done for lesson in self.lessons) / len(self.lessons)


def course_progress(
    store: ProgressStore, learner_id: int | None, outline: CourseOutline
) -> CourseProgress:
    """The figures for one learner; with no learner (not chosen yet), the course untouched."""
    if learner_id is None:
        read, passed, played, section, unfinished = set(), {}, {}, None, None
    else:
        read = store.lessons_read(learner_id)
        passed = store.checks_passed(learner_id)
        played = store.scenario_progress(learner_id)
        section = store.last_section(learner_id)
        unfinished = store.last_unfinished(learner_id)
    lessons = []
    for module in outline.modules:
        lessons.append(
            LessonProgress(
                module=module,
                read=module.id in read,
                checks_passed=len(passed.get(module.id, set()) & set(module.checks)),
                scenarios=tuple((s, played.get(s.id)) for s in outline.scenarios_for(module.id)),
            )
        )
    return CourseProgress(tuple(lessons), section, unfinished)


class Continuation(NamedTuple):
    kind: str  # scenario (resume it) | lesson (where the learner left off) | start
    target: str  # a navigation target: scenario:ID or lesson:MODULE#ANCHOR
    title: str


def continuation(progress: CourseProgress, outline: CourseOutline) -> Continuation | None:
    """Where "continue" takes the learner: an unfinished scenario until it is finished or
    abandoned (reading a lesson meanwhile does not lose it), else the lesson section they were
    last in, else the start of the first lesson; each only while it is still in the course."""
    if progress.unfinished:
        scenario = outline.scenario(progress.unfinished.target)
        if scenario is not None:
            return Continuation("scenario", f"scenario:{scenario.id}", scenario.title)
    if progress.section:
        section = progress.section
        module = outline.module(section.target)
        if module is not None:
            return Continuation("lesson", f"lesson:{module.id}#{section.anchor}", module.title)
    if progress.lessons:
        first = progress.lessons[0].module
        return Continuation("start", f"lesson:{first.id}#overview", first.title)
    return None
