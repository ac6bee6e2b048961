"""A live attempt at a scenario: the engine's state, kept in step with its row in the store.

The app and ``mltcourse play`` both go through here, so headless and interactive attempts are
recorded alike, each decision committed before the next one is offered. Resuming replays the
stored choice ids with the engine; an attempt whose scenario has changed so that the replay no
longer fits is closed with a note, never a crash.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from ..content.model import Scenario
from ..engine.review import missed_in
from ..engine.scoring import score
from ..engine.state import Decision, GameState, choose, new_game
from .progress import ASSESSMENT, AttemptRecord, ProgressStore
from .review import MissedDecision


@dataclass
class Attempt:
    store: ProgressStore
    id: int
    learner_id: int
    scenario: Scenario
    mode: str
    source: str
    state: GameState

    def choose(self, choice_id: str) -> GameState:
        """Apply a choice (IllegalMove if it is not open) and commit it at once."""
        state = choose(self.scenario, self.state, choice_id)
        decision = state.decisions[-1]
        self.store.record_decision(
            self.id,
            len(state.decisions),
            decision.node,
            decision.choice,
            result(self.scenario, state),
            missed=missed_decision(self.scenario, decision),
        )
        self.state = state
        return state

    def take_back(self) -> GameState | None:
        """Undo the last decision while its feedback is unread; the state before it, or None
        when there is nothing that may be taken back."""
        if not self.state.decisions:
            return None
        if not self.store.take_back(self.id, len(self.state.decisions)):
            return None
        choices = tuple(d.choice for d in self.state.decisions[:-1])
        self.state, _ = _replay_prefix(self.scenario, choices)
        return self.state

    def before_last(self) -> GameState | None:
        """The state before the last decision (to show that decision's feedback again)."""
        if not self.state.decisions:
            return None
        choices = tuple(d.choice for d in self.state.decisions[:-1])
        return _replay_prefix(self.scenario, choices)[0]


def missed_decision(scenario: Scenario, decision: Decision) -> MissedDecision | None:
    """The review item a decision makes, if it was neither doctrine-best nor defensible."""
    if not missed_in(scenario, decision):
        return None
    return MissedDecision(scenario.module, scenario.id, decision.node, decision.open)


def result(scenario: Scenario, state: GameState) -> tuple[str, str, float | None] | None:
    """(ending id, rating, decision quality) of a finished state; None while it goes on."""
    if not state.finished:
        return None
    ending = next(e for e in scenario.endings if e.id == state.ending)
    return ending.id, ending.rating, score(scenario, state).overall


def start(
    store: ProgressStore, learner_id: int, scenario: Scenario, mode: str, source: str = "app"
) -> Attempt:
    attempt_id = store.start_attempt(learner_id, scenario.id, scenario.digest, mode, source)
    return Attempt(store, attempt_id, learner_id, scenario, mode, source, new_game(scenario))


def record_finished(
    store: ProgressStore, learner_id: int, scenario: Scenario, state: GameState
) -> int:
    """Record a whole headless play at once, as a finished assessment; an attempt the learner
    left open in the app stays open."""
    ended = result(scenario, state)
    if ended is None:
        raise ValueError("only a finished play can be recorded at once")
    decisions = [(d.node, d.choice) for d in state.decisions]
    missed = tuple(m for d in state.decisions if (m := missed_decision(scenario, d)))
    return store.record_attempt(
        learner_id, scenario.id, scenario.digest, ASSESSMENT, "play", decisions, ended, missed
    )


@dataclass(frozen=True)
class Resumption:
    attempt: Attempt | None  # None when the open attempt had to be closed
    note: str | None  # what the learner should know: the scenario changed, the attempt closed


def _replay_prefix(scenario: Scenario, choices: tuple[str, ...]) -> tuple[GameState, int]:
    """The state after the longest run of choices that still fits, and how many fitted."""
    state = new_game(scenario)
    for count, choice_id in enumerate(choices):
        try:
            state = choose(scenario, state, choice_id)
        except (ValueError, KeyError):
            return state, count
    return state, len(choices)


def _when(record: AttemptRecord) -> str:
    return datetime.fromtimestamp(record.started).strftime("%d %b %Y %H:%M")


def resume(store: ProgressStore, learner_id: int, scenario: Scenario) -> Resumption | None:
    """The learner's unfinished attempt at this scenario, rebuilt; None if there is none."""
    record = store.open_attempt(learner_id, scenario.id)
    if record is None:
        return None
    state, fitted = _replay_prefix(scenario, record.choices)
    if fitted < len(record.choices):
        note = (
            f"The scenario has changed since your attempt of {_when(record)}: decision "
            f"{fitted + 1} no longer fits it, so that attempt was closed. Start again."
        )
        store.close_attempt(record.id, note)
        return Resumption(None, note)
    note = None
    if record.digest != scenario.digest:
        store.set_digest(record.id, scenario.digest)
        note = "The scenario was edited since you left it; your decisions still fit it."
    attempt = Attempt(store, record.id, learner_id, scenario, record.mode, record.source, state)
    ended = result(scenario, state)
    if ended:  # an edit made the path end where it stood
        store.finish_attempt(record.id, ended)
    return Resumption(attempt, note)


def follow_edit(attempt: Attempt, scenario: Scenario) -> tuple[Attempt, str]:
    """Carry a live attempt over to an edited scenario (the author's live preview).

    If every decision still fits, the attempt goes on from the same decisions under the new
    rules. Otherwise the attempt is closed and a new one carries the decisions that still fit,
    so the learner stands at the last scene of their path that still exists.
    """
    choices = tuple(d.choice for d in attempt.state.decisions)
    state, fitted = _replay_prefix(scenario, choices)
    if fitted == len(choices):
        attempt.store.set_digest(attempt.id, scenario.digest)
        ended = result(scenario, state)
        if ended and not attempt.state.finished:
            attempt.store.finish_attempt(attempt.id, ended)
        return replace(attempt, scenario=scenario, state=state), "Scenario reloaded."
    attempt.store.close_attempt(
        attempt.id, f"closed by an edit of the scenario: decision {fitted + 1} no longer fits"
    )
    carried = start(attempt.store, attempt.learner_id, scenario, attempt.mode, attempt.source)
    for choice_id in choices[:fitted]:
        carried.choose(choice_id)
    where = scenario.node(carried.state.node).title if carried.state.node else "the ending"
    return carried, f"Scenario reloaded; decision {fitted + 1} no longer fits, back at: {where}"
