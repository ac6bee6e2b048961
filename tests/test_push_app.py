"""The facilitator pushes an inject from the console (i): the team's play changes there and
then (the stage shows the event, the gauges its effects; one with options is the team's next
decision on its devices too), a second push of the same inject is refused in words, and u
takes a push back."""

from __future__ import annotations

from apptest import screen_text, toasts, wait_until
from mltcourse.content.loader import load_course
from mltcourse.store import ProgressStore
from mltcourse.store.classroom import Seat
from mltcourse.store.exercises import ExerciseStore, start_exercise
from mltcourse.tui.app import create_app
from mltcourse.tui.device import DeviceApp
from mltcourse.tui.widgets.gauges import IndicatorGauges
from test_exercise_push import push_course

TARGET = "app:facilitate('crossroads', 'Alpha, Bravo', 0, False)"


def _gauges(app) -> dict[str, float]:
    return {r.label: r.value for r in app.screen.query_one(IndicatorGauges).readings}


async def _pick(pilot, app, title: str) -> None:
    """Open the inject picker and choose the inject with this title."""
    await pilot.press("i")
    await wait_until(pilot, lambda: type(app.screen).__name__ == "InjectPicker")
    picker = app.screen.query_one("#inject-list")
    picker.highlighted = next(
        n for n in range(picker.option_count) if title in str(picker.get_option_at_index(n).prompt)
    )
    await pilot.press("enter")
    await wait_until(pilot, lambda: type(app.screen).__name__ == "FacilitateScreen")


async def test_a_pushed_inject_changes_the_team_s_play_on_the_console(tmp_path):
    root, data = push_course(tmp_path), tmp_path / "data"
    app = create_app(root, data, learner="Trainer", start=TARGET)
    async with app.run_test(size=(140, 45), notifications=True) as pilot:
        await wait_until(pilot, lambda: "Decision 1: First" in screen_text(app))
        assert _gauges(app) == {"Trust": 50, "Security": 50}
        await pilot.press("i")
        await wait_until(pilot, lambda: "(trust >= 95) does not" in screen_text(app))
        await pilot.press("escape")
        await _pick(pilot, app, "A rumour spreads")
        await wait_until(pilot, lambda: "Event, pushed: A rumour spreads" in screen_text(app))
        text = screen_text(app)
        assert "Word goes round that the mission is leaving." in text
        assert "Indicators: Trust -5, Security -20" in text
        assert _gauges(app) == {"Trust": 45, "Security": 30}
        await wait_until(pilot, lambda: "happens now for team Alpha" in toasts(app))
        await pilot.press("enter")  # the room moves on: the team's decision again
        await wait_until(pilot, lambda: "Decision 1: First" in screen_text(app))
        await _pick(pilot, app, "A rumour spreads")
        await wait_until(pilot, lambda: "at most once" in toasts(app))
        assert _gauges(app) == {"Trust": 45, "Security": 30}
        await _pick(pilot, app, "The gap shows")  # one with options: the decision now open
        await wait_until(pilot, lambda: "Event, pushed: The gap shows" in screen_text(app))
        assert "1. Apologise and consult." in screen_text(app)
        assert _gauges(app) == {"Trust": 35, "Security": 30}
        await pilot.press("u")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ConfirmScreen")
        assert "Take back the inject pushed to team Alpha?" in screen_text(app)
        await pilot.press("y")
        await wait_until(pilot, lambda: "Decision 1: First" in screen_text(app))
        assert _gauges(app) == {"Trust": 45, "Security": 30}
        await pilot.press("tab")  # the other team's play is its own
        await wait_until(pilot, lambda: _gauges(app) == {"Trust": 50, "Security": 50})
        exercise = app.screen.live.id
    progress = ProgressStore.in_dir(data)
    record = ExerciseStore(progress).record(exercise)
    progress.close()
    pushes = record.teams[0].pushes
    assert [(p.inject, p.taken_back is None) for p in pushes] == [
        ("rumour", True),
        ("gap-shows", False),
    ]


async def test_the_team_s_device_shows_the_pushed_inject(tmp_path):
    root, data = push_course(tmp_path), tmp_path / "data"

    scenario = load_course(root).scenarios["crossroads"]
    progress = ProgressStore.in_dir(data)
    live = start_exercise(ExerciseStore(progress), scenario, "Alpha,Bravo")
    app = DeviceApp(root, data, "crossroads", ("Alpha", "Bravo"), Seat("class-t", "seat-1"), 0)
    async with app.run_test(size=(80, 30)) as pilot:
        await wait_until(pilot, lambda: "Decision 1: First" in screen_text(app))
        live.push_inject(0, "rumour")
        await wait_until(pilot, lambda: "Inject: A rumour spreads" in screen_text(app))
        assert "Word goes round" in screen_text(app)
        live.push_inject(0, "gap-shows")
        await wait_until(pilot, lambda: "Decision 1: The gap shows" in screen_text(app))
        text = screen_text(app)
        assert "1. Apologise and consult." in text and "Consult partners." not in text
    progress.close()
