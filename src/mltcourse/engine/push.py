"""An inject fired by the facilitator at a moment of their choosing, not by its condition.

A pushed inject is a real event of the play: its effects and flags apply at once, it counts
as materialising its risks, and one with choices becomes the decision now open (the scene it
interrupted comes next, unless the chosen option leads elsewhere, as for an inject that fires
on its own). The state records it as an ``Event`` marked ``pushed`` with the number of
decisions made before it, so a play is rebuilt by replaying its decisions with each push in
its place. An inject happens once in a play, pushed or not; the condition, though, is the
facilitator's to overrule, and ``condition_note`` says which it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ..content.model import Inject, Scenario
from .state import (
    Event,
    GameState,
    IllegalMove,
    _apply,
    _set_flags,
    choose,
    new_game,
    open_choices,
)

Push = tuple[int, str]  # (decisions made before it, inject id)


def find_inject(scenario: Scenario, inject_id: str) -> Inject | None:
    return next((i for i in scenario.injects if i.id == inject_id), None)


def push_refusal(scenario: Scenario, state: GameState, inject_id: str) -> str | None:
    """Why the inject cannot be pushed into this play now, in a trainer's words; None if it can."""
    inject = find_inject(scenario, inject_id)
    if inject is None:
        return f"This scenario has no inject {inject_id!r}."
    if state.node is None:
        return "The team has reached an ending: nothing more happens in its story."
    if state.node not in scenario.scenes:
        waiting = scenario.node(state.node).title
        return f"“{waiting}” is still waiting for the team's decision: push once it is decided."
    earlier = next((e for e in state.events if e.inject == inject.id), None)
    if earlier is not None:
        how = "was pushed to" if earlier.pushed else "already happened on its own to"
        return (
            f"“{inject.title}” {how} this team {moment(earlier.after)}: an inject happens "
            "at most once in a play."
        )
    after = _fire(scenario, state, inject)
    if not open_choices(scenario, after):
        where = scenario.node(after.node or "").title
        return f"After “{inject.title}” the team would have no option open at “{where}”."
    return None


def condition_note(scenario: Scenario, state: GameState, inject_id: str) -> str:
    """Whether the inject's own condition holds for this play: if not, only the push fires it."""
    inject = find_inject(scenario, inject_id)
    if inject is None:
        return ""
    if inject.when(state.value, state.flags):
        return "Its condition holds: it would have fired after the team's next decision anyway."
    return f"Its condition ({inject.when.source}) does not hold: it fires because you pushed it."


def push_inject(scenario: Scenario, state: GameState, inject_id: str) -> GameState:
    """The play with the inject fired now (IllegalMove, in words, when it cannot be)."""
    refusal = push_refusal(scenario, state, inject_id)
    if refusal is not None:
        raise IllegalMove(refusal)
    inject = find_inject(scenario, inject_id)
    assert inject is not None
    return _fire(scenario, state, inject)


def _fire(scenario: Scenario, state: GameState, inject: Inject) -> GameState:
    values = _apply(scenario, dict(state.values), inject.effects)
    fired = replace(
        state,
        values=tuple(values.items()),
        flags=_set_flags(state.flags, inject.flags),
        events=state.events + (Event(inject.id, len(state.decisions), pushed=True),),
    )
    if inject.choices:  # its decision comes first; the interrupted scene after it
        return replace(fired, node=inject.id, resume=state.node)
    return fired


def moment(after: int) -> str:
    """When in a play an event came, for a sentence: ``after decision 2``."""
    return "before its first decision" if after == 0 else f"after decision {after}"


def pushes_of(state: GameState) -> tuple[Push, ...]:
    """The injects pushed into a play, in order, each with the decisions made before it."""
    return tuple((e.after, e.inject) for e in state.events if e.pushed)


def rebuild(
    scenario: Scenario, choices: Sequence[str], pushes: Sequence[Push], decisions: int | None = None
) -> GameState:
    """A play replayed from its choices with each push in its place, up to ``decisions``
    decisions (the pushes made after the last of them included); IllegalMove if impossible."""
    upto = len(choices) if decisions is None else decisions
    state = new_game(scenario)
    for made in range(upto + 1):
        for after, inject_id in pushes:
            if after == made:
                state = push_inject(scenario, state, inject_id)
        if made < upto:
            state = choose(scenario, state, choices[made])
    return state


def state_after(scenario: Scenario, state: GameState, decisions: int) -> GameState:
    """The play of ``state`` after its first ``decisions`` decisions and the pushes that
    followed them: where the next decision was taken."""
    choices = [d.choice for d in state.decisions]
    return rebuild(scenario, choices, pushes_of(state), decisions)
