"""The two searches of the exhaustive analysis share how a state is played and summarised.

A summary of a state is (per number of counted decisions still to come: the largest sum of
decision qualities, the pick that gives it, the smallest, the pick that gives it; the endings
reachable; the fewest and the most decisions to an end), or None when no play from it ends.
``by_state`` is the memoised search over every (node, state); ``grouped.py`` gives the same
answers over groups of states where ``cuts.py`` shows that to be exact.
"""

from __future__ import annotations

import time

from .compiled import END_NODE, Compiled
from .state import MAX_STEPS


class TooLarge(Exception):
    """Raised by a search with the message ``analysis.AnalysisTooLarge`` gives."""


def summarise(qualities, children) -> tuple | None:
    """Fold the summaries (or None) that follow each open choice, in order, with the quality
    (or None) of each; ties keep the first pick."""
    sums: dict[int, list] = {}
    endings: set[str] = set()
    shortest, longest = 1 << 30, -1
    for pick, child in enumerate(children):
        if child is None:
            continue
        q = qualities[pick]
        add, inc = (q, 1) if q is not None else (0.0, 0)
        for count, (high, _, low, _) in child[0].items():
            entry = sums.get(count + inc)
            if entry is None:
                sums[count + inc] = [high + add, pick, low + add, pick]
                continue
            if high + add > entry[0]:
                entry[0], entry[1] = high + add, pick
            if low + add < entry[2]:
                entry[2], entry[3] = low + add, pick
        endings |= child[1]
        shortest = min(shortest, child[2] + 1)
        longest = max(longest, child[3] + 1)
    if not sums:
        return None
    return {k: tuple(v) for k, v in sums.items()}, frozenset(endings), shortest, longest


def expander(compiled: Compiled, result):
    """A function that plays one state: (node, values, flags, fired, resume) -> (the open
    choices, their qualities, per choice (next node or END_NODE, values, flags, fired, resume,
    the summary of the ending or None)); what the state reaches and shows goes into
    ``result`` (an ``Analysis``)."""
    nodes, step, ending_of = compiled.nodes, compiled.step, compiled.ending
    open_scored, has_passages = compiled.open_scored, compiled.has_passages
    text_tests, feedback_tests = compiled.text_shown, compiled.feedback_shown
    event_tests, ending_tests = compiled.event_shown, compiled.ending_shown
    shown, hidden = result.passages_shown, result.passages_hidden
    reachable_scenes, reachable_choices = result.reachable_scenes, result.reachable_choices
    reachable_endings = result.reachable_endings
    final: dict[str, tuple] = {}  # the summary of ending the play, per ending

    def expand(node_index: int, values, flags: int, fired: int, resume: int):
        node = nodes[node_index]
        if not node.is_inject:
            reachable_scenes.add(node.id)
        options, qualities = open_scored(node, values, flags)
        if has_passages:
            text_shown, feedback_shown = text_tests[node_index], feedback_tests[node_index]
            if text_shown is not None:
                text_shown(values, flags, shown, hidden)
            if feedback_shown is not None:
                for choice in options:
                    test = feedback_shown[choice.position]
                    if test is not None:
                        test(values, flags, shown, hidden)
        steps = []
        for choice in options:
            reachable_choices.add(choice.key)
            nxt, v2, f2, fi2, r2, events = step(values, flags, fired, choice, resume)
            if events:
                result.fired_injects.update(e.id for e in events)
                result.inject_sources.update(f"{choice.key}>{e.id}" for e in events)
                for event in events:
                    if event.id in event_tests:
                        event_tests[event.id](v2, f2, shown, hidden)
            ended = None
            if nxt == END_NODE:
                ending = ending_of(v2, f2).id
                reachable_endings.add(ending)
                if ending in ending_tests:
                    ending_tests[ending](v2, f2, shown, hidden)
                ended = final.get(ending)
                if ended is None:
                    ended = final[ending] = (
                        {0: (0.0, None, 0.0, None)},
                        frozenset((ending,)),
                        0,
                        0,
                    )
            steps.append((nxt, v2, f2, fi2, r2, events, ended))
        return options, qualities, steps

    return expand


def by_state(compiled: Compiled, result, limits):
    """The memoised search over every (node, state): (the start's summary, a walk function
    that rebuilds the path realising the stored extreme for a count, slot 1 best, 3 worst)."""
    max_states, started, deadline = limits
    memo: dict[tuple, tuple | None] = {}
    on_stack: set[tuple] = set()
    nodes, state_key = compiled.nodes, compiled.state_key
    expand = expander(compiled, result)

    def visit(node_index: int, values, flags: int, fired: int, resume: int, depth: int):
        key = state_key(node_index, values, flags, fired, resume)
        if key in memo:
            return memo[key]
        if key in on_stack:
            result.cycles.add(nodes[node_index].id)
            return None
        if depth >= MAX_STEPS:
            result.step_bound = True
            return None
        if len(memo) >= max_states:
            raise TooLarge(f"more than {max_states:,} distinct states")
        if time.monotonic() > deadline:
            elapsed = time.monotonic() - started
            raise TooLarge(f"stopped after {elapsed:.0f} s at {len(memo):,} states")
        on_stack.add(key)
        _, qualities, steps = expand(node_index, values, flags, fired, resume)
        summary = summarise(
            qualities,
            [
                ended if ended is not None else visit(nxt, v2, f2, fi2, r2, depth + 1)
                for nxt, v2, f2, fi2, r2, _, ended in steps
            ],
        )
        on_stack.discard(key)
        memo[key] = summary
        return summary

    def walk(count: int, slot: int) -> list[str]:
        path: list[str] = []
        node_index, values, flags, fired, resume = compiled.start, compiled.start_values, 0, 0, -1
        while node_index != END_NODE:
            pick = memo[state_key(node_index, values, flags, fired, resume)][0][count][slot]
            options, qualities = compiled.open_scored(nodes[node_index], values, flags)
            if qualities[pick] is not None:
                count -= 1
            path.append(options[pick].key)
            node_index, values, flags, fired, resume, _ = compiled.step(
                values, flags, fired, options[pick], resume
            )
        return path

    root = visit(compiled.start, compiled.start_values, 0, 0, -1, 0)
    result.states = len(memo)
    return root, walk
