"""Learners' and teams' records as xAPI 1.0.3 statements, for a learning record store.

Statement ids are UUIDs derived (uuid5) from what the statement records — who, which verb,
which activity, when — so building the statements again gives the same ids, and an LRS that
already holds one treats a resend as the same statement, never a second one.

Verbs: *initialized* and *terminated* bracket an attempt or a team's run of a scenario;
*experienced* a lesson read; *answered* a knowledge check or a decision; *completed* a
scenario, then *passed* (ending rated success) or *failed* (rated failure); a mixed ending
is completed without either. Teams are Group actors and also given as ``context.team``.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from ..content.model import Course, Scenario
from ..engine.exercise import Team
from ..engine.scoring import score
from ..engine.state import GameState, choose, new_game
from ..store.exercises import ExerciseRecord, rebuild_team
from ..store.records import AttemptHistory, LearnerHistory

VERSION = "1.0.3"
BASE = "https://mltcourse.invalid/xapi"  # activity and account IRIs: stable, never fetched
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, BASE)
LANG = "en-US"

VERBS = ("initialized", "experienced", "answered", "completed", "passed", "failed", "terminated")
ACTIVITY = "http://adlnet.gov/expapi/activities/"
INTERACTION = ACTIVITY + "cmi.interaction"
EXT_PROFILE = f"{BASE}/extensions/principle-profile"
EXT_ENDING = f"{BASE}/extensions/ending"
EXT_MODE = f"{BASE}/extensions/mode"
EXT_VOTES = f"{BASE}/extensions/vote-tally"
EXT_DECIDED_BY = f"{BASE}/extensions/decided-by"
EXT_OWNER = f"{BASE}/extensions/decision-owner"


def timestamp(seconds: float) -> str:
    """ISO 8601 in UTC with milliseconds, as LRSs store them."""
    moment = datetime.fromtimestamp(seconds, UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _verb(name: str) -> dict:
    return {"id": f"http://adlnet.gov/expapi/verbs/{name}", "display": {LANG: name}}


def agent(name: str) -> dict:
    return {"objectType": "Agent", "name": name, "account": {"homePage": BASE, "name": name}}


def group(team: str, roles: tuple[tuple[str, str], ...], run: str) -> dict:
    """A team as an identified Group: its account names the exercise run; its members are
    the people holding role cards."""
    members = sorted({member for _, member in roles})
    return {
        "objectType": "Group",
        "name": team,
        "account": {"homePage": BASE, "name": f"{run}/{team}"},
        "member": [agent(m) for m in members],
    }


def _activity(iri: str, kind: str, title: str, **definition) -> dict:
    return {
        "objectType": "Activity",
        "id": iri,
        "definition": {"name": {LANG: title}, "type": ACTIVITY + kind, **definition},
    }


def course_activity() -> dict:
    return _activity(f"{BASE}/course", "course", "MLT peacebuilding course")


def scenario_activity(scenario_id: str, title: str) -> dict:
    return _activity(f"{BASE}/scenarios/{scenario_id}", "simulation", title)


def decision_activity(scenario: Scenario, node_id: str) -> dict:
    node = scenario.node(node_id)
    return _activity(
        f"{BASE}/scenarios/{scenario.id}/decisions/{node_id}",
        "cmi.interaction",
        node.title,
        description={LANG: " ".join(node.text.split())},
        interactionType="choice",
        choices=[{"id": c.id, "description": {LANG: c.text}} for c in node.choices],
    )


def _statement(actor: dict, verb: str, obj: dict, at: float, **parts) -> dict:
    identity = [actor["account"]["name"], verb, obj["id"], timestamp(at)]
    statement = {
        "id": str(uuid.uuid5(NAMESPACE, "|".join(identity))),
        "actor": actor,
        "verb": _verb(verb),
        "object": obj,
        "timestamp": timestamp(at),
    }
    statement.update({k: v for k, v in parts.items() if v})
    return statement


def _context(registration: str, parent: dict | None = None, **extra) -> dict:
    activities: dict = {"grouping": [{"id": course_activity()["id"]}]}
    if parent is not None:
        activities["parent"] = [{"id": parent["id"]}]
    return {
        "registration": registration,
        "contextActivities": activities,
        "platform": "mltcourse",
        "language": LANG,
        **{k: v for k, v in extra.items() if v},
    }


def _replayed(scenario: Scenario, choices: list[str]) -> GameState:
    """The state after the choices that still fit the scenario (it may have been edited)."""
    state = new_game(scenario)
    for choice_id in choices:
        try:
            state = choose(scenario, state, choice_id)
        except (ValueError, KeyError):
            break
    return state


def _outcome_statements(
    actor: dict, activity: dict, state: GameState, scenario: Scenario, at: float, context: dict
) -> list[dict]:
    """completed, then passed or failed by the ending's rating."""
    ending = next((e for e in scenario.endings if e.id == state.ending), None)
    if ending is None:
        return []
    scored = score(scenario, state)
    result: dict = {
        "completion": True,
        "extensions": {EXT_PROFILE: scored.principles, EXT_ENDING: ending.id},
    }
    if scored.overall is not None:
        result["score"] = {"scaled": round(scored.overall, 4)}
    if ending.rating in ("success", "failure"):
        result["success"] = ending.rating == "success"
    out = [_statement(actor, "completed", activity, at, result=result, context=context)]
    if ending.rating in ("success", "failure"):
        verb = "passed" if ending.rating == "success" else "failed"
        out.append(_statement(actor, verb, activity, at, result=result, context=context))
    return out


