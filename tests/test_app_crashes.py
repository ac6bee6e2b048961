"""Never crash, never show a traceback: one test per crash the walk-throughs found (those the
monkey found are in test_app_monkey.py), and the last line of defence, tested by injecting
failures.

Keys sent with ``burst`` reach the app as a fast typist's or a paste's do: all of them queued
before the app handles the first (``pilot.press`` waits for the app after every key)."""

from __future__ import annotations

import ast
import errno
import inspect
import unicodedata
from pathlib import Path

import pytest
from textual import events
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key
from textual.widgets import Input

import mltcourse.tui
from apptest import FIXTURE_COURSE, course_copy, screen_text, start, toasts, wait_until
from mltcourse.store import ProgressStore
from mltcourse.tui.app import create_app
from mltcourse.tui.guard import TroubleScreen
from mltcourse.tui.screens.debrief import DebriefScreen
from mltcourse.tui.screens.exercise_dialogs import ExerciseSetup, VoteDialog
from mltcourse.tui.screens.facilitate import FacilitateScreen
from mltcourse.tui.screens.glossary import GlossaryScreen
from mltcourse.tui.screens.learners import LearnerPicker
from mltcourse.tui.screens.lesson import LessonScreen
from mltcourse.tui.screens.player import PlayerScreen
from mltcourse.tui.screens.problems import ProblemsScreen
from mltcourse.tui.watch import ContentWatcher
from test_app_content import replace_in
from test_app_resilience import static_text

TUI = Path(mltcourse.tui.__file__).parent


def key_event(key: str) -> events.Key:
    """The event a terminal sends for ``key`` (built as Pilot builds it)."""
    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    try:
        character = unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(key, key)))
    except KeyError:
        character = key if len(key) == 1 else None
    return events.Key(key, character)


def burst(app, keys) -> None:
    """Keys with no pause between them: every one is queued before the first is handled."""
    for key in keys:
        event = key_event(key)
        event.set_sender(app)
        app.post_message(event)


def paste(app, text: str) -> None:
    event = events.Paste(text)
    event.set_sender(app)
    app.post_message(event)


def clean_exit(app) -> None:
    """After a test that made the app fail on purpose: the guard kept Textual's note of the
    first error so that run_test would raise it; this test expected it."""
    app._exception = None
    app._exception_event.clear()


async def play_wells(app, pilot) -> None:
    """Training mode through both decisions, to the debrief."""
    app.go("scenario:wells")
    await wait_until(pilot, lambda: "How do you want to play?" in screen_text(app))
    await pilot.press("enter", "2")
    await wait_until(pilot, lambda: "You chose" in screen_text(app))
    await pilot.press("enter")
    await wait_until(pilot, lambda: "Decision 2: Six weeks later" in screen_text(app))
    await pilot.press("1")
    await wait_until(pilot, lambda: "You chose" in screen_text(app))
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(app.screen, DebriefScreen))
    await wait_until(pilot, lambda: app.screen.debrief is not None)


# --- the glossary filter ---------------------------------------------------------------------


async def test_typing_fast_or_pasting_into_the_glossary_filter_is_no_crash(tmp_path):
    app = create_app(FIXTURE_COURSE, tmp_path / "data", learner="Ana")
    async with app.run_test(size=(80, 24)) as pilot:
        await start(app, pilot)
        await pilot.press("g")
        await wait_until(pilot, lambda: isinstance(app.screen, GlossaryScreen))
        await pilot.press("shift+tab")
        burst(app, ["Q", "x"])  # "Q" lists QIP, "Qx" nothing: the first list's news came late
        await wait_until(pilot, lambda: "No such term." in screen_text(app))
        await pilot.pause(0.1)
        assert "No such term." in screen_text(app)
        await pilot.press("backspace", "backspace")
        burst(app, ["C", "M"])
        await wait_until(pilot, lambda: "Civil-military coordination" in screen_text(app))
        paste(app, "zzz")
        await wait_until(pilot, lambda: "No such term." in screen_text(app))
        assert app.screen.query_one(Input).value == "CMzzz"
    assert not app.guard.failures


