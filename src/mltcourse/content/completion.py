"""The course's own rule for what complete means: ``modules/course.yaml``, ``completion:``.

The rule is data so that an author or a training centre can change it without code: the
shape is checked by the schema (``COURSE_FILE``), the scenario ids it names here, and the
checked rule rides on the course model (``Course.completion``). A course without the file has
the default rule (``Completion()``); a file with errors leaves the default in place and its
errors in the course's diagnostics, like any other course file.
"""

from __future__ import annotations

from collections.abc import Iterable
from difflib import get_close_matches
from pathlib import Path

from .build import FileContext
from .model import Completion
from .yamlread import YMap

COURSE_SETTINGS_FILE = Path("modules") / "course.yaml"


def build_completion(data: YMap, ctx: FileContext, scenario_ids: Iterable[str]) -> Completion:
    """The rule in a checked ``course.yaml``; an unknown scenario id is an error at its place."""
    rule = data["completion"]
    default = Completion()
    known = sorted(scenario_ids)
    required = rule.get("scenarios")
    if required is not None:
        seen: set[str] = set()
        for index, scenario_id in enumerate(required):
            if scenario_id in seen:
                ctx.error(required, index, f"scenario {scenario_id!r} is listed twice")
            elif scenario_id not in known:
                near = get_close_matches(scenario_id, known, n=1)
                hint = f"; did you mean {near[0]!r}?" if near else ""
                ctx.error(required, index, f"unknown scenario {scenario_id!r}{hint}")
            seen.add(scenario_id)
    return Completion(
        lessons_read=rule.get("lessons_read", default.lessons_read),
        checks_first_attempt=rule.get("checks_first_attempt", default.checks_first_attempt),
        checks_after_review=rule.get("checks_after_review", default.checks_after_review),
        scenario_mode=rule.get("scenario_mode", default.scenario_mode),
        scenario_quality=rule.get("scenario_quality", default.scenario_quality),
        scenarios=None if required is None else tuple(dict.fromkeys(required)),
        file=ctx.file,
    )
