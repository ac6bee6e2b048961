"""The scenario player and the debrief, in both modes, driven with Textual's Pilot."""

from __future__ import annotations

from apptest import FIXTURE_COURSE, screen_text, start, wait_until
from mltcourse.store import ProgressStore
from mltcourse.tui.app import create_app
from mltcourse.tui.screens.debrief import DebriefScreen
from mltcourse.tui.screens.glossary import GlossaryScreen
from mltcourse.tui.screens.lesson import LessonScreen
from mltcourse.tui.widgets.charts import PrincipleChart
from mltcourse.tui.widgets.gauges import IndicatorGauges


def deltas(app) -> dict[str, float]:
    return {r.label: r.delta for r in app.screen.query_one(IndicatorGauges).readings}


async def open_briefing(app, pilot) -> None:
    await start(app, pilot)
    app.go("scenario:wells")
    await wait_until(pilot, lambda: "How do you want to play?" in screen_text(app))


async def test_training_mode_gives_feedback_events_and_gauge_changes(tmp_path):
    data_dir = tmp_path / "data"
    app = create_app(FIXTURE_COURSE, data_dir, learner="Ana")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_briefing(app, pilot)
        assert "You are the SRSG" in screen_text(app)
        await pilot.press("enter")  # training
        await wait_until(pilot, lambda: "Decision 1: The offer" in screen_text(app))
        await pilot.press("1")
        await wait_until(pilot, lambda: "You chose: Approve the wells" in screen_text(app))
        text = screen_text(app)
        assert "Quick goodwill, but aid now wears a uniform." in text
        assert "Raises risk: Blurred mandates" in text
        assert "⚡ Event: A convoy is attacked" in text and "Risk materialised" in text
        assert deltas(app) == {"Security": 10, "Humanitarian space": -30}
        await pilot.press("enter")  # continue
        await wait_until(pilot, lambda: "Decision 2: Six weeks later" in screen_text(app))
        await pilot.press("down", "enter")  # arrows and Enter work as well as numbers
        await wait_until(pilot, lambda: "You chose: Press on without review" in screen_text(app))
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, DebriefScreen))
        await wait_until(pilot, lambda: "Strained" in screen_text(app))
        assert "Decision quality: 0 %" in screen_text(app)


async def test_assessment_mode_holds_feedback_back_until_the_debrief(tmp_path):
    data_dir = tmp_path / "data"
    app = create_app(FIXTURE_COURSE, data_dir, learner="Ana")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_briefing(app, pilot)
        await pilot.press("down", "enter")  # assessment
        await wait_until(pilot, lambda: "Decision 1: The offer" in screen_text(app))
        assert "Hidden until the debrief" in screen_text(app)  # no values, no changes
        await pilot.press("1")  # a first pick only marks the choice
        await wait_until(pilot, lambda: "Commit choice 1?" in screen_text(app))
        assert app.screen.attempt.state.decisions == ()
        await pilot.press("2")  # another number changes it
        await wait_until(pilot, lambda: "Commit choice 2?" in screen_text(app))
        await pilot.press("enter")  # and Enter commits it
        await wait_until(pilot, lambda: "Decision 2: Six weeks later" in screen_text(app))
        assert [d.choice for d in app.screen.attempt.state.decisions] == ["cmcoord"]
        assert "You chose" not in screen_text(app)
        assert set(deltas(app).values()) == {0}
        assert "Hidden until the debrief" in screen_text(app)
        await pilot.press("1", "1")
        await wait_until(pilot, lambda: "Trusted partner" in screen_text(app))
        debrief = app.screen
        assert isinstance(debrief, DebriefScreen)
        assert debrief.query_one(PrincipleChart).rows == (
            ("Coordination", 1.0),
            ("Humanitarian principles", 1.0),
        )
        await pilot.press("right", "right")  # the risk ledger
        await wait_until(
            pilot, lambda: "Decision 1: mitigated Poor coordination" in screen_text(app)
        )
        await pilot.press("tab", "enter")  # open the risk's lesson section
        await wait_until(pilot, lambda: isinstance(app.screen, LessonScreen))
        await wait_until(pilot, lambda: app.screen.page.anchor == "risks")
    store = ProgressStore.in_dir(data_dir)
    [record] = store.finished_attempts(store.learner("Ana").id, "wells")
    assert (record.mode, record.ending, record.score) == ("assessment", "trusted", 1.0)
    store.close()