# --- no learner, no screen that needs one ----------------------------------------------------


async def test_the_palette_before_a_learner_is_chosen_asks_who_first_then_opens_it(tmp_path):
    app = create_app(FIXTURE_COURSE, tmp_path / "data")  # a first launch: nobody yet
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, LearnerPicker))
        await wait_until(pilot, lambda: app.course is not None)
        await pilot.press("ctrl+p")
        await pilot.press(*"The wells offer", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, LearnerPicker))
        assert app.learner is None and len(app.screen_stack) == 2  # the same question, once
        await pilot.press(*"Zoe", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, PlayerScreen))
        assert app.screen.learner.name == "Zoe" == app.learner.name
        await wait_until(pilot, lambda: "How do you want to play?" in screen_text(app))
    assert not app.guard.failures


async def test_with_two_learners_the_palette_opens_a_lesson_s_checks_only_after_asking(tmp_path):
    data_dir = tmp_path / "data"
    store = ProgressStore.in_dir(data_dir)
    store.learner("Ana")
    store.learner("Ben")
    store.close()
    app = create_app(FIXTURE_COURSE, data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, LearnerPicker))
        await wait_until(pilot, lambda: app.course is not None)
        await pilot.press("ctrl+p")
        await pilot.press(*"Lesson 1", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, LearnerPicker))
        await pilot.press("enter")  # Ben, used last, listed first
        await wait_until(pilot, lambda: isinstance(app.screen, LessonScreen))
        await pilot.press("n", "k")
        await wait_until(pilot, lambda: "Check 1 of 2" in screen_text(app))
        await pilot.press("1")
        await wait_until(pilot, lambda: "✓ Right." in screen_text(app))
        ben = app.learner
        assert ben.name == "Ben" and app.store.last_answers(ben.id, "basics")
    assert not app.guard.failures


async def test_esc_on_the_question_opens_nothing_that_needs_a_learner(tmp_path):
    data_dir = tmp_path / "data"
    store = ProgressStore.in_dir(data_dir)
    store.learner("Ana")
    store.learner("Ben")
    store.close()
    app = create_app(FIXTURE_COURSE, data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, LearnerPicker))
        await wait_until(pilot, lambda: app.course is not None)
        app.go("lesson:basics#checks")
        app.go("scenario:wells")
        await pilot.press("escape")  # nobody chosen: the app closes, as it did
        await wait_until(pilot, lambda: not app.is_running)
    assert not any(isinstance(s, (LessonScreen, PlayerScreen)) for s in app.screen_stack)
    assert not app.guard.failures


def test_no_screen_reads_the_app_s_learner_for_itself():
    """The learner comes in by the constructor of every screen that records progress."""
    readers = []
    files = sorted((TUI / "screens").glob("*.py")) + sorted((TUI / "widgets").glob("*.py"))
    for path in files:
        if path.name == "course_map.py":
            continue  # the map shows whoever studies now (nobody, while the app asks)
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Attribute)
                and node.attr == "learner"
                and isinstance(node.value, ast.Attribute)
                and node.value.attr == "app"
            ):
                readers.append(f"{path.name}:{node.lineno}")
    if readers:
        raise AssertionError(f"app.learner read at {', '.join(readers)}")
    for screen in (LessonScreen, PlayerScreen, DebriefScreen):
        parameter = inspect.signature(screen.__init__).parameters["learner"]
        assert parameter.default is inspect.Parameter.empty, screen


# --- --watch ---------------------------------------------------------------------------------


