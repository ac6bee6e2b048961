"""A play that starts at any scene in a given state, for testing one branch of a story.

``mltcourse play SCENARIO --from SCENE --set trust=60 --flag radio_launched`` and the
watch-mode app's jump (``SCENE trust=60 radio_launched``) both come here, so they check names
and values the same way: an unknown name gets the nearest known one, a value its range.
"""

from __future__ import annotations

import difflib
import math
import shlex
from dataclasses import dataclass

from ..content.model import Scenario
from .state import GameState, IllegalMove, choose


class StartError(ValueError):
    """A scene, indicator, flag or value that does not fit the scenario."""


def start_state(
    scenario: Scenario, scene: str, settings: list[str] = (), flags: list[str] = ()
) -> GameState:
    """The state at ``scene`` with indicators at their start values except those ``settings``
    (``NAME=VALUE``) give, and ``flags`` set; nothing has been decided and no inject fired."""
    if scene not in scenario.scenes:
        hint = did_you_mean(scene, scenario.scenes, listing=12)
        raise StartError(f"unknown scene {scene!r}{hint}")
    values = {name: indicator.start for name, indicator in scenario.indicators.items()}
    for setting in settings:
        name, value = _setting(scenario, setting)
        values[name] = value
    chosen = frozenset(_flag(scenario, name) for name in flags)
    return GameState(scenario=scenario.id, node=scene, values=tuple(values.items()), flags=chosen)


def _setting(scenario: Scenario, setting: str) -> tuple[str, float]:
    name, equals, text = setting.partition("=")
    name = name.strip()
    if not equals:
        raise StartError(f"{setting!r}: give an indicator's value as NAME=VALUE")
    indicator = scenario.indicators.get(name)
    if indicator is None:
        if name in scenario.flags:
            raise StartError(f"{name!r} is a flag, not an indicator: set it with --flag {name}")
        known = did_you_mean(name, scenario.indicators, listing=12)
        raise StartError(f"unknown indicator {name!r}{known}")
    try:
        value = float(text)
    except ValueError:
        raise StartError(f"{setting!r}: {text.strip()!r} is not a number") from None
    if not math.isfinite(value) or not indicator.min <= value <= indicator.max:
        raise StartError(f"{setting!r}: {name} runs from {indicator.min:g} to {indicator.max:g}")
    return name, int(value) if value.is_integer() else value


def _flag(scenario: Scenario, name: str) -> str:
    if name in scenario.flags:
        return name
    if name in scenario.indicators:
        raise StartError(f"{name!r} is an indicator, not a flag: give it a value, {name}=VALUE")
    if not scenario.flags:
        raise StartError(f"unknown flag {name!r}: this scenario sets no flags")
    raise StartError(f"unknown flag {name!r}{did_you_mean(name, scenario.flags, listing=12)}")


def did_you_mean(name: str, known, listing: int = 0) -> str:
    """'; did you mean 'x'?', or the known names when there are few and none is close."""
    names = sorted(known)
    close = difflib.get_close_matches(name.replace("-", "_"), names, n=1) or (
        difflib.get_close_matches(name.replace("_", "-"), names, n=1)
    )
    if close:
        return f"; did you mean {close[0]!r}?"
    return f"; known: {', '.join(names)}" if names and len(names) <= listing else ""


def parse_jump(scenario: Scenario, line: str) -> GameState:
    """``SCENE [NAME=VALUE ...] [FLAG ...]`` as typed in the app, into a starting state."""
    try:
        words = shlex.split(line)
    except ValueError as exc:
        raise StartError(str(exc)) from None
    if not words:
        raise StartError("type a scene id, then any NAME=VALUE and flag names")
    settings = [w for w in words[1:] if "=" in w]
    flags = [w for w in words[1:] if "=" not in w]
    return start_state(scenario, words[0], settings, flags)


@dataclass
class TestPlay:
    """A play from a chosen state, recorded nowhere: what the watch-mode jump runs. It answers
    the player as an attempt does (state, mode, choose, take back), with no id."""

    scenario: Scenario
    start: GameState
    state: GameState
    mode: str = "training"
    id: None = None
    __test__ = False  # not a pytest class, whatever its name

    def choose(self, choice_id: str) -> GameState:
        self.state = choose(self.scenario, self.state, choice_id)
        return self.state

    def _replayed(self, scenario: Scenario, count: int) -> GameState:
        state = self.start
        for decision in self.state.decisions[:count]:
            state = choose(scenario, state, decision.choice)
        return state

    def take_back(self) -> GameState | None:
        if not self.state.decisions:
            return None
        self.state = self._replayed(self.scenario, len(self.state.decisions) - 1)
        return self.state

    def before_last(self) -> GameState | None:
        if not self.state.decisions:
            return None
        return self._replayed(self.scenario, len(self.state.decisions) - 1)

    def follow(self, scenario: Scenario) -> tuple[TestPlay, str]:
        """The same start and choices in an edited scenario, as far as they still fit."""
        try:
            start = start_state(
                scenario,
                self.start.node or "",
                [
                    f"{name}={value}"
                    for name, value in self.start.values
                    if name in scenario.indicators
                ],
                sorted(self.start.flags & scenario.flags),
            )
        except StartError as exc:
            return self, f"The test play stays on the last version: {exc}"
        play = TestPlay(scenario, start, start, self.mode)
        for decision in self.state.decisions:
            try:
                play.choose(decision.choice)
            except IllegalMove:
                return play, "Scenario reloaded; the test play's later choices no longer fit."
        return play, "Scenario reloaded."
