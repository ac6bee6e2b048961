"""Pedagogy and quality warnings: what validates but would teach badly."""

from __future__ import annotations

from collections.abc import Callable

from ..content.conditions import names
from ..content.diagnostics import Diagnostic
from ..content.model import Choice, Course, Module, Scenario
from ..content.schema import ROLES
from . import judgement
from .analysis import AnalysisTooLarge, analyse_cached, scene_loops
from .playtest import policy_play

MIN_FEEDBACK = 40


def _warn(file: str, pos: tuple[int, int], message: str) -> Diagnostic:
    return Diagnostic(file, pos[0], pos[1], message, "warning")


def _risk_score(choice: Choice, risk: str) -> int:
    return (risk in choice.mitigates) - (risk in choice.raises)


def dominated_by(weak: Choice, strong: Choice, indicators) -> bool:
    """``strong`` is as good on every count and better on one, and is open whenever ``weak`` is."""
    if strong.when is not None and (weak.when is None or weak.when.source != strong.when.source):
        return False
    principles = set(weak.principles) | set(strong.principles)
    risks = set(weak.raises + weak.mitigates + strong.raises + strong.mitigates)
    pairs = [(weak.principles.get(p, 0), strong.principles.get(p, 0)) for p in principles]
    pairs += [(weak.effects.get(i, 0), strong.effects.get(i, 0)) for i in indicators]
    pairs += [(_risk_score(weak, r), _risk_score(strong, r)) for r in risks]
    return all(a <= b for a, b in pairs) and any(a < b for a, b in pairs)


def lint_scenario(scenario: Scenario) -> list[Diagnostic]:
    file = scenario.path
    out: list[Diagnostic] = []
    if scenario.role not in ROLES:
        out.append(
            _warn(
                file,
                (1, 1),
                f"role {scenario.role!r} is not one of the MLT roles ({', '.join(ROLES)})",
            )
        )
    for node in list(scenario.scenes.values()) + list(scenario.injects):
        kind = "inject" if node.id not in scenario.scenes else "scene"
        for choice in node.choices:
            for other in node.choices:
                if other is not choice and dominated_by(choice, other, scenario.indicators):
                    out.append(
                        _warn(
                            file,
                            choice.pos,
                            f"{kind} {node.id!r}: choice {choice.id!r} is dominated by "
                            f"{other.id!r} (as bad or worse on every principle, "
                            f"indicator and risk): no real dilemma",
                        )
                    )
                    break
            if len(choice.feedback) < MIN_FEEDBACK:
                out.append(
                    _warn(
                        file,
                        choice.pos,
                        f"choice {choice.id!r}: feedback is too short "
                        f"to explain the doctrine point",
                    )
                )
        if len({c.value for c in node.choices}) == 1:
            out.append(
                _warn(
                    file,
                    node.pos,
                    f"{kind} {node.id!r}: every choice has the same "
                    f"doctrine value, so the decision scores nothing",
                )
            )
    read = set()
    for condition in _conditions(scenario):
        read |= names(condition.expr)
    for flag in sorted(scenario.flags - read):
        out.append(_warn(file, (1, 1), f"flag {flag!r} is set but no condition reads it"))
    out.extend(_surface_cues(scenario))
    ratings = {e.rating for e in scenario.endings}
    for rating in ("success", "failure"):
        if rating not in ratings:
            out.append(_warn(file, (1, 1), f"no ending is rated {rating}"))
    raised = {r for n in scenario.scenes.values() for c in n.choices for r in c.raises}
    if not any(set(i.materializes) & raised for i in scenario.injects):
        out.append(
            _warn(
                file,
                (1, 1),
                "no inject lets a risk raised earlier materialise "
                "(delayed consequences teach the most)",
            )
        )
    out.extend(_lint_by_analysis(scenario))
    return out


