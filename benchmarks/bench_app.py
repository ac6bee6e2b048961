"""App benchmarks, run by hand: python benchmarks/bench_app.py

Start-up is measured against a floor taken in the same run: a minimal Textual app that shows
one label. Each figure is the median of several launches in fresh processes (headless), the
floor and the app launched in turn so that a busy moment hits both.
  * launch of the `mltcourse` command to a filled, painted course map (the moment the app
    posts MapShown), with the course cache warm and cold, and the peak memory (RSS) of each
    process at that moment;
  * opening each lesson from the map until its first page is painted, and opening a 50 KB
    lesson page, to show that a lesson's length does not show.

Run it with an installed (not editable) mltcourse, or without PYTHONDONTWRITEBYTECODE: with
no .pyc files the app pays for compiling its own modules at every launch and the minimal app,
whose Textual is precompiled, does not.
"""

from __future__ import annotations

import asyncio
import gc
import shutil
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
        import resource
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(time.time() - float(sys.argv[1]), rss, flush=True)
        self.exit()
Minimal().run(headless=True, size=(100, 30))
"""

# The app as the `mltcourse` command starts it (cli.main, then tui.launch), with one hook:
# when the app posts MapShown (the filled course map has been painted) it reports and exits.
COURSE_MAP = r"""
import sys, time
from mltcourse.tui import launch as launching

real_launch = launching.launch

def timed_launch(args):
    from mltcourse.tui.app import CourseApp

    def on_map_shown(app, message):
        import resource
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(time.time() - float(sys.argv[1]), rss, flush=True)
        app.exit()

    real_run = CourseApp.run
    CourseApp.on_map_shown = on_map_shown
    CourseApp.run = lambda app: real_run(app, headless=True, size=(100, 30))
    return real_launch(args)

launching.launch = timed_launch
from mltcourse.cli import main
main(["--content", sys.argv[2], "--data-dir", sys.argv[3], "--learner", "bench"])
"""


def launch(code: str, *args: str) -> tuple[float, int]:
    """Seconds from launch to the measured moment, and peak RSS (KiB) by then."""
    out = subprocess.run(
        [sys.executable, "-c", code, str(time.time()), *args],
        capture_output=True,
        text=True,
        check=True,
    )
    seconds, rss = out.stdout.split()[-2:]
    return float(seconds), int(rss)


def long_lesson_course(target: Path, size: int = 50_000) -> str:
    """A copy of the bundled course whose media lesson ends with one page of ``size``
    characters; returns that page's anchor."""
    for part in ("modules", "scenarios", "schema"):
        shutil.copytree(REPO / part, target / part)
    lesson = next((target / "modules").glob("*-media")) / "lesson.md"
    text = lesson.read_text(encoding="utf-8")
    paragraphs = [p for p in text.split("\n\n") if p.strip() and not p.lstrip().startswith("#")]
    body: list[str] = []
    while sum(len(p) + 2 for p in body) < size:
        body.extend(paragraphs)
    lesson.write_text(text + "\n\n## Long appendix\n\n" + "\n\n".join(body) + "\n", "utf-8")
    return "long-appendix"


def lesson_painted(screen) -> bool:
    from mltcourse.tui.screens.lesson import LessonScreen

    return isinstance(screen, LessonScreen) and bool(screen.query("#page Markdown MarkdownBlock"))


def scenario_painted(screen) -> bool:
    from mltcourse.tui.screens.player import PlayerScreen

    return isinstance(screen, PlayerScreen) and bool(screen.query("#start-options"))


def paint_log() -> list[tuple[float, float]]:
    """(start, end) of every frame the app paints from now on, in this process."""
    from textual._compositor import Compositor

    frames: list[tuple[float, float]] = []
    render_update = Compositor.render_update

    def timed(self, *args, **kwargs):
        start = time.perf_counter()
        try:
            return render_update(self, *args, **kwargs)
        finally:
            frames.append((start, time.perf_counter()))

    Compositor.render_update = timed
    return frames


