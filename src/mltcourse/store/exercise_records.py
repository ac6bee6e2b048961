"""What the progress database holds of a group exercise, read back as plain values.

``ExerciseStore`` writes the rows; this module turns them into records for the screens, the
after-action review, the CSV and the xAPI statements, including the corrections (decisions
the facilitator took back), which stay in the record after the decision itself is gone, and
the injects the facilitator pushed into a team's play.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from ..engine.exercise import ROLES, Tally

EXERCISE_COLUMNS = (
    "id, scenario, digest, countdown, status, current_team, started, updated, note, "
    "facilitator, notes_hidden"
)


@dataclass(frozen=True, slots=True)
class DecisionRecord:
    node: str
    choice: str
    how: str
    tally: Tally | None
    made: float
    reason: str | None = None  # tie-break | override, for the facilitator's call
    shown: float | None = None  # when the room moved on from its consequences


@dataclass(frozen=True, slots=True)
class CorrectionRecord:
    """A decision taken back: what it was, when it was made, and what replaced it."""

    seq: int
    node: str
    old: DecisionRecord
    new_choice: str | None  # None until the team decides again (or for ever, if it never did)
    made: float  # when it was taken back


@dataclass(frozen=True, slots=True)
class PushRecord:
    """An inject the facilitator pushed into a team's play."""

    id: int
    inject: str
    decisions: int  # the team's decisions made before it
    pushed: float
    shown: float | None = None  # when the room moved on from it (one without choices)
    taken_back: float | None = None  # when the facilitator undid it; None: it stands


@dataclass(frozen=True, slots=True)
class TeamRecord:
    name: str
    tally: Tally | None
    roles: tuple[tuple[str, str], ...]
    decisions: tuple[DecisionRecord, ...]
    clock: float | None = None  # seconds left on the team's clock; None: a full one
    corrections: tuple[CorrectionRecord, ...] = ()
    pushes: tuple[PushRecord, ...] = ()  # in the order they were pushed, taken back or not

    @property
    def standing_pushes(self) -> tuple[tuple[int, str], ...]:
        """(decisions made before it, inject) of each push that was not taken back."""
        return tuple((p.decisions, p.inject) for p in self.pushes if p.taken_back is None)


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
    facilitator: str | None
    notes_hidden: bool
    teams: tuple[TeamRecord, ...]

    @property
    def team_names(self) -> tuple[str, ...]:
        return tuple(team.name for team in self.teams)

    @property
    def decisions(self) -> int:
        return sum(len(team.decisions) for team in self.teams)


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


def read_record(read, row: tuple) -> ExerciseRecord:
    """The record of the exercise in ``row`` (its EXERCISE_COLUMNS); ``read(sql, *params)``
    runs a query inside the caller's read lock."""
    exercise_id = row[0]
    roles: dict[int, list[tuple[str, str]]] = {}
    for position, role, member in read(
        "SELECT position, role, member FROM exercise_roles WHERE exercise_id = ?", exercise_id
    ):
        roles.setdefault(position, []).append((role, member))
    decisions: dict[int, list[DecisionRecord]] = {}
    for position, node, choice, how, tally, made, reason, shown in read(
        "SELECT position, node, choice, how, tally, made, reason, shown FROM exercise_decisions "
        "WHERE exercise_id = ? ORDER BY position, seq",
        exercise_id,
    ):
        decisions.setdefault(position, []).append(
            DecisionRecord(node, choice, how, tally_from_json(tally), made, reason, shown)
        )
    corrections: dict[int, list[CorrectionRecord]] = {}
    for position, seq, node, choice, how, reason, tally, old_made, new, made in read(
        "SELECT position, seq, node, old_choice, old_how, old_reason, old_tally, old_made, "
        "new_choice, made FROM exercise_corrections WHERE exercise_id = ? ORDER BY id",
        exercise_id,
    ):
        old = DecisionRecord(node, choice, how, tally_from_json(tally), old_made, reason)
        corrections.setdefault(position, []).append(CorrectionRecord(seq, node, old, new, made))
    pushes: dict[int, list[PushRecord]] = {}
    for position, *push in read(
        "SELECT position, id, inject, decisions, pushed, shown, taken_back FROM exercise_pushes "
        "WHERE exercise_id = ? ORDER BY id",
        exercise_id,
    ):
        pushes.setdefault(position, []).append(PushRecord(*push))
    teams = tuple(
        TeamRecord(
            name,
            tally_from_json(tally),
            tuple(sorted(roles.get(position, []), key=_role_order)),
            tuple(decisions.get(position, [])),
            clock,
            tuple(corrections.get(position, [])),
            tuple(pushes.get(position, [])),
        )
        for position, name, tally, clock in read(
            "SELECT position, name, tally, clock FROM exercise_teams WHERE exercise_id = ? "
            "ORDER BY position",
            exercise_id,
        )
    )
    *head, facilitator, notes_hidden = row
    return ExerciseRecord(*head, facilitator, bool(notes_hidden), teams=teams)
