"""A one-line key bar: the keys that work here, as plain text.

Textual's Footer builds a widget per key and rebuilds them whenever focus moves, which costs
tens of milliseconds on every screen change; this bar is a single widget that re-renders text.
A key's hint can be clicked, which presses the key.

When the keys do not all fit, the least needed go first, whole: a screen names its most needed
actions in ``key_rank``; help and the palette come next (they lead to every other key); the
rest follow in the order they are bound. A hint is never cut mid-word.
"""

from __future__ import annotations

from typing import NamedTuple

from textual.content import Content
from textual.events import Resize
from textual.style import Style
from textual.widgets import Static

PALETTE = "command_palette"  # the palette's hint, ranked as if it were a binding's action
ALWAYS_USEFUL = ("help", PALETTE)
SEPARATOR = Content("  ")


class Hint(NamedTuple):
    action: str
    text: Content


def key_rank(screen) -> tuple[str, ...]:
    """The screen's most needed actions, most needed first (none named: bound order)."""
    return tuple(getattr(screen, "key_rank", ()))


def fit_hints(hints: list[Hint], ranked: tuple[str, ...], width: int) -> list[Hint]:
    """The hints that fit in ``width`` cells, in their own order: taken by need (``ranked``,
    then help and the palette, then the rest as bound) until the next one would not fit."""

    def need(numbered: tuple[int, Hint]) -> tuple[int, int]:
        position, hint = numbered
        if hint.action in ranked:
            return (0, ranked.index(hint.action))
        if hint.action in ALWAYS_USEFUL:
            return (1, ALWAYS_USEFUL.index(hint.action))
        return (2, position)

    kept: set[int] = set()
    used = 0
    for position, hint in sorted(enumerate(hints), key=need):
        cost = hint.text.cell_length + (SEPARATOR.cell_length if kept else 0)
        if used + cost > width:
            break
        kept.add(position)
        used += cost
    return [hint for position, hint in enumerate(hints) if position in kept]


class KeyBar(Static):
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $panel;
        color: $text-muted;
        padding: 0 1;
        text-wrap: nowrap;
    }
    """

    _hints_on_offer: list[Hint] | None = None
    _shown: Content | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def on_resize(self, _event: Resize) -> None:
        self._show_fitting()

    def _bindings_changed(self, screen) -> None:
        if self.is_attached and screen is self.screen:
            hints = self._hints()
            if hints != self._hints_on_offer:  # focus moves often; the keys change less
                self._hints_on_offer = hints
                self._show_fitting()

    def _show_fitting(self) -> None:
        if self._hints_on_offer is None:
            return
        width = self.content_size.width or self.app.size.width - 2  # before the first layout
        shown = fit_hints(self._hints_on_offer, key_rank(self.screen), width)
        text = SEPARATOR.join(hint.text for hint in shown)
        if text != self._shown:
            self._shown = text
            self.update(text)

    def _hints(self) -> list[Hint]:
        seen_actions: set[str] = set()
        hints: list[Hint] = []
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if not binding.show or binding.action in seen_actions:
                continue
            seen_actions.add(binding.action)
            key = self.app.get_key_display(binding)
            click = Style.from_meta({"@click": f"app.simulate_key({binding.key!r})"})
            style = "bold $accent" if enabled else "$text-disabled"
            text = Content.assemble((key, style), " ", binding.description).stylize(click)
            hints.append(Hint(binding.action, text))
        hints.append(Hint(PALETTE, Content.assemble(("ctrl+p", "bold $accent"), " palette")))
        return hints
