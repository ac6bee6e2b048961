"""Headless play for learners and authors, recorded like play in the app."""

from __future__ import annotations

import json
import sys

from .common import UsageError, _course, _extra_file, _progress_store, _scenario


def cmd_play(args) -> int:
    from ..engine.playtest import policy_play
    from ..engine.state import IllegalMove, choose, new_game, open_choices
    from ..reports.debrief import build_debrief, debrief_json
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
    if not args.no_record:
        _record_play(args, scenario, state)
    debrief = build_debrief(scenario, state, course)
    if args.report == "json":
        print(json.dumps(debrief_json(debrief), indent=2))
    elif args.report == "html":
        from ..reports.html import debrief_html

        print(debrief_html(debrief, course), end="")
    else:
        print(debrief_markdown(debrief, course), end="")
    return 0


def _record_play(args, scenario, state) -> None:
    """Record a finished headless play in the learner's progress, beside the app's attempts."""
    from ..store.attempts import record_finished

    if not state.finished:
        print("mltcourse: not recorded: the path stops before an ending", file=sys.stderr)
        return
    store = _progress_store(args)
    try:
        record_finished(store, store.current_learner(args.learner).id, scenario, state)
    finally:
        store.close()
