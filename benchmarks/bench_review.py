"""Spaced-review benchmarks, run by hand: python benchmarks/bench_review.py

A learner with 2,000 review items (checks and decisions, due times spread over two months
either side of now, a third with a review behind them), in a progress file on disk. Reported,
each against a floor measured in the same run:
  * the due list (``store.review.due_items``: items due now, most overdue first, as records)
    and the counts the map shows (``count_due``), against a bare ``SELECT`` of the same rows'
    ids (the floor: what SQLite needs to find them at all);
  * ``mltcourse review --json`` in a fresh process, against ``mltcourse review --help`` (the
    floor: Python started and the command line read, no progress file opened);
  * one review (FSRS scheduling and its commit), against a bare one-row commit.
The target for the due list is under 50 ms.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from mltcourse.engine.schedule import DECISION, new_card  # noqa: E402
from mltcourse.store import ProgressStore  # noqa: E402
from mltcourse.store import review as book  # noqa: E402

ITEMS = 2000
DAY = 86400.0


def timed(fn, repeat: int = 15) -> float:
    """Best wall time of ``repeat`` runs, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def fill(store: ProgressStore, now: float) -> int:
    """2,000 items for one learner, with a few other learners' items beside them."""
    rng = random.Random(7)
    learner = store.learner("Ana").id
    others = [store.learner(f"other-{n}").id for n in range(3)]
    with store.write() as db:
        for n in range(ITEMS + 600):
            owner = learner if n < ITEMS else others[n % 3]
            kind = DECISION if n % 3 == 0 else "check"
            due = now + rng.uniform(-60, 60) * DAY
            db.execute(
                "INSERT INTO review_items (learner_id, kind, module, scenario, item, options, "
                "card, due, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    owner,
                    kind,
                    f"module-{n % 8}",
                    f"scenario-{n % 11}" if kind == DECISION else "",
                    f"item-{n}",
                    json.dumps(["a", "b", "c"]) if kind == DECISION else None,
                    new_card(n + 1, due),
                    due,
                    now - 90 * DAY,
                ),
            )
    for item in book.due_items(store, learner, now + 60 * DAY)[::3]:
        book.record_review(store, item.id, 1 + item.id % 4, "{}", now - rng.uniform(0, 30) * DAY)
    with store.write() as db:  # the reviews above moved their items: spread them again
        for item_id in range(1, ITEMS + 1):
            db.execute(
                "UPDATE review_items SET due = ? WHERE id = ?",
                (now + rng.uniform(-60, 60) * DAY, item_id),
            )
    return learner


def command(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        now = time.time()
        store = ProgressStore.in_dir(folder)
        learner = fill(store, now)
        due = book.due_items(store, learner, now)
        print(f"{ITEMS} items for one learner, {len(due)} due now")

        floor = timed(
            lambda: store.read(
                "SELECT id FROM review_items WHERE learner_id = ? AND due <= ? ORDER BY due",
                learner,
                now,
            )
        )
        listing = timed(lambda: book.due_items(store, learner, now))
        counts = timed(lambda: book.count_due(store, learner, now))
        print(f"  bare SELECT of the due ids   {floor * 1000:7.2f} ms  (floor)")
        print(f"  due list, most overdue first {listing * 1000:7.2f} ms  ×{listing / floor:.1f}")
        print(f"  the map's counts             {counts * 1000:7.2f} ms  ×{counts / floor:.1f}")
        verdict = "under" if listing < 0.050 else "OVER"
        print(f"  target: due list under 50 ms: {verdict}")

        python = sys.executable
        store.close()
        cli = [python, "-m", "mltcourse", "review", "--data-dir", folder, "--json"]
        base = min(command([*cli, "--help"]) for _ in range(7))
        listing_cli = min(command(cli) for _ in range(7))
        print(f"  mltcourse review --help      {base * 1000:7.1f} ms  (floor)")
        ratio = listing_cli / base
        print(f"  mltcourse review --json      {listing_cli * 1000:7.1f} ms  ×{ratio:.2f}")

        store = ProgressStore.in_dir(folder)
        items = iter(book.due_items(store, learner, now + 60 * DAY))

        def one_review() -> None:
            book.record_review(store, next(items).id, 3, "{}", now)

        def bare_commit() -> None:
            with store.write() as db:
                db.execute(
                    "INSERT INTO settings (key, value) VALUES ('bench', '1') "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
                )

        commit = timed(bare_commit)
        review = timed(one_review)
        print(f"  a bare one-row commit        {commit * 1000:7.2f} ms  (floor)")
        print(f"  one review (FSRS + commit)   {review * 1000:7.2f} ms  ×{review / commit:.1f}")
        store.close()


if __name__ == "__main__":
    main()
