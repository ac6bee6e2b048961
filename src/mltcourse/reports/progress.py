"""The record of completion: the course's rule (``Course.completion``) applied to one
learner's facts (``store/standing.py``), lesson by lesson and scenario by scenario.

Pure: the same course and facts give the same record, including the moment the course was
completed (when the last requirement was met), so a certificate or an xAPI statement made
again from them is the same one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime

from ..content.model import Completion, Course, Module
from ..store.notes import Note
from ..store.standing import LearnerFacts


@dataclass(frozen=True, slots=True)
class LessonStanding:
    id: str
    title: str
    read: bool
    read_at: float | None
    checks: int
    answered: int
    first_attempt: int  # right at the first answer
    after_review: int  # missed at first, recalled in review (counted only if the rule says so)
    met: bool
    met_at: float | None

    @property
    def share(self) -> float:
        """The part of the lesson's checks that count as passed (1 with no checks)."""
        return (self.first_attempt + self.after_review) / self.checks if self.checks else 1.0

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "read": self.read,
            "read_at": iso(self.read_at),
            "checks": self.checks,
            "answered": self.answered,
            "first_attempt": self.first_attempt,
            "after_review": self.after_review,
            "passed_share": round(self.share, 4),
            "met": self.met,
        }


@dataclass(frozen=True, slots=True)
class ScenarioStanding:
    id: str
    title: str
    lesson: str
    attempts: int  # finished attempts in the mode that counts
    best_quality: float | None
    ending: str | None
    ending_title: str | None
    outcome: str | None  # success | mixed | failure
    met: bool
    met_at: float | None

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "lesson": self.lesson,
            "attempts": self.attempts,
            "best_quality": None if self.best_quality is None else round(self.best_quality, 4),
            "ending": self.ending,
            "ending_title": self.ending_title,
            "outcome": self.outcome,
            "met": self.met,
            "met_at": iso(self.met_at),
        }


@dataclass(frozen=True, slots=True)
class CourseRecord:
    learner: str
    started: float
    last_active: float
    rule: Completion
    lessons: tuple[LessonStanding, ...]
    scenarios: tuple[ScenarioStanding, ...]
    review_due: int
    notes: tuple[Note, ...] = ()

    @property
    def met(self) -> int:
        return sum(x.met for x in (*self.lessons, *self.scenarios))

    @property
    def required(self) -> int:
        return len(self.lessons) + len(self.scenarios)

    @property
    def complete(self) -> bool:
        return self.met == self.required

    @property
    def completed_at(self) -> float | None:
        """When the last requirement was met; None while the course is not complete."""
        if not self.complete:
            return None
        moments = [x.met_at for x in (*self.lessons, *self.scenarios) if x.met_at is not None]
        return max(moments, default=self.started)

    def to_json(self) -> dict:
        return {
            "learner": self.learner,
            "complete": self.complete,
            "completed_at": iso(self.completed_at),
            "started": iso(self.started),
            "last_active": iso(self.last_active),
            "requirements": {"met": self.met, "of": self.required},
            "rule": rule_json(self.rule),
            "lessons": [lesson.to_json() for lesson in self.lessons],
            "scenarios": [scenario.to_json() for scenario in self.scenarios],
            "review_due": self.review_due,
            "notes": [note.to_json() for note in self.notes],
        }


