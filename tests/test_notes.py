"""Notes and bookmarks: the store's rules, b on a lesson page and at a decision, the notes
list on the map that opens a note's place, the notes in a debrief's exports, and the map's
record of completion and time estimates at 80 columns."""

from __future__ import annotations

from apptest import FIXTURE_COURSE, screen_text, start, wait_until
from mltcourse.content.loader import load_course
from mltcourse.engine.state import choose, new_game
from mltcourse.reports.debrief import build_debrief
from mltcourse.reports.html import debrief_html
from mltcourse.reports.markdown import debrief_markdown
from mltcourse.store import open_store
from mltcourse.store.notes import (
    DECISION,
    LESSON,
    decision_notes,
    learner_notes,
    note_at,
    save_note,
)
from mltcourse.tui.app import create_app
from mltcourse.tui.screens.lesson import LessonScreen
from mltcourse.tui.screens.notes import NoteDialog, NotesScreen


def told(app, words: str) -> bool:
    """Whether the app has notified the learner of ``words``."""
    return any(words in note.message for note in app._notifications)


def test_one_note_per_place_updated_and_removed_when_emptied(tmp_path):
    store = open_store(tmp_path)
    ana = store.learner("Ana").id
    save_note(store, ana, LESSON, "basics#overview", "Basics", "first\x1b[2J thought", False)
    save_note(store, ana, LESSON, "basics#overview", "Basics", "second thought", True)
    [note] = learner_notes(store, ana)
    assert (note.body, note.bookmark, note.target) == (
        "second thought",
        True,
        "lesson:basics#overview",
    )
    save_note(store, ana, LESSON, "basics#overview", "Basics", "a\x1b]0;x\x07b", False)
    assert note_at(store, ana, LESSON, "basics#overview").body == "a]0;xb"  # no controls kept
    assert save_note(store, ana, LESSON, "basics#overview", "Basics", "  ", False) is None
    assert learner_notes(store, ana) == []
    save_note(store, ana, DECISION, "wells/offer", "Wells › The offer", "ask OCHA", False)
    save_note(store, ana, DECISION, "wells-two/offer", "Other", "not this one", False)
    assert {k: n.body for k, n in decision_notes(store, ana, "wells").items()} == {
        "offer": "ask OCHA"
    }
    assert learner_notes(store, store.learner("Bob").id) == []  # each learner's own
    store.close()


def test_a_decisions_note_is_in_the_debrief_exports():
    course = load_course(FIXTURE_COURSE)
    scenario = course.scenarios["wells"]
    state = choose(scenario, new_game(scenario), "cmcoord")
    debrief = build_debrief(scenario, state, course)
    notes = {"offer": "Ask <OCHA> *first*"}
    markdown = debrief_markdown(debrief, course, notes)
    assert "> **Your note:** Ask \\<OCHA\\> \\*first\\*" in markdown
    assert "<OCHA>" not in markdown
    page = debrief_html(debrief, course, notes)
    assert "Your note:</strong> Ask &lt;OCHA&gt; *first*" in page
    assert "Your note" not in debrief_markdown(debrief, course)


async def test_a_note_on_a_lesson_page_is_listed_on_the_map_and_opens_its_page(tmp_path):
    app = create_app(FIXTURE_COURSE, tmp_path / "data", learner="Ana")
    async with app.run_test(size=(80, 24)) as pilot:
        await start(app, pilot)
        app.go("lesson:relief#overview")
        await wait_until(pilot, lambda: isinstance(app.screen, LessonScreen))
        await pilot.press("b")
        await wait_until(pilot, lambda: isinstance(app.screen, NoteDialog))
        await pilot.press(*"Ask the RC first")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, LessonScreen))
        await pilot.press("escape")  # back to the map
        await wait_until(pilot, lambda: "Completion" in screen_text(app))
        await pilot.press("b")
        await wait_until(pilot, lambda: isinstance(app.screen, NotesScreen))
        await wait_until(pilot, lambda: "Ask the RC first" in screen_text(app))
        text = screen_text(app)
        assert "★" in text  # a new note is a bookmark unless unticked
        assert app.screen.notes[0].label.startswith(app.course.module("relief").title)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, LessonScreen))
        assert app.screen.module_id == "relief"
        await pilot.press("ctrl+p")  # the palette reaches the notes from any screen
        await pilot.press(*"notes and bookmarks")
        await wait_until(pilot, lambda: "Your notes and bookmarks" in screen_text(app))
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, NotesScreen))
        assert "Ask the RC first" in screen_text(app)


async def test_a_note_at_a_decision_is_kept_for_that_decision(tmp_path):
    data = tmp_path / "data"
    app = create_app(FIXTURE_COURSE, data, learner="Ana")
    async with app.run_test(size=(100, 30)) as pilot:
        await start(app, pilot)
        app.go("scenario:wells")
        await wait_until(pilot, lambda: "How do you want to play?" in screen_text(app))
        await pilot.press("b")  # nothing to note yet: it says so
        await wait_until(pilot, lambda: told(app, "Notes attach to a decision"))
        await pilot.press("enter")  # training
        await wait_until(pilot, lambda: "Decision 1: The offer" in screen_text(app))
        await pilot.press("b")
        await wait_until(pilot, lambda: isinstance(app.screen, NoteDialog))
        assert "The offer" in screen_text(app)
        await pilot.press(*"flag risk", "tab", "space", "enter")
        await wait_until(pilot, lambda: told(app, "Note saved."))
        store = app.store
        notes = decision_notes(store, app.learner.id, "wells")
        assert notes["offer"].body == "flag risk" and notes["offer"].bookmark is False


async def test_the_map_shows_completion_and_times_at_80_columns(tmp_path):
    app = create_app(FIXTURE_COURSE, tmp_path / "data", learner="Ana")
    async with app.run_test(size=(80, 24)) as pilot:
        await start(app, pilot)
        await wait_until(pilot, lambda: "Completion 0/3" in screen_text(app))
        text = screen_text(app)
        assert "about 10 min" in text  # lesson 1: reading only
        assert "about 20 min" in text  # lesson 2: 15 min reading + wells, 5 min
        assert "next: read lesson 1" in text