async def test_saving_a_scenario_while_its_briefing_is_open_reloads_the_briefing(tmp_path):
    course_dir = course_copy(tmp_path)
    app = create_app(course_dir, tmp_path / "data", learner="Ana", watch=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await start(app, pilot)
        app.go("scenario:wells")
        await wait_until(pilot, lambda: "How do you want to play?" in screen_text(app))
        watcher = ContentWatcher(app, course_dir)
        replace_in(course_dir / "scenarios" / "wells.yaml", "offers to fund", "offers to pay for")
        app.load_course(watcher.changes())
        await wait_until(pilot, lambda: "offers to pay for" in screen_text(app))
        await pilot.press("enter")  # the mode list has the focus again
        await wait_until(pilot, lambda: "Decision 1: The offer" in screen_text(app))
    assert not app.guard.failures


async def test_saving_on_the_feedback_panel_reloads_onto_the_same_step(tmp_path):
    course_dir = course_copy(tmp_path)
    app = create_app(course_dir, tmp_path / "data", learner="Ana", watch=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await start(app, pilot)
        app.go("scenario:wells")
        await wait_until(pilot, lambda: "How do you want to play?" in screen_text(app))
        await pilot.press("enter", "2")
        await wait_until(pilot, lambda: "keep their distance" in screen_text(app))
        watcher = ContentWatcher(app, course_dir)
        replace_in(course_dir / "scenarios" / "wells.yaml", "keep their distance", "stay apart")
        app.load_course(watcher.changes())
        await wait_until(pilot, lambda: "stay apart from the force" in screen_text(app))
        assert "Decision 2" not in screen_text(app)
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Decision 2: Six weeks later" in screen_text(app))
        assert app.screen.attempt.state.steps == 1
    assert not app.guard.failures


async def test_the_problems_panel_follows_the_author_s_fix(tmp_path):
    course_dir = course_copy(tmp_path)
    wells = course_dir / "scenarios" / "wells.yaml"
    good = wells.read_text()
    wells.write_text(good.replace("start: offer", "start: [offer", 1))
    app = create_app(course_dir, tmp_path / "data", learner="Ana", watch=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await start(app, pilot)
        await wait_until(pilot, lambda: "1 content file(s) failed to load" in screen_text(app))
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, ProblemsScreen))
        assert "wells.yaml:" in screen_text(app)
        watcher = ContentWatcher(app, course_dir)
        wells.write_text(good)
        app.load_course(watcher.changes())
        await wait_until(pilot, lambda: "Every content file loaded." in screen_text(app))
        assert "wells.yaml:" not in screen_text(app)
    assert not app.guard.failures


# --- the facilitator's dialogs ---------------------------------------------------------------


async def test_seconds_per_decision_take_digits_only_and_say_what_is_wrong(tmp_path):
    """F6: a lone "-" raised ValueError. Then the monkey: a letter after 30 digits froze the
    app (Textual's integer box backtracks exponentially)."""
    app = create_app(FIXTURE_COURSE, tmp_path / "data", learner="Ana")
    async with app.run_test(size=(100, 30)) as pilot:
        await start(app, pilot)
        await pilot.press("f")
        await wait_until(pilot, lambda: isinstance(app.screen, ExerciseSetup))
        await pilot.press(*"Red,Blue", "tab", "-")  # top to bottom: teams, seconds, scenario
        paste(app, "9" * 30 + "h")  # too long: refused whole
        burst(app, [*"9" * 30, "h", ","])
        await wait_until(pilot, lambda: app.focused.value == "999999", timeout=2)
        await pilot.press("tab", "enter")
        await wait_until(pilot, lambda: "Seconds per decision: a whole number" in screen_text(app))
        assert isinstance(app.screen, ExerciseSetup) and app.focused.id == "countdown"
        await pilot.press("ctrl+u", *"90", "tab", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, FacilitateScreen))
        assert app.screen.live.exercise.countdown == 90
    assert not app.guard.failures


async def test_a_lone_minus_or_a_huge_number_as_votes_is_refused_in_words(tmp_path):
    app = create_app(FIXTURE_COURSE, tmp_path / "data", learner="Ana")
    async with app.run_test(size=(100, 30)) as pilot:
        await start(app, pilot)
        app.action_facilitate("wells", "Red,Blue")
        await wait_until(pilot, lambda: isinstance(app.screen, FacilitateScreen))
        for votes in ("-", "9" * 30):
            await pilot.press("v")
            await wait_until(pilot, lambda: isinstance(app.screen, VoteDialog))
            await pilot.press(*votes, "enter", "enter")
            await wait_until(pilot, lambda: "Enter at least one vote" in screen_text(app))
            await pilot.press("escape")
            await wait_until(pilot, lambda: isinstance(app.screen, FacilitateScreen))
        assert app.screen.team.tally is None
    assert not app.guard.failures


