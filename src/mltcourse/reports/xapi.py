"""Learners' and teams' records as xAPI 1.0.3 statements, for a learning record store.

Statement ids are UUIDs derived (uuid5) from what the statement records — who, which verb,
which activity, when — so building the statements again gives the same ids, and an LRS that
already holds one treats a resend as the same statement, never a second one.

Verbs: *initialized* and *terminated* bracket an attempt or a team's run of a scenario;
*experienced* a lesson read; *answered* a knowledge check or a decision; *completed* a
scenario, then *passed* (ending rated success) or *failed* (rated failure); a mixed ending
is completed without either; *completed* the course once its completion rule is met. Teams
are Group actors and also given as ``context.team``; their statements, and the *voided* ones
for decisions taken back, are built in ``xapi_teams``.

Activity IRIs and the accounts' home page come from the organisation's settings
(``xapi_settings``); the extension IRIs stay the same everywhere, so dashboards can rely on
them. Every context names the course version; decisions carry the doctrine-best options as
their correct responses.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from ..content.model import Course, Scenario
from ..engine.push import state_after
from ..engine.scoring import score
from ..engine.state import GameState, choose, new_game
from ..engine.story import text_in
from ..store.records import AttemptHistory, LearnerHistory
from .progress import CourseRecord
from .xapi_settings import DEFAULT, DEFAULT_BASE, XapiConfig

VERSION = "1.0.3"
BASE = DEFAULT_BASE  # the extension IRIs, and the activities' and accounts' by default
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
EXT_REASON = f"{BASE}/extensions/decision-reason"
EXT_COURSE_VERSION = f"{BASE}/extensions/course-version"
EXT_REQUIREMENTS = f"{BASE}/extensions/completion-requirements"


def timestamp(seconds: float) -> str:
    """ISO 8601 in UTC with milliseconds, as LRSs store them."""
    moment = datetime.fromtimestamp(seconds, UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _verb(name: str) -> dict:
    return {"id": f"http://adlnet.gov/expapi/verbs/{name}", "display": {LANG: name}}


def agent(name: str, config: XapiConfig = DEFAULT) -> dict:
    account = {"homePage": config.home_page, "name": name}
    return {"objectType": "Agent", "name": name, "account": account}


def group(
    team: str, roles: tuple[tuple[str, str], ...], run: str, config: XapiConfig = DEFAULT
) -> dict:
    """A team as an identified Group: its account names the exercise run; its members are
    the people holding role cards."""
    members = sorted({member for _, member in roles})
    return {
        "objectType": "Group",
        "name": team,
        "account": {"homePage": config.home_page, "name": f"{run}/{team}"},
        "member": [agent(m, config) for m in members],
    }


def _activity(iri: str, kind: str, title: str, **definition) -> dict:
    return {
        "objectType": "Activity",
        "id": iri,
        "definition": {"name": {LANG: title}, "type": ACTIVITY + kind, **definition},
    }


def course_activity(config: XapiConfig = DEFAULT) -> dict:
    return _activity(f"{config.activity_base}/course", "course", "MLT peacebuilding course")


def scenario_activity(scenario_id: str, title: str, config: XapiConfig = DEFAULT) -> dict:
    return _activity(f"{config.activity_base}/scenarios/{scenario_id}", "simulation", title)


def doctrine_best(scenario: Scenario, node_id: str) -> list[str]:
    """The options of a decision with the highest doctrine value, all of them open; when a
    condition closes one, the debrief judges among those that were open."""
    node = scenario.node(node_id)
    top = max(c.value for c in node.choices)
    return [c.id for c in node.choices if c.value == top]


def decision_activity(
    scenario: Scenario,
    node_id: str,
    config: XapiConfig = DEFAULT,
    state: GameState | None = None,
) -> dict:
    """A decision as an interaction, its texts as they read in ``state``: the learner's at
    that decision (the scenario's start when it is not known)."""
    node = scenario.node(node_id)
    shown = state if state is not None else new_game(scenario)
    return _activity(
        f"{config.activity_base}/scenarios/{scenario.id}/decisions/{node_id}",
        "cmi.interaction",
        text_in(node.title, shown),
        description={LANG: " ".join(text_in(node.text, shown).split())},
        interactionType="choice",
        choices=[{"id": c.id, "description": {LANG: text_in(c.text, shown)}} for c in node.choices],
        correctResponsesPattern=doctrine_best(scenario, node_id),
    )


def _statement(actor: dict, verb: str, obj: dict, at: float, **parts) -> dict:
    identity = [actor["account"]["name"], verb, obj["id"], timestamp(at)]
    if actor["account"]["homePage"] != BASE:  # the same name at two organisations
        identity.append(actor["account"]["homePage"])
    statement = {
        "id": str(uuid.uuid5(NAMESPACE, "|".join(identity))),
        "actor": actor,
        "verb": _verb(verb),
        "object": obj,
        "timestamp": timestamp(at),
    }
    statement.update({k: v for k, v in parts.items() if v})
    return statement


def _context(
    registration: str,
    config: XapiConfig = DEFAULT,
    parent: dict | None = None,
    extensions: dict | None = None,
    **extra,
) -> dict:
    activities: dict = {"grouping": [{"id": course_activity(config)["id"]}]}
    if parent is not None:
        activities["parent"] = [{"id": parent["id"]}]
    return {
        "registration": registration,
        "contextActivities": activities,
        "platform": "mltcourse",
        "language": LANG,
        "extensions": {EXT_COURSE_VERSION: config.course_version, **(extensions or {})},
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
    config: XapiConfig = DEFAULT,
) -> list[dict]:
    """answered, for each decision: the choice, its quality, and whether it was doctrine-best;
    the decision described as it read then (the injects pushed to a team in place)."""
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
        before = state_after(scenario, state, number)
        obj = decision_activity(scenario, decision.node, config, before)
        out.append(
            _statement(actor, "answered", obj, times[number], result=result, context=context)
        )
    return out


def learner_statements(
    course: Course, history: LearnerHistory, config: XapiConfig = DEFAULT
) -> list[dict]:
    actor = agent(history.name, config)
    out = []
    for read in history.reads:
        module = course.module(read.module)
        title = module.title if module else read.module
        lesson = _activity(f"{config.activity_base}/lessons/{read.module}", "lesson", title)
        registration = str(uuid.uuid5(NAMESPACE, f"lesson|{history.name}|{read.module}"))
        context = _context(registration, config)
        out.append(_statement(actor, "experienced", lesson, read.at, context=context))
    for answer in history.answers:
        out.append(_check_statement(course, actor, history.name, answer, config))
    for attempt in history.attempts:
        out += _attempt_statements(course, actor, history.name, attempt, config)
    return out


def _check_statement(
    course: Course, actor: dict, name: str, answer, config: XapiConfig = DEFAULT
) -> dict:
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
        f"{config.activity_base}/lessons/{answer.module}/checks/{answer.check}",
        "cmi.interaction",
        title,
        **definition,
    )
    lesson = {"id": f"{config.activity_base}/lessons/{answer.module}"}
    registration = str(uuid.uuid5(NAMESPACE, f"lesson|{name}|{answer.module}"))
    result = {
        "response": "[,]".join(str(i) for i in answer.picked),
        "success": answer.correct,
        "score": {"scaled": 1.0 if answer.correct else 0.0},
    }
    context = _context(registration, config, lesson)
    return _statement(actor, "answered", obj, answer.at, result=result, context=context)


