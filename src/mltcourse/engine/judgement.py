"""Does a scenario test judgement? Measures of the cues a learner could pass it by.

A decision teaches weighing only if its doctrine-best option cannot be found from the surface
of the text (its length, its place) and if the best option costs something, as the doctrine's
own considerations do. These measures are shared by the linter, the debrief and the benchmark.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..content.model import Choice, Module, Scenario, Scene
from ..content.model import Inject as InjectNode

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


def is_longest(choice: Choice, choices) -> bool:
    return len(choice.text) == max(len(c.text) for c in choices)


@dataclass(frozen=True, slots=True)
class DecisionCues:
    node: str
    pos: tuple[int, int]
    options: int
    best_places: tuple[int, ...]  # 1-based places of the best options
    best_is_longest: bool
    best_costs: bool  # every best option carries a doctrine cost
    close_call: bool


def decision_cues(node) -> DecisionCues:
    best = best_of(node.choices)
    return DecisionCues(
        node=node.id,
        pos=node.pos,
        options=len(node.choices),
        best_places=tuple(node.choices.index(c) + 1 for c in best),
        best_is_longest=any(is_longest(c, node.choices) for c in best),
        best_costs=all(doctrine_cost(c) for c in best),
        close_call=bool(defensible_of(node.choices)),
    )


def scenario_cues(scenario: Scenario) -> list[DecisionCues]:
    return [decision_cues(n) for n in decision_nodes(scenario)]


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
