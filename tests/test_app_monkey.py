"""A monkey at the keyboard: the app on the bundled course takes random keys, bursts of keys
with no pause between them, and pasted text, on every screen, at 80x24 and 120x40, and must
never fail (no unhandled exception, none absorbed by the guard either: see tui/guard.py).

Each example starts from a screen reached on purpose (``START``: the map, a lesson page, the
checks, the glossary, the palette, the player in both modes and on its feedback, a debrief tab,
the learners, help, the facilitation dialogs and screens, the problems panel), then plays its
steps. A few examples by default keep the suite quick; ``MLTCOURSE_MONKEY_EXAMPLES=2000`` runs
many more by hand (and ``MLTCOURSE_MONKEY_SECONDS`` bounds each example, 60 s by default: a
hang fails too). What it found has a test of its own each, first below.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
import traceback
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st
from textual.command import CommandPalette
from textual.widgets import TabbedContent

from apptest import FIXTURE_COURSE, screen_text, start, wait_until
from helpers import REPO
from mltcourse.content.loader import load_course
from mltcourse.content.pages import lesson_pages
from mltcourse.store import ProgressStore
from mltcourse.tui.app import create_app
from mltcourse.tui.screens.debrief import DebriefScreen
from mltcourse.tui.screens.exercise_dialogs import ExerciseSetup, VoteDialog
from mltcourse.tui.screens.facilitate import FacilitateScreen
from mltcourse.tui.screens.glossary import GlossaryScreen
from mltcourse.tui.screens.help import HelpScreen
from mltcourse.tui.screens.hotwash import HotWashScreen
from mltcourse.tui.screens.learners import LearnerPicker
from mltcourse.tui.screens.lesson import LessonScreen
from mltcourse.tui.screens.player import PlayerScreen
from mltcourse.tui.screens.problems import ProblemsScreen
from mltcourse.tui.widgets.choices import ChoiceList
from test_app_crashes import burst, paste

EXAMPLES = int(os.environ.get("MLTCOURSE_MONKEY_EXAMPLES", "20"))
SECONDS = float(os.environ.get("MLTCOURSE_MONKEY_SECONDS", "60"))

COURSE = load_course(REPO)
PAGES = [
    (m.id, page.anchor)
    for m in COURSE.modules
    for page in lesson_pages(m, bool(COURSE.scenarios_for(m.id)))
]
SCENARIOS = sorted(COURSE.scenarios)
DEBRIEF_TABS = [
    "tab-outcome",
    "tab-principles",
    "tab-risks",
    "tab-decisions",
    "tab-indicators",
    "tab-attempts",
]

NAMED_KEYS = [
    "enter",
    "escape",
    "tab",
    "shift+tab",
    "up",
    "down",
    "left",
    "right",
    "pagedown",
    "pageup",
    "home",
    "end",
    "backspace",
    "delete",
    "space",
    "ctrl+p",
    "ctrl+t",
    "f1",
]
# every letter and digit is a key somewhere; "q" quits (the example ends there)
CHARACTER_KEYS = list("abcdefghijklmnopqrstuvwxyz0123456789[]?-+,.") + ["D", "Q", "C"]
keys = st.sampled_from(NAMED_KEYS + CHARACTER_KEYS)
pasted = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["zzz", "DDR", "-", "Red,Blue", "9" * 30, "Integrated Strategic", "\n\t"]),
)
steps = st.lists(
    st.one_of(
        st.tuples(st.just("press"), keys),
        st.tuples(st.just("burst"), st.lists(keys, min_size=2, max_size=10)),
        st.tuples(st.just("paste"), pasted),
    ),
    max_size=12,
)


# --- what the monkey found, one test each ---------------------------------------------------


async def test_two_fast_enters_on_the_first_question_close_it_once(tmp_path):
    """Found by the monkey: the second Enter's message reached the closed question, which
    closed the map beneath it."""
    app = create_app(FIXTURE_COURSE, tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, LearnerPicker))
        burst(app, ["enter", "enter"])
        await wait_until(pilot, lambda: app.learner is not None)
        await pilot.pause(0.1)
        assert len(app.screen_stack) == 1 and app.is_running
    assert not app.guard.failures


async def test_fast_enters_in_the_palette_close_it_once_and_run_one_command(tmp_path):
    """Found by the monkey: Textual's palette, dismissed twice, closed the question beneath."""
    app = create_app(FIXTURE_COURSE, tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, LearnerPicker))
        await wait_until(pilot, lambda: app.course is not None)
        await pilot.press("ctrl+p")
        await pilot.press(*"Lesson 2")
        burst(app, ["enter", "enter", "enter"])
        await wait_until(pilot, lambda: isinstance(app.screen, LearnerPicker))
        await pilot.pause(0.2)
        assert [type(s).__name__ for s in app.screen_stack] == ["CourseMapScreen", "LearnerPicker"]
        await pilot.press(*"Zoe", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, LessonScreen))
        await pilot.pause(0.1)
        assert len(app.screen_stack) == 2 and app.screen.module_id == "relief"
    assert not app.guard.failures


