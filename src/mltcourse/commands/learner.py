"""Headless play for learners and authors, recorded like play in the app."""

from __future__ import annotations

import json
import sys
import time

from .common import UsageError, _course, _extra_file, _progress_store, _scenario


def cmd_play(args) -> int:
    from ..engine.playtest import policy_play
    from ..engine.state import IllegalMove, choose, new_game, open_choices
    from ..reports.debrief import Provenance, build_debrief, course_version, debrief_json
    from ..reports.markdown import debrief_markdown

    course = _course(args, _extra_file(args.scenario))
    scenario = _scenario(course, args.scenario)
    if args.policy and args.choose:
        raise UsageError("give either --choose or --policy, not both")
    start = _start(args, scenario)
    path = policy_play(scenario, args.policy, start).decisions if args.policy else ()
    choices = [d.choice for d in path] or args.choose
    state = start or new_game(scenario)
    for choice_id in choices:  # check the whole path before anything is recorded
        try:
            state = choose(scenario, state, choice_id)
        except IllegalMove as exc:
            options = ", ".join(c.id for c in open_choices(scenario, state)) or "none"
            raise UsageError(f"{exc}; open here: {options}") from None
    # A bot's play is nobody's attempt: a policy play is recorded only for a named learner.
    learner = None
    if start is not None:
        if args.learner and not args.no_record:
            print("mltcourse: not recorded: a play --from a scene is a test", file=sys.stderr)
    elif not args.no_record and (args.learner or not args.policy):
        learner = _record_play(args, scenario, state)
    how = f"headless, the doctrine-{args.policy} policy" if args.policy else "headless, given path"
    if start is not None:
        how += (
            f", from scene {start.node}"
            + "".join(
                f", {name}={value:g}"
                for name, value in start.values
                if value != _initial(scenario, name)
            )
            + "".join(f", flag {flag}" for flag in sorted(start.flags))
        )
    provenance = Provenance(
        learner=learner or args.learner,
        mode=how,
        when=time.time(),
        course_version=course_version(scenario),
    )
    debrief = build_debrief(scenario, state, course, provenance, start)
    if args.report == "json":
        print(json.dumps(debrief_json(debrief), indent=2))
    elif args.report == "html":
        from ..reports.html import debrief_html

        print(debrief_html(debrief, course), end="")
    else:
        print(debrief_markdown(debrief, course), end="")
    return 0


def _start(args, scenario):
    """The state that ``--from SCENE --set NAME=VALUE --flag NAME`` give, or None."""
    from ..engine.start import StartError, start_state

    scene = getattr(args, "from_scene", None)
    settings, flags = getattr(args, "settings", []), getattr(args, "flags", [])
    if scene is None:
        if settings or flags:
            raise UsageError("--set and --flag say what the state is at --from SCENE; give it")
        return None
    try:
        return start_state(scenario, scene, settings, flags)
    except StartError as exc:
        raise UsageError(f"{scenario.id}: {exc}") from None


def _initial(scenario, name: str) -> float:
    return scenario.indicators[name].start


def _record_play(args, scenario, state) -> str | None:
    """Record a finished headless play in the learner's progress, beside the app's attempts;
    the learner's name, or None when nothing was recorded."""
    from ..store.attempts import record_finished

    if not state.finished:
        print("mltcourse: not recorded: the path stops before an ending", file=sys.stderr)
        return None
    store = _progress_store(args)
    try:
        learner = store.current_learner(args.learner)
        record_finished(store, learner.id, scenario, state)
        return learner.name
    finally:
        store.close()


def _course_record(args, notes: bool = True):
    """The learner's record of completion (the last one active without --learner), and the
    data folder it came from. Asking never creates a profile."""
    import time as clock

    from ..reports.progress import course_record
    from ..store import data_dir
    from ..store.notes import learner_notes
    from ..store.standing import learner_facts

    course = _course(args)
    store = _progress_store(args)
    try:
        known = store.learners()
        if args.learner:
            wanted = args.learner.casefold()
            found = [learner for learner in known if learner.name.casefold() == wanted]
            if not found:
                names = ", ".join(learner.name for learner in known) or "none yet"
                raise UsageError(f"no learner named {args.learner!r} (known: {names})")
            learner = found[0]
        elif known:
            learner = known[0]
        else:
            raise UsageError("no learner has studied here yet (see --data-dir)")
        facts = learner_facts(store, learner.id, clock.time())
        kept = tuple(learner_notes(store, learner.id)) if notes else ()
    finally:
        store.close()
    return course_record(course, facts, kept), data_dir(args.data_dir)


def cmd_progress(args) -> int:
    record, _ = _course_record(args)
    if args.json:
        print(json.dumps(record.to_json(), indent=2))
        return 0
    state = "complete" if record.complete else "not complete"
    print(f"{record.learner}: course {state}, {record.met} of {record.required} requirements met")
    for lesson in record.lessons:
        read = "read" if lesson.read else "not read"
        print(
            f"  {'✓' if lesson.met else '·'} {lesson.title}: {read}, checks "
            f"{lesson.first_attempt}/{lesson.checks} at first"
            + (f" + {lesson.after_review} after review" if lesson.after_review else "")
        )
    for scenario in record.scenarios:
        best = (
            "not played"
            if scenario.best_quality is None
            else (f"best {round(scenario.best_quality * 100)} %")
        )
        print(f"  {'✓' if scenario.met else '·'} {scenario.title}: {best}")
    if record.review_due:
        print(f"  {record.review_due} item(s) due for review")
    return 0


COURSE_TITLE = "MLT peacebuilding course"


def cmd_certificate(args) -> int:
    """The record as a printable HTML page; once complete, the course's xAPI *completed*
    waits in the outbox for the next ``export --format xapi --lrs``."""
    from pathlib import Path

    from ..content.paths import display_path
    from ..reports.certificate import certificate_html
    from ..reports.lrs import Outbox
    from ..reports.xapi import course_completed_statement
    from ..reports.xapi_settings import SettingsError, load_xapi_config
    from ..safetext import clean
    from ..store import data_dir

    try:  # the organisation's activity IRIs (settings.toml [xapi]), checked before any output
        config = load_xapi_config(data_dir(args.data_dir))
    except SettingsError as exc:
        raise UsageError(str(exc)) from None
    record, data = _course_record(args, notes=not args.no_notes)
    page = clean(certificate_html(record, COURSE_TITLE, time.time()))
    if args.out:
        try:
            Path(args.out).write_text(page, encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"cannot write {args.out}: {exc.strerror or exc}") from None
        print(display_path(Path(args.out)), file=sys.stderr)
    else:
        sys.stdout.write(page)
    statement = course_completed_statement(record, config)
    if statement is None:
        print(
            f"mltcourse: {record.learner} has met {record.met} of {record.required} "
            "requirements: not complete yet",
            file=sys.stderr,
        )
        return 0
    outbox = Outbox(data, None)
    for note in outbox.notes:
        print(f"mltcourse: {note}", file=sys.stderr)
    outbox.add([statement])
    print(
        "mltcourse: the course's xAPI 'completed' statement is in the outbox; "
        "mltcourse export --format xapi --lrs URL sends it",
        file=sys.stderr,
    )
    return 0
