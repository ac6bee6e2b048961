"""Run a per-scenario author tool (lint, playtest) on several cores.

The exhaustive search behind lint is pure Python and CPU-bound, so threads would not help;
processes do. Workers are forked, so they inherit the loaded course instead of receiving it
pickled; where fork is not available (or only one scenario or worker is asked for) the work
runs here, in order. Results come back in the order of the scenarios given.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

from ..content.model import Scenario

Result = TypeVar("Result")

WORKERS = max(1, min(2, os.cpu_count() or 1))
"""Processes for the whole-course author commands: the machines this course targets have
two cores; more workers than cores only compete."""

_work: tuple[Callable, Sequence[Scenario]] | None = None


def _run(index: int):
    assert _work is not None
    function, scenarios = _work
    return function(scenarios[index])


def _cost(scenario: Scenario) -> int:
    """A rough size of a scenario's state space, to start the largest searches first."""
    choices = sum(len(s.choices) for s in scenario.scenes.values())
    return choices * (1 + len(scenario.injects)) * (1 + len(scenario.indicators))


def map_scenarios(
    function: Callable[[Scenario], Result], scenarios: Sequence[Scenario], workers: int = 2
) -> list[Result]:
    """``[function(s) for s in scenarios]``, in up to ``workers`` processes."""
    global _work
    if workers <= 1 or len(scenarios) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [function(s) for s in scenarios]
    order = sorted(range(len(scenarios)), key=lambda i: -_cost(scenarios[i]))
    _work = (function, scenarios)
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(min(workers, len(scenarios)), mp_context=context) as pool:
            futures = {i: pool.submit(_run, i) for i in order}
            return [futures[i].result() for i in range(len(scenarios))]
    finally:
        _work = None