def iso(moment: float | None) -> str | None:
    if moment is None:
        return None
    return datetime.fromtimestamp(moment, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def rule_json(rule: Completion) -> dict:
    return {
        "lessons_read": rule.lessons_read,
        "checks_first_attempt": rule.checks_first_attempt,
        "checks_after_review": rule.checks_after_review,
        "scenario_mode": rule.scenario_mode,
        "scenario_quality": rule.scenario_quality,
        "scenarios": None if rule.scenarios is None else list(rule.scenarios),
        "file": rule.file or None,
    }


def rule_sentences(rule: Completion) -> list[str]:
    """The rule in words, for the certificate and the map."""
    out = []
    if rule.lessons_read:
        out.append("every lesson read to its end")
    review = " (or recalled later in review)" if rule.checks_after_review else ""
    out.append(
        f"in each lesson, at least {rule.checks_first_attempt} % of the checks answered right "
        f"at the first answer{review}"
    )
    which = "every scenario" if rule.scenarios is None else f"{len(rule.scenarios)} scenario(s)"
    mode = " in assessment mode" if rule.scenario_mode == "assessment" else ""
    out.append(
        f"{which} played to an ending{mode} with a decision quality of at least "
        f"{rule.scenario_quality} %"
    )
    return out


def course_record(
    course: Course, facts: LearnerFacts, notes: tuple[Note, ...] = ()
) -> CourseRecord:
    rule = course.completion
    lessons = tuple(_lesson(module, facts, rule) for module in course.modules)
    order = {m.id: m.order for m in course.modules}
    wanted = rule.scenarios
    if wanted is None:
        wanted = tuple(
            s.id
            for s in sorted(
                course.scenarios.values(), key=lambda s: (order.get(s.module, 99), s.id)
            )
        )
    scenarios = tuple(_scenario(course, scenario_id, facts, rule) for scenario_id in wanted)
    return CourseRecord(
        learner=facts.name,
        started=facts.created,
        last_active=facts.last_seen,
        rule=rule,
        lessons=lessons,
        scenarios=scenarios,
        review_due=facts.review_due,
        notes=notes,
    )


def _lesson(module: Module, facts: LearnerFacts, rule: Completion) -> LessonStanding:
    read_at = facts.reads.get(module.id)
    right_at: list[float] = []  # when each check came to count as passed
    first_right = recalled = answered = 0
    for check in module.checks:
        first = facts.first_answers.get((module.id, check.id))
        if first is None:
            continue
        answered += 1
        if first.correct:
            first_right += 1
            right_at.append(first.at)
        elif rule.checks_after_review and (module.id, check.id) in facts.recalled:
            recalled += 1
            right_at.append(facts.recalled[(module.id, check.id)])
    needed = math.ceil(rule.checks_first_attempt * len(module.checks) / 100)
    checks_met = len(right_at) >= needed
    read_met = read_at is not None or not rule.lessons_read
    met = checks_met and read_met
    met_at = None
    if met:
        moments = sorted(right_at)[:needed][-1:] if needed else []
        if rule.lessons_read and read_at is not None:
            moments.append(read_at)
        met_at = max(moments, default=None)
    return LessonStanding(
        id=module.id,
        title=module.title,
        read=read_at is not None,
        read_at=read_at,
        checks=len(module.checks),
        answered=answered,
        first_attempt=first_right,
        after_review=recalled,
        met=met,
        met_at=met_at,
    )


def _scenario(
    course: Course, scenario_id: str, facts: LearnerFacts, rule: Completion
) -> ScenarioStanding:
    scenario = course.scenarios.get(scenario_id)
    counted = [
        a
        for a in facts.attempts
        if a.scenario == scenario_id
        and a.ending is not None
        and (rule.scenario_mode == "any" or a.mode == rule.scenario_mode)
    ]
    threshold = rule.scenario_quality / 100
    passing = [a for a in counted if (a.score if a.score is not None else 0.0) >= threshold]
    scored = [a for a in counted if a.score is not None]
    best = max(scored, key=lambda a: a.score, default=counted[-1] if counted else None)
    titles = {e.id: e.title for e in scenario.endings} if scenario else {}
    return ScenarioStanding(
        id=scenario_id,
        title=scenario.title if scenario else scenario_id,
        lesson=scenario.module if scenario else "",
        attempts=len(counted),
        best_quality=best.score if best else None,
        ending=best.ending if best else None,
        ending_title=titles.get(best.ending, best.ending) if best and best.ending else None,
        outcome=best.outcome if best else None,
        met=scenario is not None and bool(passing),
        met_at=passing[0].updated if passing and scenario is not None else None,
    )