async def open_times(root: Path, data_dir: str, targets: list[str], shown=lesson_painted):
    """Seconds from the request to the end of the first frame painted after the screen holds
    its content, for each target in turn, once the app has settled (as when a learner looks
    at the map before choosing)."""
    from mltcourse.tui.app import create_app

    frames = paint_log()
    gc.disable()  # as the command line does (cli.py): the app then owns the process
    app = create_app(str(root), data_dir, learner="bench")
    results = []
    async with app.run_test(size=(120, 40)) as pilot:
        while app.course is None or not app.screen.query("#lessons"):
            await pilot.pause(0.01)
        await pilot.pause(0.8)
        await app.workers.wait_for_complete()
        for target in targets:
            await pilot.pause(0.3)
            start = time.perf_counter()
            app.go(target)
            while not shown(app.screen):
                await asyncio.sleep(0.001)
            held = time.perf_counter()
            while not any(begun >= held for begun, _ in frames):
                await asyncio.sleep(0.001)
            painted = next(end for begun, end in frames if begun >= held)
            results.append(painted - start)
            await pilot.press("escape")
            await pilot.pause(0.1)
    return results


def main() -> None:
    runs = 21
    floors, warms, colds, installs = [], [], [], []
    from mltcourse.content.paths import bundled_root
    from mltcourse.store.prebuilt import FOLDER

    # The course as a wheel installs it, with the data read and checked at build time
    # (hatch_build.py): measured only when this mltcourse is such an install.
    installed = bundled_root() if (bundled_root() / FOLDER).is_dir() else None
    with tempfile.TemporaryDirectory() as warm:
        launch(COURSE_MAP, str(REPO), warm)  # fills the course cache
        for _ in range(runs):
            floors.append(launch(MINIMAL))
            warms.append(launch(COURSE_MAP, str(REPO), warm))
            with tempfile.TemporaryDirectory() as empty:
                colds.append(launch(COURSE_MAP, str(REPO), empty))
            if installed is not None:
                with tempfile.TemporaryDirectory() as empty:
                    installs.append(launch(COURSE_MAP, str(installed), empty))
    floor = statistics.median(t for t, _ in floors)
    floor_rss = statistics.median(r for _, r in floors)
    print(f"minimal Textual app: {floor * 1000:.0f} ms, RSS {floor_rss / 1024:.0f} MiB")
    variants = [("cache warm", warms), ("first run, from a checkout", colds)]
    if installs:
        variants.append(("first run after an install", installs))
    for name, results in variants:
        seconds = statistics.median(t for t, _ in results)
        rss = statistics.median(r for _, r in results)
        # This machine's timings drift: the ratio within each pair (launched back to back)
        # is steadier than the ratio of the two medians, so both are shown.
        paired = statistics.median(t / f for (t, _), (f, _) in zip(results, floors, strict=True))
        print(
            f"course map, {name}: {seconds * 1000:.0f} ms ({seconds / floor:.2f}x the floor, "
            f"{paired:.2f}x pair by pair), RSS {rss / 1024:.0f} MiB ({rss / floor_rss:.2f}x)"
        )

    from mltcourse.content.loader import load_course

    modules = sorted(load_course(REPO).modules, key=lambda m: m.order)
    with tempfile.TemporaryDirectory() as data:
        times = asyncio.run(open_times(REPO, data, [f"lesson:{m.id}#overview" for m in modules]))
    for module, seconds in zip(modules, times, strict=True):
        print(f"open lesson {module.id:<14} {seconds * 1000:5.0f} ms")
    print(
        f"open lesson median {statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f}"
    )
    scenarios = sorted(load_course(REPO).scenarios)
    with tempfile.TemporaryDirectory() as data:
        targets = [f"scenario:{s}" for s in scenarios]
        times = asyncio.run(open_times(REPO, data, targets, scenario_painted))
    median, longest = statistics.median(times), max(times)
    print(
        f"open a scenario (briefing) median {median * 1000:.0f} ms, slowest {longest * 1000:.0f} ms"
    )
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "course"
        anchor = long_lesson_course(root)
        targets = ["lesson:media#overview", f"lesson:media#{anchor}"] * 3
        times = asyncio.run(open_times(root, str(Path(scratch) / "data"), targets))
    short, long = statistics.median(times[0::2]), statistics.median(times[1::2])
    print(
        f"a 50 KB lesson page: {long * 1000:.0f} ms (its lesson's overview: {short * 1000:.0f} ms)"
    )


if __name__ == "__main__":
    main()
