"""What random playtests learn about story text: how often each passage showed where it was
read, and whether every text rendered in every kind of state that play produced."""

from __future__ import annotations

from collections import Counter

from ..content.story_text import RenderError, render
from .compiled import Compiled
from .story import owner_texts


class StoryTally:
    """Counts per passage key, and strict renders of each text once per distinct outcome."""

    def __init__(self, compiled: Compiled):
        self.compiled = compiled
        self.shown: Counter = Counter()
        self.read: Counter = Counter()  # times the text holding the passage was read
        self.errors: list[str] = []
        self._rendered: set[tuple] = set()
        self._flag_names = {bit: name for name, bit in compiled.flag_bits.items()}
        self._texts = owner_texts(compiled.scenario)

    def node(self, node_index: int, options, values, flags: int) -> None:
        compiled = self.compiled
        node_id = compiled.nodes[node_index].id
        test = compiled.text_shown[node_index]
        if test is not None:
            self._count(node_id, test, values, flags)
        feedback = compiled.feedback_shown[node_index]
        if feedback is not None:
            for choice in options:
                if feedback[choice.position] is not None:
                    self._count(f"{node_id}/{choice.id}", feedback[choice.position], values, flags)

    def event(self, inject_id: str, values, flags: int) -> None:
        test = self.compiled.event_shown.get(inject_id)
        if test is not None:
            self._count(inject_id, test, values, flags)

    def ending(self, ending_id: str, values, flags: int) -> None:
        test = self.compiled.ending_shown.get(ending_id)
        if test is not None:
            self._count(f"ending:{ending_id}", test, values, flags)

    def _count(self, owner: str, test, values, flags: int) -> None:
        shown: set[str] = set()
        hidden: set[str] = set()
        test(values, flags, shown, hidden)
        self.shown.update(shown)
        self.read.update(shown | hidden)
        outcome = (owner, frozenset(shown))
        if outcome not in self._rendered:
            self._rendered.add(outcome)
            self._render(owner, values, flags)

    def _render(self, owner: str, values, flags: int) -> None:
        by_name = dict(zip(self.compiled.names, values, strict=True))
        names = {name for bit, name in self._flag_names.items() if flags & bit}
        for text in self._texts[owner]:  # a choice's option text and its feedback
            try:
                render(text, by_name, names, strict=True)
            except RenderError as exc:
                self.errors.append(f"{owner}: {exc}")
