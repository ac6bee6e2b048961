"""Pedagogy and quality warnings: what validates but would teach badly."""

from __future__ import annotations

from collections.abc import Callable

from ..content.conditions import names
from ..content.diagnostics import Diagnostic
from ..content.model import Choice, Course, Module, Scenario
from ..content.schema import ROLES
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
    out.extend(_predictable_best(scenario))
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


def _predictable_best(scenario: Scenario) -> list[Diagnostic]:
    """Learners spot a pattern fast: the doctrine-best option should not sit in one place."""
    nodes = [n for n in list(scenario.scenes.values()) + list(scenario.injects) if n.choices]
    places = []
    for node in nodes:
        values = [c.value for c in node.choices]
        places.append(values.index(max(values)) + 1)
    if len(places) < 4:
        return []
    commonest = max(set(places), key=places.count)
    share = places.count(commonest) / len(places)
    if share <= 0.6:
        return []
    return [
        _warn(
            scenario.path,
            (1, 1),
            f"the doctrine-best option is choice {commonest} in "
            f"{places.count(commonest)} of {len(places)} "
            f"decisions; vary its place so it cannot be guessed",
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
        if check.kind != "single":
            continue
        right = next(o for o in check.options if o.correct)
        longest_wrong = max(len(o.text) for o in check.options if not o.correct)
        if len(right.text) > 1.5 * longest_wrong + 10:
            out.append(
                _warn(
                    file,
                    (1, 1),
                    f"check {check.id!r}: the right option is much "
                    f"longer than the others, which gives it away",
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
