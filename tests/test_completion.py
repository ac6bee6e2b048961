"""The record of completion: the course's rule in modules/course.yaml, applied to a learner."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apptest import FIXTURE_COURSE, course_copy
from helpers import REPO
from mltcourse.content.loader import load_course
from mltcourse.content.model import Completion
from mltcourse.reports.progress import course_record
from mltcourse.store import open_store
from mltcourse.store.standing import FinishedAttempt, FirstAnswer, LearnerFacts, learner_facts
from mltcourse.store.timing import calibrated_minutes, playing_minutes

COURSE = load_course(FIXTURE_COURSE)
CHECKS = [(m.id, c.id) for m in COURSE.modules for c in m.checks]


def facts(**changes) -> LearnerFacts:
    base = LearnerFacts(
        name="Ana",
        created=1000.0,
        last_seen=2000.0,
        reads={},
        first_answers={},
        recalled={},
        attempts=(),
        review_due=0,
    )
    return replace(base, **changes)


def everything_done(at: float = 1500.0) -> LearnerFacts:
    return facts(
        reads={m.id: at for m in COURSE.modules},
        first_answers={key: FirstAnswer(True, at) for key in CHECKS},
        attempts=(FinishedAttempt("wells", "assessment", "calm", "success", 0.9, at, at + 60),),
    )


# --- the rule in the course's files -------------------------------------------------------------


def test_a_course_without_course_yaml_has_the_default_rule():
    assert COURSE.completion == Completion()


def test_the_shipped_course_states_its_rule():
    course = load_course(REPO)
    assert course.completion.file.endswith("course.yaml")
    assert not [d for d in course.errors if d.file.endswith("course.yaml")]


def test_course_yaml_changes_the_rule(tmp_path):
    root = course_copy(tmp_path)
    (root / "modules" / "course.yaml").write_text(
        "completion:\n  checks_first_attempt: 50\n  scenario_mode: any\n  scenarios: [wells]\n"
    )
    rule = load_course(root).completion
    assert (rule.checks_first_attempt, rule.scenario_mode, rule.scenarios) == (
        50,
        "any",
        ("wells",),
    )
    assert rule.lessons_read and rule.scenario_quality == 60  # the rest keeps its default


@pytest.mark.parametrize(
    ("text", "where", "words"),
    [
        (
            "completion:\n  scenarios: [wels]\n",
            (2, 15),
            "unknown scenario 'wels'; did you mean 'wells'",
        ),
        ("completion:\n  scenario_quality: 120\n", (2, 21), "above the maximum 100"),
        ("completion:\n  scenario_mode: training\n", (2, 18), "expected one of assessment, any"),
        ("completion:\n  checks: 80\n", (2, 3), "checks"),
    ],
)
def test_course_yaml_errors_name_file_line_and_column(tmp_path, text, where, words):
    root = course_copy(tmp_path)
    (root / "modules" / "course.yaml").write_text(text)
    course = load_course(root)
    errors = [d for d in course.errors if d.file.endswith("course.yaml")]
    assert errors, "the mistake must be reported"
    assert (errors[0].line, errors[0].column) == where
    assert words in errors[0].message
    assert course.completion == Completion()  # a broken rule is not half used


# --- the rule applied ---------------------------------------------------------------------------


def test_nothing_done_is_not_complete():
    record = course_record(COURSE, facts())
    assert not record.complete and record.met == 0
    assert record.required == len(COURSE.modules) + len(COURSE.scenarios)
    assert record.completed_at is None


def test_everything_done_is_complete_when_the_last_requirement_was_met():
    done = everything_done()
    late = replace(done, reads={**done.reads, "relief": 1800.0})
    record = course_record(COURSE, late)
    assert record.complete
    assert record.completed_at == 1800.0


def test_only_the_first_answer_counts():
    """A check missed, then answered right (after the answer was shown), is still missed."""
    done = everything_done()
    first = dict(done.first_answers)
    first[("relief", "space")] = FirstAnswer(False, 1400.0)
    record = course_record(COURSE, replace(done, first_answers=first))
    relief = next(lesson for lesson in record.lessons if lesson.id == "relief")
    assert (relief.first_attempt, relief.met, record.complete) == (0, False, False)


def test_a_check_recalled_in_review_counts_if_the_rule_says_so():
    done = everything_done()
    first = {**done.first_answers, ("relief", "space"): FirstAnswer(False, 1400.0)}
    recalled = {("relief", "space"): 1900.0}
    learner = replace(done, first_answers=first, recalled=recalled)
    record = course_record(COURSE, learner)
    assert record.complete and record.completed_at == 1900.0
    strict = replace(COURSE, completion=Completion(checks_after_review=False))
    assert not course_record(strict, learner).complete


def test_a_training_attempt_or_a_low_quality_does_not_count_in_assessment():
    done = everything_done()
    for attempt in (
        FinishedAttempt("wells", "training", "calm", "success", 1.0, 1, 2),
        FinishedAttempt("wells", "assessment", "calm", "success", 0.59, 1, 2),
    ):
        record = course_record(COURSE, replace(done, attempts=(attempt,)))
        assert not record.complete
        anyway = replace(COURSE, completion=Completion(scenario_mode="any", scenario_quality=50))
        assert course_record(anyway, replace(done, attempts=(attempt,))).complete


answers = st.dictionaries(
    st.sampled_from(CHECKS),
    st.builds(FirstAnswer, st.booleans(), st.floats(1000, 3000)),
)


@settings(max_examples=150, deadline=None)
@given(
    answers=answers,
    recalled=st.dictionaries(st.sampled_from(CHECKS), st.floats(1000, 3000)),
    threshold=st.integers(0, 100),
    after_review=st.booleans(),
)
def test_a_lesson_passes_exactly_when_enough_of_its_checks_count(
    answers, recalled, threshold, after_review
):
    rule = Completion(checks_first_attempt=threshold, checks_after_review=after_review)
    course = replace(COURSE, completion=rule)
    learner = replace(everything_done(), first_answers=answers, recalled=recalled)
    record = course_record(course, learner)
    for lesson, module in zip(record.lessons, course.modules, strict=True):
        counted = 0
        for check in module.checks:
            first = answers.get((module.id, check.id))
            if first is None:
                continue
            if first.correct or (after_review and (module.id, check.id) in recalled):
                counted += 1
        assert lesson.met == (counted >= math.ceil(threshold * len(module.checks) / 100))
        assert lesson.first_attempt + lesson.after_review == counted
    assert record.complete == all(x.met for x in (*record.lessons, *record.scenarios))
    if record.complete:  # the moment of completion is one of the moments something was met
        assert record.completed_at in {x.met_at for x in (*record.lessons, *record.scenarios)}


@settings(max_examples=100, deadline=None)
@given(answers=answers, extra=st.sampled_from(CHECKS))
def test_getting_one_more_check_right_never_undoes_progress(answers, extra):
    learner = replace(everything_done(), first_answers=answers)
    before = course_record(COURSE, learner)
    better = replace(learner, first_answers={**answers, extra: FirstAnswer(True, 2500.0)})
    after = course_record(COURSE, better)
    assert after.met >= before.met


@settings(max_examples=100, deadline=None)
@given(
    authored=st.one_of(st.none(), st.integers(1, 240)),
    played=st.lists(st.floats(0.5, 300), max_size=30),
)
def test_calibrated_minutes_lie_between_the_estimate_and_the_median(authored, played):
    import statistics

    got = calibrated_minutes(authored, played)
    if not played:
        assert got == authored
        return
    median = statistics.median(played)
    low, high = sorted([median, authored if authored is not None else median])
    assert math.floor(low) - 1 <= got <= math.ceil(high) + 1


def test_calibrated_minutes_follow_many_attempts():
    assert calibrated_minutes(30, [8.0] * 60) <= 10
    assert calibrated_minutes(30, [8.0]) > 20  # one quick attempt moves it only part way


# --- facts read from the store ------------------------------------------------------------------


def test_the_store_gives_the_first_answer_and_the_reviews(tmp_path):
    store = open_store(tmp_path)
    ana = store.learner("Ana")
    store.record_answer(ana.id, "relief", "space", [0], False)
    store.record_answer(ana.id, "relief", "space", [1], True)
    got = learner_facts(store, ana.id, 10**10)
    assert got.first_answers[("relief", "space")].correct is False
    assert got.recalled == {}
    with store.write() as db:  # the review queue as spaced review would leave it
        db.execute("DELETE FROM review_items")
        assert learner_facts(store, ana.id, 10**10).review_due == 0
        db.execute(
            "INSERT INTO review_items (learner_id, kind, module, item, card, due, created) "
            "VALUES (?, 'check', 'relief', 'space', '{}', 5, 1)",
            (ana.id,),
        )
        item = db.execute("SELECT id FROM review_items").fetchone()[0]
        db.execute(
            "INSERT INTO reviews (item_id, learner_id, rating, answer, reviewed, log) "
            "VALUES (?, ?, 1, '[]', 7, '{}'), (?, ?, 3, '[]', 9, '{}')",
            (item, ana.id, item, ana.id),
        )
    got = learner_facts(store, ana.id, 10**10)
    assert got.recalled == {("relief", "space"): 9}  # the Again (1) at 7 was no recall
    assert got.review_due == 1
    assert learner_facts(store, ana.id, 4).review_due == 0
    store.close()


def test_playing_time_is_read_from_finished_app_attempts_with_pauses_capped(tmp_path, monkeypatch):
    # the profile and the start at 0, a decision at 60 s, the last one (and the end) a day on
    clock = iter([0.0, 0.0, 60.0, 100_000.0, 200_000.0, 200_000.0])
    monkeypatch.setattr("mltcourse.store.progress.now", lambda: next(clock))
    store = open_store(tmp_path)
    ana = store.learner("Ana").id
    attempt = store.start_attempt(ana, "wells", "d", "training")
    store.record_decision(attempt, 1, "offer", "cmcoord")
    store.record_decision(attempt, 2, "follow-up", "review", ("trusted", "success", 1.0))
    store.start_attempt(ana, "wells", "d", "training")  # open: not timed
    store.record_attempt(ana, "wells", "d", "assessment", "play", [], ("trusted", "success", 1))
    played = playing_minutes(store)
    assert played == {"wells": [pytest.approx((60 + 600) / 60)]}  # the day away: 10 min
    store.close()