def _attempt_statements(
    course: Course, actor: dict, name: str, attempt: AttemptHistory, config: XapiConfig = DEFAULT
) -> list[dict]:
    scenario = course.scenarios.get(attempt.scenario)
    title = scenario.title if scenario else attempt.scenario
    activity = scenario_activity(attempt.scenario, title, config)
    registration = str(
        uuid.uuid5(NAMESPACE, f"attempt|{name}|{attempt.scenario}|{attempt.started}")
    )
    mode = {EXT_MODE: attempt.mode}
    revision = scenario.digest[:12] if scenario else ""
    context = _context(registration, config, extensions=mode, revision=revision)
    out = [_statement(actor, "initialized", activity, attempt.started, context=context)]
    if scenario is not None:
        state = _replayed(scenario, [d.choice for d in attempt.decisions])
        times = [d.at for d in attempt.decisions]
        inner = _context(registration, config, activity, extensions=mode, revision=revision)
        out += _decision_statements(actor, scenario, state, times, inner, None, config)
        if attempt.status == "finished":
            out += _outcome_statements(actor, activity, state, scenario, attempt.updated, context)
    if attempt.status != "open":
        out.append(_statement(actor, "terminated", activity, attempt.updated, context=context))
    return out


def course_completed_statement(record: CourseRecord, config: XapiConfig = DEFAULT) -> dict | None:
    """*completed* for the course, once the learner has met the course's completion rule;
    stamped when the last requirement was met, so making it again gives the same statement."""
    if record.completed_at is None:
        return None
    qualities = [s.best_quality for s in record.scenarios if s.best_quality is not None]
    result: dict = {
        "completion": True,
        "success": True,
        "extensions": {EXT_REQUIREMENTS: {"met": record.met, "of": record.required}},
    }
    if qualities:
        result["score"] = {"scaled": round(sum(qualities) / len(qualities), 4)}
    context = {
        "registration": str(uuid.uuid5(NAMESPACE, f"course|{record.learner}")),
        "platform": "mltcourse",
        "language": LANG,
    }
    return _statement(
        agent(record.learner, config),
        "completed",
        course_activity(config),
        record.completed_at,
        result=result,
        context=context,
    )


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
