"""``mltcourse review``: the due list's JSON shape, its order, the daily limit, bad input."""

from __future__ import annotations

import json
import time
from datetime import datetime

from apptest import FIXTURE_COURSE
from mltcourse.cli import main
from mltcourse.content.loader import load_course
from mltcourse.store import ProgressStore
from mltcourse.store import review as book
from mltcourse.store.attempts import start


def seed(data_dir) -> None:
    """Ana misses a check, then a decision; one more item is not due until next week."""
    store = ProgressStore.in_dir(data_dir)
    store.learner("Bea")
    ana = store.learner("Ana")
    store.record_answer(ana.id, "basics", "who-leads", [1], False)
    attempt = start(store, ana.id, load_course(FIXTURE_COURSE).scenarios["wells"], "assessment")
    attempt.choose("approve")
    store.record_answer(ana.id, "basics", "tier-plan", [1], False)
    (later,) = [i for i in book.due_items(store, ana.id, 2e9) if i.item == "tier-plan"]
    book.record_review(store, later.id, 4, "{}", time.time() - 86400)  # yesterday, easy
    with store.write() as db:
        db.execute("UPDATE review_items SET due = due - 60 WHERE item = 'who-leads'")
    store.close()


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_review_json_lists_the_due_items_most_overdue_first(tmp_path, capsys):
    seed(tmp_path)
    code, out, _ = run(capsys, "review", "--data-dir", str(tmp_path), "--learner", "ana", "--json")
    assert code == 0
    listing = json.loads(out)
    assert set(listing) == {"learner", "due", "later"}
    assert listing["learner"] == "Ana" and listing["later"] == 1
    check, decision = listing["due"]
    assert {k: v for k, v in check.items() if k != "due"} == {
        "kind": "check",
        "id": "who-leads",
        "module": "basics",
    }
    assert {k: v for k, v in decision.items() if k != "due"} == {
        "kind": "decision",
        "id": "offer",
        "module": "relief",
        "scenario": "wells",
    }
    assert datetime.fromisoformat(check["due"]) < datetime.fromisoformat(decision["due"])


def test_review_text_and_the_daily_limit(tmp_path, capsys):
    seed(tmp_path)
    code, out, _ = run(capsys, "review", "--data-dir", str(tmp_path), "--daily-limit", "7")
    assert code == 0  # without --learner: the one active last
    assert out.startswith("Ana: 2 due for review, 1 later; today 0 of 7 reviewed")
    assert "basics/who-leads" in out and "wells/offer (lesson relief)" in out
    store = ProgressStore.in_dir(tmp_path)
    assert book.daily_limit(store, store.learner("Ana").id) == 7
    store.close()


def test_review_refuses_bad_input_and_creates_no_profile(tmp_path, capsys):
    code, _, err = run(capsys, "review", "--data-dir", str(tmp_path))
    assert code == 2 and "no learner has studied here yet" in err
    seed(tmp_path)
    code, _, err = run(capsys, "review", "--data-dir", str(tmp_path), "--learner", "Zed")
    assert code == 2 and "no learner named 'Zed' (known: " in err
    code, _, err = run(capsys, "review", "--data-dir", str(tmp_path), "--daily-limit", "lots")
    assert code == 2 and "whole number" in err
    store = ProgressStore.in_dir(tmp_path)
    assert sorted(learner.name for learner in store.learners()) == ["Ana", "Bea"]
    assert book.daily_limit(store, store.learner("Ana").id) == 20
    store.close()
