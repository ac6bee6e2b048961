"""A served class in the progress database: who studies at each seat, learners' PINs and team
members' ballots (the injects a facilitator pushes are part of the exercise: ``exercise_rows``).

A *seat* is one browser, named by the classroom server (a signed cookie); a *class* is one run
of ``mltcourse serve``. The rules of the class live here, not in the screens: a learner with
a PIN is opened only with it; a ballot is taken only while its decision is open and its tally
unrevealed; one ballot per seat per decision (a second one replaces the first).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass

from ..safetext import clean_name
from .progress import Learner, Place, ProgressStore, now

PIN_DIGITS = range(4, 13)
# scrypt's cost: about 50 ms and 16 MiB per check, so a PIN cannot be guessed quickly from a
# copy of the file (a PIN of few digits is still short: it guards a seat, not a secret)
_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}


class SignInError(ValueError):
    """A sign-in the class does not allow: a wrong or missing PIN, a bad name or PIN."""


class BallotClosed(ValueError):
    """A ballot for a decision already taken, revealed, or of an exercise no longer open."""


def check_pin_format(pin: str) -> str:
    """The PIN as typed, if it is 4 to 12 digits (SignInError otherwise)."""
    pin = pin.strip()
    if not pin.isdigit() or not pin.isascii() or len(pin) not in PIN_DIGITS:
        raise SignInError("a PIN is 4 to 12 digits")
    return pin


def _revealed(tally: str | None) -> bool:
    """Whether a stored tally (exercise_teams.tally, JSON) has been shown to the room."""
    try:
        return bool(tally) and bool(json.loads(tally).get("revealed"))
    except (ValueError, AttributeError):
        return False


def _digest(pin: str, salt: bytes) -> bytes:
    return hashlib.scrypt(pin.encode(), salt=salt, **_SCRYPT)


@dataclass(frozen=True, slots=True)
class Seat:
    """One browser of a served class: the class's id and the seat's, both from the server."""

    class_id: str
    seat: str


@dataclass(frozen=True, slots=True)
class SeatRow:
    """One seat of the class as the trainer's roster shows it."""

    seat: str
    learner: str | None
    team: int | None
    joined: float
    last_seen: float
    place: Place | None  # the learner's last lesson section or open scenario
    shown: str | None  # what the seat's screen showed at its last heartbeat
    checks_passed: int
    scores: tuple[tuple[str, float], ...]  # scenario id, best decision quality (finished)