async def test_the_debrief_compares_attempts_and_exports_markdown_and_html(tmp_path):
    data_dir = tmp_path / "data"
    app = create_app(FIXTURE_COURSE, data_dir, learner="Ana")
    async with app.run_test(size=(100, 30)) as pilot:
        for first in ("1", "2"):
            await open_briefing(app, pilot)
            await _finish_in_assessment(app, pilot, first)
            if first == "1":
                await pilot.press("escape")
        table = app.screen.query_one("#attempts")
        assert table.row_count == 2
        endings = {str(table.get_row_at(row)[3]) for row in range(table.row_count)}
        titles = {e.title for e in app.course.scenarios["wells"].endings}
        assert endings <= titles  # endings by their titles, not their ids
        await pilot.press("x", "h")
        attempt_id = app.screen.attempt_id
    exports = data_dir / "exports"
    markdown = (exports / f"wells-attempt-{attempt_id}.md").read_text()
    html = (exports / f"wells-attempt-{attempt_id}.html").read_text()
    assert markdown.startswith("# Debrief: The wells offer")
    assert "**Learner:** Ana  " in markdown and "**Mode:** assessment  " in markdown
    assert "Learner: Ana · Mode: assessment · When: " in html
    assert "<h1>Debrief: The wells offer</h1>" in html


async def test_leaving_mid_scenario_saves_and_the_map_offers_to_resume(tmp_path):
    data_dir = tmp_path / "data"
    app = create_app(FIXTURE_COURSE, data_dir, learner="Ana")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_briefing(app, pilot)
        await pilot.press("enter", "2")
        await wait_until(
            pilot, lambda: "Decision 2" in screen_text(app) or "You chose" in screen_text(app)
        )
        await pilot.press("escape")
        await wait_until(pilot, lambda: "Resume: The wells offer" in screen_text(app))
        await pilot.press("c")
        await wait_until(pilot, lambda: "Resume your attempt in training mode" in screen_text(app))


async def test_glossary_lookup_starts_from_the_highlighted_choice(tmp_path):
    app = create_app(FIXTURE_COURSE, tmp_path / "data", learner="Ana")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_briefing(app, pilot)
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Decision 1: The offer" in screen_text(app))
        await pilot.press("down", "g")  # "Send the proposal through CMCoord first."
        await wait_until(pilot, lambda: isinstance(app.screen, GlossaryScreen))
        assert [term.term for term in app.screen.in_focus] == ["CMCoord"]


def test_decision_for_a_colleague_says_whose_call_it_is():
    from mltcourse.tui.widgets.scenario_parts import owner_line

    assert owner_line("SRSG", "SRSG").plain == "Decision for: SRSG (you)"
    assert owner_line("Police Commissioner", "SRSG").plain == (
        "Decision for: Police Commissioner · their proposal, your call as SRSG"
    )


async def _finish_in_assessment(app, pilot, first: str) -> None:
    await pilot.press("home", "down", "enter", first, first)  # assessment: pick, commit
    await wait_until(pilot, lambda: "Decision 2" in screen_text(app) or "Event" in screen_text(app))
    if "Continue" in screen_text(app):
        await pilot.press("enter")
    await wait_until(pilot, lambda: "Decision 2" in screen_text(app))
    await pilot.press("1", "1")
    await wait_until(pilot, lambda: isinstance(app.screen, DebriefScreen))
    await wait_until(pilot, lambda: app.screen.debrief is not None)


