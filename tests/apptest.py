"""Helpers for the app and store tests: a small fixed course (not the bundled one, which
authors keep changing), throwaway data folders, and ways to drive the app with Textual's Pilot.

Plain functions rather than fixtures, so they work whatever conftest.py holds."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

FIXTURE_COURSE = Path(__file__).parent / "fixtures" / "course"


def course_copy(tmp_path: Path) -> Path:
    """A private copy of the fixture course, safe to edit or break."""
    target = tmp_path / "course"
    shutil.copytree(FIXTURE_COURSE, target)
    return target


async def wait_until(pilot, condition: Callable[[], object], timeout: float = 5.0) -> None:
    """Let the app run until ``condition()`` holds (workers and screens settle)."""
    for _ in range(int(timeout / 0.02)):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"condition not met within {timeout} s")


def screen_text(app) -> str:
    """What the terminal shows, as plain text, one line per row."""
    update = app.screen._compositor.render_full_update()
    return "\n".join("".join(segment.text for segment in strip) for strip in update.strips)


async def start(app, pilot) -> None:
    """Wait for the course to load and the course map to list it."""
    await wait_until(pilot, lambda: app.course is not None and app.learner is not None)
    await wait_until(pilot, lambda: "1. Basics of peacebuilding" in screen_text(app))


# Plays one decision of a scenario in the real app (training mode), says so, then hangs until
# it is killed. argv: content folder, data folder, learner, scenario id, the key to press.
KILLABLE_PLAYER = textwrap.dedent(
    """
    import asyncio, sys
    from mltcourse.tui.app import create_app

    async def main():
        root, data, learner, scenario, key = sys.argv[1:6]
        app = create_app(root, data, learner=learner)
        async with app.run_test(size=(100, 30)) as pilot:
            while app.course is None:
                await pilot.pause(0.02)
            app.go(f"scenario:{scenario}")
            await pilot.pause(0.5)
            await pilot.press("enter")  # training mode
            await pilot.pause(0.5)
            await pilot.press(key)
            await pilot.pause(0.5)
            print("decided", flush=True)
            await asyncio.sleep(60)

    asyncio.run(main())
    """
)


def toasts(app) -> str:
    """The notifications on screen, as one line of plain text."""
    return " ".join(" ".join(str(toast.render()).split()) for toast in app.screen.query("Toast"))