class ClassStore:
    def __init__(self, progress: ProgressStore) -> None:
        self.progress = progress

    # --- PINs --------------------------------------------------------------------------------

    def has_pin(self, learner_id: int) -> bool:
        rows = self.progress.read("SELECT 1 FROM learner_pins WHERE learner_id = ?", learner_id)
        return bool(rows)

    def set_pin(self, learner_id: int, pin: str) -> None:
        salt = secrets.token_bytes(16)
        digest = _digest(check_pin_format(pin), salt)
        with self.progress.write() as db:
            db.execute(
                "INSERT INTO learner_pins (learner_id, salt, hash) VALUES (?, ?, ?) "
                "ON CONFLICT (learner_id) DO UPDATE SET salt = excluded.salt, hash = excluded.hash",
                (learner_id, salt.hex(), digest.hex()),
            )

    def pin_matches(self, learner_id: int, pin: str) -> bool:
        rows = self.progress.read(
            "SELECT salt, hash FROM learner_pins WHERE learner_id = ?", learner_id
        )
        if not rows:
            return False
        salt, stored = bytes.fromhex(rows[0][0]), bytes.fromhex(rows[0][1])
        return hmac.compare_digest(_digest(pin.strip(), salt), stored)

    def needs_pin(self, name: str) -> bool:
        """Whether the learner of this name exists and has a PIN (asked before the PIN)."""
        rows = self.progress.read(
            "SELECT 1 FROM learners JOIN learner_pins ON learner_pins.learner_id = learners.id "
            "WHERE learners.name = ?",
            clean_name(name),
        )
        return bool(rows)

    def sign_in(self, class_id: str, seat: str, name: str, pin: str = "") -> Learner:
        """The learner studying at ``seat``: found by name (created if new), opened only
        with their PIN if they set one; a PIN given where there is none becomes theirs."""
        name = clean_name(name)
        if not name:
            raise SignInError("type your name")
        if pin.strip():
            check_pin_format(pin)
        if self.needs_pin(name):
            if not pin.strip():
                raise SignInError(f"{name} has a PIN: type it to go on")
            learner = self.progress.learner(name)
            if not self.pin_matches(learner.id, pin):
                raise SignInError(f"that is not {name}'s PIN")
        else:
            learner = self.progress.learner(name)
            if pin.strip():
                self.set_pin(learner.id, pin)
        self.take_seat(class_id, seat, learner_id=learner.id)
        return learner

    # --- seats -------------------------------------------------------------------------------

    def take_seat(
        self, class_id: str, seat: str, learner_id: int | None = None, team: int | None = None
    ) -> None:
        """Mark ``seat`` as in the class now, studying as ``learner_id`` or in ``team``."""
        stamp = now()
        with self.progress.write() as db:
            db.execute(
                "INSERT INTO class_seats (class_id, seat, learner_id, team, joined, last_seen) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (class_id, seat) DO UPDATE SET "
                "learner_id = coalesce(excluded.learner_id, learner_id), "
                "team = coalesce(excluded.team, team), last_seen = excluded.last_seen",
                (class_id, seat, learner_id, team, stamp, stamp),
            )

    def seen(self, class_id: str, seat: str, place: str | None = None) -> None:
        """The seat is still here (and, if given, what it shows)."""
        with self.progress.write() as db:
            db.execute(
                "UPDATE class_seats SET last_seen = ?, place = coalesce(?, place) "
                "WHERE class_id = ? AND seat = ?",
                (now(), place, class_id, seat),
            )

    def roster(self, class_id: str) -> list[SeatRow]:
        """Every seat of the class, in the order they joined, with its learner's progress."""
        rows = self.progress.read(
            "SELECT seat, learner_id, learners.name, team, joined, class_seats.last_seen, place "
            "FROM class_seats LEFT JOIN learners ON learners.id = learner_id "
            "WHERE class_id = ? ORDER BY joined, class_seats.id",
            class_id,
        )
        roster = []
        for seat, learner_id, name, team, joined, last_seen, shown in rows:
            place, passed, scores = None, 0, ()
            if learner_id is not None:
                place = self.progress.last_place(learner_id)
                passed = sum(len(c) for c in self.progress.checks_passed(learner_id).values())
                progress = self.progress.scenario_progress(learner_id).items()
                scores = tuple(sorted((s, p.best) for s, p in progress if p.best is not None))
            row = SeatRow(seat, name, team, joined, last_seen, place, shown, passed, scores)
            roster.append(row)
        return roster

    # --- ballots -----------------------------------------------------------------------------

    def cast_ballot(
        self, exercise_id: int, position: int, seq: int, seat: str, choice: str
    ) -> None:
        """``seat``'s vote at the team's ``seq``-th decision (from 1), replacing its earlier
        one; BallotClosed once that decision is taken or its tally revealed."""
        with self.progress.write() as db:
            row = db.execute(
                "SELECT exercises.status, exercise_teams.tally, "
                "(SELECT count(*) FROM exercise_decisions d WHERE d.exercise_id = ? "
                "AND d.position = ?) FROM exercises JOIN exercise_teams "
                "ON exercise_teams.exercise_id = exercises.id "
                "WHERE exercises.id = ? AND exercise_teams.position = ?",
                (exercise_id, position, exercise_id, position),
            ).fetchone()
            if row is None or row[0] != "open":
                raise BallotClosed("the exercise is not open")
            _, tally, decided = row
            if decided != seq - 1:
                raise BallotClosed("the team has moved on from that decision")
            if _revealed(tally):
                raise BallotClosed("the votes have been revealed")
            db.execute(
                "INSERT INTO ballots (exercise_id, position, seq, seat, choice, cast) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (exercise_id, position, seq, seat) "
                "DO UPDATE SET choice = excluded.choice, cast = excluded.cast",
                (exercise_id, position, seq, seat, choice, now()),
            )

    def ballot(self, exercise_id: int, position: int, seq: int, seat: str) -> str | None:
        rows = self.progress.read(
            "SELECT choice FROM ballots WHERE exercise_id = ? AND position = ? AND seq = ? "
            "AND seat = ?",
            exercise_id,
            position,
            seq,
            seat,
        )
        return rows[0][0] if rows else None

    def ballot_counts(self, exercise_id: int, position: int, seq: int) -> dict[str, int]:
        """How many seats voted for each option (no seat is named: ballots are secret)."""
        rows = self.progress.read(
            "SELECT choice, count(*) FROM ballots WHERE exercise_id = ? AND position = ? "
            "AND seq = ? GROUP BY choice",
            exercise_id,
            position,
            seq,
        )
        return {choice: int(n) for choice, n in rows}
