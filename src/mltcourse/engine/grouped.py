"""The exhaustive analysis over groups of states that share a future (see ``cuts.py``).

A group is a decision point (node, resume, injects fired), its flags and the run each
indicator's value lies in. Every state of a group opens the same choices, fires the same
injects, reaches the same endings and shows the same passages, so one member stands for all
when the group is played; the members themselves are only carried forward, as sets of values,
to count the distinct states exactly. Groups are played point by point in a topological
order, so a group is complete before it is played; the summaries are then folded from the
last group back."""

from __future__ import annotations

import time
from collections import defaultdict

from .compiled import Compiled
from .cuts import Partition
from .explore import TooLarge, expander, summarise


def search(compiled: Compiled, partition: Partition, result, limits):
    """Fill ``result`` (an ``Analysis``) and return (the start's summary, a walk function) as
    ``explore.by_state`` would; ``limits`` is (max_states, started, deadline)."""
    max_states, started, deadline = limits
    readers, expand = partition.readers, expander(compiled, result)
    group_of: dict[tuple, int] = {}
    info: list[tuple[int, int, int, int]] = []  # per group: node, resume, flags, fired
    members: list[set | None] = []
    waiting: dict[tuple[int, int, int], list[int]] = defaultdict(list)
    order: list[int] = []  # the groups in the order played
    plays: list = []  # per group: (its open choices, their qualities, what follows each)
    table: list[tuple] = []  # distinct summaries (a child that ends the play: -1 - its place)
    ended_at: dict[int, int] = {}  # id of an ending's summary -> its place in table
    states = 0

    def group(node: int, resume: int, flags: int, fired: int, values) -> int:
        point = (node, resume, fired)
        key = (point, flags, readers[point](values))
        found = group_of.get(key)
        if found is None:
            found = group_of[key] = len(info)
            info.append((node, resume, flags, fired))
            members.append(set())
            plays.append(None)
            waiting[point].append(found)
        return found

    root = group(compiled.start, -1, 0, 0, compiled.start_values)
    members[root].add(compiled.start_values)  # type: ignore[union-attr]
    for point in partition.order:
        for g in waiting.pop(point, ()):
            node_index, resume, flags, fired = info[g]
            values_set: set = members[g]  # type: ignore[assignment]
            members[g] = None
            states += len(values_set)
            if states > max_states:
                raise TooLarge(f"more than {max_states:,} distinct states")
            if time.monotonic() > deadline:
                elapsed = time.monotonic() - started
                raise TooLarge(f"stopped after {elapsed:.0f} s at {states:,} states")
            values = next(iter(values_set))
            options, qualities, steps = expand(node_index, values, flags, fired, resume)
            children: list[int] = []
            for choice, (nxt, v2, f2, fi2, r2, events, ended) in zip(options, steps, strict=True):
                if ended is not None:
                    place = ended_at.get(id(ended))
                    if place is None:
                        place = ended_at[id(ended)] = len(table)
                        table.append(ended)
                    children.append(-1 - place)
                    continue
                child = group(nxt, r2, f2, fi2, v2)
                moved = values_set if choice.move is None else map(choice.move, values_set)
                for event in events:
                    if event.move is not None:
                        moved = map(event.move, moved)
                members[child].update(moved)  # type: ignore[union-attr]
                children.append(child)
            plays[g] = (options, qualities, children)
            order.append(g)
    result.states = states
    summary_of = _fold(order, plays, table)

    def walk(count: int, slot: int) -> list[str]:
        path: list[str] = []
        at = root
        while at >= 0:
            pick = table[summary_of[at]][0][count][slot]  # type: ignore[index]
            options, qualities, children = plays[at]
            if qualities[pick] is not None:
                count -= 1
            path.append(options[pick].key)
            at = children[pick]
        return path

    return (table[summary_of[root]] if summary_of[root] is not None else None), walk


def _fold(order: list[int], plays: list, table: list[tuple]) -> list[int | None]:
    """Each group's summary, as its place in ``table`` (None where no play from it ends),
    folded from the last group played back. Groups whose choices score alike and lead to the
    same summaries share one, which is folded once: most do, near the ends."""
    summary_of: list[int | None] = [None] * len(plays)
    known: dict[tuple, int | None] = {}
    for g in reversed(order):
        _, qualities, children = plays[g]
        places = tuple(summary_of[c] if c >= 0 else -1 - c for c in children)
        key = (qualities, places)
        if key in known:
            summary_of[g] = known[key]
            continue
        summary = summarise(qualities, [None if p is None else table[p] for p in places])
        if summary is not None:
            summary_of[g] = len(table)
            table.append(summary)
        known[key] = summary_of[g]
    return summary_of
