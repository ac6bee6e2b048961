"""Two attempts at one scenario side by side: path, ending, principle profile and risks.

A learner who replays wants to see what they did differently and what it changed. The rows
here are plain data; the app's compare screen and any export lay them out.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..content.model import Course, Scenario
from ..engine.state import GameState, IllegalMove, replay
from .debrief import Debrief, build_debrief, principle_profile


class AttemptDoesNotFit(ValueError):
    """The stored choices no longer fit the scenario file (it was edited since)."""


def replay_attempt(scenario: Scenario, choices: tuple[str, ...]) -> GameState:
    try:
        return replay(scenario, list(choices))
    except (IllegalMove, KeyError) as exc:
        raise AttemptDoesNotFit(
            "this attempt was played on an earlier version of the scenario, and its path "
            "no longer fits the file"
        ) from exc


@dataclass(frozen=True)
class Comparison:
    headers: tuple[str, str]
    path: tuple[tuple[str, str, str], ...]  # (decision, first's choice, second's choice)
    outcome: tuple[tuple[str, str, str], ...]  # (what, first, second)
    principles: tuple[tuple[str, str, str], ...]
    risks: tuple[tuple[str, str, str], ...]


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)} %"


def _steps(debrief: Debrief) -> dict[str, str]:
    marks = {"doctrine-best": " (best)", "defensible": " (defensible)"}
    out = {}
    for d in debrief.decisions:
        mine = next(o for o in d.options if o.chosen)
        out[d.node_title] = d.choice_text + marks.get(mine.verdict or "", "")
    return out


def compare(course: Course, first: Debrief, second: Debrief, headers=("First", "Second")):
    """Rows for two debriefs of the same scenario, in the order a learner reads them."""
    a_steps, b_steps = _steps(first), _steps(second)
    titles = list(dict.fromkeys([*a_steps, *b_steps]))
    path = tuple((t, a_steps.get(t, "—"), b_steps.get(t, "—")) for t in titles)
    outcome = (
        ("Ending", first.ending_title, second.ending_title),
        ("Rating", first.outcome or "unfinished", second.outcome or "unfinished"),
        ("Decision quality", _percent(first.score.overall), _percent(second.score.overall)),
        ("Decisions", str(len(first.decisions)), str(len(second.decisions))),
    )
    a_profile = dict(principle_profile(first, course))
    b_profile = dict(principle_profile(second, course))
    names = list(dict.fromkeys([*a_profile, *b_profile]))
    principles = tuple((n, _percent(a_profile.get(n)), _percent(b_profile.get(n))) for n in names)
    risks = tuple(
        (
            kind,
            ", ".join(_titles(course, ids_a)) or "none",
            ", ".join(_titles(course, ids_b)) or "none",
        )
        for (kind, ids_a), (_, ids_b) in zip(
            first.ledger.sections(), second.ledger.sections(), strict=True
        )
    )
    return Comparison(tuple(headers), path, outcome, principles, risks)


def _titles(course: Course, ids) -> list[str]:
    return [course.risks[r].title if r in course.risks else r for r in ids]


def debrief_of(course: Course, scenario: Scenario, choices: tuple[str, ...]) -> Debrief:
    return build_debrief(scenario, replay_attempt(scenario, choices), course)
