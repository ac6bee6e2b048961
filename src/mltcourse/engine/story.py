"""Story text as a learner reads it in a given state (see ``content/story_text.py``).

Which state a text is read in: a scene's or an inject's text in the state where it is shown
(an inject's own effects included); a choice's feedback in the state in which the decision was
made, so every option's feedback at that decision reads the same way; an ending's text in the
final state.
"""

from __future__ import annotations

from ..content.model import Scenario
from ..content.story_text import render
from .state import GameState, choose, new_game


def text_in(text: str, state: GameState) -> str:
    """``text`` rendered for ``state``: plain text, never markup, never an exception."""
    return render(text, state.value, state.flags)


def states_before(
    scenario: Scenario, state: GameState, start: GameState | None = None
) -> list[GameState]:
    """The state in which each decision of ``state`` was made, replayed from ``start``
    (the scenario's own start unless a play began elsewhere)."""
    current = start if start is not None else new_game(scenario)
    out: list[GameState] = []
    for decision in state.decisions[len(current.decisions) :]:
        out.append(current)
        current = choose(scenario, current, decision.choice)
    return out
