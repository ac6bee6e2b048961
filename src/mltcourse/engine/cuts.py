"""Which indicator values the rest of a play can tell apart, at each point of play.

A condition reads an indicator only by comparing it with a number, and an effect moves it by a
fixed step within its range. So at a decision the values an indicator can take fall into runs
that every condition still to come treats alike, bounded by cuts: a cut t parts the values below
t from those at t or above. The cuts at a decision are those of its own conditions and, moved
back by each choice's effect (and each inject's that may follow it), those of everything after.
States whose values lie in the same runs have the same future, which lets the analysis
(``grouped.py``) work on groups of states instead of on each one.

Exact only for whole numbers (their sums are exact floats), where no condition compares two
indicators, and where no decision can lead back to itself; elsewhere ``Partition.applies`` is
False and the analysis searches state by state.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable
from operator import itemgetter, mul

from ..content.condition_compile import evaluate_source
from ..content.conditions import BoolOp, Compare, Expr, Not, Num
from .compiled import END_NODE, RESUME, Compiled
from .state import MAX_STEPS
from .story import passages

_FLIP = {"<": ">", ">": "<", "<=": ">=", ">=": "<=", "==": "==", "!=": "!="}

Cuts = tuple[frozenset, ...]  # per indicator position
Point = tuple[int, int, int]  # a decision point: node, resume, injects fired (as in a state)
MAX_INJECTS = 12  # the points multiply by the sets of injects fired: 2 ** injects at most
MAX_TABLE = 10_000  # a wider range is read by bisection instead of from a table


class _Unsupported(Exception):
    """A condition or a scenario the cuts cannot describe exactly."""


def _add_cuts(expr: Expr, index: dict[str, int], out: list[set]) -> None:
    match expr:
        case Not(operand=operand):
            _add_cuts(operand, index, out)
        case BoolOp(operands=operands):
            for operand in operands:
                _add_cuts(operand, index, out)
        case Compare(op=op, left=left, right=right):
            if isinstance(left, Num) and isinstance(right, Num):
                return
            if isinstance(left, Num):
                op, left, right = _FLIP[op], right, left
            if not isinstance(right, Num):
                raise _Unsupported("two indicators compared")
            position, bound = index[left.name], right.value  # type: ignore[union-attr]
            if op in (">=", "<"):
                out[position].add(math.ceil(bound))
            elif op in (">", "<="):
                out[position].add(math.floor(bound) + 1)
            elif float(bound).is_integer():  # == and != part a whole number from both sides
                out[position].update((int(bound), int(bound) + 1))


def _reader(cuts: Cuts, low: tuple, high: tuple):
    """values -> one number that differs exactly where some indicator's run does: each run
    numbered, mixed-radix. Read from a table per indicator where the ranges are small."""
    positions = [i for i, c in enumerate(cuts) if c]
    ordered = [sorted(cuts[i]) for i in positions]
    weights = []
    weight = 1
    for c in ordered:
        weights.append(weight)
        weight *= len(c) + 1
    if any(high[i] - low[i] > MAX_TABLE for i in positions):
        get = (
            itemgetter(*positions) if len(positions) > 1 else lambda values: (values[positions[0]],)
        )

        def read(values) -> int:
            return sum(map(mul, map(bisect_right, ordered, get(values)), weights))

        return read
    tables = [
        {v: bisect_right(c, v) * w for v in range(int(low[i]), int(high[i]) + 1)}
        for i, c, w in zip(positions, ordered, weights, strict=True)
    ]
    terms = [f"t[{k}][values[{i}]]" for k, i in enumerate(positions)] or ["0"]
    return evaluate_source(f"lambda t: lambda values: {' + '.join(terms)}")(tables)


class Partition:
    """Per decision point (node, resume, injects fired), the cuts of each indicator, and a
    topological order of those points; ``applies`` says whether the grouped analysis is exact
    here."""

    def __init__(self, compiled: Compiled):
        self.compiled = compiled
        self.applies = False
        self.order: list[Point] = []
        self.readers: dict[Point, Callable] = {}  # per point: values -> the runs they lie in
        try:
            self._check_whole_numbers()
            self.order = self._topological_order()
            self._build()
        except _Unsupported:
            return
        self.applies = True

    # -- the checks -------------------------------------------------------------------------

    def _check_whole_numbers(self) -> None:
        compiled = self.compiled
        numbers = [*compiled.low, *compiled.high, *compiled.start_values]
        for item in [c for n in compiled.nodes for c in n.choices] + compiled.injects:
            numbers.extend(delta for _, delta in item.effects)
        if not all(float(x).is_integer() and abs(x) < 2**50 for x in numbers):
            raise _Unsupported("values that are not whole numbers")
        if not all(
            lo <= x <= hi
            for lo, x, hi in zip(compiled.low, compiled.start_values, compiled.high, strict=True)
        ):
            raise _Unsupported("a start outside its range")
        if len(compiled.injects) > MAX_INJECTS:
            raise _Unsupported("too many injects to follow every order they may fire in")

    def _successors(self, point: Point) -> set[Point]:
        """Every decision point a step from ``point`` may lead to, whichever injects fire."""
        node, resume, fired = point
        out: set[Point] = set()
        for choice in self.compiled.nodes[node].choices:
            target = resume if choice.next == RESUME else choice.next
            self._firings(0, target, fired, out)
        return out

    def _firings(self, k: int, target: int, fired: int, out: set[Point]) -> None:
        """Where a step towards ``target`` may stop, from inject ``k`` on (as ``step``)."""
        injects = self.compiled.injects
        if k == len(injects):
            if target != END_NODE:
                out.add((target, -1, fired))
            return
        self._firings(k + 1, target, fired, out)
        inject = injects[k]
        if not fired & inject.bit:
            if inject.node >= 0:
                out.add((inject.node, target, fired | inject.bit))
            else:
                self._firings(k + 1, target, fired | inject.bit, out)

    def _topological_order(self) -> list[Point]:
        """Decision points from the start, each before every point it leads to; raises on a
        loop or on a path too long for the step bound."""
        start = (self.compiled.start, -1, 0)
        following = {start: sorted(self._successors(start))}
        finished: list[Point] = []
        on_path = {start}
        work = [(start, iter(following[start]))]
        while work:
            point, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                on_path.discard(point)
                finished.append(point)
            elif child in on_path:
                raise _Unsupported("a decision can lead back to itself")
            elif child not in following:
                following[child] = sorted(self._successors(child))
                on_path.add(child)
                work.append((child, iter(following[child])))
        order = finished[::-1]
        depth = dict.fromkeys(order, 0)
        for point in order:
            for child in following[point]:
                depth[child] = max(depth[child], depth[point] + 1)
        if max(depth.values()) >= MAX_STEPS:
            raise _Unsupported("paths as long as the step bound")
        return order

    # -- the cuts ---------------------------------------------------------------------------

    def _read(self, condition) -> list[set]:
        out: list[set] = [set() for _ in self.compiled.names]
        if condition is not None:
            _add_cuts(condition.expr, self.compiled.index, out)
        return out

    def _build(self) -> None:
        compiled, scenario = self.compiled, self.compiled.scenario
        self._low, self._high = compiled.low, compiled.high
        local = [self._read(None) for _ in compiled.nodes]
        for cuts, node in zip(local, compiled.nodes, strict=True):
            for choice in scenario.node(node.id).choices:
                self._merge(cuts, self._read(choice.when))
        ending = self._read(None)
        for model in scenario.endings:
            self._merge(ending, self._read(model.when))
        events = self._read(None)
        owners = {node.id: local[i] for i, node in enumerate(compiled.nodes)}
        owners.update({f"ending:{e.id}": ending for e in scenario.endings})
        owners.update({i.id: events for i in scenario.injects if not i.choices})
        for passage in passages(scenario):
            owner = owners.get(passage.owner.split("/")[0], owners.get(passage.owner))
            if owner is not None and passage.condition is not None:
                try:
                    _add_cuts(passage.condition, compiled.index, owner)
                except KeyError:  # a text that does not compile is never tested
                    continue
        self._tests = [self._freeze(self._read(i.when)) for i in scenario.injects]
        self._local = [self._freeze(c) for c in local]
        self._ending, self._events = self._freeze(ending), self._freeze(events)
        self._after: dict[tuple[int, int, int], Cuts] = {}
        cuts: dict[Point, Cuts] = {}
        self._cuts = cuts
        for point in reversed(self.order):
            node, resume, fired = point
            parts = [self._local[node]]
            for choice in compiled.nodes[node].choices:
                target = resume if choice.next == RESUME else choice.next
                parts.append(self._back(self._after_step(0, target, fired), choice.effects))
            cuts[point] = self._union(parts)
        self.readers = {point: _reader(c, self._low, self._high) for point, c in cuts.items()}

    def _after_step(self, k: int, target: int, fired: int) -> Cuts:
        """The cuts needed just before inject ``k`` is considered, in a step towards ``target``
        with the injects ``fired`` already fired."""
        key = (k, target, fired)
        found = self._after.get(key)
        if found is not None:
            return found
        injects = self.compiled.injects
        if k == len(injects):
            rest = self._ending if target == END_NODE else self._cuts[target, -1, fired]
            found = self._union([self._events, rest])
        elif fired & injects[k].bit:
            found = self._after_step(k + 1, target, fired)
        else:
            inject = injects[k]
            passed = self._after_step(k + 1, target, fired)
            if inject.node >= 0:
                fires = self._union(
                    [self._cuts[inject.node, target, fired | inject.bit], self._events]
                )
            else:
                fires = self._after_step(k + 1, target, fired | inject.bit)
            found = self._union([self._tests[k], passed, self._back(fires, inject.effects)])
        self._after[key] = found
        return found

    def _freeze(self, cuts: list[set]) -> Cuts:
        """Only cuts inside an indicator's range part anything: t with low < t <= high."""
        low, high = self._low, self._high
        return tuple(frozenset(t for t in c if low[i] < t <= high[i]) for i, c in enumerate(cuts))

    def _back(self, cuts: Cuts, effects) -> Cuts:
        """The cuts before an effect that give ``cuts`` after it: within the range, clamping
        aside, the value after is at or above t exactly when the value before is at t - delta."""
        if not effects:
            return cuts
        moved = [set(c) for c in cuts]
        for i, delta in effects:
            moved[i] = {t - delta for t in cuts[i]}
        return self._freeze(moved)

    @staticmethod
    def _merge(into: list[set], more: list[set]) -> None:
        for mine, theirs in zip(into, more, strict=True):
            mine |= theirs

    @staticmethod
    def _union(parts: list[Cuts]) -> Cuts:
        return tuple(frozenset().union(*column) for column in zip(*parts, strict=True))
