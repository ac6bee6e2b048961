"""The app around the screens: learners, help, command palette, themes, and the layering rule
that keeps Textual out of the core."""

from __future__ import annotations

import subprocess
import sys

from apptest import FIXTURE_COURSE, screen_text, start, wait_until
from mltcourse.store import ProgressStore
from mltcourse.tui.app import create_app
from mltcourse.tui.commands import CourseCommands
from mltcourse.tui.screens.help import HelpScreen
from mltcourse.tui.screens.learners import LearnerPicker
from mltcourse.tui.screens.lesson import LessonScreen
from mltcourse.tui.screens.player import PlayerScreen


def test_the_core_and_the_command_line_never_import_textual():
    code = (
        "import sys, mltcourse.content, mltcourse.engine, mltcourse.store, mltcourse.reports, "
        "mltcourse.cli, mltcourse.store.attempts, mltcourse.store.summary, mltcourse.reports.html\n"
        "print('textual' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr


async def test_a_first_run_asks_who_is_studying(tmp_path):
    data_dir = tmp_path / "data"
    app = create_app(FIXTURE_COURSE, data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, LearnerPicker))
        await wait_until(pilot, lambda: "Who is studying?" in screen_text(app))
        text = screen_text(app)
        assert "Esc quits" in text and "nothing is recorded" in " ".join(text.split())
        assert "MLT peacebuilding" in text.splitlines()[0]  # the map shows behind the question
        await pilot.press(*"Zoe", "enter")
        await wait_until(pilot, lambda: app.learner is not None and app.learner.name == "Zoe")
        assert "Zoe" in screen_text(app)


async def test_esc_on_the_first_question_quits_and_says_so(tmp_path):
    app = create_app(FIXTURE_COURSE, tmp_path / "data")
    said = []
    exit_app = app.exit
    app.exit = lambda *args, message=None, **kwargs: (said.append(message), exit_app(*args))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, LearnerPicker))
        await pilot.press("escape")
        await wait_until(pilot, lambda: not app.is_running)
    assert said and "nothing was recorded" in said[0]
    assert not ProgressStore.in_dir(tmp_path / "data").learners()


async def test_with_several_learners_the_app_lets_one_pick(tmp_path):
    data_dir = tmp_path / "data"
    store = ProgressStore.in_dir(data_dir)
    store.learner("Ana")
    store.learner("Ben")
    store.close()
    app = create_app(FIXTURE_COURSE, data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, LearnerPicker))
        await pilot.press("down", "enter")  # Ben was used last, so he is first; pick Ana
        await wait_until(pilot, lambda: app.learner is not None)
        assert app.learner.name == "Ana"


async def test_switching_learner_by_typing_a_new_name_over_the_list(tmp_path):
    """With learners listed, typing a name goes to the new-learner box, and the title
    bars (the map's and a lesson's opened after) name the new learner."""
    app = create_app(FIXTURE_COURSE, tmp_path / "data", learner="Ana")
    async with app.run_test(size=(100, 30)) as pilot:
        await start(app, pilot)
        await pilot.press("u")
        await wait_until(pilot, lambda: isinstance(app.screen, LearnerPicker))
        await pilot.press("Z", "o", "e", "enter")
        await wait_until(pilot, lambda: app.learner is not None and app.learner.name == "Zoe")
        await wait_until(pilot, lambda: "MLT peacebuilding — Zoe" in screen_text(app))
        app.go("lesson:basics#overview")
        await wait_until(pilot, lambda: "Basics of peacebuilding — Zoe" in screen_text(app))


async def test_help_lists_the_keys_of_every_screen(tmp_path):
    data_dir = tmp_path / "data"
    app = create_app(FIXTURE_COURSE, data_dir, learner="Ana")
    async with app.run_test(size=(120, 60)) as pilot:
        await start(app, pilot)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.pause(0.1)
        help_text = "\n".join(
            str(static.visual) for static in app.screen.query("VerticalScroll Static")
        )
        from mltcourse.tui.screens.facilitate import FacilitateScreen
        from mltcourse.tui.screens.hotwash import HotWashScreen

        for screen in (LessonScreen, PlayerScreen, FacilitateScreen, HotWashScreen):
            for binding in screen.BINDINGS:
                assert (binding.tooltip or binding.description) in help_text
        assert "Command palette" in help_text


async def test_the_command_palette_jumps_to_lessons_scenarios_and_terms(tmp_path):
    data_dir = tmp_path / "data"
    app = create_app(FIXTURE_COURSE, data_dir, learner="Ana")
    async with app.run_test(size=(100, 30)) as pilot:
        await start(app, pilot)
        provider = CourseCommands(app.screen)
        hits = [hit async for hit in provider.search("wells")]
        assert [hit.text for hit in hits] == [
            "Scenario: The wells offer",
            "Search the course for “wells”",  # always last: the full text (test_app_search.py)
        ]
        terms = [hit.text async for hit in provider.search("cmcoord")]
        assert "Glossary: CMCoord (Civil-military coordination)" in terms
        lessons = [hit async for hit in provider.search("secure relief")]
        lessons[0].command()
        await wait_until(pilot, lambda: "Relief and the mission's mandate" in screen_text(app))
        assert isinstance(app.screen, LessonScreen) and app.screen.module_id == "relief"


async def test_light_and_dark_themes_toggle(tmp_path):
    data_dir = tmp_path / "data"
    app = create_app(FIXTURE_COURSE, data_dir, learner="Ana")
    async with app.run_test(size=(100, 30)) as pilot:
        await start(app, pilot)
        assert app.theme == "mltcourse-dark"
        await pilot.press("ctrl+t")
        assert app.theme == "mltcourse-light"
    again = create_app(FIXTURE_COURSE, data_dir, learner="Ana")
    async with again.run_test(size=(100, 30)) as pilot:
        await start(again, pilot)
        assert again.theme == "mltcourse-light"  # remembered from the last session
        await pilot.press("ctrl+t")
        assert again.theme == "mltcourse-dark"
