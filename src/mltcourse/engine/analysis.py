"""Exhaustive analysis by memoised search over (scene, state), never by listing paths.

For each reachable state we keep, per number of counted decisions still to come, the largest
and smallest sum of decision qualities that can follow it. The best score is then the best
ratio over those counts, and the path that gives it is rebuilt from the stored picks. States
repeat across paths, so the work grows with the number of distinct states, not of paths; and
where states differ only in values no condition still to come can tell apart, they are
searched as one group (``grouped.py``), while every distinct state is still counted.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..content.model import Scenario
from . import grouped
from .compiled import Compiled
from .cuts import Partition
from .explore import TooLarge, by_state
from .state import MAX_STEPS
from .story import passages

MAX_STATES = 2_000_000
# A valid scenario can be slow per state (long conditions) as well as large: the search stops
# at this many seconds, so that lint and playtest say so instead of running for hours.
TIME_LIMIT = 60.0


class AnalysisTooLarge(RuntimeError):
    """The scenario has more distinct states, or takes longer, than the analysis allows."""


@dataclass
class Analysis:
    scenario: str
    states: int = 0
    reachable_scenes: set[str] = field(default_factory=set)
    reachable_choices: set[str] = field(default_factory=set)  # "node/choice"
    reachable_endings: set[str] = field(default_factory=set)
    fired_injects: set[str] = field(default_factory=set)
    cycles: set[str] = field(default_factory=set)  # nodes where a state repeats
    inject_sources: set[str] = field(default_factory=set)  # "node/choice>inject" it fired after
    passages_shown: set[str] = field(default_factory=set)  # story.Passage keys
    passages_hidden: set[str] = field(default_factory=set)  # reached but passed over
    step_bound: bool = False
    best: float | None = None
    worst: float | None = None
    best_path: list[str] = field(default_factory=list)
    worst_path: list[str] = field(default_factory=list)
    min_decisions: int = 0
    max_decisions: int = 0

    def as_json(self, scenario: Scenario) -> dict:
        all_choices = [
            f"{n.id}/{c.id}"
            for n in list(scenario.scenes.values()) + list(scenario.injects)
            for c in n.choices
        ]
        return {
            "scenario": self.scenario,
            "states": self.states,
            "score": {"best": self.best, "worst": self.worst},
            "best_path": self.best_path,
            "worst_path": self.worst_path,
            "decisions": {"min": self.min_decisions, "max": self.max_decisions},
            "reachable_endings": [e.id for e in scenario.endings if e.id in self.reachable_endings],
            "unreachable_endings": [
                e.id for e in scenario.endings if e.id not in self.reachable_endings
            ],
            "unreachable_scenes": [s for s in scenario.scenes if s not in self.reachable_scenes],
            "unreachable_choices": [c for c in all_choices if c not in self.reachable_choices],
            "unfired_injects": [i.id for i in scenario.injects if i.id not in self.fired_injects],
            "cycles": sorted(self.cycles),
            "step_bound_reached": self.step_bound,
            "passages_never_shown": [
                p.key
                for p in passages(scenario)
                if p.key in self.passages_hidden and p.key not in self.passages_shown
            ],
            "passages_always_shown": [
                p.key
                for p in passages(scenario)
                if p.key in self.passages_shown and p.key not in self.passages_hidden
            ],
        }


_ENGINE_FILES = (
    "analysis.py",
    "compiled.py",
    "cuts.py",
    "explore.py",
    "grouped.py",
    "scoring.py",
    "state.py",
    "story.py",
)
_memory: dict[str, Analysis] = {}


def _cache_dir() -> Path:
    explicit = os.environ.get("MLTCOURSE_CACHE_DIR")
    if explicit:
        return Path(explicit)
    import platformdirs

    return Path(platformdirs.user_cache_dir("mltcourse"))


def _cache_key(scenario: Scenario) -> str:
    """The scenario file's content hash and the engine's own code: a change to either misses."""
    here = Path(__file__).parent
    digest = hashlib.sha256(scenario.digest.encode())
    for name in _ENGINE_FILES:
        digest.update((here / name).read_bytes())
    return digest.hexdigest()[:32]


def analyse_cached(scenario: Scenario, time_limit: float = TIME_LIMIT) -> Analysis:
    """``analyse``, remembered per scenario content in memory and in the user cache folder.

    The search is the slow part of ``lint``; an author re-linting after changing one file
    pays only for that file. A cache that cannot be read or written only costs the time.
    """
    if not scenario.digest:
        return analyse(scenario, time_limit=time_limit)
    key = _cache_key(scenario)
    if key in _memory:
        return _memory[key]
    path = _cache_dir() / "analysis" / f"{key}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        result = Analysis(**{k: set(v) if k in _SET_FIELDS else v for k, v in data.items()})
    except (OSError, ValueError, TypeError):
        result = analyse(scenario, time_limit=time_limit)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(f".{os.getpid()}.tmp")
            fields = {k: sorted(v) if isinstance(v, set) else v for k, v in asdict(result).items()}
            partial.write_text(json.dumps(fields), encoding="utf-8")
            os.replace(partial, path)
        except OSError:
            pass
    _memory[key] = result
    return result


_SET_FIELDS = {
    "reachable_scenes",
    "reachable_choices",
    "reachable_endings",
    "fired_injects",
    "cycles",
    "inject_sources",
    "passages_shown",
    "passages_hidden",
}


def analyse(
    scenario: Scenario,
    max_states: int = MAX_STATES,
    time_limit: float = TIME_LIMIT,
    by_groups: bool = True,
) -> Analysis:
    """Search every reachable state: over groups of states with one future where that is
    exact (``grouped.py``), else state by state (``explore.by_state``, also what
    ``by_groups=False`` asks for, the reference the tests hold the grouped search to)."""
    started = time.monotonic()
    compiled = Compiled(scenario)
    result = Analysis(scenario.id)
    limits = (max_states, started, started + time_limit)
    partition = Partition(compiled) if by_groups else None
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, MAX_STEPS * 4 + 200))
    try:
        if partition is not None and partition.applies:
            root, walk = grouped.search(compiled, partition, result, limits)
        else:
            root, walk = by_state(compiled, result, limits)
    except TooLarge as exc:
        raise AnalysisTooLarge(str(exc)) from None
    finally:
        sys.setrecursionlimit(limit)
    if root is None:
        return result
    result.min_decisions, result.max_decisions = root[2], root[3]
    ratios = [(s[0] / k, k, "max") for k, s in root[0].items() if k] + [
        (s[2] / k, k, "min") for k, s in root[0].items() if k
    ]
    if ratios:
        best = max(r for r in ratios if r[2] == "max")
        worst = min(r for r in ratios if r[2] == "min")
        result.best, result.worst = best[0], worst[0]
        result.best_path = walk(best[1], 1)
        result.worst_path = walk(worst[1], 3)
    return result


def scene_loops(scenario: Scenario) -> list[list[str]]:
    """Groups of scenes that can lead back to themselves (strongly connected components).

    Cheap and static: it ignores conditions, so a loop here may be one that every play leaves.
    It is what the tools fall back on when the state space is too large to search.
    """
    edges = {
        scene.id: sorted({c.next for c in scene.choices if c.next in scenario.scenes})
        for scene in scenario.scenes.values()
    }
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    loops: list[list[str]] = []

    for root in edges:
        if root in index:
            continue
        work = [(root, iter(edges[root]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges[child])))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1 or node in edges[node]:
                    loops.append(sorted(group))
    return loops
