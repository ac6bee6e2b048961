"""Spaced review: which slips become review items, how an answer grades one, and when it
comes back (FSRS).

Pure rules over the content model; the FSRS cards, the clock and the daily limit are in
``engine/schedule.py``, the store (store/review.py) keeps them and the screens only show them.

- A knowledge check becomes an item when its first answer is wrong: later answers in the lesson
  are practice, after the right answer was shown.
- A scenario decision becomes an item when the choice was neither the doctrine-best open option
  nor a defensible alternative (the debrief's own rule, ``engine.judgement``), in any mode.
- A review grades the item: a check answered right is Good, wrong is Again; a decision re-made
  as the doctrine-best is Good, as a defensible alternative Hard, otherwise Again.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from dataclasses import dataclass

from ..content.model import Check, Choice, Course, Scenario
from ..content.story_text import render
from .judgement import best_of, defensible_of
from .schedule import AGAIN, CHECK, DECISION, GOOD, HARD
from .state import Decision, new_game

# --- which slips become items, and how an answer grades one -----------------------------------


def verdict(chosen: Choice, open_options: Sequence[Choice]) -> str | None:
    """ "doctrine-best", "defensible" or None: how the debrief calls a choice among the open
    options (``judgement.best_of`` and ``judgement.defensible_of``)."""
    if chosen.id in {c.id for c in best_of(open_options)}:
        return "doctrine-best"
    if chosen.id in {c.id for c in defensible_of(open_options)}:
        return "defensible"
    return None


def decision_missed(chosen: Choice, open_options: Sequence[Choice]) -> bool:
    """The choice was neither the doctrine-best nor a defensible alternative."""
    return verdict(chosen, open_options) is None


def missed_in(scenario: Scenario, decision: Decision) -> bool:
    """A decision of a play that becomes a review item (a lone open option is no decision)."""
    node = scenario.node(decision.node)
    open_options = [c for c in node.choices if c.id in decision.open]
    chosen = next((c for c in open_options if c.id == decision.choice), None)
    return chosen is not None and len(open_options) > 1 and decision_missed(chosen, open_options)


def grade_decision(chosen: Choice, open_options: Sequence[Choice]) -> int:
    return {"doctrine-best": GOOD, "defensible": HARD}.get(verdict(chosen, open_options), AGAIN)


def grade_check(check: Check, picked: frozenset[int] | set[int]) -> int:
    return GOOD if check.is_right(picked) else AGAIN


@dataclass(frozen=True, slots=True)
class CheckSummary:
    """Where a learner stands after a lesson's checks: first answers only."""

    total: int
    first_right: int
    missed: tuple[tuple[Check, str], ...]  # (check, MODULE#ANCHOR of its section), in order
    unanswered: tuple[int, ...]  # 1-based numbers of the checks not answered yet


def check_summary(
    checks: Sequence[Check], first: dict[str, bool], sections: dict[str, str]
) -> CheckSummary:
    """The first-attempt score, the checks missed at the first attempt and those not tried."""
    missed = tuple((c, sections.get(c.id, "")) for c in checks if c.id in first and not first[c.id])
    return CheckSummary(
        total=len(checks),
        first_right=sum(1 for c in checks if first.get(c.id)),
        missed=missed,
        unanswered=tuple(n for n, c in enumerate(checks, 1) if c.id not in first),
    )


# --- re-asking ----------------------------------------------------------------------------------


def option_order(count: int, seed: str) -> list[int]:
    """The options' places for a re-asked item: a shuffle fixed by ``seed`` (the same review
    shows the same order after a restart) that never keeps the original order."""
    order = list(range(count))
    if count < 2:
        return order
    random.Random(seed).shuffle(order)
    if order == sorted(order):
        order = order[1:] + order[:1]
    return order


def review_seed(item_id: int, reviews_so_far: int) -> str:
    return f"review:{item_id}:{reviews_so_far}"


@dataclass(frozen=True)
class ReviewPrompt:
    """One item as it is re-asked: its options in their new order, and how an answer grades.
    A decision's scene, options and feedback read in one state, the scenario's start: the
    state the learner met the decision in is not kept with the item."""

    kind: str
    source: str  # the lesson's or scenario's title
    heading: str  # "Knowledge check", or the scene's title
    text: str  # the check's prompt, or the scene as its start reads
    options: tuple[str, ...]  # option texts in the order shown
    order: tuple[int, ...]  # for each place shown, the option's index in the content
    multiple: bool  # pick several, then submit
    check: Check | None = None
    choices: tuple[Choice, ...] = ()  # a decision's open options, in the content's order
    feedback: tuple[str, ...] = ()  # each of those options' feedback as it reads, same order

    def grade(self, shown: set[int]) -> tuple[int, str]:
        """(FSRS rating, the answer as JSON) for the places the learner picked."""
        picked = {self.order[place] for place in shown}
        if self.check is not None:
            return grade_check(self.check, picked), answer_json(
                picked=sorted(picked), order=list(self.order)
            )
        chosen = self.choices[next(iter(picked))]
        return grade_decision(chosen, self.choices), answer_json(
            choice=chosen.id, order=[self.choices[i].id for i in self.order]
        )


def prompt_for(
    course: Course,
    kind: str,
    module: str,
    scenario: str | None,
    item: str,
    options: Sequence[str] | None,
    seed: str,
) -> ReviewPrompt | None:
    """The item re-posed from the course as it is now; None if the course no longer has it
    (a check removed, a scene gone, fewer than two of its open options left)."""
    if kind == CHECK:
        lesson = course.module(module)
        check = next((c for c in lesson.checks if c.id == item), None) if lesson else None
        if lesson is None or check is None:
            return None
        # a tier check's options are a time scale, short to long: kept in that order
        count = len(check.options)
        order = list(range(count)) if check.kind == "tier" else option_order(count, seed)
        return ReviewPrompt(
            kind=CHECK,
            source=lesson.title,
            heading="Knowledge check",
            text=check.prompt,
            options=tuple(check.options[i].text for i in order),
            order=tuple(order),
            multiple=check.kind == "multiple",
            check=check,
        )
    found = course.scenarios.get(scenario or "")
    node = _node(found, item) if found else None
    if found is None or node is None:
        return None
    choices = tuple(c for c in node.choices if c.id in set(options or ()))
    if len(choices) < 2:
        return None
    order = option_order(len(choices), seed)
    start = new_game(found)
    return ReviewPrompt(
        kind=DECISION,
        source=found.title,
        heading=node.title,
        text=render(node.text, start.value, start.flags),
        options=tuple(render(choices[i].text, start.value, start.flags) for i in order),
        order=tuple(order),
        multiple=False,
        choices=choices,
        feedback=tuple(render(c.feedback, start.value, start.flags) for c in choices),
    )


def _node(scenario: Scenario, node_id: str):
    try:
        return scenario.node(node_id)
    except KeyError:
        return None


def answer_json(**answer) -> str:
    return json.dumps(answer, sort_keys=True)
