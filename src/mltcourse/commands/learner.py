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
    path = policy_play(scenario, args.policy).decisions if args.policy else ()
    choices = [d.choice for d in path] or args.choose
    state = new_game(scenario)
    for choice_id in choices:  # check the whole path before anything is recorded
        try:
            state = choose(scenario, state, choice_id)
        except IllegalMove as exc:
            options = ", ".join(c.id for c in open_choices(scenario, state)) or "none"
            raise UsageError(f"{exc}; open here: {options}") from None
    # A bot's play is nobody's attempt: a policy play is recorded only for a named learner.
    learner = None
    if not args.no_record and (args.learner or not args.policy):
        learner = _record_play(args, scenario, state)
    how = f"headless, the doctrine-{args.policy} policy" if args.policy else "headless, given path"
    provenance = Provenance(
        learner=learner or args.learner,
        mode=how,
        when=time.time(),
        course_version=course_version(scenario),
    )
    debrief = build_debrief(scenario, state, course, provenance)
    if args.report == "json":
        print(json.dumps(debrief_json(debrief), indent=2))
    elif args.report == "html":
        from ..reports.html import debrief_html

        print(debrief_html(debrief, course), end="")
    else:
        print(debrief_markdown(debrief, course), end="")
    return 0


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