async def test_keys_typed_after_quit_open_nothing(tmp_path):
    """Found by the monkey: q then g in one burst opened the glossary as the app closed."""
    app = create_app(FIXTURE_COURSE, tmp_path / "data", learner="Ana")
    async with app.run_test(size=(80, 24)) as pilot:
        await start(app, pilot)
        burst(app, ["q", "g", "question_mark", "u", "enter"])
        await wait_until(pilot, lambda: not app.is_running)
    assert len(app.screen_stack) <= 1
    assert not app.guard.failures


async def test_page_down_in_a_list_not_yet_laid_out_does_nothing(tmp_path):
    """Found by the monkey: ctrl+p and pagedown in one burst, KeyError in Textual."""
    app = create_app(FIXTURE_COURSE, tmp_path / "data", learner="Ana")
    async with app.run_test(size=(80, 24)) as pilot:
        await start(app, pilot)
        burst(app, ["ctrl+p", "pagedown", "pageup"])
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.pause(0.1)
    assert not app.guard.failures


def test_textual_still_needs_the_page_mend():
    """When this fails, Textual pages through an unlaid list itself: drop the mend."""
    from textual.widgets import OptionList

    from mltcourse.tui import textual_fixes

    options = OptionList("one", "two")
    options._reactive_highlighted = 0  # highlighted, never laid out
    with pytest.raises(KeyError):
        textual_fixes._move_page(options, 1)
    textual_fixes._move_page_when_laid_out(options, 1)


async def test_two_fast_enters_on_a_scenario_open_it_once(tmp_path):
    app = create_app(FIXTURE_COURSE, tmp_path / "data", learner="Ana")
    async with app.run_test(size=(80, 24)) as pilot:
        await start(app, pilot)
        app.go("lesson:relief#scenarios")
        await wait_until(pilot, lambda: app.screen.query("#lesson-scenarios"))
        await wait_until(pilot, lambda: app.focused.id == "lesson-scenarios")
        burst(app, ["enter", "enter"])
        await wait_until(pilot, lambda: isinstance(app.screen, PlayerScreen))
        await pilot.pause(0.1)
        assert [type(s).__name__ for s in app.screen_stack] == [
            "CourseMapScreen",
            "LessonScreen",
            "PlayerScreen",
        ]
    assert not app.guard.failures


# --- the places an example starts from -------------------------------------------------------


async def settle(app, pilot, condition, timeout: float = 10) -> None:
    await wait_until(pilot, condition, timeout=timeout)
    await pilot.pause(0.05)


async def on_map(app, pilot, draw) -> None:
    pass


