"""A labelled one-line progress meter: "Overall progress ━━━━━━━──── 35 %".

Textual's ProgressBar is four widgets with an animated bar and an ETA clock; a course map
needs a figure that changes when the learner comes back to it, drawn as text.
"""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from ..text import literal


class Meter(Widget):
    DEFAULT_CSS = """
    Meter {
        height: 1;
    }
    """

    value: reactive[float] = reactive(0.0)  # from 0 to 1

    def __init__(self, label: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.label = label

    def render(self) -> Content:
        share = min(1.0, max(0.0, self.value))
        figure = f" {round(share * 100):>3} %"
        width = max(0, self.content_size.width - len(self.label) - 2 - len(figure))
        filled = round(share * width)
        return Content.assemble(
            literal(self.label, "$text-muted"),
            "  ",
            ("━" * filled, "$accent"),
            ("━" * (width - filled), "$border-blurred"),
            figure,
        )
