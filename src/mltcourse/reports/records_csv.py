"""Learners' and teams' records as one CSV, a row per event, for a spreadsheet or an LMS
import: lessons read, checks answered, scenario attempts and their decisions, and the
decisions of the teams in group exercises."""

from __future__ import annotations

import csv
import io

from ..content.model import Course
from ..engine.scoring import score
from ..store.exercises import ExerciseRecord, rebuild_team
from ..store.records import LearnerHistory
from .aar import spreadsheet_safe
from .xapi import timestamp

COLUMNS = (
    "time",
    "actor_type",
    "actor",
    "exercise",
    "event",
    "module",
    "scenario",
    "item",
    "response",
    "correct",
    "score",
    "outcome",
)


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"


def _learner_rows(course: Course, history: LearnerHistory) -> list[tuple]:
    rows: list[tuple] = []
    who = ("learner", history.name, "")
    for read in history.reads:
        rows.append((timestamp(read.at), *who, "lesson read", read.module, "", "", "", "", "", ""))
    for a in history.answers:
        picked = " ".join(str(i) for i in a.picked)
        correct = "yes" if a.correct else "no"
        rows.append(
            (
                timestamp(a.at),
                *who,
                "check answered",
                a.module,
                "",
                a.check,
                picked,
                correct,
                "",
                "",
            )
        )
    for attempt in history.attempts:
        scenario = course.scenarios.get(attempt.scenario)
        module = scenario.module if scenario else ""
        rows.append(
            (timestamp(attempt.started), *who, f"attempt started ({attempt.mode})", module)
            + (attempt.scenario, "", "", "", "", "")
        )
        for d in attempt.decisions:
            rows.append(
                (timestamp(d.at), *who, "decision", module, attempt.scenario, d.node, d.choice)
                + ("", "", "")
            )
        if attempt.status != "open":
            rows.append(
                (timestamp(attempt.updated), *who, f"attempt {attempt.status}", module)
                + (attempt.scenario, attempt.ending or "", "", "", _number(attempt.score))
                + (attempt.outcome or "",)
            )
    return rows


def _team_rows(course: Course, record: ExerciseRecord) -> list[tuple]:
    scenario = course.scenarios.get(record.scenario)
    if scenario is None:
        return []
    rows: list[tuple] = []
    run = f"exercise {record.id}"
    for team_record in record.teams:
        team, fitted = rebuild_team(scenario, team_record)
        judged = score(scenario, team.state)
        who = ("team", team.name, run)
        for stored, d, s in zip(
            team_record.decisions[:fitted], team.decisions, judged.decisions, strict=True
        ):
            votes = "; ".join(f"{c}={n}" for c, n in d.tally.counts) if d.tally else ""
            best = "yes" if d.choice in s.best else "no"
            rows.append(
                (timestamp(stored.made), *who, f"decision ({d.how})", scenario.module)
                + (scenario.id, d.node, d.choice + (f" [{votes}]" if votes else ""), best)
                + (_number(s.quality), "")
            )
        if team.finished and team_record.decisions:
            ending = next(e for e in scenario.endings if e.id == team.state.ending)
            rows.append(
                (timestamp(team_record.decisions[fitted - 1].made), *who, "exercise finished")
                + (scenario.module, scenario.id, ending.id, "", "", _number(judged.overall))
                + (ending.rating,)
            )
    return rows


def records_csv(
    course: Course, histories: list[LearnerHistory], exercises: list[ExerciseRecord]
) -> str:
    rows = [row for h in histories for row in _learner_rows(course, h)]
    rows += [row for record in exercises for row in _team_rows(course, record)]
    rows.sort(key=lambda row: (row[0], row[2]))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([spreadsheet_safe(value) for value in row])
    return out.getvalue()