async def lesson_page(app, pilot, draw) -> None:
    module, anchor = draw(st.sampled_from(PAGES))
    app.go(f"lesson:{module}#{anchor}")
    await settle(app, pilot, lambda: isinstance(app.screen, LessonScreen))


async def checks(app, pilot, draw) -> None:
    module = draw(st.sampled_from([m.id for m in COURSE.modules if m.checks]))
    app.go(f"lesson:{module}#checks")
    await settle(app, pilot, lambda: "Check 1 of" in screen_text(app))


async def glossary(app, pilot, draw) -> None:
    if draw(st.booleans()):
        await lesson_page(app, pilot, draw)
    await pilot.press("g")
    await settle(app, pilot, lambda: isinstance(app.screen, GlossaryScreen))
    if draw(st.booleans()):
        await pilot.press("shift+tab")  # into the filter


async def palette(app, pilot, draw) -> None:
    await pilot.press("ctrl+p")
    await settle(app, pilot, lambda: isinstance(app.screen, CommandPalette))


async def briefing(app, pilot, draw) -> None:
    app.go(f"scenario:{draw(st.sampled_from(SCENARIOS))}")
    await settle(app, pilot, lambda: "How do you want to play?" in screen_text(app))


async def training(app, pilot, draw) -> None:
    await briefing(app, pilot, draw)
    await pilot.press("enter")
    await settle(app, pilot, lambda: bool(app.screen.query(ChoiceList)))


async def assessment(app, pilot, draw) -> None:
    await briefing(app, pilot, draw)
    await pilot.press("down", "enter")
    await settle(app, pilot, lambda: bool(app.screen.query(ChoiceList)))


async def feedback(app, pilot, draw) -> None:
    await training(app, pilot, draw)
    await pilot.press(str(draw(st.integers(1, 2))))
    await settle(app, pilot, lambda: "You chose" in screen_text(app))


async def debrief(app, pilot, draw) -> None:
    await assessment(app, pilot, draw)
    for _ in range(60):
        if isinstance(app.screen, DebriefScreen):
            break
        if app.screen.query("#next-step"):
            await pilot.press("enter")
        elif app.screen.query(ChoiceList):
            await pilot.press("1", "1")  # assessment: pick, commit
        await pilot.pause(0.05)
    await settle(app, pilot, lambda: getattr(app.screen, "debrief", None) is not None)
    app.screen.query_one(TabbedContent).active = draw(st.sampled_from(DEBRIEF_TABS))


async def learners(app, pilot, draw) -> None:
    await pilot.press("u")
    await settle(app, pilot, lambda: isinstance(app.screen, LearnerPicker))


async def help_keys(app, pilot, draw) -> None:
    await pilot.press("question_mark")
    await settle(app, pilot, lambda: isinstance(app.screen, HelpScreen))


async def facilitation_setup(app, pilot, draw) -> None:
    await pilot.press("f")
    await settle(app, pilot, lambda: isinstance(app.screen, ExerciseSetup))


async def facilitation(app, pilot, draw) -> None:
    scenario = draw(st.sampled_from(SCENARIOS))
    app.action_facilitate(scenario, "Red,Blue,Green", draw(st.sampled_from([0, 30])))
    await settle(app, pilot, lambda: isinstance(app.screen, FacilitateScreen))


async def votes(app, pilot, draw) -> None:
    await facilitation(app, pilot, draw)
    await pilot.press("v")
    await settle(app, pilot, lambda: isinstance(app.screen, VoteDialog))


async def hot_wash(app, pilot, draw) -> None:
    await facilitation(app, pilot, draw)
    await pilot.press(*draw(st.lists(st.sampled_from("123"), max_size=3)))
    await pilot.press("h")
    await settle(app, pilot, lambda: isinstance(app.screen, HotWashScreen))


async def problems(app, pilot, draw) -> None:
    app.action_problems()
    await settle(app, pilot, lambda: isinstance(app.screen, ProblemsScreen))


