"""Pedagogy and quality warnings: what validates but would teach badly."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from ..content.conditions import names
from ..content.diagnostics import Diagnostic
from ..content.model import Choice, Course, Module, Scenario
from ..content.schema import ROLES
from . import judgement
from .lint_play import lint_by_analysis
from .lint_story import lint_passages

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
                _find(scenario, 1, "role"),
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
        out.append(
            _warn(
                file,
                _flag_set_at(scenario, flag),
                f"flag {flag!r} is set but no condition reads it",
            )
        )
    out.extend(_surface_cues(scenario))
    ratings = {e.rating for e in scenario.endings}
    for rating in ("success", "failure"):
        if rating not in ratings:
            out.append(_warn(file, scenario.endings[0].pos, f"no ending is rated {rating}"))
    raisers = [c for n in scenario.scenes.values() for c in n.choices if c.raises]
    raised = {r for c in raisers for r in c.raises}
    if not any(set(i.materializes) & raised for i in scenario.injects):
        first = raisers[0] if raisers else None
        out.append(
            _warn(
                file,
                first.pos if first else scenario.node(scenario.start).pos,
                "no inject lets a risk raised earlier materialise "
                "(delayed consequences teach the most)"
                + (
                    f": add an inject with materializes: [{first.raises[0]}], "
                    f"the risk choice {first.id!r} raises"
                    if first
                    else ": let a choice raise a risk and an inject make it real"
                ),
            )
        )
    out.extend(lint_by_analysis(scenario))
    out.extend(lint_passages(scenario))
    return out


def _flag_set_at(scenario: Scenario, flag: str) -> tuple[int, int]:
    """Where a flag is first set: its key under the first ``flags:`` that sets it."""
    nodes = list(scenario.scenes.values()) + list(scenario.injects)
    setters = [i for i in scenario.injects if flag in i.flags]
    setters += [c for n in nodes for c in n.choices if flag in c.flags]
    if not setters:
        return (1, 1)
    first = min(setters, key=lambda s: s.pos)
    return _find(scenario, first.pos[0], flag, default=first.pos)


def _find(
    scenario: Scenario | str, from_line: int, key: str, default=(1, 1), value: str = ""
) -> tuple[int, int]:
    """The first ``key:`` (followed by ``value``) at or after ``from_line`` in the scenario's
    file (the model keeps the positions of scenes, choices and endings, not of every key)."""
    path = scenario if isinstance(scenario, str) else scenario.path
    try:
        lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return default
    pattern = re.compile(rf"(?<![\w-]){re.escape(key)}\s*:\s*{re.escape(value)}")
    last = len(lines) if from_line <= 1 else min(len(lines), from_line + 60)
    for number in range(max(1, from_line), last + 1):
        match = pattern.search(lines[number - 1])
        if match:
            return (number, match.start() + 1)
    return default


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


def _conditions(scenario: Scenario):
    nodes = list(scenario.scenes.values()) + list(scenario.injects)
    yield from (i.when for i in scenario.injects)
    yield from (e.when for e in scenario.endings if e.when)
    yield from (c.when for n in nodes for c in n.choices if c.when)


def lint_module(module: Module, course: Course) -> list[Diagnostic]:
    file = module.path.rsplit("/", 1)[0] + "/module.yaml" if "/" in module.path else module.path
    out: list[Diagnostic] = []
    exercised = {c.objective for c in module.checks}
    for objective in module.objectives:
        if objective.id not in exercised:
            out.append(
                _warn(
                    file,
                    _find(file, 1, "id", value=objective.id),
                    f"objective {objective.id!r} is not exercised by any knowledge check",
                )
            )
    if len(module.checks) < 6:
        out.append(
            _warn(
                file,
                module.checks[0].pos if module.checks else _find(file, 1, "checks"),
                f"only {len(module.checks)} knowledge checks; aim for at least 6",
            )
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
        out.append(
            _warn(
                file,
                _find(file, 1, "id", value=module.id),
                f"lesson {module.id!r} has no scenario yet",
            )
        )
    return out


def lint_course(
    course: Course, only: Callable[[str], bool] | None = None, workers: int = 1
) -> list[Diagnostic]:
    """All warnings; ``only`` limits them to the files it accepts (course-wide ones need None).

    With ``workers`` > 1 the scenarios are linted in that many processes (see ``parallel``).
    """
    from .parallel import map_scenarios

    chosen = [s for s in course.scenarios.values() if only is None or only(s.path)]
    out: list[Diagnostic] = []
    for warnings in map_scenarios(lint_scenario, chosen, workers):
        out.extend(warnings)
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
                    _find(str(Path(course.root) / principles_file), 1, "id", value=principle),
                    f"principle {principle!r} is never scored by any scenario",
                )
            )
    for risk, scenarios in report["risks"].items():
        if not scenarios:
            module = course.module(risk.split(".")[0])
            file = module.path.rsplit("/", 1)[0] + "/module.yaml" if module else "modules"
            at = _find(file, 1, "id", value=risk.split(".", 1)[-1])
            out.append(
                _warn(file, at, f"risk {risk!r} is never raised or mitigated by any scenario")
            )
    return out
