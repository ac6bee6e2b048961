"""Automated playtesting: random play (reproducible by seed) and policy play."""

from __future__ import annotations

import random
import time
from collections import Counter
from dataclasses import dataclass, field

from ..content.model import Scenario
from .analysis import TIME_LIMIT
from .compiled import END_NODE, Compiled
from .state import MAX_STEPS, GameState, choose, new_game, open_choices
from .story import passages
from .story_tally import StoryTally


@dataclass
class PlaytestReport:
    scenario: str
    runs: int
    seed: int
    endings: Counter = field(default_factory=Counter)
    scenes: Counter = field(default_factory=Counter)
    choices: Counter = field(default_factory=Counter)  # "scene/choice" -> visits
    injects: Counter = field(default_factory=Counter)
    principles: Counter = field(default_factory=Counter)  # times a chosen option scored it
    raised: Counter = field(default_factory=Counter)
    mitigated: Counter = field(default_factory=Counter)
    materialized: Counter = field(default_factory=Counter)
    decisions: list[int] = field(default_factory=list)
    scores: list[float] = field(default_factory=list)
    step_bound_hits: int = 0
    stopped: str | None = None  # why fewer plays were made than asked for
    passages_shown: Counter = field(default_factory=Counter)  # story.Passage key -> plays
    passages_read: Counter = field(default_factory=Counter)  # times its text was read
    render_errors: list[str] = field(default_factory=list)

    def unvisited_scenes(self, scenario: Scenario) -> list[str]:
        return [s for s in scenario.scenes if not self.scenes[s]]

    def unvisited_choices(self, scenario: Scenario) -> list[str]:
        everything = [
            f"{node.id}/{c.id}"
            for node in list(scenario.scenes.values()) + list(scenario.injects)
            for c in node.choices
        ]
        return [c for c in everything if not self.choices[c]]

    def as_json(self, scenario: Scenario) -> dict:
        def stats(values):
            if not values:
                return {"min": None, "max": None, "mean": None}
            return {"min": min(values), "max": max(values), "mean": sum(values) / len(values)}

        return {
            "scenario": self.scenario,
            "runs": self.runs,
            "seed": self.seed,
            "endings": {e.id: self.endings[e.id] for e in scenario.endings},
            "unvisited_scenes": self.unvisited_scenes(scenario),
            "unvisited_choices": self.unvisited_choices(scenario),
            "unfired_injects": [i.id for i in scenario.injects if not self.injects[i.id]],
            "decisions": stats(self.decisions),
            "score": stats(self.scores),
            "scene_visits": dict(self.scenes),
            "choice_visits": dict(self.choices),
            "inject_fires": dict(self.injects),
            "principles": dict(self.principles),
            "risks": {
                "raised": dict(self.raised),
                "mitigated": dict(self.mitigated),
                "materialized": dict(self.materialized),
            },
            "step_bound_hits": self.step_bound_hits,
            "stopped": self.stopped,
            "passages": {
                p.key: {"shown": self.passages_shown[p.key], "read": self.passages_read[p.key]}
                for p in passages(scenario)
            },
            "passages_never_shown": [
                p.key
                for p in passages(scenario)
                if self.passages_read[p.key] and not self.passages_shown[p.key]
            ],
            "render_errors": self.render_errors,
        }


def random_playtest(
    scenario: Scenario, runs: int, seed: int, time_limit: float = TIME_LIMIT
) -> PlaytestReport:
    """Play ``runs`` times, picking uniformly among open choices, with full scoring; stop
    early, saying so in ``report.stopped``, once ``time_limit`` seconds have passed."""
    started = time.monotonic()
    compiled = Compiled(scenario)
    rng = random.Random(seed)
    randbelow = rng._randbelow  # the fastest uniform integer generator random offers
    report = PlaytestReport(scenario.id, runs, seed)
    node_visits = [0] * len(compiled.nodes)
    choice_visits: list[list[int]] = [[0] * len(n.choices) for n in compiled.nodes]
    ending_counts: Counter = Counter()
    inject_counts: Counter = Counter()
    decisions_made = report.decisions
    scores = report.scores
    nodes, start, start_values = compiled.nodes, compiled.start, compiled.start_values
    step, open_scored = compiled.step, compiled.open_scored
    story = StoryTally(compiled) if compiled.has_passages else None
    for done in range(runs):
        if done and time.monotonic() - started > time_limit:
            report.stopped = f"stopped after {time.monotonic() - started:.0f} s at {done:,} plays"
            report.runs = done
            break
        node_index, values, flags, fired, resume = start, start_values, 0, 0, -1
        total = counted = steps = 0
        while True:
            node = nodes[node_index]
            node_visits[node_index] += 1
            options, qualities = open_scored(node, values, flags)
            if story is not None:
                story.node(node_index, options, values, flags)
            pick = randbelow(len(options))
            choice = options[pick]
            choice_visits[node_index][choice.position] += 1
            q = qualities[pick]
            if q is not None:
                total += q
                counted += 1
            steps += 1
            node_index, values, flags, fired, resume, events = step(
                values, flags, fired, choice, resume
            )
            for inject in events:
                inject_counts[inject.id] += 1
                if story is not None:
                    story.event(inject.id, values, flags)
            if node_index == END_NODE:
                break
            if steps >= MAX_STEPS:
                report.step_bound_hits += 1
                break
        ending = compiled.ending(values, flags).id
        ending_counts[ending] += 1
        if story is not None and node_index == END_NODE:
            story.ending(ending, values, flags)
        decisions_made.append(steps)
        if counted:
            scores.append(total / counted)
    _tally(report, compiled, node_visits, choice_visits, ending_counts, inject_counts)
    if story is not None:
        report.passages_shown, report.passages_read = story.shown, story.read
        report.render_errors = story.errors
    return report


def _tally(report, compiled: Compiled, node_visits, choice_visits, endings, injects) -> None:
    scenario = compiled.scenario
    report.endings.update(endings)
    report.injects.update(injects)
    for node, visits, per_choice in zip(compiled.nodes, node_visits, choice_visits, strict=True):
        if not node.is_inject:
            report.scenes[node.id] += visits
        model = scenario.node(node.id)
        for choice, count in zip(model.choices, per_choice, strict=True):
            report.choices[f"{node.id}/{choice.id}"] += count
            if not count:
                continue
            for principle in choice.principles:
                report.principles[principle] += count
            for risk in choice.raises:
                report.raised[risk] += count
            for risk in choice.mitigates:
                report.mitigated[risk] += count
    for inject in scenario.injects:
        for risk in inject.materializes:
            report.materialized[risk] += injects[inject.id]


def policy_play(scenario: Scenario, policy: str, start: GameState | None = None) -> GameState:
    """Play by always taking the doctrine-best (or worst) open choice; ties go to the first;
    from ``start`` when given (``play --from``)."""
    state = start if start is not None else new_game(scenario)
    pick = max if policy == "best" else min
    while not state.finished:
        options = open_choices(scenario, state)
        target = pick(c.value for c in options)
        state = choose(scenario, state, next(c.id for c in options if c.value == target))
    return state
