"""Group exercises in the progress database, saved as they go.

Every role card, vote tally and team decision is committed before the call returns, so an
exercise survives the facilitator's laptop dying mid-session: resuming replays each team's
recorded choices with the engine, as ``attempts.py`` does for a learner. The tables share the
progress store's connection and lock (one file, one write-ahead log).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

from ..content.model import Scenario
from ..engine.exercise import (
    ROLES,
    Exercise,
    ExerciseError,
    Tally,
    Team,
    TeamDecision,
    apply_decision,
    assign_role,
    decide_by_majority,
    enter_tally,
    new_exercise,
    record_choice,
    reveal_tally,
)
from ..engine.state import new_game, open_choices
from ..safetext import clean_name
from .progress import ProgressStore, now


@dataclass(frozen=True, slots=True)
class DecisionRecord:
    node: str
    choice: str
    how: str
    tally: Tally | None
    made: float


@dataclass(frozen=True, slots=True)
class TeamRecord:
    name: str
    tally: Tally | None
    roles: tuple[tuple[str, str], ...]
    decisions: tuple[DecisionRecord, ...]


@dataclass(frozen=True, slots=True)
class ExerciseRecord:
    id: int
    scenario: str
    digest: str
    countdown: int | None
    status: str  # open | finished | closed
    current_team: int
    started: float
    updated: float
    note: str | None
    teams: tuple[TeamRecord, ...]

    @property
    def team_names(self) -> tuple[str, ...]:
        return tuple(team.name for team in self.teams)


def tally_json(tally: Tally | None) -> str | None:
    if tally is None:
        return None
    return json.dumps(
        {"node": tally.node, "counts": [list(c) for c in tally.counts], "revealed": tally.revealed}
    )


def tally_from_json(text: str | None) -> Tally | None:
    if not text:
        return None
    data = json.loads(text)
    counts = tuple((str(c), int(n)) for c, n in data["counts"])
    return Tally(data["node"], counts, bool(data["revealed"]))


def _role_order(card: tuple[str, str]) -> int:
    return ROLES.index(card[0]) if card[0] in ROLES else len(ROLES)


_EXERCISE_COLUMNS = "id, scenario, digest, countdown, status, current_team, started, updated, note"


class ExerciseStore:
    def __init__(self, progress: ProgressStore) -> None:
        self.progress = progress

    def create(
        self, scenario: str, digest: str, names: tuple[str, ...], countdown: int | None
    ) -> int:
        stamp = now()
        with self.progress.write() as db:
            cursor = db.execute(
                "INSERT INTO exercises (scenario, digest, countdown, started, updated) "
                "VALUES (?, ?, ?, ?, ?)",
                (scenario, digest, countdown, stamp, stamp),
            )
            exercise_id = int(cursor.lastrowid)
            db.executemany(
                "INSERT INTO exercise_teams (exercise_id, position, name) VALUES (?, ?, ?)",
                [(exercise_id, position, name) for position, name in enumerate(names)],
            )
        return exercise_id

    def set_role(self, exercise_id: int, position: int, role: str, member: str) -> None:
        member = clean_name(member)
        with self.progress.write() as db:
            if member:
                db.execute(
                    "INSERT INTO exercise_roles (exercise_id, position, role, member) "
                    "VALUES (?, ?, ?, ?) ON CONFLICT (exercise_id, position, role) "
                    "DO UPDATE SET member = excluded.member",
                    (exercise_id, position, role, member),
                )
            else:
                db.execute(
                    "DELETE FROM exercise_roles WHERE exercise_id = ? AND position = ? "
                    "AND role = ?",
                    (exercise_id, position, role),
                )
            self._touch(db, exercise_id)

    def save_tally(self, exercise_id: int, position: int, tally: Tally | None) -> None:
        with self.progress.write() as db:
            db.execute(
                "UPDATE exercise_teams SET tally = ? WHERE exercise_id = ? AND position = ?",
                (tally_json(tally), exercise_id, position),
            )
            self._touch(db, exercise_id)

    def record_decision(
        self, exercise_id: int, position: int, seq: int, decision: TeamDecision, finished: bool
    ) -> None:
        """One team decision (the ``seq``-th, from 1), its pending tally cleared, and the
        exercise marked finished when it was the last one, all in one transaction."""
        stamp = now()
        with self.progress.write() as db:
            db.execute(
                "INSERT INTO exercise_decisions (exercise_id, position, seq, node, choice, how, "
                "tally, made) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    exercise_id,
                    position,
                    seq,
                    decision.node,
                    decision.choice,
                    decision.how,
                    tally_json(decision.tally),
                    stamp,
                ),
            )
            db.execute(
                "UPDATE exercise_teams SET tally = NULL WHERE exercise_id = ? AND position = ?",
                (exercise_id, position),
            )
            status = "finished" if finished else "open"
            db.execute(
                "UPDATE exercises SET status = ?, updated = ? WHERE id = ?",
                (status, stamp, exercise_id),
            )

    def drop_decisions(self, exercise_id: int, position: int, keep: int) -> None:
        """Forget a team's decisions after the first ``keep`` (they no longer fit the
        scenario), so the team can go on from there."""
        with self.progress.write() as db:
            db.execute(
                "DELETE FROM exercise_decisions WHERE exercise_id = ? AND position = ? AND seq > ?",
                (exercise_id, position, keep),
            )
            self._touch(db, exercise_id)

    def set_current(self, exercise_id: int, position: int) -> None:
        with self.progress.write() as db:
            db.execute(
                "UPDATE exercises SET current_team = ? WHERE id = ?", (position, exercise_id)
            )

    def set_digest(self, exercise_id: int, digest: str) -> None:
        with self.progress.write() as db:
            db.execute("UPDATE exercises SET digest = ? WHERE id = ?", (digest, exercise_id))

    def close(self, exercise_id: int, note: str) -> None:
        with self.progress.write() as db:
            db.execute(
                "UPDATE exercises SET status = 'closed', note = ?, updated = ? WHERE id = ?",
                (note, now(), exercise_id),
            )

    @staticmethod
    def _touch(db, exercise_id: int) -> None:
        db.execute("UPDATE exercises SET updated = ? WHERE id = ?", (now(), exercise_id))

    # --- reading -----------------------------------------------------------------------------

    def _records(self, where: str, *params) -> list[ExerciseRecord]:
        with self.progress.reading():
            rows = self.progress.read(
                f"SELECT {_EXERCISE_COLUMNS} FROM exercises WHERE {where} ORDER BY started, id",
                *params,
            )
            return [self._record(row) for row in rows]

    def _record(self, row: tuple) -> ExerciseRecord:
        exercise_id = row[0]
        roles: dict[int, list[tuple[str, str]]] = {}
        for position, role, member in self.progress.read(
            "SELECT position, role, member FROM exercise_roles WHERE exercise_id = ?",
            exercise_id,
        ):
            roles.setdefault(position, []).append((role, member))
        decisions: dict[int, list[DecisionRecord]] = {}
        for position, node, choice, how, tally, made in self.progress.read(
            "SELECT position, node, choice, how, tally, made FROM exercise_decisions "
            "WHERE exercise_id = ? ORDER BY position, seq",
            exercise_id,
        ):
            decisions.setdefault(position, []).append(
                DecisionRecord(node, choice, how, tally_from_json(tally), made)
            )
        teams = tuple(
            TeamRecord(
                name,
                tally_from_json(tally),
                tuple(sorted(roles.get(position, []), key=_role_order)),
                tuple(decisions.get(position, [])),
            )
            for position, name, tally in self.progress.read(
                "SELECT position, name, tally FROM exercise_teams WHERE exercise_id = ? "
                "ORDER BY position",
                exercise_id,
            )
        )
        return ExerciseRecord(*row, teams=teams)

    def record(self, exercise_id: int) -> ExerciseRecord | None:
        found = self._records("id = ?", exercise_id)
        return found[0] if found else None

    def open_exercises(self) -> list[ExerciseRecord]:
        return self._records("status = 'open'")

    def all_exercises(self) -> list[ExerciseRecord]:
        return self._records("1")


@dataclass
class LiveExercise:
    """An exercise in play: the engine's value, kept in step with its rows in the store."""

    store: ExerciseStore
    id: int
    scenario: Scenario
    exercise: Exercise
    current: int = 0  # the team on screen
    note: str | None = None  # what the facilitator should know after a resume

    def record_choice(self, index: int, choice_id: str) -> Exercise:
        return self._decided(index, record_choice(self.scenario, self.exercise, index, choice_id))

    def decide_by_majority(self, index: int) -> Exercise:
        return self._decided(index, decide_by_majority(self.scenario, self.exercise, index))

    def _decided(self, index: int, exercise: Exercise) -> Exercise:
        team = exercise.teams[index]
        self.store.record_decision(
            self.id, index, len(team.decisions), team.decisions[-1], exercise.finished
        )
        self.exercise = exercise
        return exercise

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