START = {
    "map": on_map,
    "lesson page": lesson_page,
    "checks": checks,
    "glossary": glossary,
    "palette": palette,
    "briefing": briefing,
    "training": training,
    "assessment": assessment,
    "feedback": feedback,
    "debrief": debrief,
    "learners": learners,
    "help": help_keys,
    "facilitation set-up": facilitation_setup,
    "facilitation": facilitation,
    "votes": votes,
    "hot wash": hot_wash,
    "problems": problems,
}
# Who is studying: one learner (the usual), or the question still open (a first launch, or
# two learners): the monkey then types over the question, or opens the palette on it.
WHO = {"Amina": ["Amina"], "first launch": [], "two learners": ["Amina", "Ben"]}
who_studies = st.sampled_from(["Amina"] * 6 + ["first launch", "two learners"])


# --- one example -----------------------------------------------------------------------------


@cache
def warm_cache() -> Path:
    """A data folder whose course cache is built, copied into each example's own."""
    folder = Path(tempfile.mkdtemp(prefix="monkey-cache-"))

    async def load() -> None:
        app = create_app(REPO, folder / "data", learner="Amina")
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_until(pilot, lambda: app.course is not None, timeout=30)

    asyncio.run(load())
    return folder / "data" / "cache"


@contextmanager
def sandbox():
    """A fresh data folder; the working folder and HOME point into it too, so that a path
    the monkey types (the review's export folder) lands there."""
    folder = Path(tempfile.mkdtemp(prefix="monkey-"))
    data = folder / "data"
    shutil.copytree(warm_cache(), data / "cache")
    before, home = os.getcwd(), os.environ.get("HOME")
    os.chdir(folder)
    os.environ["HOME"] = str(folder)
    try:
        yield data
    finally:
        os.chdir(before)
        if home is not None:
            os.environ["HOME"] = home
        shutil.rmtree(folder, ignore_errors=True)


async def run_example(data: Path, size, who: str, place: str, draw, plan) -> list[str]:
    """What failed, as tracebacks; empty if nothing did."""
    names = WHO[who]
    if len(names) > 1:
        store = ProgressStore.in_dir(data)
        for name in names:
            store.learner(name)
        store.close()
    app = create_app(REPO, data, learner=names[0] if len(names) == 1 else None)
    app.open_url = lambda *args, **kwargs: None  # a link the monkey follows opens nothing
    async with app.run_test(size=size) as pilot:
        await wait_until(pilot, lambda: app.course is not None, timeout=30)
        if len(names) == 1:
            await settle(app, pilot, lambda: "Overall progress" in screen_text(app))
            await START[place](app, pilot, draw)
        else:
            await settle(app, pilot, lambda: isinstance(app.screen, LearnerPicker))
            if draw(st.booleans()):
                await palette(app, pilot, draw)
        for kind, what in plan:
            if not app.is_running:
                break
            if kind == "press":
                await pilot.press(what)
            elif kind == "burst":
                burst(app, what)
            else:
                paste(app, what)
            await pilot.pause()
        if app.is_running:
            await pilot.pause(0.2)  # workers and late messages
        failures = ["".join(_format(error)) for error in app.guard.failures]
        app._exception = None  # reported below, with every other failure, not just the first
    return failures


def _format(error: BaseException) -> list[str]:
    return traceback.format_exception(error)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    size=st.sampled_from([(80, 24), (120, 40)]),
    who=who_studies,
    place=st.sampled_from(list(START)),
    plan=steps,
    data=st.data(),
)
def test_random_keys_on_every_screen_never_fail(size, who, place, plan, data):
    event(f"start: {place if who == 'Amina' else who}")
    with sandbox() as folder:
        failures = asyncio.run(
            asyncio.wait_for(
                run_example(folder, size, who, place, data.draw, plan), timeout=SECONDS
            )
        )
    assert not failures, "\n".join(failures)