# --- exports that cannot be written ----------------------------------------------------------


async def test_a_debrief_export_into_a_folder_that_is_a_file_says_so(tmp_path):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / "exports").write_text("not a folder\n")
    app = create_app(FIXTURE_COURSE, data_dir, learner="Ana")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await start(app, pilot)
        await play_wells(app, pilot)
        await pilot.press("x")
        await wait_until(pilot, lambda: "Debrief not exported" in toasts(app))
        assert "there is a file by that name where the folder should be" in toasts(app)
        assert isinstance(app.screen, DebriefScreen)
    assert (data_dir / "exports").read_text() == "not a folder\n"
    assert not app.guard.failures


@pytest.mark.parametrize(
    ("code", "words"),
    [(errno.ENOSPC, "the disk is full"), (errno.EROFS, "the disk is read-only")],
)
async def test_a_debrief_export_on_a_full_or_read_only_disk_says_so(
    tmp_path, monkeypatch, code, words
):
    app = create_app(FIXTURE_COURSE, tmp_path / "data", learner="Ana")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await start(app, pilot)
        await play_wells(app, pilot)

        def refuse(self, *args, **kwargs):
            raise OSError(code, "refused")

        monkeypatch.setattr(Path, "write_text", refuse)
        await pilot.press("h")
        await wait_until(pilot, lambda: words in toasts(app))
        monkeypatch.undo()
        assert app.store.finished_attempts(app.learner.id, "wells")
    assert not app.guard.failures


async def test_exports_with_progress_held_in_memory_fail_in_words_and_keep_it(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder\n")
    app = create_app(FIXTURE_COURSE, blocker / "data", learner="Ana")  # nothing can be saved
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await start(app, pilot)
        await play_wells(app, pilot)
        await pilot.press("x")
        await wait_until(pilot, lambda: "Debrief not exported" in toasts(app))
        assert "part of that path is a file, not a folder" in toasts(app)
        [record] = app.store.finished_attempts(app.learner.id, "wells")
        assert record.choices == ("cmcoord", "review")
        app.action_facilitate("wells", "Red")
        await wait_until(pilot, lambda: isinstance(app.screen, FacilitateScreen))
        await pilot.press("h")
        await wait_until(pilot, lambda: "Hot wash" in screen_text(app))
        await pilot.press("x", "enter")
        await wait_until(pilot, lambda: "Review not exported" in toasts(app))
        await pilot.press("x", "ctrl+u", *"~nobody-by-this-name/aar", "enter")
        await wait_until(pilot, lambda: "~nobody-by-this-name" in toasts(app))
        assert app.is_running and not app.store.saving
    assert not app.guard.failures


# --- the last line of defence ----------------------------------------------------------------


def fail(*args, **kwargs):
    raise RuntimeError("injected failure")


async def test_a_failing_screen_handler_shows_a_plain_message_and_the_map_comes_back(
    tmp_path, monkeypatch
):
    from mltcourse.tui.screens.course_map import CourseMapScreen

    data_dir = tmp_path / "data"
    app = create_app(FIXTURE_COURSE, data_dir, learner="Ana")
    async with app.run_test(size=(80, 24)) as pilot:
        await start(app, pilot)
        app.go("lesson:basics#overview")
        await wait_until(pilot, lambda: isinstance(app.screen, LessonScreen))
        await pilot.press("m")
        visited = app.store.sections_seen(app.learner.id, "basics")
        # the map's own handler for the highlighted lesson fails: the map stops working
        monkeypatch.setattr(CourseMapScreen, "_show_details", fail)
        await pilot.press("down")
        await wait_until(pilot, lambda: "Something went wrong" in screen_text(app))
        shown = static_text(app)
        assert "not something you did. Your progress is saved." in shown
        assert "Traceback" not in shown and "RuntimeError" not in shown
        assert "RuntimeError: injected failure" in (data_dir / "errors.log").read_text()
        await pilot.press("ctrl+p")  # the way on is the map, not the palette
        assert isinstance(app.screen, TroubleScreen)
        monkeypatch.undo()
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, CourseMapScreen))
        await pilot.press("down", "enter")  # a fresh map: keys work again
        await wait_until(pilot, lambda: isinstance(app.screen, LessonScreen))
        assert app.screen.module_id == "relief"
        assert visited <= app.store.sections_seen(app.learner.id, "basics")
        assert [str(e) for e in app.guard.failures] == ["injected failure"]
        clean_exit(app)
    assert app.return_code in (None, 0)


