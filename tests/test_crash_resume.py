"""Kill the app with SIGKILL in the middle of a scenario, start it again: nothing is lost."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from apptest import FIXTURE_COURSE, KILLABLE_PLAYER, screen_text, start, wait_until
from mltcourse.store import ProgressStore
from mltcourse.tui.app import create_app
from mltcourse.tui.widgets.gauges import IndicatorGauges


async def test_a_killed_app_resumes_at_the_same_scene_with_the_same_state(tmp_path):
    data = tmp_path / "data"
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            KILLABLE_PLAYER,
            str(FIXTURE_COURSE),
            str(data),
            "Ana",
            "wells",
            "1",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline().strip() == "decided"
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
    assert child.returncode == -signal.SIGKILL

    store = ProgressStore.in_dir(data)
    assert store.integrity() == "ok"
    attempt = store.open_attempt(store.learner("Ana").id, "wells")
    assert attempt.choices == ("approve",) and attempt.mode == "training"
    store.close()

    app = create_app(FIXTURE_COURSE, data, learner="Ana")
    async with app.run_test(size=(100, 30)) as pilot:
        await start(app, pilot)
        app.go("scenario:wells")
        await wait_until(pilot, lambda: "Resume your attempt" in screen_text(app))
        await pilot.press("enter")  # the first option: resume
        # killed while the feedback was on screen: it comes back, with the changes it made
        await wait_until(pilot, lambda: "You chose" in screen_text(app))
        gauges = app.screen.query_one(IndicatorGauges).readings
        assert {r.label: r.value for r in gauges} == {"Security": 60, "Humanitarian space": 30}
        assert any(r.delta for r in gauges)
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Decision 2: Six weeks later" in screen_text(app))
        readings = {r.label: r.value for r in app.screen.query_one(IndicatorGauges).readings}
        assert readings == {"Security": 60, "Humanitarian space": 30}