def _surface_cues(scenario: Scenario) -> list[Diagnostic]:
    """A learner who reads only the surface of the options must not find the best one."""
    cues = judgement.scenario_cues(scenario)
    if not cues:
        return []
    file = scenario.path
    out = _free_answers(scenario, cues)
    if len(cues) < 4:  # too few decisions for a pattern to mean anything
        return out
    longest = [c for c in cues if c.best_is_longest]
    if len(longest) > len(cues) / 2:
        out.append(
            _warn(
                file,
                longest[0].pos,
                f"the doctrine-best option is the longest in {len(longest)} of {len(cues)} "
                f"decisions (chance: about {judgement.chance_longest(cues):.0f}); a learner can "
                f"find it by its length: {', '.join(c.node for c in longest)}",
            )
        )
    places = [c.best_places[0] for c in cues]
    commonest = max(set(places), key=places.count)
    if places.count(commonest) / len(places) > 0.5:
        at = [c for c in cues if c.best_places[0] == commonest]
        out.append(
            _warn(
                file,
                at[0].pos,
                f"the doctrine-best option is choice {commonest} in {len(at)} of "
                f"{len(places)} decisions; vary its place so it cannot be guessed",
            )
        )
    return out


def _free_answers(scenario: Scenario, cues) -> list[Diagnostic]:
    """The doctrine's considerations are balances: some best options cost, some are close."""
    file = scenario.path
    out: list[Diagnostic] = []
    first = scenario.node(scenario.start).pos
    if not any(c.best_costs for c in cues):
        out.append(
            _warn(
                file,
                first,
                "no decision gives its doctrine-best option a cost (a risk raised or a principle "
                "strained): every dilemma has a free answer",
            )
        )
    if not any(c.close_call for c in cues):
        out.append(
            _warn(
                file,
                first,
                f"no decision is a close call (a second option within {judgement.CLOSE_CALL} "
                f"point of the best): the doctrine leaves some balances to judgement",
            )
        )
    return out


def _best_path_stakes(scenario: Scenario, best) -> list[Diagnostic]:
    """When the best play ends with its indicators at their caps, the last decisions are free."""
    capped = judgement.indicators_at_cap(scenario, best.value)
    if not capped or len(capped) * 2 < len(scenario.indicators):
        return []
    last = best.decisions[-1].node if best.decisions else scenario.start
    return [
        _warn(
            scenario.path,
            scenario.node(last).pos,
            f"the doctrine-best play ends with {len(capped)} of {len(scenario.indicators)} "
            f"indicators at their cap ({', '.join(capped)}): late decisions carry no stakes",
        )
    ]


def _conditions(scenario: Scenario):
    nodes = list(scenario.scenes.values()) + list(scenario.injects)
    yield from (i.when for i in scenario.injects)
    yield from (e.when for e in scenario.endings if e.when)
    yield from (c.when for n in nodes for c in n.choices if c.when)


def _lint_by_analysis(scenario: Scenario) -> list[Diagnostic]:
    file = scenario.path
    try:
        analysis = analyse_cached(scenario)
    except AnalysisTooLarge as exc:
        out = [_warn(file, (1, 1), f"exhaustive analysis skipped: {exc}")]
        for loop in scene_loops(scenario):
            out.append(
                _warn(
                    file,
                    scenario.scenes[loop[0]].pos,
                    f"scenes {', '.join(loop)} form a loop that the analysis could not "
                    f"prove every play leaves",
                )
            )
        return out
    out: list[Diagnostic] = []
    for ending in scenario.endings:
        if ending.id not in analysis.reachable_endings:
            out.append(
                _warn(file, ending.pos, f"ending {ending.id!r} is never reached by any play")
            )
    for scene in scenario.scenes.values():
        if scene.id not in analysis.reachable_scenes:
            out.append(
                _warn(
                    file,
                    scene.pos,
                    f"scene {scene.id!r} is never reached once conditions are taken into account",
                )
            )
            continue
        for choice in scene.choices:
            if f"{scene.id}/{choice.id}" not in analysis.reachable_choices:
                out.append(
                    _warn(file, choice.pos, f"choice {choice.id!r} is never open in any play")
                )
    for inject in scenario.injects:
        if inject.id not in analysis.fired_injects:
            out.append(_warn(file, inject.pos, f"inject {inject.id!r} never fires in any play"))
    for node in sorted(analysis.cycles):
        out.append(
            _warn(
                file,
                scenario.node(node).pos,
                f"a play can loop forever through {node!r} with nothing changing",
            )
        )
    if analysis.step_bound:
        out.append(_warn(file, (1, 1), "some plays run past the step bound"))
    endings = {e.id: e for e in scenario.endings}
    for policy, expected in (("best", "success"), ("worst", "failure")):
        state = policy_play(scenario, policy)
        if policy == "best":
            out.extend(_best_path_stakes(scenario, state))
        got = endings[state.ending].rating if state.ending else None
        if got != expected:
            out.append(
                _warn(
                    file,
                    (1, 1),
                    f"the doctrine-{policy} play ends in {state.ending!r}"
                    f" ({got}), not in a {expected} ending: scoring and "
                    f"story disagree",
                )
            )
    return out