def _decision_statements(
    actor: dict,
    scenario: Scenario,
    state: GameState,
    times: list[float],
    context: dict,
    extras: list[dict] | None,
) -> list[dict]:
    """answered, for each decision: the choice, its quality, and whether it was doctrine-best."""
    out = []
    for number, (decision, judged) in enumerate(
        zip(state.decisions, score(scenario, state).decisions, strict=True)
    ):
        result: dict = {"response": decision.choice, "success": decision.choice in judged.best}
        if judged.quality is not None:
            result["score"] = {"scaled": round(judged.quality, 4)}
        extensions = extras[number] if extras else {}
        if extensions:
            result["extensions"] = extensions
        obj = decision_activity(scenario, decision.node)
        out.append(
            _statement(actor, "answered", obj, times[number], result=result, context=context)
        )
    return out


def learner_statements(course: Course, history: LearnerHistory) -> list[dict]:
    actor = agent(history.name)
    out = []
    for read in history.reads:
        module = course.module(read.module)
        title = module.title if module else read.module
        lesson = _activity(f"{BASE}/lessons/{read.module}", "lesson", title)
        registration = str(uuid.uuid5(NAMESPACE, f"lesson|{history.name}|{read.module}"))
        out.append(
            _statement(actor, "experienced", lesson, read.at, context=_context(registration))
        )
    for answer in history.answers:
        out.append(_check_statement(course, actor, history.name, answer))
    for attempt in history.attempts:
        out += _attempt_statements(course, actor, history.name, attempt)
    return out


def _check_statement(course: Course, actor: dict, name: str, answer) -> dict:
    module = course.module(answer.module)
    check = next((c for c in module.checks if c.id == answer.check), None) if module else None
    definition: dict = {"interactionType": "choice"}
    title = answer.check
    if check is not None:
        title = check.prompt
        definition["choices"] = [
            {"id": str(i), "description": {LANG: o.text}} for i, o in enumerate(check.options)
        ]
        definition["correctResponsesPattern"] = ["[,]".join(str(i) for i in sorted(check.correct))]
    obj = _activity(
        f"{BASE}/lessons/{answer.module}/checks/{answer.check}",
        "cmi.interaction",
        title,
        **definition,
    )
    lesson = {"id": f"{BASE}/lessons/{answer.module}"}
    registration = str(uuid.uuid5(NAMESPACE, f"lesson|{name}|{answer.module}"))
    result = {
        "response": "[,]".join(str(i) for i in answer.picked),
        "success": answer.correct,
        "score": {"scaled": 1.0 if answer.correct else 0.0},
    }
    return _statement(
        actor, "answered", obj, answer.at, result=result, context=_context(registration, lesson)
    )


def _attempt_statements(
    course: Course, actor: dict, name: str, attempt: AttemptHistory
) -> list[dict]:
    scenario = course.scenarios.get(attempt.scenario)
    title = scenario.title if scenario else attempt.scenario
    activity = scenario_activity(attempt.scenario, title)
    registration = str(
        uuid.uuid5(NAMESPACE, f"attempt|{name}|{attempt.scenario}|{attempt.started}")
    )
    context = _context(registration, extensions={EXT_MODE: attempt.mode})
    out = [_statement(actor, "initialized", activity, attempt.started, context=context)]
    if scenario is not None:
        state = _replayed(scenario, [d.choice for d in attempt.decisions])
        times = [d.at for d in attempt.decisions]
        inner = _context(registration, activity, extensions={EXT_MODE: attempt.mode})
        out += _decision_statements(actor, scenario, state, times, inner, None)
        if attempt.status == "finished":
            out += _outcome_statements(actor, activity, state, scenario, attempt.updated, context)
    if attempt.status != "open":
        out.append(_statement(actor, "terminated", activity, attempt.updated, context=context))
    return out


