"""The full learner journey on the bundled course, as a person would walk it with the keyboard.

Open a lesson from the map, answer a check, play one scenario to its end in training mode and
another in assessment mode, read both debriefs; kill the app mid-scenario and resume; break a
content file and find it in the problems panel while the rest works.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys

from apptest import KILLABLE_PLAYER, screen_text, wait_until
from helpers import REPO
from mltcourse.content.loader import load_course
from mltcourse.engine.state import choose, new_game, open_choices
from mltcourse.store import ProgressStore
from mltcourse.tui.app import create_app
from mltcourse.tui.screens.debrief import DebriefScreen
from mltcourse.tui.screens.lesson import LessonScreen

COURSE = load_course(REPO)
FIRST_LESSON = "1. Peacebuilding and the role of peace"


async def on_the_map(app, pilot) -> None:
    await wait_until(pilot, lambda: app.course is not None and app.learner is not None)
    await wait_until(pilot, lambda: FIRST_LESSON in screen_text(app), timeout=10)


async def play(app, pilot, scenario_id: str, policy: str, training: bool):
    """Pick the doctrine-best (or worst) open option at every decision, by its number key."""
    scenario = COURSE.scenarios[scenario_id]
    state = new_game(scenario)
    number = 0
    while not state.finished:
        number += 1
        node = scenario.node(state.node)
        await wait_until(pilot, lambda n=node: n.title in screen_text(app), timeout=10)
        options = open_choices(scenario, state)
        pick = (max if policy == "best" else min)(c.value for c in options)
        index = next(i for i, c in enumerate(options) if c.value == pick)
        key = str(index + 1)
        await pilot.press(*([key] if training else [key, key]))  # assessment: pick, commit
        state = choose(scenario, state, options[index].id)
        if training:
            await wait_until(pilot, lambda: "You chose" in screen_text(app))
            await pilot.press("enter")
    return state


async def test_lesson_check_and_two_scenarios_to_their_debriefs(tmp_path):
    data = tmp_path / "data"
    app = create_app(REPO, data, learner="Amina")
    async with app.run_test(size=(100, 30)) as pilot:
        await on_the_map(app, pilot)
        await pilot.press("down", "enter")  # the second lesson, from the map
        await wait_until(pilot, lambda: isinstance(app.screen, LessonScreen))
        assert app.screen.module.id == "humanitarian"
        app.go("lesson:humanitarian#checks")
        check = COURSE.module("humanitarian").checks[0]
        await wait_until(pilot, lambda: "Check 1 of" in screen_text(app))
        right = next(i for i, o in enumerate(check.options) if o.correct)
        await pilot.press(str(right + 1), "a")
        counter = app.screen.query_one("#check-counter")  # scrolled away once feedback shows
        await wait_until(pilot, lambda: "1 right at the first attempt" in str(counter.content))

        app.go("scenario:hearts-and-minds")
        await wait_until(pilot, lambda: "How do you want to play?" in screen_text(app))
        await pilot.press("enter")  # training mode
        best = await play(app, pilot, "hearts-and-minds", "best", training=True)
        await wait_until(pilot, lambda: isinstance(app.screen, DebriefScreen), timeout=10)
        ending = next(
            e for e in COURSE.scenarios["hearts-and-minds"].endings if e.id == best.ending
        )
        await wait_until(pilot, lambda: ending.title in screen_text(app))
        assert "Decision quality: 100 %" in screen_text(app)

        await pilot.press("escape")
        app.go("scenario:on-the-air")
        await wait_until(pilot, lambda: "How do you want to play?" in screen_text(app))
        await pilot.press("down", "enter")  # assessment mode
        worst = await play(app, pilot, "on-the-air", "worst", training=False)
        await wait_until(pilot, lambda: isinstance(app.screen, DebriefScreen), timeout=10)
        ending = next(e for e in COURSE.scenarios["on-the-air"].endings if e.id == worst.ending)
        await wait_until(pilot, lambda: ending.title in screen_text(app))
        assert "Decision quality: 0 %" in screen_text(app)

    store = ProgressStore.in_dir(data)
    learner = store.learner("Amina").id
    [trained] = store.finished_attempts(learner, "hearts-and-minds")
    [assessed] = store.finished_attempts(learner, "on-the-air")
    assert (trained.mode, trained.ending, trained.score) == ("training", best.ending, 1.0)
    assert (assessed.mode, assessed.ending, assessed.score) == ("assessment", worst.ending, 0.0)
    store.close()


async def test_killed_mid_scenario_it_resumes_at_the_same_scene_with_the_same_state(tmp_path):
    scenario = COURSE.scenarios["convoys"]
    first = open_choices(scenario, new_game(scenario))[0]
    expected = choose(scenario, new_game(scenario), first.id)
    data = tmp_path / "data"
    child = subprocess.Popen(
        [sys.executable, "-c", KILLABLE_PLAYER, str(REPO), str(data), "Amina", "convoys", "1"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline().strip() == "decided"
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)

    app = create_app(REPO, data, learner="Amina")
    async with app.run_test(size=(100, 30)) as pilot:
        await on_the_map(app, pilot)
        app.go("scenario:convoys")
        await wait_until(pilot, lambda: "Resume your attempt" in screen_text(app))
        await pilot.press("enter")
        # killed while its feedback was on screen: the feedback comes back first
        await wait_until(pilot, lambda: "You chose" in screen_text(app))
        await pilot.press("enter")
        title = scenario.node(expected.node).title
        await wait_until(pilot, lambda: title in screen_text(app))
        from mltcourse.tui.widgets.gauges import IndicatorGauges

        readings = {r.label: r.value for r in app.screen.query_one(IndicatorGauges).readings}
        labels = {name: ind.label for name, ind in scenario.indicators.items()}
        assert readings == {labels[name]: value for name, value in expected.values}


async def test_a_broken_file_shows_in_the_problems_panel_and_the_rest_works(tmp_path):
    root = tmp_path / "course"
    for folder in ("modules", "scenarios"):
        shutil.copytree(REPO / folder, root / folder)
    broken = root / "scenarios" / "convoys.yaml"
    broken.write_text(broken.read_text().replace("start: ", "start: [", 1))
    app = create_app(root, tmp_path / "data", learner="Amina")
    async with app.run_test(size=(100, 30)) as pilot:
        await on_the_map(app, pilot)
        await wait_until(pilot, lambda: "1 content file(s) failed to load" in screen_text(app))
        await pilot.press("e")
        await wait_until(pilot, lambda: "convoys.yaml:" in screen_text(app))
        assert "error:" in screen_text(app)
        await pilot.press("escape")
        app.go("scenario:hearts-and-minds")
        await wait_until(pilot, lambda: "How do you want to play?" in screen_text(app))