async def test_a_failing_app_handler_does_not_stop_the_app(tmp_path, monkeypatch):
    import mltcourse.tui.navigation

    app = create_app(FIXTURE_COURSE, tmp_path / "data", learner="Ana")
    async with app.run_test(size=(80, 24)) as pilot:
        await start(app, pilot)
        monkeypatch.setattr(mltcourse.tui.navigation, "route", fail)
        await pilot.press("enter")  # the map asks the app to open lesson 1: the app fails
        await wait_until(pilot, lambda: isinstance(app.screen, TroubleScreen))
        monkeypatch.undo()
        await pilot.press("enter")
        await wait_until(pilot, lambda: "1. Basics of peacebuilding" in screen_text(app))
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, LessonScreen))
        assert len(app.guard.failures) == 1
        clean_exit(app)


async def test_a_failing_worker_shows_the_message_and_q_quits_plainly(tmp_path, monkeypatch):
    app = create_app(FIXTURE_COURSE, tmp_path / "data", learner="Ana")
    async with app.run_test(size=(120, 40)) as pilot:
        await start(app, pilot)
        app.go("lesson:basics#overview")
        await wait_until(pilot, lambda: isinstance(app.screen, LessonScreen))
        monkeypatch.setattr(LessonScreen, "_page_widgets", fail)  # used by the page worker
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, TroubleScreen))
        assert str(app.guard.failures[0]) == "injected failure"  # not wrapped in WorkerFailed
        await pilot.press("q")
        await wait_until(pilot, lambda: not app.is_running)
        clean_exit(app)
    assert app.return_code in (None, 0)


async def test_with_mltcourse_debug_the_message_shows_the_traceback(tmp_path, monkeypatch):
    monkeypatch.setenv("MLTCOURSE_DEBUG", "1")
    app = create_app(FIXTURE_COURSE, tmp_path / "data", learner="Ana")
    async with app.run_test(size=(120, 40)) as pilot:
        await start(app, pilot)
        app.call_later(fail)
        await wait_until(pilot, lambda: isinstance(app.screen, TroubleScreen))
        details = "\n".join(str(s.content) for s in app.screen.query("#trouble-details Static"))
        assert "Traceback (most recent call last)" in details
        assert "RuntimeError: injected failure" in details
        clean_exit(app)


async def test_errors_that_keep_coming_end_the_app_with_a_plain_message(tmp_path, capfd):
    app = create_app(FIXTURE_COURSE, tmp_path / "data", learner="Ana")
    async with app.run_test(size=(80, 24)) as pilot:
        await start(app, pilot)
        for _ in range(6):
            app.call_later(fail)
        await wait_until(pilot, lambda: not app.is_running)
        clean_exit(app)
    assert app.return_code == 1 and len(app.guard.failures) == 6
    printed = " ".join(capfd.readouterr().err.split())
    assert printed.startswith("mltcourse stopped after repeated errors. Your progress is saved.")
    assert "Traceback" not in printed


async def test_an_error_while_starting_ends_the_app_with_a_plain_message(
    tmp_path, monkeypatch, capfd
):
    import mltcourse.tui.app

    monkeypatch.setattr(mltcourse.tui.app, "open_store", fail)
    app = create_app(FIXTURE_COURSE, tmp_path / "data", learner="Ana")
    with pytest.raises(RuntimeError, match="injected failure"):  # run_test's own report
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_until(pilot, lambda: not app.is_running)
    assert app.return_code == 1
    printed = " ".join(capfd.readouterr().err.split())
    assert printed.startswith("mltcourse stopped while starting, on an error.")
    assert "Traceback" not in printed
