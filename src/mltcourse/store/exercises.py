"""Group exercises in play, saved as they go.

``LiveExercise`` keeps the engine's value and its rows in the store (``exercise_rows``) in
step: every role card, vote tally, decision, correction, clock and setting is committed before
the call returns, so an exercise survives the facilitator's laptop dying mid-session. Resuming
replays each team's recorded choices with the engine, as ``attempts.py`` does for a learner.
The console, the presenter view and the team devices all go through this one core.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..content.model import Scenario
from ..engine.clock import Countdown
from ..engine.exercise import (
    Exercise,
    ExerciseError,
    Tally,
    Team,
    TeamDecision,
    assign_role,
    decide_by_majority,
    enter_tally,
    new_exercise,
    push_to_team,
    record_choice,
    replay_team,
    reveal_tally,
    take_back_push,
    undo_last,
)
from ..engine.push import find_inject, pushes_of
from ..engine.state import GameState, new_game, open_choices
from .exercise_records import (
    CorrectionRecord,
    DecisionRecord,
    ExerciseRecord,
    PushRecord,
    TeamRecord,
    tally_from_json,
    tally_json,
)
from .exercise_rows import ExerciseStore
from .progress import now

__all__ = ["CorrectionRecord", "DecisionRecord", "ExerciseRecord", "ExerciseStore", "PushRecord"]
__all__ += ["LiveExercise", "TeamRecord", "find_to_resume", "rebuild_team", "resume_exercise"]
__all__ += ["start_exercise", "tally_from_json", "tally_json"]

RESUME_FINISHED_WITHIN = 12 * 3600  # a finished exercise this recent reopens by its teams
NOTES_STAY_HIDDEN = "Facilitator notes hidden, as in the last exercise: n shows them."


@dataclass
class LiveExercise:
    """An exercise in play: the engine's value, kept in step with its rows in the store."""

    store: ExerciseStore
    id: int
    scenario: Scenario
    exercise: Exercise
    current: int = 0  # the team on screen
    note: str | None = None  # what the facilitator should know after a resume
    notes_hidden: bool = False  # facilitator notes kept off the projector
    facilitator: str | None = None
    started: float = field(default_factory=now)
    clocks: list[Countdown] = field(default_factory=list)  # one per team, with a countdown
    # the teams whose last decision's consequences the room has not moved on from: the state
    # before and after it (saved, so a resume shows them again)
    turns: dict[int, tuple[GameState, GameState]] = field(default_factory=dict)
    # the teams with an inject pushed (one without choices) that the room has not moved on
    # from: the state before and after it, and the inject
    events: dict[int, tuple[GameState, GameState, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        limit = self.exercise.countdown
        if limit and not self.clocks:
            self.clocks = [Countdown.fresh(limit) for _ in self.exercise.teams]

    def record_choice(self, index: int, choice_id: str) -> Exercise:
        return self._decided(index, record_choice(self.scenario, self.exercise, index, choice_id))

    def decide_by_majority(self, index: int) -> Exercise:
        return self._decided(index, decide_by_majority(self.scenario, self.exercise, index))

    def _decided(self, index: int, exercise: Exercise) -> Exercise:
        team = exercise.teams[index]
        self.store.record_decision(
            self.id, index, len(team.decisions), team.decisions[-1], exercise.finished
        )
        self.turns[index] = (self.exercise.teams[index].state, team.state)
        self.exercise = exercise
        if self.clocks:  # the next decision gets a full, stopped clock
            self.clocks[index] = self.clocks[index].reset()
        return exercise

    def push_inject(self, index: int, inject_id: str) -> bool:
        """Fire an inject in the team's play now (IllegalMove, in words, if it cannot be);
        the room moves on from what it was looking at. True when the votes entered for the
        decision then open were set aside (the inject interrupted it, or changed its
        options)."""
        before = self.exercise.teams[index]
        exercise = push_to_team(self.scenario, self.exercise, index, inject_id)
        team = exercise.teams[index]
        votes_go = team.state.node != before.state.node or team.tally != before.tally
        self.move_on(index)
        self.store.record_push(self.id, index, inject_id, len(team.decisions), votes_go)
        self.exercise = exercise
        inject = find_inject(self.scenario, inject_id)
        if inject is not None and not inject.choices:
            self.events[index] = (before.state, team.state, inject_id)
        return votes_go and before.tally is not None

    def take_back_push(self, index: int) -> str:
        """Undo the inject pushed to the team since its last decision (the latest, if
        several); the record keeps it as taken back. Returns the inject's id."""
        exercise, inject_id = take_back_push(self.scenario, self.exercise, index)
        self.store.take_back_push(self.id, index, len(exercise.teams[index].decisions))
        self.exercise = exercise
        self.events.pop(index, None)
        return inject_id

    def take_back(self, index: int) -> TeamDecision:
        """Take back the team's last decision; it stays in the record as a correction."""
        seq = len(self.exercise.teams[index].decisions)
        exercise, undone = undo_last(self.scenario, self.exercise, index)
        self.store.take_back(self.id, index, seq, exercise.teams[index].tally)
        self.exercise = exercise
        self.turns.pop(index, None)
        return undone

    def move_on(self, index: int) -> None:
        """The room has seen the consequences of the team's last decision, or the inject
        pushed to it."""
        if self.turns.pop(index, None) is not None:
            self.store.mark_shown(self.id, index, len(self.exercise.teams[index].decisions))
        if self.events.pop(index, None) is not None:
            self.store.mark_push_shown(self.id, index)

    def enter_tally(self, index: int, counts: dict[str, int]) -> Exercise:
        exercise = enter_tally(self.scenario, self.exercise, index, counts)
        self.store.save_tally(self.id, index, exercise.teams[index].tally)
        self.exercise = exercise
        return exercise

    def reveal_tally(self, index: int) -> Exercise:
        exercise = reveal_tally(self.exercise, index)
        self.store.save_tally(self.id, index, exercise.teams[index].tally)
        self.exercise = exercise
        return exercise

    def assign_role(self, index: int, role: str, member: str) -> Exercise:
        exercise = assign_role(self.exercise, index, role, member)
        self.store.set_role(self.id, index, role, exercise.teams[index].member(role) or "")
        self.exercise = exercise
        return exercise

    def show_team(self, index: int) -> None:
        self.current = index % len(self.exercise.teams)
        self.store.set_current(self.id, self.current)

    def hide_notes(self, hidden: bool) -> None:
        self.notes_hidden = hidden
        self.store.set_notes_hidden(self.id, hidden)

    def toggle_clock(self, index: int, moment: float) -> Countdown:
        """Start or pause a team's clock (``moment`` on the caller's monotonic clock)."""
        clock = self.clocks[index].toggle(moment)
        self.clocks[index] = clock
        self.store.save_clock(self.id, index, clock.remaining(moment))
        return clock

    def save_clocks(self, moment: float) -> None:
        """What every team has left, so a resume finds it (paused)."""
        for index, clock in enumerate(self.clocks):
            self.store.save_clock(self.id, index, clock.remaining(moment))

    def set_countdown(self, seconds: int) -> str | None:
        """A new time per decision, every clock full again; the note that says so (None
        when nothing changed)."""
        before = self.exercise.countdown
        if seconds == before:
            return None
        self.store.set_countdown(self.id, seconds)
        self.exercise = replace(self.exercise, countdown=seconds)
        self.clocks = [Countdown.fresh(seconds) for _ in self.exercise.teams]
        was = f"{before} s" if before else "no clock"
        return f"The countdown is now {seconds} s per decision (was {was}); every clock is full."


def start_exercise(
    store: ExerciseStore,
    scenario: Scenario,
    names,
    countdown: int | None = None,
    facilitator: str | None = None,
) -> LiveExercise:
    """A new exercise; the facilitator notes start hidden if they were in the last one."""
    exercise = new_exercise(scenario, names, countdown)
    names = tuple(team.name for team in exercise.teams)
    hidden = store.notes_were_hidden()
    exercise_id = store.create(scenario.id, scenario.digest, names, countdown, facilitator, hidden)
    record = store.record(exercise_id)
    assert record is not None
    return LiveExercise(
        store,
        exercise_id,
        scenario,
        exercise,
        note=NOTES_STAY_HIDDEN if hidden else None,
        notes_hidden=hidden,
        facilitator=record.facilitator,
        started=record.started,
    )


def find_to_resume(
    store: ExerciseStore, scenario_id: str, names: tuple[str, ...], moment: float | None = None
) -> int | None:
    """The latest open exercise of this scenario with these teams (any case); else one that
    finished in the last hours, so that a hot wash lost to a crash can be had again."""
    wanted = [name.casefold() for name in names]
    moment = now() if moment is None else moment
    matching = [
        record
        for record in store.reopenable()
        if record.scenario == scenario_id and [n.casefold() for n in record.team_names] == wanted
    ]
    for record in reversed(matching):
        if record.status == "open":
            return record.id
    for record in reversed(matching):
        if moment - record.updated <= RESUME_FINISHED_WITHIN:
            return record.id
    return None


def rebuild_team(scenario: Scenario, record: TeamRecord) -> tuple[Team, int]:
    """A team replayed from its records, each inject pushed to it in its place, and how many
    of its decisions still fit (the play stops at the first decision or push that does not)."""
    decisions = tuple(
        TeamDecision(d.node, d.choice, d.how, d.tally, d.reason) for d in record.decisions
    )
    blank = Team(record.name, new_game(scenario), roles=record.roles)
    return replay_team(scenario, blank, decisions, record.standing_pushes)


def _unfit_pushes(record: TeamRecord, team: Team) -> list[int]:
    """The standing pushes the replayed team does not hold (they no longer fit)."""
    held = pushes_of(team.state)
    standing = [p for p in record.pushes if p.taken_back is None]
    return [p.id for p in standing[len(held) :]]


def _unseen_push(
    scenario: Scenario, record: TeamRecord, team: Team
) -> tuple[GameState, GameState, str] | None:
    """The state before and after the last inject pushed to the team, one without choices
    after its last decision, if the room had not moved on from it when the exercise stopped."""
    standing = [p for p in record.pushes if p.taken_back is None]
    if not standing or standing[-1].shown is not None:
        return None
    last: PushRecord = standing[-1]
    inject = find_inject(scenario, last.inject)
    held = pushes_of(team.state)
    if inject is None or inject.choices or len(held) != len(standing):
        return None
    if last.decisions != len(team.decisions):
        return None
    before, _ = replay_team(scenario, team, team.decisions, held[:-1])
    return before.state, team.state, last.inject


def _unseen_turn(
    scenario: Scenario, record: TeamRecord, team: Team
) -> tuple[GameState, GameState] | None:
    """The state before and after the team's last decision, if the room had not moved on
    from its consequences when the exercise stopped."""
    if not team.decisions or len(team.decisions) != len(record.decisions):
        return None
    if record.decisions[-1].shown is not None:
        return None
    before, _ = rebuild_team(scenario, replace(record, decisions=record.decisions[:-1]))
    return before.state, team.state


def _pending_tally(scenario: Scenario, team: Team, tally: Tally | None) -> Tally | None:
    """The stored tally, if it is still for the team's open decision and its options."""
    if tally is None or team.state.node != tally.node:
        return None
    options = [c.id for c in open_choices(scenario, team.state)]
    return tally if [c for c, _ in tally.counts] == options else None


def resume_exercise(
    store: ExerciseStore, exercise_id: int, scenario: Scenario, countdown: int | None = None
) -> LiveExercise:
    """An exercise as it was saved, its clocks paused where they stood; decisions an edit of
    the scenario no longer allows are dropped, and a new ``countdown`` takes effect, each
    with a note saying so."""
    record = store.record(exercise_id)
    if record is None:
        raise ExerciseError(f"no exercise {exercise_id}")
    if record.scenario != scenario.id:
        raise ExerciseError(f"exercise {exercise_id} is of scenario {record.scenario!r}")
    teams, dropped, turns, events = [], [], {}, {}
    for position, team_record in enumerate(record.teams):
        team, fitted = rebuild_team(scenario, team_record)
        unfit = _unfit_pushes(team_record, team)
        if fitted < len(team_record.decisions) or unfit:
            store.drop_decisions(exercise_id, position, fitted)
            store.drop_pushes(exercise_id, position, unfit)
            dropped.append(f"{team.name} from decision {fitted + 1}")
        turn = _unseen_turn(scenario, team_record, team)
        if turn is not None:
            turns[position] = turn
        event = _unseen_push(scenario, team_record, team)
        if event is not None:
            events[position] = event
        tally = _pending_tally(scenario, team, team_record.tally)
        if tally != team_record.tally:
            store.save_tally(exercise_id, position, tally)
        teams.append(replace(team, tally=tally))
    if record.digest != scenario.digest:
        store.set_digest(exercise_id, scenario.digest)
    notes = []
    if dropped:
        notes.append("The scenario changed; these teams go on again " + "; ".join(dropped) + ".")
    exercise = Exercise(scenario.id, tuple(teams), record.countdown)
    clocks = []
    if record.countdown:
        clocks = [Countdown.fresh(record.countdown, t.clock) for t in record.teams]
    live = LiveExercise(
        store,
        exercise_id,
        scenario,
        exercise,
        min(record.current_team, len(teams) - 1),
        notes_hidden=record.notes_hidden,
        facilitator=record.facilitator,
        started=record.started,
        clocks=clocks,
        turns=turns,
        events=events,
    )
    if countdown:
        changed = live.set_countdown(countdown)
        if changed:
            notes.append(changed)
    live.note = " ".join(notes) or None
    return live
