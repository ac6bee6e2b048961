"""Game state and the rules of play: pure functions from (scenario, state) to state.

The state is immutable and JSON-serialisable. It also holds the decisions made, so the whole
attempt can be rebuilt by replaying them: that is how progress resumes after a crash.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from ..content.model import END, Choice, Ending, Scenario

MAX_STEPS = 500


class IllegalMove(ValueError):
    """A choice that is not open in the current state, or a move after the end."""


@dataclass(frozen=True, slots=True)
class Decision:
    node: str  # scene or inject id
    choice: str
    open: tuple[str, ...]  # the choices that were open: scoring judges against these


@dataclass(frozen=True, slots=True)
class Event:
    inject: str
    after: int  # number of decisions made when it fired
    pushed: bool = False  # fired by the facilitator's push, not by its condition


@dataclass(frozen=True, slots=True)
class GameState:
    scenario: str
    node: str | None  # where a decision is awaited; None once the scenario has ended
    values: tuple[tuple[str, float], ...]
    flags: frozenset[str] = frozenset()
    decisions: tuple[Decision, ...] = ()
    events: tuple[Event, ...] = ()
    resume: str | None = None  # where the story goes after a decision inside an inject
    ending: str | None = None
    steps: int = 0
    _lookup: MappingProxyType = field(default=None, compare=False, repr=False)  # type: ignore

    def __post_init__(self) -> None:
        object.__setattr__(self, "_lookup", MappingProxyType(dict(self.values)))

    @property
    def value(self) -> MappingProxyType:
        """Indicator values by name."""
        return self._lookup

    @property
    def finished(self) -> bool:
        return self.node is None

    @property
    def fired(self) -> frozenset[str]:
        return frozenset(e.inject for e in self.events)

    def to_json(self) -> str:
        return json.dumps(
            {
                "scenario": self.scenario,
                "node": self.node,
                "values": [[k, v] for k, v in self.values],
                "flags": sorted(self.flags),
                "decisions": [[d.node, d.choice, list(d.open)] for d in self.decisions],
                "events": [[e.inject, e.after, *([True] if e.pushed else [])] for e in self.events],
                "resume": self.resume,
                "ending": self.ending,
                "steps": self.steps,
            },
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> GameState:
        data = json.loads(text)
        return cls(
            scenario=data["scenario"],
            node=data["node"],
            values=tuple((k, v) for k, v in data["values"]),
            flags=frozenset(data["flags"]),
            decisions=tuple(Decision(n, c, tuple(o)) for n, c, o in data["decisions"]),
            events=tuple(Event(*event) for event in data["events"]),
            resume=data["resume"],
            ending=data["ending"],
            steps=data["steps"],
        )


def new_game(scenario: Scenario) -> GameState:
    return GameState(
        scenario=scenario.id,
        node=scenario.start,
        values=tuple((name, ind.start) for name, ind in scenario.indicators.items()),
    )


def open_choices(scenario: Scenario, state: GameState) -> tuple[Choice, ...]:
    """The choices the learner may pick now."""
    if state.node is None:
        return ()
    node = scenario.node(state.node)
    return tuple(c for c in node.choices if c.when is None or c.when(state.value, state.flags))


def choose(scenario: Scenario, state: GameState, choice_id: str) -> GameState:
    """Apply a choice, fire any injects whose time has come, and move on (or end)."""
    if state.node is None:
        raise IllegalMove("the scenario has ended")
    available = open_choices(scenario, state)
    choice = next((c for c in available if c.id == choice_id), None)
    if choice is None:
        raise IllegalMove(f"choice {choice_id!r} is not open at {state.node!r}")
    values = _apply(scenario, dict(state.values), choice.effects)
    flags = _set_flags(state.flags, choice.flags)
    decision = Decision(state.node, choice.id, tuple(c.id for c in available))
    target = choice.next if choice.next is not None else state.resume
    return _advance(
        scenario,
        replace(
            state,
            values=tuple(values.items()),
            flags=flags,
            decisions=state.decisions + (decision,),
            resume=None,
            steps=state.steps + 1,
        ),
        target or END,
    )


def _advance(scenario: Scenario, state: GameState, target: str) -> GameState:
    """Fire due injects in order; stop at one that asks for a decision; else go to target."""
    fired = state.fired
    values, flags, events = dict(state.values), state.flags, state.events
    for inject in scenario.injects:
        if inject.id in fired or not inject.when(values, flags):
            continue
        values = _apply(scenario, values, inject.effects)
        flags = _set_flags(flags, inject.flags)
        events = events + (Event(inject.id, len(state.decisions)),)
        fired = fired | {inject.id}
        if inject.choices:
            return replace(
                state,
                node=inject.id,
                resume=target,
                values=tuple(values.items()),
                flags=flags,
                events=events,
            )
    state = replace(state, values=tuple(values.items()), flags=flags, events=events)
    if target == END or state.steps >= MAX_STEPS:
        ending = select_ending(scenario, state.value, state.flags)
        return replace(state, node=None, ending=ending.id)
    return replace(state, node=target)


def select_ending(scenario: Scenario, values, flags) -> Ending:
    for ending in scenario.endings:
        if ending.when is None or ending.when(values, flags):
            return ending
    return scenario.endings[-1]


def _apply(scenario: Scenario, values: dict[str, float], effects) -> dict[str, float]:
    for name, delta in effects.items():
        indicator = scenario.indicators[name]
        values[name] = min(indicator.max, max(indicator.min, values[name] + delta))
    return values


def _set_flags(flags: frozenset[str], changes) -> frozenset[str]:
    if not changes:
        return flags
    on = {k for k, v in changes.items() if v}
    off = {k for k, v in changes.items() if not v}
    return (flags | on) - off


def replay(scenario: Scenario, choices: list[str] | tuple[str, ...]) -> GameState:
    """Rebuild a state from the choice ids made, in order (raises IllegalMove if impossible)."""
    state = new_game(scenario)
    for choice_id in choices:
        state = choose(scenario, state, choice_id)
    return state


def history(
    scenario: Scenario, state: GameState, start: GameState | None = None
) -> dict[str, list[float]]:
    """Each indicator's value at the start and after every decision (for sparklines); from
    ``start`` when the play began there rather than at the scenario's start."""
    current = start if start is not None else new_game(scenario)
    series = {name: [current.value[name]] for name in scenario.indicators}
    for decision in state.decisions[len(current.decisions) :]:
        current = choose(scenario, current, decision.choice)
        for name in series:
            series[name].append(current.value[name])
    return series
