"""Scoring against the doctrine: decision quality, principle profile and the risk ledger.

A decision is judged among the options that were open when it was made: the best open option
scores 1, the worst 0, the rest in between by doctrine value. A decision whose open options are
all equal (overall, or on one principle) does not count (overall, or for that principle).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..content.model import Choice, Scenario
from .state import Decision, GameState


def quality(chosen: float, values: list[float] | tuple[float, ...]) -> float | None:
    """Where ``chosen`` stands between the worst (0) and best (1) of ``values``."""
    low, high = min(values), max(values)
    if high == low:
        return None
    return (chosen - low) / (high - low)


@dataclass(frozen=True, slots=True)
class DecisionScore:
    node: str
    choice: str
    quality: float | None
    principles: dict[str, float]  # principle id -> quality, where the decision counts for it
    best: tuple[str, ...]  # the doctrine-best open choices


def score_decision(scenario: Scenario, decision: Decision) -> DecisionScore:
    node = scenario.node(decision.node)
    by_id = {c.id: c for c in node.choices}
    options = [by_id[c] for c in decision.open if c in by_id]
    chosen = by_id[decision.choice]
    values = [o.value for o in options]
    top = max(values)
    per_principle: dict[str, float] = {}
    for principle in sorted({p for o in options for p in o.principles}):
        q = quality(
            chosen.principles.get(principle, 0), [o.principles.get(principle, 0) for o in options]
        )
        if q is not None:
            per_principle[principle] = q
    return DecisionScore(
        node=decision.node,
        choice=decision.choice,
        quality=quality(chosen.value, values),
        principles=per_principle,
        best=tuple(o.id for o in options if o.value == top),
    )


@dataclass(frozen=True, slots=True)
class Score:
    overall: float | None
    principles: dict[str, float]
    decisions: tuple[DecisionScore, ...]

    @property
    def counted(self) -> int:
        return sum(1 for d in self.decisions if d.quality is not None)


def score(scenario: Scenario, state: GameState) -> Score:
    decisions = tuple(score_decision(scenario, d) for d in state.decisions)
    counted = [d.quality for d in decisions if d.quality is not None]
    sums: dict[str, list[float]] = {}
    for d in decisions:
        for principle, q in d.principles.items():
            sums.setdefault(principle, []).append(q)
    return Score(
        overall=sum(counted) / len(counted) if counted else None,
        principles={p: sum(v) / len(v) for p, v in sorted(sums.items())},
        decisions=decisions,
    )


@dataclass(frozen=True, slots=True)
class RiskLedger:
    raised: tuple[str, ...]
    mitigated: tuple[str, ...]
    materialized: tuple[str, ...]

    def sections(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """The ledger's three parts, titled, in the order every debrief shows them."""
        return (
            ("Raised", self.raised),
            ("Mitigated", self.mitigated),
            ("Materialised", self.materialized),
        )


def chosen(scenario: Scenario, state: GameState) -> list[Choice]:
    return [scenario.choice(d.node, d.choice) for d in state.decisions]


def risk_ledger(scenario: Scenario, state: GameState) -> RiskLedger:
    raised: dict[str, None] = {}
    mitigated: dict[str, None] = {}
    for choice in chosen(scenario, state):
        raised.update(dict.fromkeys(choice.raises))
        mitigated.update(dict.fromkeys(choice.mitigates))
    materialized: dict[str, None] = {}
    injects = {i.id: i for i in scenario.injects}
    for event in state.events:
        materialized.update(dict.fromkeys(injects[event.inject].materializes))
    return RiskLedger(tuple(raised), tuple(mitigated), tuple(materialized))
