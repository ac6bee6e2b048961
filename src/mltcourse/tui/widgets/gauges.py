"""Indicator gauges: each indicator's value as a bar, with the change the last choice made."""

from __future__ import annotations

from dataclasses import dataclass

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from ..text import literal


@dataclass(frozen=True)
class Reading:
    label: str
    value: float
    low: float
    high: float
    delta: float = 0.0


def _bar(reading: Reading, width: int) -> Content:
    span = (reading.high - reading.low) or 1
    filled = round(max(0.0, min(1.0, (reading.value - reading.low) / span)) * width)
    return Content.assemble(("━" * filled, "$accent"), ("━" * (width - filled), "$border-blurred"))


def _delta(delta: float) -> Content:
    if not delta:
        return Content("")
    sign, style = ("▲ +", "$success") if delta > 0 else ("▼ ", "$error")
    return Content.assemble((f"{sign}{delta:g}", f"bold {style}"))


def gauge(reading: Reading, width: int) -> Content:
    """Two lines: the label and value, then the bar and the last change."""
    value = f"{reading.value:g}"
    room = max(1, width - len(value) - 1)
    label = reading.label if len(reading.label) <= room else reading.label[: room - 1] + "…"
    delta = _delta(reading.delta)
    bar_width = max(4, width - (len(delta.plain) + 1 if delta.plain else 0))
    return Content.assemble(
        literal(label.ljust(room)),
        " ",
        (value, "bold"),
        "\n",
        _bar(reading, bar_width),
        " " if delta.plain else "",
        delta,
    )


class IndicatorGauges(Widget):
    """Always on screen in the scenario player, so every choice's cost is visible."""

    DEFAULT_CSS = """
    IndicatorGauges {
        height: auto;
        padding: 0 1;
    }
    """

    readings: reactive[tuple[Reading, ...]] = reactive((), layout=True)
    concealed: reactive[bool] = reactive(False, layout=True)

    def render(self) -> Content:
        if self.concealed:  # assessment: the debrief shows the values and what moved them
            names = Content("\n").join(literal(reading.label) for reading in self.readings)
            note = literal("Hidden until the debrief in assessment mode.", "$text-muted")
            return Content.assemble(names, "\n\n", note)
        width = max(8, self.content_size.width)
        return Content("\n").join(gauge(reading, width) for reading in self.readings)
