"""A one-line key bar: the keys that work here, as plain text.

Textual's Footer builds a widget per key and rebuilds them whenever focus moves, which costs
tens of milliseconds on every screen change; this bar is a single widget that re-renders text.
A key's hint can be clicked, which presses the key.
"""

from __future__ import annotations

from textual.content import Content
from textual.style import Style
from textual.widgets import Static


class KeyBar(Static):
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $panel;
        color: $text-muted;
        padding: 0 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    _shown: Content | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def _bindings_changed(self, screen) -> None:
        if self.is_attached and screen is self.screen:
            hints = self._hints()
            if hints != self._shown:  # focus moves often; the keys on offer change less
                self._shown = hints
                self.update(hints)

    def _hints(self) -> Content:
        seen_actions: set[str] = set()
        parts: list[Content] = []
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if not binding.show or binding.action in seen_actions:
                continue
            seen_actions.add(binding.action)
            key = self.app.get_key_display(binding)
            click = Style.from_meta({"@click": f"app.simulate_key({binding.key!r})"})
            style = "bold $accent" if enabled else "$text-disabled"
            parts.append(Content.assemble((key, style), " ", binding.description).stylize(click))
        parts.append(Content.assemble(("ctrl+p", "bold $accent"), " palette"))
        return Content("  ").join(parts)
