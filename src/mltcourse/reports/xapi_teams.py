"""The teams of a group exercise as xAPI statements, and the decisions taken back.

A team is an identified Group. A decision the facilitator took back is given as the
*answered* statement it was (the same id, so an LRS that has it keeps one copy) and a
*voided* statement that points at it (xAPI 1.0.3, Data 2.4.8): a learning record store then
leaves it out of its answers, and the correction that replaced it is its own statement. An
inject the facilitator pushed is a team's *experienced* statement at that moment, with the
facilitator as the context's instructor (and voided too, if it was taken back).
"""

from __future__ import annotations

import contextlib
import uuid

from ..content.model import Course, Scenario
from ..engine.exercise import Team
from ..engine.push import state_after
from ..engine.scoring import score
from ..engine.state import IllegalMove, choose
from ..engine.story import text_in
from ..store.exercises import CorrectionRecord, ExerciseRecord, TeamRecord, rebuild_team
from .xapi import (
    BASE,
    EXT_DECIDED_BY,
    EXT_OWNER,
    EXT_REASON,
    EXT_VOTES,
    NAMESPACE,
    _activity,
    _context,
    _decision_statements,
    _outcome_statements,
    _statement,
    agent,
    decision_activity,
    group,
    scenario_activity,
    timestamp,
)
from .xapi_settings import DEFAULT, XapiConfig

EXT_PUSHED_BY = f"{BASE}/extensions/pushed-by"  # the facilitator who fired the inject
EXT_PUSHED_AFTER = f"{BASE}/extensions/pushed-after"  # the team's decisions before it


def team_statements(
    course: Course, record: ExerciseRecord, config: XapiConfig = DEFAULT
) -> list[dict]:
    """Each team of an exercise: initialized, its decisions (with the vote tally, who owned
    the decision and why the facilitator decided), completed and passed or failed, the
    decisions taken back and their voiding, terminated."""
    scenario = course.scenarios.get(record.scenario)
    if scenario is None:
        return []
    activity = scenario_activity(scenario.id, scenario.title, config)
    run = f"exercise/{timestamp(record.started)}"
    revision = scenario.digest[:12]
    out = []
    for team_record in record.teams:
        team, fitted = rebuild_team(scenario, team_record)
        actor = group(team.name, team.roles, run, config)
        registration = str(uuid.uuid5(NAMESPACE, f"{run}/{team.name}"))
        context = _context(registration, config, team=actor, revision=revision)
        out.append(_statement(actor, "initialized", activity, record.started, context=context))
        decisions = team_record.decisions[:fitted]
        inner = _context(registration, config, activity, team=actor, revision=revision)
        extras = [_team_extensions(scenario, team, n) for n in range(fitted)]
        times = [d.made for d in decisions]
        out += _decision_statements(actor, scenario, team.state, times, inner, extras, config)
        for fix in team_record.corrections:
            out += _taken_back(scenario, team, fix, actor, inner, record.facilitator, config)
        out += _pushes(scenario, team, team_record, actor, inner, record.facilitator, config)
        if team.finished and decisions:
            done = decisions[-1].made
            out += _outcome_statements(actor, activity, team.state, scenario, done, context)
        if record.status != "open":
            out.append(_statement(actor, "terminated", activity, record.updated, context=context))
    return out


def _team_extensions(scenario: Scenario, team: Team, number: int) -> dict:
    decision = team.decisions[number]
    extensions: dict = {EXT_DECIDED_BY: decision.how}
    if decision.reason:
        extensions[EXT_REASON] = decision.reason
    if decision.tally is not None:
        extensions[EXT_VOTES] = dict(decision.tally.counts)
    role = scenario.node(decision.node).owner
    if role:
        extensions[EXT_OWNER] = {"role": role, "member": team.member(role)}
    return extensions


def _taken_back(
    scenario: Scenario,
    team: Team,
    fix: CorrectionRecord,
    actor: dict,
    context: dict,
    facilitator: str | None,
    config: XapiConfig,
) -> list[dict]:
    """The decision as it was answered, then its voiding by the facilitator (or the team,
    when no facilitator was named)."""
    earlier = None
    if len(team.decisions) >= fix.seq - 1:  # the decisions before it still stand
        with contextlib.suppress(IllegalMove, KeyError, ValueError):
            earlier = state_after(scenario, team.state, fix.seq - 1)
    try:
        obj = decision_activity(scenario, fix.node, config, earlier)
    except KeyError:  # the scenario was edited since: nothing to point at
        return []
    old = fix.old
    result: dict = {"response": old.choice}
    if earlier is not None:
        try:
            judged = score(scenario, choose(scenario, earlier, old.choice)).decisions[-1]
            result["success"] = old.choice in judged.best
            if judged.quality is not None:
                result["score"] = {"scaled": round(judged.quality, 4)}
        except (IllegalMove, KeyError, ValueError):
            pass
    extensions: dict = {EXT_DECIDED_BY: old.how}
    if old.reason:
        extensions[EXT_REASON] = old.reason
    if old.tally is not None:
        extensions[EXT_VOTES] = dict(old.tally.counts)
    result["extensions"] = extensions
    answered = _statement(actor, "answered", obj, old.made, result=result, context=context)
    voider = agent(facilitator, config) if facilitator else actor
    target = {"objectType": "StatementRef", "id": answered["id"]}
    return [answered, _statement(voider, "voided", target, fix.made)]


def _pushes(
    scenario: Scenario,
    team: Team,
    record: TeamRecord,
    actor: dict,
    context: dict,
    facilitator: str | None,
    config: XapiConfig,
) -> list[dict]:
    """Each inject pushed to the team: the team *experienced* it, at the moment the
    facilitator (the context's instructor, when named) pushed it; one taken back is voided.
    Its title reads as after the team's decisions before it."""
    out = []
    titles = {inject.id: inject.title for inject in scenario.injects}
    pusher = agent(facilitator, config) if facilitator else None
    inner = {**context, **({"instructor": pusher} if pusher else {})}
    for push in record.pushes:
        if push.inject not in titles:  # the scenario was edited since
            continue
        made = min(push.decisions, len(team.state.decisions))
        obj = _activity(
            f"{config.activity_base}/scenarios/{scenario.id}/injects/{push.inject}",
            "interaction",
            text_in(titles[push.inject], state_after(scenario, team.state, made)),
        )
        result = {
            "extensions": {
                EXT_PUSHED_BY: facilitator or "facilitator",
                EXT_PUSHED_AFTER: push.decisions,
            }
        }
        pushed = _statement(actor, "experienced", obj, push.pushed, result=result, context=inner)
        out.append(pushed)
        if push.taken_back is not None:
            target = {"objectType": "StatementRef", "id": pushed["id"]}
            out.append(_statement(pusher or actor, "voided", target, push.taken_back))
    return out
