"""The trainer's view of past exercises: list them, and write the after-action review of any
one of them again, the facilitator's or the participants' version, at any time."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from ..content.paths import display_path
from . import UsageError
from .common import _course, _progress_store


def _iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def cmd_exercises(args) -> int:
    """Every exercise kept in the data folder, oldest first."""
    from ..store.exercises import ExerciseStore

    store = _progress_store(args)
    try:
        records = ExerciseStore(store).all_exercises()
    finally:
        store.close()
    if args.json:
        listing = [
            {
                "id": r.id,
                "scenario": r.scenario,
                "teams": list(r.team_names),
                "status": r.status,
                "started": _iso(r.started),
                "updated": _iso(r.updated),
                "facilitator": r.facilitator,
                "countdown": r.countdown,
                "decisions": r.decisions,
            }
            for r in records
        ]
        print(json.dumps(listing, indent=2))
        return 0
    if not records:
        print("No exercises yet: mltcourse facilitate SCENARIO --teams A,B starts one.")
        return 0
    for r in records:
        when = datetime.fromtimestamp(r.started).strftime("%Y-%m-%d %H:%M")
        who = f" · {r.facilitator}" if r.facilitator else ""
        print(
            f"{r.id:>4}  {when}  {r.status:<8}  {r.scenario}  "
            f"({', '.join(r.team_names)}; {r.decisions} decisions){who}"
        )
    return 0


def export_after_action(args) -> int:
    """``export --format aar --exercise ID``: the review's files into --out (a folder)."""
    from ..reports.aar import after_action_of
    from ..reports.aar_files import write_after_action
    from ..store import data_dir
    from ..store.exercises import ExerciseStore

    if args.exercise is None:
        raise UsageError("--format aar needs --exercise ID (mltcourse exercises lists them)")
    course = _course(args)
    store = _progress_store(args)
    try:
        record = ExerciseStore(store).record(args.exercise)
    finally:
        store.close()
    if record is None:
        raise UsageError(f"no exercise {args.exercise} (mltcourse exercises lists them)")
    review = after_action_of(course, record)
    if review is None:
        raise UsageError(
            f"exercise {record.id} is of scenario {record.scenario!r}, not in the course"
        )
    folder = Path(args.out) if args.out else data_dir(args.data_dir) / "exercises"
    try:
        written = write_after_action(review, folder.expanduser(), args.participant, args.excel)
    except (OSError, RuntimeError, ValueError) as exc:
        raise UsageError(f"cannot write the review into {display_path(folder)}: {exc}") from None
    for path in written:
        print(display_path(path), file=sys.stderr)
    return 0
