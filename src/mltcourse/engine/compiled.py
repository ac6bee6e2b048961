"""A compiled form of a scenario for the author tools that play it thousands of times.

Indicators become positions in a tuple, flags bits of an integer, scenes and injects indices.
The rules are exactly those of ``state.py`` (a property test holds the two together); only the
representation differs, which is what makes random playtests and exhaustive analysis fast.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..content.condition_compile import compile_indexed, evaluate_source, indexed_source
from ..content.conditions import names
from ..content.model import END, Choice, Condition, Scenario
from .scoring import quality
from .story import passage_tests, passages

END_NODE = -1
RESUME = -2


@dataclass(slots=True)
class CChoice:
    id: str
    position: int
    test: object  # IndexedEvaluator | None
    effects: tuple[tuple[int, float], ...]
    set_bits: int
    clear_bits: int
    next: int
    value: int
    principles: tuple[tuple[str, int], ...]
    key: str = ""  # "node/choice", as the analysis reports it
    shift: object = None  # values -> values with the effects applied, or None for no effects
    move: object = None  # the same on the indicators that matter only (``relevant``), or None


@dataclass(slots=True)
class CNode:
    id: str
    is_inject: bool
    choices: tuple[CChoice, ...]
    gated: bool  # some choice has a condition
    quality_cache: dict
    open_mask: object = None  # (values, flags) -> which gated choices are open, as bits
    open_table: dict = field(default_factory=dict)  # mask -> (open choices, their qualities)


@dataclass(slots=True)
class CInject:
    id: str
    bit: int
    test: object
    effects: tuple[tuple[int, float], ...]
    set_bits: int
    clear_bits: int
    node: int  # index of its decision node, or -1 when it asks for none
    shift: object = None
    move: object = None


class Compiled:
    def __init__(self, scenario: Scenario):
        self.scenario = scenario
        self.names = list(scenario.indicators)
        self.index = {name: i for i, name in enumerate(self.names)}
        self.low = tuple(scenario.indicators[n].min for n in self.names)
        self.high = tuple(scenario.indicators[n].max for n in self.names)
        self.start_values = tuple(scenario.indicators[n].start for n in self.names)
        self.flag_bits = {name: 1 << i for i, name in enumerate(sorted(scenario.flags))}
        node_ids = list(scenario.scenes) + [i.id for i in scenario.injects if i.choices]
        self.node_index = {node_id: i for i, node_id in enumerate(node_ids)}
        self.nodes = [self._node(scenario.node(node_id)) for node_id in node_ids]
        self.start = self.node_index[scenario.start]
        self.injects = [
            CInject(
                inject.id,
                1 << n,
                self._test(inject.when),
                self._effects(inject.effects),
                *self._bits(inject.flags),
                self.node_index.get(inject.id, -1) if inject.choices else -1,
            )
            for n, inject in enumerate(scenario.injects)
        ]
        self.endings = [(self._test(e.when) if e.when else None, e) for e in scenario.endings]
        self._any_due = self._due_check()
        self._passages(node_ids)
        self.relevant = self._relevant_indicators()
        for item in [c for n in self.nodes for c in n.choices] + self.injects:
            item.shift = self._shifter(item.effects)
            item.move = self._shifter(tuple(e for e in item.effects if e[0] in self.relevant))
        self._select_ending = self._ending_selector()

    def _passages(self, node_ids: list[str]) -> None:
        """Which branches of the story text each state shows (``story.passage_tests``): per
        node its text and its choices' feedback, per inject without choices and per ending."""
        tests = passage_tests(self.scenario, self.index, self.flag_bits)
        self.has_passages = bool(tests)
        self.text_shown = [tests.get(node_id) for node_id in node_ids]
        self.feedback_shown = []
        for node_id in node_ids:
            feedback = tuple(
                tests.get(f"{node_id}/{c.id}") for c in self.scenario.node(node_id).choices
            )
            self.feedback_shown.append(feedback if any(feedback) else None)
        self.event_shown = {
            i.id: tests[i.id] for i in self.scenario.injects if not i.choices and i.id in tests
        }
        self.ending_shown = {
            e.id: tests[f"ending:{e.id}"]
            for e in self.scenario.endings
            if f"ending:{e.id}" in tests
        }

    def _relevant_indicators(self) -> tuple[int, ...]:
        """Positions of indicators that some condition reads, a passage's included; the others
        never steer play nor change what it shows."""
        used: set[str] = set()
        sources = [e.when for e in self.scenario.endings] + [i.when for i in self.scenario.injects]
        for node in list(self.scenario.scenes.values()) + list(self.scenario.injects):
            sources.extend(c.when for c in node.choices)
        for condition in sources:
            if condition is not None:
                used |= names(condition.expr)
        for passage in passages(self.scenario):
            if passage.condition is not None:
                used |= names(passage.condition)
        return tuple(i for i, name in enumerate(self.names) if name in used)

    def _ending_selector(self):
        """One function that returns the index of the first ending whose condition holds."""
        branches = [
            f"{i} if {indexed_source(e.when.expr, self.index, self.flag_bits)} else "
            for i, e in enumerate(self.scenario.endings)
            if e.when is not None
        ]
        last = len(self.scenario.endings) - 1
        return evaluate_source(f"lambda values, flags: {''.join(branches)}{last}")

    def _test(self, condition: Condition | None):
        if condition is None:
            return None
        return compile_indexed(condition.expr, self.index, self.flag_bits)

    def _effects(self, effects) -> tuple[tuple[int, float], ...]:
        return tuple((self.index[name], delta) for name, delta in effects.items())

    def _bits(self, flags) -> tuple[int, int]:
        on = sum(self.flag_bits[k] for k, v in flags.items() if v)
        off = sum(self.flag_bits[k] for k, v in flags.items() if not v)
        return on, off

    def _node(self, node) -> CNode:
        choices = tuple(self._choice(c, i) for i, c in enumerate(node.choices))
        for choice in choices:
            choice.key = f"{node.id}/{choice.id}"
        compiled = CNode(
            node.id,
            node.id not in self.scenario.scenes,
            choices,
            any(c.test is not None for c in choices),
            {},
        )
        gates = [
            f"({1 << position} if {self._source(c.when)} else 0)"
            for position, c in enumerate(node.choices)
            if c.when is not None
        ]
        if gates:
            compiled.open_mask = evaluate_source(f"lambda values, flags: {' | '.join(gates)}")
        return compiled

    def _due_check(self):
        """(values, flags, fired) -> is some unfired inject's condition true now? When none
        is, none can fire (nothing changes until one does), and ``step`` skips the loop."""
        checks = [
            f"(not fired & {1 << n} and {self._source(inject.when)})"
            for n, inject in enumerate(self.scenario.injects)
        ]
        return evaluate_source(f"lambda values, flags, fired: {' or '.join(checks) or 'False'}")

    def _source(self, condition: Condition) -> str:
        return indexed_source(condition.expr, self.index, self.flag_bits)

    def _shifter(self, effects: tuple[tuple[int, float], ...]):
        """One function that applies ``effects`` and the range limits: a rise can only pass
        the top and a fall the bottom, so each changed value is tested once."""
        if not effects:
            return None
        delta = dict(effects)
        parts = []
        for i in range(len(self.names)):
            d = delta.get(i, 0)
            if d > 0:
                parts.append(
                    f"(x if (x := v[{i}] + {d!r}) < {self.high[i]!r} else {self.high[i]!r})"
                )
            elif d < 0:
                parts.append(f"(x if (x := v[{i}] + {d!r}) > {self.low[i]!r} else {self.low[i]!r})")
            else:
                parts.append(f"v[{i}]")
        return evaluate_source(f"lambda v: ({', '.join(parts)},)")

    def _choice(self, choice: Choice, position: int) -> CChoice:
        if choice.next is None:
            target = RESUME
        elif choice.next == END:
            target = END_NODE
        else:
            target = self.node_index[choice.next]
        return CChoice(
            choice.id,
            position,
            self._test(choice.when),
            self._effects(choice.effects),
            *self._bits(choice.flags),
            target,
            choice.value,
            tuple(choice.principles.items()),
        )

    # -- rules -------------------------------------------------------------------------------

    def state_key(self, node_index: int, values, flags: int, fired: int, resume: int) -> tuple:
        """What determines the rest of a play: indicators no condition reads are left out."""
        relevant = self.relevant
        if len(relevant) != len(values):
            values = tuple(values[i] for i in relevant)
        return (node_index, values, flags, fired, resume)

    def open(self, node: CNode, values, flags: int) -> tuple[CChoice, ...]:
        return self.open_scored(node, values, flags)[0]

    def open_scored(self, node: CNode, values, flags: int):
        """(the open choices, the quality of each): one lookup per set of open choices."""
        mask = node.open_mask(values, flags) if node.open_mask is not None else 0
        found = node.open_table.get(mask)
        if found is None:
            options = tuple(c for c in node.choices if c.test is None or mask >> c.position & 1)
            found = node.open_table[mask] = (options, self.qualities(node, options))
        return found

    def qualities(self, node: CNode, options: tuple[CChoice, ...]) -> tuple[float | None, ...]:
        """Overall quality of each open option (None where the decision does not count)."""
        key = tuple(c.position for c in options)
        cached = node.quality_cache.get(key)
        if cached is None:
            values = [c.value for c in options]
            cached = tuple(quality(c.value, values) for c in options)
            node.quality_cache[key] = cached
        return cached

    def apply(self, values: tuple, effects) -> tuple:
        if not effects:
            return values
        out = list(values)
        low, high = self.low, self.high
        for i, delta in effects:
            v = out[i] + delta
            out[i] = low[i] if v < low[i] else high[i] if v > high[i] else v
        return tuple(out)

    def step(self, values, flags: int, fired: int, choice: CChoice, resume: int):
        """Apply ``choice``; return (node or END_NODE, values, flags, fired, resume, events)."""
        if choice.shift is not None:
            values = choice.shift(values)
        flags = (flags | choice.set_bits) & ~choice.clear_bits
        target = choice.next if choice.next != RESUME else resume
        events: list[CInject] = []
        if not self._any_due(values, flags, fired):
            return target, values, flags, fired, -1, events
        for inject in self.injects:
            if fired & inject.bit or not inject.test(values, flags):
                continue
            fired |= inject.bit
            if inject.shift is not None:
                values = inject.shift(values)
            flags = (flags | inject.set_bits) & ~inject.clear_bits
            events.append(inject)
            if inject.node >= 0:
                return inject.node, values, flags, fired, target, events
        return target, values, flags, fired, -1, events

    def ending(self, values, flags: int):
        return self.endings[self._select_ending(values, flags)][1]
