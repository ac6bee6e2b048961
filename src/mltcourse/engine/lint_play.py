"""Lint warnings that need plays: the exhaustive search and the doctrine-best and -worst plays."""

from __future__ import annotations

from ..content.conditions import names
from ..content.diagnostics import Diagnostic
from ..content.model import Ending, Scenario
from . import judgement
from .analysis import AnalysisTooLarge, analyse_cached, scene_loops
from .playtest import policy_play
from .state import GameState


def _warn(file: str, pos: tuple[int, int], message: str) -> Diagnostic:
    return Diagnostic(file, pos[0], pos[1], message, "warning")


def lint_by_analysis(scenario: Scenario) -> list[Diagnostic]:
    file = scenario.path
    start = scenario.node(scenario.start).pos
    try:
        analysis = analyse_cached(scenario)
    except AnalysisTooLarge as exc:
        out = [_warn(file, start, f"exhaustive analysis skipped: {exc}")]
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
        out.append(_warn(file, start, "some plays run past the step bound"))
    for policy, expected in (("best", "success"), ("worst", "failure")):
        state = policy_play(scenario, policy)
        if policy == "best":
            out.extend(_best_path_stakes(scenario, state))
        out.extend(_story_disagrees(scenario, policy, expected, state))
    return out


def _story_disagrees(
    scenario: Scenario, policy: str, expected: str, state: GameState
) -> list[Diagnostic]:
    """The policy play's ending, why it was not one rated ``expected``, and where to look."""
    endings = {e.id: e for e in scenario.endings}
    reached = endings.get(state.ending) if state.ending else None
    got = reached.rating if reached else None
    if got == expected:
        return []
    wanted = [e for e in scenario.endings if e.rating == expected]
    reasons = [_condition_reason(e, state) for e in wanted if e is not reached]
    where = wanted[0].pos if wanted else (reached.pos if reached else (1, 1))
    why = "; ".join(r for r in reasons if r)
    if reached is not None and reached.when is not None and not wanted:
        why = _condition_reason(reached, state, met=True)
    return [
        _warn(
            scenario.path,
            where,
            f"the doctrine-{policy} play ends in {state.ending!r} ({got}), not in a "
            f"{expected} ending: scoring and story disagree" + (f"; {why}" if why else ""),
        )
    ]


def _condition_reason(ending: Ending, state: GameState, met: bool = False) -> str:
    """'ending 'x' needs trust >= 60, and the play ends with trust 40'."""
    if ending.when is None:
        return ""
    values = dict(state.values)
    read = sorted(names(ending.when.expr)) if ending.when.expr is not None else []
    finals = [
        f"{name} {values[name]:g}"
        if name in values
        else f"{name} {str(name in state.flags).lower()}"
        for name in read
    ]
    verb = "is reached when" if met else "needs"
    ends = f", and the play ends with {', '.join(finals)}" if finals else ""
    return f"ending {ending.id!r} (line {ending.pos[0]}) {verb} {ending.when.source}{ends}"


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
