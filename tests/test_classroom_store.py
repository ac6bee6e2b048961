"""The class in the store: sign-in with an optional PIN, seats and the roster, one secret
ballot per seat per open decision, and the injects pushed to a team."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mltcourse.store import ProgressStore
from mltcourse.store.classroom import BallotClosed, ClassStore, SignInError, check_pin_format


@pytest.fixture
def store(tmp_path):
    progress = ProgressStore.in_dir(tmp_path)
    yield ClassStore(progress)
    progress.close()


def test_a_new_learner_signs_in_and_a_returning_one_finds_their_progress(store):
    first = store.sign_in("class-1", "seat-a", "Amina Diallo")
    store.progress.mark_read(first.id, "basics")
    again = store.sign_in("class-2", "seat-b", "amina diallo")
    assert again.id == first.id
    assert store.progress.lessons_read(again.id) == {"basics"}


def test_a_pin_guards_a_learner_once_set(store):
    amina = store.sign_in("c", "s1", "Amina", pin="4821")
    assert store.has_pin(amina.id) and store.needs_pin("Amina")
    with pytest.raises(SignInError, match="has a PIN"):
        store.sign_in("c", "s2", "Amina")
    with pytest.raises(SignInError, match="not Amina's PIN"):
        store.sign_in("c", "s2", "Amina", pin="1111")
    assert store.sign_in("c", "s2", "Amina", pin="4821").id == amina.id
    stored = store.progress.read("SELECT salt, hash FROM learner_pins")[0]
    assert "4821" not in "".join(stored)  # salted hash only


@pytest.mark.parametrize("pin", ["12", "12ab", "1234567890123", "١٢٣٤"])
def test_malformed_pins_are_refused_plainly(store, pin):
    with pytest.raises(SignInError, match="4 to 12 digits"):
        store.sign_in("c", "s", "Jonas", pin=pin)
    assert store.progress.learners() == []


@settings(max_examples=20, deadline=None)
@given(st.text(alphabet="0123456789", min_size=4, max_size=12))
def test_only_the_pin_itself_matches(pin):
    assert check_pin_format(pin) == pin


def test_the_roster_lists_seats_in_the_order_they_joined_with_progress(store):
    amina = store.sign_in("c", "s1", "Amina")
    store.sign_in("c", "s2", "Jonas")
    store.take_seat("c", "s3", team=1)
    store.take_seat("other", "s9")
    store.progress.visit_section(amina.id, "basics", "risks")
    store.progress.record_answer(amina.id, "basics", "q1", [0], True)
    attempt = store.progress.start_attempt(amina.id, "crossroads", "d", "training")
    store.progress.finish_attempt(attempt, ("e", "success", 0.75))
    roster = store.roster("c")
    assert [row.seat for row in roster] == ["s1", "s2", "s3"]
    assert [row.learner for row in roster] == ["Amina", "Jonas", None]
    assert roster[0].checks_passed == 1 and roster[0].scores == (("crossroads", 0.75),)
    assert roster[0].place is not None and roster[0].place.target == "basics"
    assert roster[2].team == 1 and roster[1].place is None


def _exercise(store: ClassStore) -> int:
    """An open exercise of two teams, written as the exercise store writes it."""
    with store.progress.write() as db:
        cursor = db.execute(
            "INSERT INTO exercises (scenario, digest, started, updated) VALUES ('x', 'd', 0, 0)"
        )
        db.executemany(
            "INSERT INTO exercise_teams (exercise_id, position, name) VALUES (?, ?, ?)",
            [(cursor.lastrowid, 0, "Alpha"), (cursor.lastrowid, 1, "Bravo")],
        )
    return int(cursor.lastrowid)


def _run(store: ClassStore, sql: str, *params) -> None:
    with store.progress.write() as db:
        db.execute(sql, params)


def test_one_ballot_per_seat_replaced_by_a_second_and_counted_secretly(store):
    exercise = _exercise(store)
    store.cast_ballot(exercise, 0, 1, "s1", "consult")
    store.cast_ballot(exercise, 0, 1, "s2", "consult")
    store.cast_ballot(exercise, 0, 1, "s3", "alone")
    store.cast_ballot(exercise, 0, 1, "s3", "consult")  # changed their mind
    store.cast_ballot(exercise, 1, 1, "s4", "alone")
    assert store.ballot_counts(exercise, 0, 1) == {"consult": 3}
    assert store.ballot_counts(exercise, 1, 1) == {"alone": 1}
    assert store.ballot(exercise, 0, 1, "s3") == "consult"


def test_ballots_close_on_reveal_on_decision_and_when_the_exercise_ends(store):
    exercise = _exercise(store)
    revealed = '{"node": "first", "counts": [["consult", 2]], "revealed": true}'
    _run(store, "UPDATE exercise_teams SET tally = ? WHERE position = 0", revealed)
    with pytest.raises(BallotClosed, match="revealed"):
        store.cast_ballot(exercise, 0, 1, "s1", "consult")
    _run(
        store,
        "INSERT INTO exercise_decisions (exercise_id, position, seq, node, choice, how, made) "
        "VALUES (?, 1, 1, 'first', 'alone', 'recorded', 0)",
        exercise,
    )
    with pytest.raises(BallotClosed, match="moved on"):
        store.cast_ballot(exercise, 1, 1, "s1", "alone")
    store.cast_ballot(exercise, 1, 2, "s1", "keep")
    _run(store, "UPDATE exercises SET status = 'finished' WHERE id = ?", exercise)
    with pytest.raises(BallotClosed, match="not open"):
        store.cast_ballot(exercise, 1, 2, "s1", "keep")
    assert store.ballot_counts(exercise, 1, 2) == {"keep": 1}
