"""The trainer's commands: facilitate a group exercise, export records, serve in a browser."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ..content.paths import default_root, display_path
from ..safetext import clean
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

    target = (
        f"app:facilitate({scenario.id!r}, {', '.join(names)!r}, {args.countdown or 0}, "
        f"{bool(args.new)})"
    )
    app = create_app(root, data, args.learner, start=target)
    app.run()
    return app.return_code or 0


def cmd_export(args) -> int:
    from dataclasses import replace

    from ..store import data_dir
    from ..store.exercises import ExerciseStore
    from ..store.records import learner_histories

    if args.lrs and args.format != "xapi":
        raise UsageError("--lrs sends xAPI statements: add --format xapi")
    if args.lrs:  # before anything is written: the address may hold what must not be kept
        from ..reports.lrs import statements_url

        try:
            statements_url(args.lrs)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    course = _course(args)
    data = data_dir(args.data_dir)
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

        _emit(records_csv(course, histories, exercises), args.out)
        return 0
    from ..reports.xapi import learner_statements, team_statements

    statements = [s for h in histories for s in learner_statements(course, h)]
    statements += [s for record in exercises for s in team_statements(course, record)]
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


def cmd_serve(args) -> int:
    """The app in students' browsers, behind a join token (see ``mltcourse.serving``)."""
    from ..serving import AddressError, app_command, is_loopback, public_origin
    from ..store import data_dir

    if not 0 < args.port < 65536:
        raise UsageError("--port needs a number from 1 to 65535")
    if args.max_sessions < 1:
        raise UsageError("--max-sessions needs a positive number")
    try:  # before anything starts: the page must name an address browsers can reach
        origin = public_origin(args.host, args.port, args.public_url)
    except AddressError as exc:
        raise UsageError(str(exc)) from None
    root = default_root(args.content).resolve()
    if not root.is_dir():
        raise UsageError(f"no course folder at {root}")
    data = data_dir(args.data_dir).resolve()
    command = app_command(sys.executable, str(root), str(data), args.learner)
    if not is_loopback(args.host):
        print(
            f"mltcourse: listening on {args.host or 'every interface'}: anyone with the join "
            "link who can reach it can use the app and the progress kept here",
            file=sys.stderr,
        )
    from ..serving.server import ClassroomServer

    try:  # a data folder that cannot be made, a port already taken
        ClassroomServer(
            command,
            host=args.host,
            port=args.port,
            origin=origin,
            data=data,
            max_sessions=args.max_sessions,
        ).serve()
    except BrokenPipeError:
        raise
    except OSError as exc:
        print(f"mltcourse: cannot serve on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    return 0
