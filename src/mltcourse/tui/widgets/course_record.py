"""The course map's view of the record of completion and of time: how far the learner is
from what the course calls complete, and "about N min" calibrated from attempts timed.

The figures come from the core (``reports/progress.py``, ``store/standing.py``); this only
words them for the map. Times are ready with the outline; the record follows the course.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from textual.content import Content

from ...content.outline import CourseOutline
from ...store.progress import ProgressStore
from ...store.timing import calibrated_minutes, playing_minutes
from ..text import literal

if TYPE_CHECKING:  # the map draws before the course model is imported
    from ...reports.progress import CourseRecord


def scenario_minutes(store: ProgressStore, outline: CourseOutline) -> dict[str, int | None]:
    """Each scenario's "about N min": the author's estimate, moved towards how long the
    attempts finished in the app actually took."""
    played = playing_minutes(store)
    return {s.id: calibrated_minutes(s.minutes, played.get(s.id, [])) for s in outline.scenarios}


def lesson_minutes(outline: CourseOutline, module_id: str, minutes: dict[str, int | None]) -> int:
    """Reading and playing time of a lesson and its scenarios (those with an estimate)."""
    module = outline.module(module_id)
    total = (module.minutes or 0) if module else 0
    return total + sum(minutes.get(s.id) or 0 for s in outline.scenarios_for(module_id))


def duration(minutes: int) -> str:
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d} min" if rest else f"{hours} h"


def minutes_left(
    record: CourseRecord, outline: CourseOutline, minutes: dict[str, int | None]
) -> int:
    """About how long the requirements not met yet would take."""
    left = 0
    for lesson in record.lessons:
        module = outline.module(lesson.id)
        if not lesson.met and not lesson.read and module is not None:
            left += module.minutes or 0
    return left + sum(minutes.get(s.id) or 0 for s in record.scenarios if not s.met)


def record_line(
    record: CourseRecord, outline: CourseOutline, minutes: dict[str, int | None]
) -> Content:
    """One line under the progress meter: complete, or how much is left and what next."""
    if record.complete:
        when = datetime.fromtimestamp(record.completed_at or 0).strftime("%d %b %Y")
        return Content.assemble(
            ("Course complete ✓", "bold $success"),
            (f"  on {when} · mltcourse certificate prints your record", "$text-muted"),
        )
    left = minutes_left(record, outline, minutes)
    parts: list[Content | str | tuple[str, str]] = [
        ("Completion ", "bold"),
        f"{record.met}/{record.required}",
    ]
    if left:
        parts.append((f" · about {duration(left)} left", "$text-muted"))
    todo = next_step(record)
    if todo:
        parts += [(" · next: ", "$text-muted"), literal(todo)]
    return Content.assemble(*parts)


def next_step(record: CourseRecord) -> str | None:
    """The first requirement not met, in few words (the map's line fits 80 columns)."""
    rule = record.rule
    for number, lesson in enumerate(record.lessons, 1):
        if lesson.met:
            continue
        if rule.lessons_read and not lesson.read:
            return f"read lesson {number}"
        return f"lesson {number}'s checks ({rule.checks_first_attempt} % at first)"
    for scenario in record.scenarios:
        if not scenario.met:
            mode = " in assessment" if rule.scenario_mode == "assessment" else ""
            return f"{scenario.title}{mode}, {rule.scenario_quality} %+"
    return None
