"""Both themes meet WCAG AA: every colour pair the app draws on its screens is measured.

The screens are rendered as a terminal would show them, and each run of text is checked
against the background it sits on: 4.5:1 for text, 3:1 for interface marks (borders, bars,
scrollbars, ticks: a run with no letter or digit). Dim text is measured as the terminal blends
it, halfway to its background. The ratio is WCAG 2.2's relative-luminance contrast.
"""

from __future__ import annotations

import pytest
from textual.color import Color
from textual.geometry import Region
from textual.widgets import TabbedContent

from apptest import FIXTURE_COURSE, screen_text, start, wait_until
from mltcourse.tui.app import create_app
from mltcourse.tui.screens.debrief import DebriefScreen
from mltcourse.tui.themes import THEMES

TEXT, MARKS = 4.5, 3.0


def luminance(color: Color) -> float:
    def channel(value: int) -> float:
        v = value / 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.r) + 0.7152 * channel(color.g) + 0.0722 * channel(color.b)


def contrast(one: Color, other: Color) -> float:
    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_contrast_formula_matches_wcag_s_own_figures():
    assert contrast(Color.parse("#000000"), Color.parse("#FFFFFF")) == pytest.approx(21.0)
    assert contrast(Color.parse("#777777"), Color.parse("#FFFFFF")) == pytest.approx(4.48, abs=0.01)
    # the light theme's orange numbers on grey that a learner could not read
    assert contrast(Color.parse("#FFAF00"), Color.parse("#C6C6C6")) < 1.5


def drawn_pairs(app, where: str, found: dict) -> None:
    """Every (foreground, background, is a mark) on screen, with an example of its text.
    Over a dialog only the dialog counts: the screen behind it is faded on purpose, inactive
    (WCAG 1.4.3 exempts inactive parts)."""
    screen = app.screen
    region = screen.region
    if screen.is_modal:
        # the dialog itself (the palette lays its parts out outside its own container)
        parts = [w.region for w in screen.children if w.region.area]
        parts = parts or [w.region for w in screen.query("*") if w.region.area]
        region = Region.from_union(parts)
    strips = screen._compositor.render_strips()
    for strip in strips[region.y : region.bottom]:
        for segment in strip.crop(region.x, region.right):
            style, text = segment.style, segment.text.strip()
            if not text or style is None or style.color is None or style.bgcolor is None:
                continue
            back = Color.from_rich_color(style.bgcolor)
            fore = Color.from_rich_color(style.color)
            if style.dim:
                fore = back.blend(fore, 0.5)
            mark = not any(ch.isalnum() for ch in text)
            found.setdefault((fore.hex, back.hex, mark), f"{where}: {text[:30]!r}")


async def tour(app, pilot) -> dict:
    """The screens a learner meets, each in the state that shows most of its colours."""
    found: dict = {}

    async def look(where: str) -> None:
        await pilot.pause(0.3)
        drawn_pairs(app, where, found)

    await start(app, pilot)
    await look("map")
    await pilot.press("u")
    await look("learners")
    await pilot.press("escape")
    for anchor in ("overview", "benchmarks", "risks", "checks"):
        app.go(f"lesson:basics#{anchor}")
        await look(f"lesson {anchor}")
    await pilot.press("2")  # a wrong answer: the feedback, the options disabled
    await look("check feedback")
    await pilot.press("t")
    await look("contents")
    app.go("lesson:relief#checks")
    await pilot.press("1")
    await look("multiple-answer check")
    await pilot.press("g")
    await look("glossary")
    await pilot.press("escape", "question_mark")
    await look("help")
    await pilot.press("escape", "ctrl+p")
    await look("palette")
    await pilot.press("escape")
    app.go("scenario:wells")
    await wait_until(pilot, lambda: "How do you want to play?" in screen_text(app))
    await look("briefing")
    await pilot.press("enter", "1")
    await wait_until(pilot, lambda: "You chose" in screen_text(app))
    await look("training feedback")
    await pilot.press("enter", "1")
    await wait_until(pilot, lambda: "You chose" in screen_text(app))
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(app.screen, DebriefScreen))
    await wait_until(pilot, lambda: app.screen.debrief is not None)
    tabs = app.screen.query_one(TabbedContent)
    for pane in [pane.id for pane in tabs.query("TabPane")]:
        tabs.active = pane
        await look(f"debrief {pane}")
    app.go("scenario:wells")
    await wait_until(pilot, lambda: "How do you want to play?" in screen_text(app))
    await pilot.press("down", "enter", "1")
    await wait_until(pilot, lambda: "Commit choice 1?" in screen_text(app))
    await look("assessment")
    return found


@pytest.mark.parametrize("theme", THEMES)
async def test_every_colour_pair_on_the_app_s_screens_meets_wcag_aa(tmp_path, theme):
    app = create_app(FIXTURE_COURSE, tmp_path / "data", learner="Ana")
    app.theme = theme
    async with app.run_test(size=(120, 40)) as pilot:
        found = await tour(app, pilot)
    assert len(found) > 25  # the tour saw the app's colours, not an empty screen
    failing = [
        f"{contrast(Color.parse(fore), Color.parse(back)):.2f}:1 {fore} on {back} at {example}"
        for (fore, back, mark), example in sorted(found.items())
        if contrast(Color.parse(fore), Color.parse(back)) < (MARKS if mark else TEXT)
    ]
    assert not failing, "\n".join(failing)
