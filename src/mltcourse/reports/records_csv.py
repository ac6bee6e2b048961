"""Learners' and teams' records as one CSV, a row per event, for a spreadsheet or an LMS
import: lessons read, checks answered, scenario attempts and their decisions, and the
decisions of the teams in group exercises (with those taken back).

One fact per column: ids beside their texts, the way a decision was made and its vote apart
from the choice, correctness and score for every decision (learners' too), times as a
spreadsheet reads them (UTC), and on request a byte-order mark for Excel.
"""

from __future__ import annotations

from ..content.model import Course, Scenario
from ..engine.push import state_after
from ..engine.scoring import score
from ..engine.state import GameState, choose, new_game
from ..engine.story import text_in
from ..store.exercises import ExerciseRecord, rebuild_team
from ..store.records import AttemptHistory, LearnerHistory
from .cells import csv_text, spreadsheet_time

COLUMNS = (
    "time",
    "actor_type",
    "actor",
    "exercise",
    "exercise_started",
    "event",
    "mode",
    "module",
    "scenario",
    "scenario_title",
    "item",
    "item_text",
    "response",
    "response_text",
    "decided_by",
    "reason",
    "votes_for_response",
    "votes_total",
    "correct",
    "score",
    "outcome",
)


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"


def _row(at: float | None, **cells) -> dict:
    return {"time": spreadsheet_time(at), **cells}


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def _choice_text(scenario: Scenario, node: str, choice: str, before: GameState) -> str:
    """The option as it read in the state it was chosen in."""
    try:
        return text_in(scenario.choice(node, choice).text, before)
    except KeyError:
        return ""


def _node_title(scenario: Scenario, node: str, before: GameState) -> str:
    try:
        return text_in(scenario.node(node).title, before)
    except KeyError:
        return ""


def _learner_rows(course: Course, history: LearnerHistory) -> list[dict]:
    who = {"actor_type": "learner", "actor": history.name}
    rows = []
    for read in history.reads:
        module = course.module(read.module)
        rows.append(
            _row(read.at, **who, event="lesson read", module=read.module)
            | {"item": read.module, "item_text": module.title if module else ""}
        )
    for a in history.answers:
        module = course.module(a.module)
        check = next((c for c in module.checks if c.id == a.check), None) if module else None
        texts = [check.options[i].text for i in a.picked if i < len(check.options)] if check else []
        rows.append(
            _row(a.at, **who, event="check answered", module=a.module, item=a.check)
            | {"item_text": check.prompt if check else ""}
            | {"response": " ".join(str(i) for i in a.picked), "response_text": " | ".join(texts)}
            | {"correct": _yes(a.correct), "score": "1.000" if a.correct else "0.000"}
        )
    for attempt in history.attempts:
        rows += _attempt_rows(course, who, attempt)
    return rows


def _attempt_rows(course: Course, who: dict, attempt: AttemptHistory) -> list[dict]:
    scenario = course.scenarios.get(attempt.scenario)
    base = {
        **who,
        "mode": attempt.mode,
        "module": scenario.module if scenario else "",
        "scenario": attempt.scenario,
        "scenario_title": scenario.title if scenario else "",
    }
    rows = [_row(attempt.started, **base, event="attempt started")]
    state = new_game(scenario) if scenario is not None else None
    if scenario is not None and state is not None:
        for d in attempt.decisions:
            before = state
            try:
                state = choose(scenario, state, d.choice)
            except (ValueError, KeyError):  # the scenario was edited since: no judgement
                rows.append(_row(d.at, **base, event="decision", item=d.node, response=d.choice))
                continue
            judged = score(scenario, state).decisions[-1]
            rows.append(
                _row(d.at, **base, event="decision", item=d.node, response=d.choice)
                | {"item_text": _node_title(scenario, d.node, before)}
                | {"response_text": _choice_text(scenario, d.node, d.choice, before)}
                | {"correct": _yes(d.choice in judged.best), "score": _number(judged.quality)}
            )
    if attempt.status != "open":
        ending = (
            next((e for e in scenario.endings if e.id == attempt.ending), None)
            if scenario
            else None
        )
        rows.append(
            _row(attempt.updated, **base, event=f"attempt {attempt.status}")
            | {"item": attempt.ending or ""}
            | {"item_text": text_in(ending.title, state) if ending and state else ""}
            | {"score": _number(attempt.score), "outcome": attempt.outcome or ""}
        )
    return rows


def _team_rows(course: Course, record: ExerciseRecord) -> list[dict]:
    scenario = course.scenarios.get(record.scenario)
    if scenario is None:
        return []
    rows = []
    for team_record in record.teams:
        team, fitted = rebuild_team(scenario, team_record)
        judged = score(scenario, team.state)
        base = {
            "actor_type": "team",
            "actor": team.name,
            "exercise": record.id,
            "exercise_started": spreadsheet_time(record.started),
            "module": scenario.module,
            "scenario": scenario.id,
            "scenario_title": scenario.title,
        }
        befores = [state_after(scenario, team.state, made) for made in range(fitted)]
        for stored, d, s, before in zip(
            team_record.decisions[:fitted], team.decisions, judged.decisions, befores, strict=True
        ):
            rows.append(
                _row(stored.made, **base, event="decision", item=d.node, response=d.choice)
                | {"item_text": _node_title(scenario, d.node, before)}
                | {"response_text": _choice_text(scenario, d.node, d.choice, before)}
                | {"decided_by": d.how, "reason": d.reason or ""}
                | _votes(d.tally, d.choice)
                | {"correct": _yes(d.choice in s.best), "score": _number(s.quality)}
            )
        for fix in team_record.corrections:
            stands = fix.seq - 1 <= fitted  # the decisions before it still stand
            before = (
                state_after(scenario, team.state, fix.seq - 1) if stands else new_game(scenario)
            )
            rows.append(
                _row(fix.made, **base, event="decision taken back", item=fix.node)
                | {"item_text": _node_title(scenario, fix.node, before)}
                | {"response": fix.old.choice}
                | {"response_text": _choice_text(scenario, fix.node, fix.old.choice, before)}
                | {"decided_by": fix.old.how, "reason": fix.old.reason or ""}
                | _votes(fix.old.tally, fix.old.choice)
            )
        if team.finished and team_record.decisions:
            ending = next(e for e in scenario.endings if e.id == team.state.ending)
            rows.append(
                _row(team_record.decisions[fitted - 1].made, **base, event="exercise finished")
                | {"item": ending.id, "item_text": text_in(ending.title, team.state)}
                | {"score": _number(judged.overall), "outcome": ending.rating}
            )
    return rows


def _votes(tally, choice: str) -> dict:
    if tally is None:
        return {}
    return {"votes_for_response": tally.count(choice), "votes_total": tally.total}


def records_csv(
    course: Course,
    histories: list[LearnerHistory],
    exercises: list[ExerciseRecord],
    excel: bool = False,
) -> str:
    rows = [row for h in histories for row in _learner_rows(course, h)]
    rows += [row for record in exercises for row in _team_rows(course, record)]
    rows.sort(key=lambda row: (row["time"], row["actor"]))
    return csv_text(COLUMNS, ([row.get(c, "") for c in COLUMNS] for row in rows), excel)