async def test_past_attempts_reopen_and_two_compare_side_by_side(tmp_path):
    from textual.widgets import DataTable

    from mltcourse.tui.screens.compare import CompareScreen

    app = create_app(FIXTURE_COURSE, tmp_path / "data", learner="Ana")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_briefing(app, pilot)
        await _finish_in_assessment(app, pilot, "1")
        first_id = app.screen.attempt_id
        await pilot.press("escape")
        await open_briefing(app, pilot)
        assert "Review: your 1 finished attempt(s)" in screen_text(app)
        await pilot.press("up", "enter")  # Review, the last option
        await wait_until(pilot, lambda: isinstance(app.screen, DebriefScreen))
        assert app.screen.attempt_id == first_id
        await pilot.press("escape")
        await wait_until(pilot, lambda: "How do you want to play?" in screen_text(app))
        await _finish_in_assessment(app, pilot, "2")
        second = app.screen
        await pilot.press("c")  # compare with the other attempt
        await wait_until(pilot, lambda: isinstance(app.screen, CompareScreen))
        path = app.screen.query_one("#compare-path", DataTable)
        row = [str(c) for c in path.get_row_at(0)]
        assert row[0] == "The offer" and row[1].startswith("Approve the wells")
        assert row[2].startswith("Send the proposal through CMCoord")
        outcome = [
            str(c) for c in app.screen.query_one("#compare-outcome", DataTable).get_row_at(0)
        ]
        assert outcome[0] == "Ending"
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is second)
        table = second.query_one("#attempts", DataTable)
        table.focus()
        table.move_cursor(row=0)
        await pilot.press("enter")  # reopen the first attempt's own debrief
        await wait_until(
            pilot, lambda: isinstance(app.screen, DebriefScreen) and app.screen is not second
        )
        assert app.screen.attempt_id == first_id


async def test_training_takes_back_a_choice_until_its_feedback_is_read(tmp_path):
    data_dir = tmp_path / "data"
    app = create_app(FIXTURE_COURSE, data_dir, learner="Ana")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_briefing(app, pilot)
        await pilot.press("enter", "1")  # training; approve the wells
        await wait_until(pilot, lambda: "You chose: Approve the wells" in screen_text(app))
        assert "u takes this choice back" in screen_text(app)
        await pilot.press("u")
        await wait_until(pilot, lambda: "Decision 1: The offer" in screen_text(app))
        attempt = app.store.open_attempt(app.learner.id, "wells")
        assert attempt.choices == ()
        assert set(deltas(app).values()) == {0}  # the gauges are back where they were
        await pilot.press("2")
        await wait_until(pilot, lambda: "You chose" in screen_text(app))
        await pilot.press("enter")  # read: from now on it stays
        await wait_until(pilot, lambda: "Decision 2: Six weeks later" in screen_text(app))
        await pilot.press("u")  # nothing to take back on a decision's own screen
        await pilot.pause(0.1)
        assert app.store.open_attempt(app.learner.id, "wells").choices == ("cmcoord",)
        assert not app.store.take_back(attempt.id, 1)  # its feedback was read


async def test_a_scene_longer_than_the_stage_says_so_and_page_down_reads_on(tmp_path):
    app = create_app(FIXTURE_COURSE, tmp_path / "data", learner="Ana")
    async with app.run_test(size=(60, 14)) as pilot:
        await open_briefing(app, pilot)
        await pilot.press("enter")  # training: the choices have focus
        await wait_until(pilot, lambda: "Decision 1: The offer" in screen_text(app))
        await wait_until(pilot, lambda: "more line(s) of text" in screen_text(app))
        stage = app.screen.query_one("#stage")
        await pilot.press("pagedown")
        await wait_until(pilot, lambda: stage.scroll_y > 0)
        assert app.screen.query_one("#choices").has_focus  # the choices keep the focus
        await wait_until(pilot, lambda: "more line(s) of text" not in screen_text(app))
        await pilot.press("pageup")
        await wait_until(pilot, lambda: stage.scroll_y == 0)