def team_statements(course: Course, record: ExerciseRecord) -> list[dict]:
    """Each team of an exercise: initialized, its decisions (with the vote tally and who
    owned the decision), completed and passed or failed, terminated."""
    scenario = course.scenarios.get(record.scenario)
    if scenario is None:
        return []
    activity = scenario_activity(scenario.id, scenario.title)
    run = f"exercise/{timestamp(record.started)}"
    out = []
    for team_record in record.teams:
        team, fitted = rebuild_team(scenario, team_record)
        actor = group(team.name, team.roles, run)
        registration = str(uuid.uuid5(NAMESPACE, f"{run}/{team.name}"))
        context = _context(registration, team=actor)
        out.append(_statement(actor, "initialized", activity, record.started, context=context))
        decisions = team_record.decisions[:fitted]
        inner = _context(registration, activity, team=actor)
        extras = [_team_extensions(scenario, team, n) for n in range(fitted)]
        times = [d.made for d in decisions]
        out += _decision_statements(actor, scenario, team.state, times, inner, extras)
        if team.finished and decisions:
            done = decisions[-1].made
            out += _outcome_statements(actor, activity, team.state, scenario, done, context)
        if record.status != "open":
            out.append(_statement(actor, "terminated", activity, record.updated, context=context))
    return out


def _team_extensions(scenario: Scenario, team: Team, number: int) -> dict:
    decision = team.decisions[number]
    extensions: dict = {EXT_DECIDED_BY: decision.how}
    if decision.tally is not None:
        extensions[EXT_VOTES] = dict(decision.tally.counts)
    role = scenario.node(decision.node).owner
    if role:
        extensions[EXT_OWNER] = {"role": role, "member": team.member(role)}
    return extensions


def statement_problems(statement: dict) -> list[str]:
    """What a statement lacks that xAPI 1.0.3 requires (an LRS would reject it)."""
    problems = []
    try:
        if str(uuid.UUID(statement.get("id", ""))) != statement["id"]:
            problems.append("id is not a UUID in canonical form")
    except (ValueError, TypeError, AttributeError):
        problems.append("id is not a UUID")
    problems += [f"actor: {p}" for p in _actor_problems(statement.get("actor"))]
    verb = statement.get("verb") or {}
    if not verb.get("id") or not isinstance(verb.get("display"), dict) or not verb["display"]:
        problems.append("verb needs an id and a display")
    if not (statement.get("object") or {}).get("id"):
        problems.append("object needs an id")
    try:
        datetime.fromisoformat(statement["timestamp"].replace("Z", "+00:00"))
    except (KeyError, ValueError, AttributeError):
        problems.append("timestamp is not ISO 8601")
    scaled = ((statement.get("result") or {}).get("score") or {}).get("scaled")
    if scaled is not None and not -1 <= scaled <= 1:
        problems.append("result.score.scaled is outside -1..1")
    team = (statement.get("context") or {}).get("team")
    if team is not None:
        problems += [f"context.team: {p}" for p in _actor_problems(team, group_only=True)]
    return problems


def _actor_problems(actor, group_only: bool = False) -> list[str]:
    if not isinstance(actor, dict):
        return ["missing"]
    identifiers = [k for k in ("mbox", "mbox_sha1sum", "openid", "account") if k in actor]
    account = actor.get("account")
    if account is not None and not (account.get("homePage") and account.get("name")):
        return ["account needs homePage and name"]
    if actor.get("objectType") == "Group":
        if len(identifiers) > 1:
            return ["a Group has at most one identifier"]
        if not identifiers and not actor.get("member"):
            return ["an anonymous Group needs members"]
        return [p for m in actor.get("member", []) for p in _actor_problems(m)]
    if group_only:
        return ["must be a Group"]
    if len(identifiers) != 1:
        return ["an Agent needs exactly one identifier (mbox, mbox_sha1sum, openid, account)"]
    return []
