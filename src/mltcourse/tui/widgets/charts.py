"""Charts for the debrief: the principle profile as bars, indicator paths as sparklines."""

from __future__ import annotations

import textwrap

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from ...reports.debrief import sparkline
from ..text import literal, percent


def _quality_style(value: float) -> str:
    if value >= 0.67:
        return "$success"
    if value >= 0.34:
        return "$warning"
    return "$error"


class PrincipleChart(Widget):
    """Per-principle decision quality: 100 % means the doctrine-best option every time."""

    DEFAULT_CSS = """
    PrincipleChart {
        height: auto;
    }
    """

    rows: reactive[tuple[tuple[str, float], ...]] = reactive((), layout=True)

    def render(self) -> Content:
        if not self.rows:
            return literal(
                "No decision here separated the options on any principle.", "$text-muted"
            )
        width = self.content_size.width
        longest = max(len(title) for title, _ in self.rows)
        label_width = min(longest, max(12, width * 2 // 5))
        bar_width = max(5, width - label_width - 8)
        lines = []
        for title, value in self.rows:
            label, *more = textwrap.wrap(title, label_width) or [""]  # whole, never cut
            filled = round(value * bar_width)
            lines.append(
                Content.assemble(
                    literal(label.ljust(label_width)),
                    " ",
                    ("█" * filled, _quality_style(value)),
                    ("░" * (bar_width - filled), "$text-muted"),
                    (f" {percent(value):>5}", "bold"),
                )
            )
            lines += [literal(line) for line in more]
        return Content("\n").join(lines)


class IndicatorPaths(Widget):
    """Each indicator's value from the start through every decision."""

    DEFAULT_CSS = """
    IndicatorPaths {
        height: auto;
    }
    """

    rows: reactive[tuple[tuple[str, tuple[float, ...], float, float], ...]] = reactive(
        (), layout=True
    )

    def render(self) -> Content:
        if not self.rows:
            return Content("")
        label_width = min(28, max(len(label) for label, *_ in self.rows))
        lines = []
        for label, series, low, high in self.rows:
            label = label if len(label) <= label_width else label[: label_width - 1] + "…"
            change = series[-1] - series[0]
            style = "$success" if change > 0 else "$error" if change < 0 else "$text-muted"
            lines.append(
                Content.assemble(
                    literal(label.ljust(label_width)),
                    f" {series[0]:>4g} → ",
                    (f"{series[-1]:<4g}", "bold"),
                    (f" {change:+g}".ljust(6), style),
                    (sparkline(list(series), low, high), "$accent"),
                )
            )
        return Content("\n").join(lines)
