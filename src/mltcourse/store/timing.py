"""How long scenarios take to play, from the attempts timed: the map's "about N min".

Kept apart from ``standing.py`` (the completion rule's facts) because the map shows these
figures on its first paint, and the facts only once the course has loaded.
"""

from __future__ import annotations

import statistics
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .progress import ProgressStore

# A pause longer than this between two steps of an attempt is the learner away, not playing.
MAX_STEP_SECONDS = 10 * 60


def playing_minutes(store: ProgressStore) -> dict[str, list[float]]:
    """Per scenario, how many minutes each finished attempt in the app took to play: the
    time from its start through each decision to its end, each pause capped (a learner who
    left and came back the next day did not play for a day)."""
    times: dict[int, list[float]] = {}
    scenario_of: dict[int, tuple[str, float, float]] = {}
    with store.reading():
        for attempt_id, scenario, started, updated in store.read(
            "SELECT id, scenario, started, updated FROM attempts "
            "WHERE status = 'finished' AND source = 'app'"
        ):
            scenario_of[attempt_id] = (scenario, started, updated)
        for attempt_id, made in store.read(
            "SELECT d.attempt_id, d.made FROM decisions d JOIN attempts a ON a.id = d.attempt_id "
            "WHERE a.status = 'finished' AND a.source = 'app' ORDER BY d.attempt_id, d.seq"
        ):
            times.setdefault(attempt_id, []).append(made)
    out: dict[str, list[float]] = {}
    for attempt_id, (scenario, started, updated) in scenario_of.items():
        stamps = [started, *times.get(attempt_id, []), updated]
        seconds = sum(
            min(max(0.0, b - a), MAX_STEP_SECONDS) for a, b in zip(stamps, stamps[1:], strict=False)
        )
        if seconds > 0:
            out.setdefault(scenario, []).append(seconds / 60)
    return out


# The authored "about N min" counts as this many attempts when it is weighed against the
# attempts actually timed: a first slow or fast attempt moves it only part of the way.
PRIOR_WEIGHT = 3


def calibrated_minutes(authored: int | None, played: list[float]) -> int | None:
    """ "About N min" for a scenario: the median of the attempts timed, weighed against the
    author's estimate as a prior worth ``PRIOR_WEIGHT`` attempts; the author's alone with no
    attempt timed, the median alone with no estimate."""
    if not played:
        return authored
    median = statistics.median(played)
    if authored is None:
        return max(1, round(median))
    estimate = (PRIOR_WEIGHT * authored + len(played) * median) / (PRIOR_WEIGHT + len(played))
    return max(1, round(estimate))
