"""Bad, hostile and changing content: the app starts, says what failed, shows text literally,
and follows an author's edits (--watch)."""

from __future__ import annotations

from apptest import course_copy, screen_text, start, wait_until
from mltcourse.tui.app import create_app
from mltcourse.tui.screens.lesson import LessonScreen
from mltcourse.tui.screens.player import PlayerScreen
from mltcourse.tui.screens.problems import ProblemsScreen
from mltcourse.tui.watch import ContentWatcher, changed_files, snapshot


def replace_in(path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"fixture no longer contains {old!r}"
    path.write_text(text.replace(old, new))


async def test_a_broken_scenario_is_listed_with_its_position_and_the_rest_works(tmp_path):
    course_dir = course_copy(tmp_path)
    data_dir = tmp_path / "data"
    replace_in(course_dir / "scenarios" / "wells.yaml", "start: offer", "start: nowhere")
    app = create_app(course_dir, data_dir, learner="Ana")
    async with app.run_test(size=(100, 30)) as pilot:
        await start(app, pilot)
        # the panel is laid out again once its rows arrive: let that settle before reading it
        await wait_until(pilot, lambda: "scenarios/wells.yaml:" in screen_text(app))
        text = screen_text(app)
        assert "1 content file(s) failed to load" in text and "nowhere" in text
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, ProblemsScreen))
        [error] = next(iter(app.course.failed_files().values()))
        where = f"scenarios/wells.yaml:{error.line}:{error.column}: error: "
        assert where in screen_text(app) and error.line > 1
        await pilot.press("escape")
        await pilot.press("down", "enter")  # the lesson of the broken scenario still opens
        await wait_until(pilot, lambda: isinstance(app.screen, LessonScreen))
        assert "scenarios" not in {page.anchor for page in app.screen.pages}


MARKUP = "[@click=app.quit]x[/] [bold red]loud[/]"


async def test_content_that_looks_like_markup_is_shown_literally(tmp_path):
    course_dir = course_copy(tmp_path)
    data_dir = tmp_path / "data"
    scenario = course_dir / "scenarios" / "wells.yaml"
    replace_in(scenario, "text: Approve the wells as proposed.", f'text: "{MARKUP}"')
    replace_in(scenario, "title: The offer", 'title: "[b]The offer[/b]"')
    module = course_dir / "modules" / "02-relief" / "module.yaml"
    replace_in(module, "title: Secure relief", 'title: "Secure [i]relief[/i]"')
    lesson = course_dir / "modules" / "02-relief" / "lesson.md"
    replace_in(lesson, "Relief and the", "[bold red]Relief[/] and the")
    app = create_app(course_dir, data_dir, learner="Ana")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: "Secure [i]relief[/i]" in screen_text(app))
        app.go("lesson:relief#overview")
        await wait_until(pilot, lambda: "[bold red]Relief[/] and the" in screen_text(app))
        app.go("scenario:wells")
        await wait_until(pilot, lambda: "How do you want to play?" in screen_text(app))
        await pilot.press("enter")
        await wait_until(pilot, lambda: MARKUP in screen_text(app))
        assert "[b]The offer[/b]" in screen_text(app)
        await pilot.click("#choices", offset=(8, 0))  # clicking the text runs no action
        await wait_until(pilot, lambda: "You chose: " + MARKUP in screen_text(app))
        assert app.is_running


def test_the_watcher_sees_added_changed_and_removed_files(tmp_path):
    course_dir = course_copy(tmp_path)
    before = snapshot(course_dir)
    lesson = course_dir / "modules" / "01-basics" / "lesson.md"
    lesson.write_text(lesson.read_text() + "\nMore.\n")
    (course_dir / "scenarios" / "new.yaml").write_text("id: new\n")
    (course_dir / "scenarios" / "wells.yaml").unlink()
    changed = {p.rsplit("/", 2)[-1] for p in changed_files(before, snapshot(course_dir))}
    assert changed == {"lesson.md", "new.yaml", "wells.yaml"}


async def test_watch_reloads_an_edited_scene_and_keeps_the_players_place(tmp_path):
    course_dir = course_copy(tmp_path)
    data_dir = tmp_path / "data"
    app = create_app(course_dir, data_dir, learner="Ana", watch=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await start(app, pilot)
        app.go("scenario:wells")
        await wait_until(pilot, lambda: "How do you want to play?" in screen_text(app))
        await pilot.press("down", "enter", "2", "2")  # assessment; consult first
        await wait_until(pilot, lambda: "Decision 2: Six weeks later" in screen_text(app))
        watcher = ContentWatcher(app, course_dir)
        replace_in(course_dir / "scenarios" / "wells.yaml", "The dry season", "The rainy season")
        app.load_course(watcher.changes())  # what the one-second poll does, without the wait
        await wait_until(pilot, lambda: "The rainy season arrives" in screen_text(app))
        assert "Decision 2: Six weeks later" in screen_text(app)
        assert isinstance(app.screen, PlayerScreen) and app.screen.attempt.state.steps == 1


async def test_watch_reloads_the_lesson_on_screen(tmp_path):
    course_dir = course_copy(tmp_path)
    data_dir = tmp_path / "data"
    app = create_app(course_dir, data_dir, learner="Ana", watch=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await start(app, pilot)
        app.go("lesson:basics#who-leads")
        await wait_until(pilot, lambda: "The host government leads." in screen_text(app))
        watcher = ContentWatcher(app, course_dir)
        lesson = course_dir / "modules" / "01-basics" / "lesson.md"
        replace_in(lesson, "The host government leads.", "The host government always leads.")
        app.load_course(watcher.changes())
        await wait_until(pilot, lambda: "The host government always leads." in screen_text(app))
        assert app.screen.page.anchor == "who-leads"