def lint_module(module: Module, course: Course) -> list[Diagnostic]:
    file = module.path.rsplit("/", 1)[0] + "/module.yaml" if "/" in module.path else module.path
    out: list[Diagnostic] = []
    exercised = {c.objective for c in module.checks}
    for objective in module.objectives:
        if objective.id not in exercised:
            out.append(
                _warn(
                    file,
                    (1, 1),
                    f"objective {objective.id!r} is not exercised by any knowledge check",
                )
            )
    if len(module.checks) < 6:
        out.append(
            _warn(file, (1, 1), f"only {len(module.checks)} knowledge checks; aim for at least 6")
        )
    for check in module.checks:
        right = [o for o in check.options if o.correct]
        if any(judgement.gives_no_reason(o.explanation) for o in right):
            out.append(
                _warn(
                    file,
                    check.pos,
                    f"check {check.id!r}: the explanation of the right answer gives no reason; "
                    f"say why it is right, in the doctrine's terms",
                )
            )
        if check.kind != "single":
            continue
        longest_wrong = max(len(o.text) for o in check.options if not o.correct)
        if len(right[0].text) > 1.5 * longest_wrong + 10:
            out.append(
                _warn(
                    file,
                    check.pos,
                    f"check {check.id!r}: the right option is much "
                    f"longer than the others, which gives it away",
                )
            )
    cues = judgement.check_cues(module)
    if cues.single >= 2 and cues.keyed_longest > cues.single / 2:
        singles = [c for c in module.checks if c.kind == "single"]
        out.append(
            _warn(
                file,
                singles[0].pos,
                f"the right option is the longest in {cues.keyed_longest} of {cues.single} "
                f"single-answer checks (chance: about {cues.chance:.0f}); a learner can pass "
                f"by picking the longest",
            )
        )
    if not course.scenarios_for(module.id):
        out.append(_warn(file, (1, 1), f"lesson {module.id!r} has no scenario yet"))
    return out


def lint_course(course: Course, only: Callable[[str], bool] | None = None) -> list[Diagnostic]:
    """All warnings; ``only`` limits them to the files it accepts (course-wide ones need None)."""
    out: list[Diagnostic] = []
    for scenario in course.scenarios.values():
        if only is None or only(scenario.path):
            out.extend(lint_scenario(scenario))
    for module in course.modules:
        warnings = lint_module(module, course)
        out.extend(w for w in warnings if only is None or only(w.file))
    if only is None:
        out.extend(_unused(course))
    return out


def _unused(course: Course) -> list[Diagnostic]:
    from .coverage import coverage

    report = coverage(course)
    out: list[Diagnostic] = []
    principles_file = "modules/principles.yaml"
    for principle, scenarios in report["principles"].items():
        if not scenarios:
            out.append(
                _warn(
                    principles_file,
                    (1, 1),
                    f"principle {principle!r} is never scored by any scenario",
                )
            )
    for risk, scenarios in report["risks"].items():
        if not scenarios:
            module = course.module(risk.split(".")[0])
            file = module.path.rsplit("/", 1)[0] + "/module.yaml" if module else "modules"
            out.append(
                _warn(file, (1, 1), f"risk {risk!r} is never raised or mitigated by any scenario")
            )
    return out