def start_exercise(
    store: ExerciseStore, scenario: Scenario, names, countdown: int | None = None
) -> LiveExercise:
    exercise = new_exercise(scenario, names, countdown)
    names = tuple(team.name for team in exercise.teams)
    exercise_id = store.create(scenario.id, scenario.digest, names, countdown)
    return LiveExercise(store, exercise_id, scenario, exercise)


def find_open(store: ExerciseStore, scenario_id: str, names: tuple[str, ...]) -> int | None:
    """The latest open exercise of this scenario with these teams (any case)."""
    wanted = [name.casefold() for name in names]
    for record in reversed(store.open_exercises()):
        if record.scenario == scenario_id and [n.casefold() for n in record.team_names] == wanted:
            return record.id
    return None


def rebuild_team(scenario: Scenario, record: TeamRecord) -> tuple[Team, int]:
    """A team replayed from its records, and how many of its decisions still fit."""
    team = Team(record.name, new_game(scenario), roles=record.roles)
    for fitted, decision in enumerate(record.decisions):
        try:
            team = apply_decision(scenario, team, decision.choice, decision.how, decision.tally)
        except (ValueError, KeyError):
            return team, fitted
    return team, len(record.decisions)


def _pending_tally(scenario: Scenario, team: Team, tally: Tally | None) -> Tally | None:
    """The stored tally, if it is still for the team's open decision and its options."""
    if tally is None or team.state.node != tally.node:
        return None
    options = [c.id for c in open_choices(scenario, team.state)]
    return tally if [c for c, _ in tally.counts] == options else None


