"""The trainer's commands: facilitate a group exercise, export records, serve in a browser."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ..content.paths import default_root, display_path
from ..safetext import clean, clean_name
from .common import UsageError, _course, _progress_store, _scenario


def cmd_facilitate(args) -> int:
    from ..engine.exercise import ExerciseError, team_names
    from ..store import data_dir
    from ..store.course_cache import load_course_cached

    root = default_root(args.content)
    if not root.is_dir():
        raise UsageError(f"no course folder at {root}")
    data = data_dir(args.data_dir)
    scenario = _scenario(load_course_cached(root, data / "cache"), args.scenario)
    try:
        names = team_names(args.teams)
    except ExerciseError as exc:
        raise UsageError(str(exc)) from None
    if args.countdown is not None and args.countdown <= 0:
        raise UsageError("--countdown needs a positive number of seconds")
    from ..tui.app import create_app

    facilitator = clean_name(args.facilitator or "")
    target = (
        f"app:facilitate({scenario.id!r}, {', '.join(names)!r}, {args.countdown or 0}, "
        f"{bool(args.new)}, {facilitator!r})"
    )
    served = None
    if args.serve:  # team devices and a presenter, in browsers; this terminal is the console
        from .classroom import serve_exercise

        served = serve_exercise(args, root.resolve(), data.resolve(), scenario.id, names)
    app = create_app(root, data, args.learner, start=target, links=served and served.links)
    try:
        app.run()
    finally:
        if served is not None:
            served.stop()
    return app.return_code or 0


def cmd_export(args) -> int:
    from dataclasses import replace

    from ..store import data_dir
    from ..store.exercises import ExerciseStore
    from ..store.records import learner_histories

    if args.format == "aar":
        from .exercises import export_after_action

        return export_after_action(args)
    if args.exercise is not None or args.participant:
        raise UsageError("--exercise and --participant are for --format aar")
    if args.lrs and args.format != "xapi":
        raise UsageError("--lrs sends xAPI statements: add --format xapi")
    if args.lrs:  # before anything is written: the address may hold what must not be kept
        from ..reports.lrs import statements_url

        try:
            statements_url(args.lrs)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    from ..reports.xapi_settings import SettingsError, load_xapi_config

    data = data_dir(args.data_dir)
    try:  # before anything is written: a bad setting must not half-export
        config = load_xapi_config(data, args.xapi_base)
    except SettingsError as exc:
        raise UsageError(str(exc)) from None
    course = _course(args)
    store = _progress_store(args)
    try:
        histories = learner_histories(store, args.learner)
        exercises = ExerciseStore(store).all_exercises()
    finally:
        store.close()
    if args.learner:  # a learner's teams: those where they held a role card
        wanted = args.learner.casefold()
        exercises = [
            replace(record, teams=teams)
            for record in exercises
            if (
                teams := tuple(
                    t for t in record.teams if any(m.casefold() == wanted for _, m in t.roles)
                )
            )
        ]
    if args.format == "csv":
        from ..reports.records_csv import records_csv

        _emit(records_csv(course, histories, exercises, args.excel), args.out)
        return 0
    from ..reports.lrs_sync import statements_of

    statements = statements_of(course, histories, exercises, config)
    if args.out or not args.lrs:
        _emit(json.dumps(statements, indent=2) + "\n", args.out)
    if not args.lrs:
        return 0
    return _send(statements, args.lrs, data)


def _emit(text: str, out: str | None) -> None:
    if out:
        Path(out).write_text(clean(text), encoding="utf-8", newline="")
        print(display_path(Path(out)), file=sys.stderr)
    else:
        sys.stdout.write(text)


def _send(statements: list[dict], lrs: str, data: Path) -> int:
    from ..reports.lrs import deliver, shown

    try:
        delivery = deliver(statements, lrs, data)
    except ValueError as exc:  # the message never repeats the address, which may hold a secret
        raise UsageError(str(exc)) from None
    for note in delivery.notes:
        print(f"mltcourse: {note}", file=sys.stderr)
    print(f"{delivery.sent} statement(s) sent to {shown(lrs)}", file=sys.stderr)
    if delivery.rejected:
        print(
            f"mltcourse: {delivery.rejected} statement(s) refused by the LRS, kept aside in "
            f"{data / 'xapi-outbox'}",
            file=sys.stderr,
        )
    if delivery.error:
        print(
            f"mltcourse: {delivery.error}; {delivery.queued} statement(s) queued, "
            "sent first on the next run",
            file=sys.stderr,
        )
    return 1 if delivery.error or delivery.rejected else 0
