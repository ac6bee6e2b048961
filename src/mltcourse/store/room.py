"""What a served exercise shows outside the facilitator's console, read from the store.

A team's device and the presenter's view are other processes than the console: they read the
exercise's rows (as the console commits them) and replay each team's decisions with the
engine, as a resume does. What they get holds nothing the room must not see: no facilitator
notes, and a tally's counts only once it is revealed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from ..content.model import Choice, Ending, Inject, Scenario, Scene
from ..engine.push import push_inject
from ..engine.state import IllegalMove, choose, new_game, open_choices
from ..engine.story import text_in
from .progress import ProgressStore


@dataclass(frozen=True, slots=True)
class TeamView:
    name: str
    position: int
    seq: int  # the decision now open, from 1
    node: Scene | Inject | None  # None once the team has reached an ending
    text: str  # the scene's text (or the ending's) as it reads in the team's state
    options: tuple[Choice, ...]
    option_texts: tuple[str, ...]  # the options' texts as they read in the team's state
    ending: Ending | None
    voting: bool  # ballots are taken: a decision is open and its tally not revealed
    revealed: tuple[tuple[Choice, int], ...] | None  # the tally, once shown to the room
    # the option taken at the previous decision, read in the state it was offered in
    last_text: str | None
    fired: tuple[Inject, ...]  # injects that have fired on the team's path
    # injects pushed to the team since its last decision (title, text), latest last; one
    # with choices is the decision now open instead
    pushed: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class RoomView:
    exercise_id: int
    status: str  # open | finished | closed
    current: int  # the team on the console's screen
    teams: tuple[TeamView, ...]


def find_exercise(progress: ProgressStore, scenario: str, names: tuple[str, ...]) -> int | None:
    """The latest exercise of ``scenario`` with these teams (any case), open or not."""
    wanted = [name.casefold() for name in names]
    rows = progress.read(
        "SELECT id FROM exercises WHERE scenario = ? ORDER BY started DESC, id DESC", scenario
    )
    for (exercise_id,) in rows:
        teams = progress.read(
            "SELECT name FROM exercise_teams WHERE exercise_id = ? ORDER BY position",
            exercise_id,
        )
        if [name.casefold() for (name,) in teams] == wanted:
            return int(exercise_id)
    return None


def _tally(text: str | None) -> tuple[str | None, dict[str, int], bool]:
    try:
        data = json.loads(text) if text else {}
        return data.get("node"), {str(c): int(n) for c, n in data["counts"]}, bool(data["revealed"])
    except (ValueError, KeyError, TypeError, AttributeError):
        return None, {}, False


def room_view(progress: ProgressStore, scenario: Scenario, exercise_id: int) -> RoomView | None:
    with progress.reading():
        row = progress.read("SELECT status, current_team FROM exercises WHERE id = ?", exercise_id)
        if not row:
            return None
        teams = progress.read(
            "SELECT position, name, tally FROM exercise_teams WHERE exercise_id = ? "
            "ORDER BY position",
            exercise_id,
        )
        choices: dict[int, list[str]] = {}
        for position, choice in progress.read(
            "SELECT position, choice FROM exercise_decisions WHERE exercise_id = ? "
            "ORDER BY position, seq",
            exercise_id,
        ):
            choices.setdefault(position, []).append(choice)
        pushes: dict[int, list[tuple[int, str]]] = {}
        for position, decisions, inject in progress.read(
            "SELECT position, decisions, inject FROM exercise_pushes WHERE exercise_id = ? "
            "AND taken_back IS NULL ORDER BY id",
            exercise_id,
        ):
            pushes.setdefault(position, []).append((decisions, inject))
        views = tuple(
            _team_view(
                scenario,
                row[0][0],
                position,
                name,
                tally,
                choices.get(position, []),
                pushes.get(position, []),
            )
            for position, name, tally in teams
        )
    return RoomView(exercise_id, row[0][0], int(row[0][1]), views)


def _replay(scenario: Scenario, made: list[str], pushes: list[tuple[int, str]]):
    """The team's play as a resume rebuilds it: each push in its place; a choice or push an
    edit of the scenario no longer allows ends it. Returns the state and the text of the
    last choice, read in the state in which it was offered."""
    state, last = new_game(scenario), None
    for count in range(len(made) + 1):
        for after, inject_id in pushes:
            if after == count:
                try:
                    state = push_inject(scenario, state, inject_id)
                except (IllegalMove, KeyError):
                    return state, last
        if count == len(made):
            break
        try:
            node = scenario.node(state.node) if state.node else None
            after_choice = choose(scenario, state, made[count])
            taken = next(c for c in node.choices if c.id == made[count]) if node else None
            last = text_in(taken.text, state) if taken else None
        except (IllegalMove, KeyError, StopIteration):
            return state, last
        state = after_choice
    return state, last


def _team_view(scenario, status, position, name, tally, made, pushes) -> TeamView:
    state, last = _replay(scenario, made, pushes)
    injects = {inject.id: inject for inject in scenario.injects}
    news = [
        e.inject
        for e in state.events
        if e.pushed and e.after == len(state.decisions) and e.inject != state.node
    ]
    node = scenario.node(state.node) if state.node else None
    options = open_choices(scenario, state)
    tally_node, counts, revealed = _tally(tally)
    shown = None
    if revealed and node is not None and tally_node == node.id:
        shown = tuple((choice, counts.get(choice.id, 0)) for choice in options)
    ending = next((e for e in scenario.endings if e.id == state.ending), None)
    shown_text = node.text if node is not None else ending.text if ending is not None else ""
    return TeamView(
        name=name,
        position=position,
        seq=len(state.decisions) + 1,
        node=node,
        text=text_in(shown_text, state),
        options=options,
        option_texts=tuple(text_in(choice.text, state) for choice in options),
        ending=ending,
        voting=status == "open" and node is not None and shown is None,
        revealed=shown,
        last_text=last,
        fired=tuple(injects[e.inject] for e in state.events if e.inject in injects),
        pushed=tuple((injects[i].title, text_in(injects[i].text, state)) for i in news),
    )
