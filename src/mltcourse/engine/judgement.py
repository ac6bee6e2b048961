"""Does a scenario test judgement? Measures of the cues a learner could pass it by.

A decision teaches weighing only if its doctrine-best option cannot be found from the surface
of the text (its length, its place) and if the best option costs something, as the doctrine's
own considerations do. These measures are shared by the linter, the debrief and the benchmark.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..content.model import Choice, Indicator, Module, Scenario, Scene
from ..content.model import Inject as InjectNode
from ..content.story_text import (
    Passages,
    TemplateError,
    Value,
    format_value,
    has_passages,
    parse,
)

# An option within this many points of the best is a defensible alternative: a close call.
CLOSE_CALL = 1


def decision_nodes(scenario: Scenario) -> list[Scene | InjectNode]:
    """Scenes and injects that ask for a decision between two or more options."""
    nodes = list(scenario.scenes.values()) + list(scenario.injects)
    return [n for n in nodes if len(n.choices) >= 2]


def best_of(choices) -> tuple[Choice, ...]:
    top = max(c.value for c in choices)
    return tuple(c for c in choices if c.value == top)


def defensible_of(choices) -> tuple[Choice, ...]:
    """Options that are not the best but within ``CLOSE_CALL`` points of it."""
    top = max(c.value for c in choices)
    return tuple(c for c in choices if top - CLOSE_CALL <= c.value < top)


def doctrine_cost(choice: Choice) -> bool:
    """The option strains a principle or raises a risk."""
    return bool(choice.raises) or any(v < 0 for v in choice.principles.values())


def reading_length(text: str, indicators: Mapping[str, Indicator] | None = None) -> int:
    """How long an option can read to a learner, not how long it is written.

    Plain text: its length. Story text: its longest rendering, whatever the state (each
    passage showing its longest branch, each value as wide as its indicator's bounds allow,
    runs of spaces counted once): a learner who ever sees an option read longest can take
    the cue, and lint does not know every state a decision is offered in. A text that does
    not parse reads as written, as the player shows it.
    """
    if not has_passages(text):
        return len(text)
    try:
        parts = parse(text)
    except TemplateError:
        return len(text)
    return len(" ".join(_longest_reading(parts, indicators or {}).split()))


def _longest_reading(parts, indicators: Mapping[str, Indicator]) -> str:
    out = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
        elif isinstance(part, Value):
            found = indicators.get(part.name)
            bounds = (found.min, found.max) if found is not None else ()
            out.append(max((format_value(v) for v in bounds), key=len, default=part.name))
        elif isinstance(part, Passages):
            out.append(max((_longest_reading(b.body, indicators) for b in part.branches), key=len))
    return "".join(out)


def is_longest(choice: Choice, choices, indicators: Mapping[str, Indicator] | None = None) -> bool:
    """The option reads at least as long as every other (``reading_length``)."""
    length = reading_length(choice.text, indicators)
    return length == max(reading_length(c.text, indicators) for c in choices)


@dataclass(frozen=True, slots=True)
class DecisionCues:
    node: str
    pos: tuple[int, int]
    options: int
    best_places: tuple[int, ...]  # 1-based places of the best options
    best_is_longest: bool
    best_costs: bool  # every best option carries a doctrine cost
    close_call: bool


def decision_cues(node, indicators: Mapping[str, Indicator] | None = None) -> DecisionCues:
    """The surface cues of one decision; ``indicators`` (the scenario's) bound the values
    its option texts show."""
    best = best_of(node.choices)
    return DecisionCues(
        node=node.id,
        pos=node.pos,
        options=len(node.choices),
        best_places=tuple(node.choices.index(c) + 1 for c in best),
        best_is_longest=any(is_longest(c, node.choices, indicators) for c in best),
        best_costs=all(doctrine_cost(c) for c in best),
        close_call=bool(defensible_of(node.choices)),
    )


def scenario_cues(scenario: Scenario) -> list[DecisionCues]:
    return [decision_cues(n, scenario.indicators) for n in decision_nodes(scenario)]


def chance_longest(cues: list[DecisionCues]) -> float:
    """How many decisions a random pick of 'the best' would put on the longest option."""
    return sum(len(c.best_places) / c.options for c in cues)


def indicators_at_cap(scenario: Scenario, values) -> list[str]:
    return [name for name, ind in scenario.indicators.items() if values[name] >= ind.max]


@dataclass(frozen=True, slots=True)
class CheckCues:
    single: int  # single-answer checks
    keyed_longest: int  # of which the keyed option is the longest
    chance: float  # expected count by chance


def check_cues(module: Module) -> CheckCues:
    singles = [c for c in module.checks if c.kind == "single"]
    hits = 0
    chance = 0.0
    for check in singles:
        longest = max(len(o.text) for o in check.options)
        right = next(o for o in check.options if o.correct)
        hits += len(right.text) == longest
        chance += 1 / len(check.options)
    return CheckCues(len(singles), hits, chance)


_AFFIRMATIONS = ("right.", "right:", "right,", "correct.", "correct,", "yes.", "yes,", "exactly.")
MIN_REASON_WORDS = 12


def gives_no_reason(explanation: str) -> bool:
    """An explanation of a right answer that only affirms it: "Right. X is the third pillar."."""
    text = explanation.strip()
    lowered = text.lower()
    for word in _AFFIRMATIONS:
        if lowered.startswith(word):
            text = text[len(word) :].strip()
            break
    return len(text.split()) < MIN_REASON_WORDS