def resume_exercise(store: ExerciseStore, exercise_id: int, scenario: Scenario) -> LiveExercise:
    """An exercise as it was saved; decisions an edit of the scenario no longer allows are
    dropped, with a note saying so."""
    record = store.record(exercise_id)
    if record is None:
        raise ExerciseError(f"no exercise {exercise_id}")
    if record.scenario != scenario.id:
        raise ExerciseError(f"exercise {exercise_id} is of scenario {record.scenario!r}")
    teams, notes = [], []
    for position, team_record in enumerate(record.teams):
        team, fitted = rebuild_team(scenario, team_record)
        if fitted < len(team_record.decisions):
            store.drop_decisions(exercise_id, position, fitted)
            notes.append(f"{team.name} from decision {fitted + 1}")
        tally = _pending_tally(scenario, team, team_record.tally)
        if tally != team_record.tally:
            store.save_tally(exercise_id, position, tally)
        teams.append(replace(team, tally=tally))
    if record.digest != scenario.digest:
        store.set_digest(exercise_id, scenario.digest)
    note = None
    if notes:
        note = "The scenario changed; these teams go on again " + "; ".join(notes) + "."
    exercise = Exercise(scenario.id, tuple(teams), record.countdown)
    current = min(record.current_team, len(teams) - 1)
    return LiveExercise(store, exercise_id, scenario, exercise, current, note)
