"""App benchmarks, run by hand: python benchmarks/bench_app.py

Start-up is measured against a floor taken in the same run: a minimal Textual app that shows
one label. Each figure is the median of several launches in fresh processes (headless).
  * launch to a filled course map, with the course cache warm and cold;
  * opening each lesson from the map until its first page is painted.

Run it with an installed (not editable) mltcourse, or without PYTHONDONTWRITEBYTECODE: with
no .pyc files the app pays for compiling its own modules at every launch and the minimal app,
whose Textual is precompiled, does not.
"""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

MINIMAL = r"""
import sys, time
from textual.app import App
from textual.widgets import Label
class Minimal(App):
    def compose(self):
        yield Label("hello")
    def on_mount(self):
        self.call_after_refresh(self.ready)
    def ready(self):
        print(time.time() - float(sys.argv[1]), flush=True)
        self.exit()
Minimal().run(headless=True, size=(100, 30))
"""

COURSE_MAP = r"""
import sys, time
from pathlib import Path
from textual import on
from mltcourse.tui import app
from mltcourse.tui.messages import MapShown

class Timed(app.CourseApp):
    CSS_PATH = Path(app.__file__).parent / app.CourseApp.CSS_PATH

    @on(MapShown)
    def shown(self):  # posted once the filled course map has been painted
        print(time.time() - float(sys.argv[1]), flush=True)
        self.exit()

Timed(Path(sys.argv[2]), Path(sys.argv[3]), "bench").run(headless=True, size=(100, 30))
"""


def launch(code: str, *args: str) -> float:
    out = subprocess.run(
        [sys.executable, "-c", code, str(time.time()), *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(out.stdout.split()[-1])


async def lesson_open_times(data_dir: str) -> list[tuple[str, float]]:
    from mltcourse.tui.app import create_app
    from mltcourse.tui.screens.lesson import LessonScreen

    app = create_app(str(REPO), data_dir, learner="bench")
    results = []
    async with app.run_test(size=(120, 40)) as pilot:
        while app.course is None or not app.screen.query("#lessons"):
            await pilot.pause(0.01)
        for module in sorted(app.course.modules, key=lambda m: m.order):
            await pilot.pause(0.05)
            painted = asyncio.Event()
            start = time.perf_counter()
            app.go(f"lesson:{module.id}#overview")
            while not (isinstance(app.screen, LessonScreen) and app.screen.query("#page Markdown")):
                await asyncio.sleep(0.001)
            app.call_after_refresh(painted.set)
            await painted.wait()
            results.append((module.id, time.perf_counter() - start))
            await pilot.press("escape")
            await pilot.pause(0.1)
    return results


def main() -> None:
    runs = 5
    floor = statistics.median(launch(MINIMAL) for _ in range(runs))
    with tempfile.TemporaryDirectory() as warm:
        launch(COURSE_MAP, str(REPO), warm)  # fills the course cache
        cached = statistics.median(launch(COURSE_MAP, str(REPO), warm) for _ in range(runs))
    cold = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as empty:
            cold.append(launch(COURSE_MAP, str(REPO), empty))
    cold_median = statistics.median(cold)
    print(f"minimal Textual app: {floor * 1000:.0f} ms")
    print(f"course map, cache warm: {cached * 1000:.0f} ms ({cached / floor:.2f}x the floor)")
    print(f"course map, first run: {cold_median * 1000:.0f} ms ({cold_median / floor:.2f}x)")
    with tempfile.TemporaryDirectory() as data:
        times = asyncio.run(lesson_open_times(data))
    for module_id, seconds in times:
        print(f"open lesson {module_id:<14} {seconds * 1000:5.0f} ms")
    print(
        f"open lesson median {statistics.median(t for _, t in times) * 1000:.0f} ms "
        f"({statistics.median(t for _, t in times) / floor:.2f}x the app floor)"
    )


if __name__ == "__main__":
    main()
