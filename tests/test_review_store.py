"""Spaced review in the store and its rules: which slips become items, FSRS scheduling, the
order of the due list, the daily limit, and a kill that loses no review."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apptest import FIXTURE_COURSE
from mltcourse.content.loader import load_course
from mltcourse.engine import review as rules
from mltcourse.engine import schedule as timing
from mltcourse.engine.state import choose, new_game
from mltcourse.store import ProgressStore
from mltcourse.store import review as book
from mltcourse.store.attempts import record_finished, start

DAY = 86400.0
T0 = 1_800_000_000.0
BOUNDED = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def fresh(tmp_path, name="data"):
    store = ProgressStore.in_dir(tmp_path / name)
    return store, store.learner("Ana")


def add_checks(store, learner_id, dues: list[float]) -> None:
    """One missed check per due time (items made directly, then set due)."""
    with store.write() as db:
        for n, due in enumerate(dues):
            book.add_missed_check(db, learner_id, "m", f"c{n}", T0)
            db.execute(
                "UPDATE review_items SET due = ? WHERE learner_id = ? AND item = ?",
                (due, learner_id, f"c{n}"),
            )


# --- which slips become items -----------------------------------------------------------------


def test_only_a_wrong_first_answer_makes_a_review_item(tmp_path):
    store, ana = fresh(tmp_path)
    store.record_answer(ana.id, "basics", "right-first", [0], True)
    store.record_answer(ana.id, "basics", "right-first", [1], False)  # practice afterwards
    store.record_answer(ana.id, "basics", "wrong-first", [1], False)
    store.record_answer(ana.id, "basics", "wrong-first", [0], True)  # the retry: practice
    items = book.due_items(store, ana.id, 2e9)
    assert [(i.kind, i.item, i.scenario) for i in items] == [("check", "wrong-first", None)]
    assert book.first_answers(store, ana.id, "basics") == {
        "right-first": True,
        "wrong-first": False,
    }
    assert store.checks_passed(ana.id) == {"basics": {"right-first", "wrong-first"}}


def test_decisions_neither_best_nor_defensible_become_items_in_any_mode(tmp_path):
    course = load_course(FIXTURE_COURSE)
    wells = course.scenarios["wells"]
    store, ana = fresh(tmp_path)
    for mode in ("training", "assessment"):
        attempt = start(store, ana.id, wells, mode)
        attempt.choose("cmcoord")  # doctrine-best: no item
        attempt.choose("press-on")  # -1 against review's +1: neither best nor defensible
    (item,) = book.due_items(store, ana.id, 2e9)
    assert (item.kind, item.module, item.scenario, item.item) == (
        "decision",
        "relief",
        "wells",
        "follow-up",
    )
    assert set(item.options) == {"review", "press-on"}
    # a headless play for the learner counts too, and a repeat miss brings the item due again
    state = choose(wells, choose(wells, new_game(wells), "approve"), "review")
    record_finished(store, ana.id, wells, state)
    assert {i.item for i in book.due_items(store, ana.id, 2e9)} == {"follow-up", "offer"}


def test_a_decision_taken_back_takes_its_review_item_back(tmp_path):
    course = load_course(FIXTURE_COURSE)
    store, ana = fresh(tmp_path)
    attempt = start(store, ana.id, course.scenarios["wells"], "training")
    attempt.choose("approve")
    assert len(book.due_items(store, ana.id, 2e9)) == 1
    assert attempt.take_back() is not None
    assert book.due_items(store, ana.id, 2e9) == []


def test_the_debriefs_verdicts_decide_what_is_missed():
    course = load_course(FIXTURE_COURSE)
    offer = course.scenarios["wells"].node("offer")
    approve, cmcoord = offer.choices
    assert rules.verdict(cmcoord, offer.choices) == "doctrine-best"
    assert rules.decision_missed(approve, offer.choices)
    assert rules.grade_decision(cmcoord, offer.choices) == timing.GOOD
    assert rules.grade_decision(approve, offer.choices) == timing.AGAIN


# --- scheduling ---------------------------------------------------------------------------------


@BOUNDED
@given(
    ratings=st.lists(st.sampled_from([1, 2, 3, 4]), min_size=1, max_size=8),
    waits=st.lists(st.floats(min_value=0, max_value=40 * DAY), min_size=8, max_size=8),
)
def test_every_review_puts_the_item_due_later_and_is_logged(tmp_path, ratings, waits):
    store, ana = fresh(tmp_path, f"d{time.monotonic_ns()}")
    store.record_answer(ana.id, "m", "c", [0], False)
    (item,) = book.due_items(store, ana.id, 2e9)
    when = T0
    for rating, wait in zip(ratings, waits, strict=False):
        when += wait
        scheduled = book.record_review(store, item.id, rating, "{}", when)
        assert scheduled.due >= when + DAY - 1  # never in the past; a day at the least
        assert book.item(store, item.id).due == scheduled.due
    reviews = book.reviews_of(store, item.id)
    assert [r for r, *_ in reviews] == ratings
    logs = [json.loads(log) for *_, log in reviews]
    assert {log["card_id"] for log in logs} == {item.id}
    assert [log["rating"] for log in logs] == ratings
    store.close()


def test_again_comes_back_sooner_than_good(tmp_path):
    store, ana = fresh(tmp_path)
    store.record_answer(ana.id, "m", "a", [0], False)
    store.record_answer(ana.id, "m", "b", [0], False)
    a, b = book.due_items(store, ana.id, 2e9)
    assert book.record_review(store, a.id, timing.AGAIN, "{}", T0).due < (
        book.record_review(store, b.id, timing.GOOD, "{}", T0).due
    )


def test_a_review_of_a_missing_item_writes_nothing(tmp_path):
    store, ana = fresh(tmp_path)
    try:
        book.record_review(store, 99, timing.GOOD, "{}", T0)
    except KeyError:
        pass
    else:
        raise AssertionError("a review of no item was taken")
    assert store.read("SELECT count(*) FROM reviews") == [(0,)]


# --- the due list and the daily limit -----------------------------------------------------------


@BOUNDED
@given(
    offsets=st.lists(st.floats(min_value=-30 * DAY, max_value=30 * DAY), max_size=30),
    limit=st.integers(min_value=1, max_value=40),
    done=st.integers(min_value=0, max_value=45),
)
def test_due_list_is_most_overdue_first_within_the_daily_limit(tmp_path, offsets, limit, done):
    store, ana = fresh(tmp_path, f"d{time.monotonic_ns()}")
    dues = [T0 + o for o in offsets]
    add_checks(store, ana.id, dues)
    due, later = book.count_due(store, ana.id, T0)
    assert (due, later) == (sum(d <= T0 for d in dues), sum(d > T0 for d in dues))
    listed = book.due_items(store, ana.id, T0)
    assert [i.due for i in listed] == sorted(d for d in dues if d <= T0)
    size = timing.session_size(due, limit, done)
    session = book.due_items(store, ana.id, T0, size)
    assert len(session) == min(due, max(0, limit - done)) <= max(0, limit - done)
    assert session == listed[:size]
    store.close()


def test_reviews_today_count_against_the_limit_and_the_limit_is_kept(tmp_path):
    store, ana = fresh(tmp_path)
    assert book.daily_limit(store, ana.id) == timing.DEFAULT_DAILY_LIMIT
    book.set_daily_limit(store, ana.id, 5)
    assert book.daily_limit(store, ana.id) == 5
    store.record_answer(ana.id, "m", "c", [0], False)
    (item,) = book.due_items(store, ana.id, 2e9)
    midnight = timing.day_start(T0)
    book.record_review(store, item.id, timing.GOOD, "{}", midnight - 60)  # yesterday
    book.record_review(store, item.id, timing.GOOD, "{}", midnight + 60)
    assert book.reviewed_since(store, ana.id, midnight) == 1
    for bad in ("0", "x", "501", ""):
        try:
            timing.parse_daily_limit(bad)
        except ValueError:
            continue
        raise AssertionError(f"{bad!r} taken as a daily limit")
    assert timing.parse_daily_limit(" 12 ") == 12


@settings(max_examples=60, deadline=None)
@given(count=st.integers(min_value=0, max_value=9), seed=st.text(max_size=8))
def test_a_reasked_item_shows_its_options_in_a_new_order(count, seed):
    order = rules.option_order(count, seed)
    assert sorted(order) == list(range(count))
    assert order == rules.option_order(count, seed)
    if count > 1:
        assert order != list(range(count))


def test_prompts_come_from_the_course_as_it_is_now():
    course = load_course(FIXTURE_COURSE)
    prompt = rules.prompt_for(course, "check", "basics", None, "who-leads", None, "s")
    assert prompt is not None and prompt.order == (1, 0)
    assert prompt.grade({1}) == (timing.GOOD, json.dumps({"order": [1, 0], "picked": [0]}))
    tier = rules.prompt_for(course, "check", "basics", None, "tier-plan", None, "s")
    assert tier is not None and tier.order == (0, 1, 2)  # a time scale keeps its order
    scene = rules.prompt_for(
        course, "decision", "relief", "wells", "offer", ["approve", "cmcoord"], "s"
    )
    assert scene is not None and scene.heading == "The offer"
    assert rules.prompt_for(course, "check", "basics", None, "gone", None, "s") is None
    assert (
        rules.prompt_for(course, "decision", "relief", "wells", "offer", ["approve"], "s") is None
    )
    assert (
        rules.prompt_for(course, "decision", "relief", "nowhere", "offer", ["a", "b"], "s") is None
    )


# --- a kill loses nothing -------------------------------------------------------------------------

REVIEWER = textwrap.dedent(
    """
    import sys
    from mltcourse.store import ProgressStore
    from mltcourse.store import review as book

    store = ProgressStore.in_dir(sys.argv[1])
    learner = store.learner("Ana")
    for n in range(200):
        store.record_answer(learner.id, "m", f"c{n}", [0], False)
    print("ready", flush=True)
    when = 1_800_000_000.0
    while True:
        for item in book.due_items(store, learner.id, 2e9):
            when += 1
            book.record_review(store, item.id, 1 + item.id % 4, "{}", when)
            print(item.id, flush=True)
    """
)


def test_a_kill_loses_no_review_that_was_reported(tmp_path):
    data = tmp_path / "data"
    out = tmp_path / "out.txt"
    with out.open("w") as sink:
        process = subprocess.Popen(
            [sys.executable, "-c", REVIEWER, str(data)], stdout=sink, start_new_session=True
        )
        try:
            deadline = time.monotonic() + 30
            while out.read_text().count("\n") < 40 and time.monotonic() < deadline:
                time.sleep(0.05)
        finally:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
    reported = [int(line) for line in out.read_text().splitlines()[1:]]
    assert len(reported) >= 30
    store = ProgressStore.in_dir(data)
    try:
        reviewed = {item for (item,) in store.read("SELECT item_id FROM reviews")}
        assert set(reported) <= reviewed
        rows = store.read(
            "SELECT i.id, i.due, max(r.reviewed) FROM review_items i JOIN reviews r "
            "ON r.item_id = i.id GROUP BY i.id"
        )
        assert all(due > last for _, due, last in rows)  # each review came with its schedule
        assert store.integrity() == "ok"
    finally:
        store.close()
