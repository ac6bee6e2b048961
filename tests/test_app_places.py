"""The learner's bearings in the app: key bars that keep the needed keys whole at every width,
help that wraps cleanly, contents that follow the page, a Continue that keeps an unfinished
scenario, and checks that reopen where the learner left off. Driven with Pilot at 80x24 and
120x40."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import OptionList

from apptest import FIXTURE_COURSE, course_copy, screen_text, start, wait_until
from mltcourse.tui.app import create_app
from mltcourse.tui.screens.help import HelpScreen
from mltcourse.tui.screens.lesson import LessonScreen
from mltcourse.tui.widgets.keybar import ALWAYS_USEFUL, Hint, fit_hints

SIZES = [(80, 24), (120, 40)]
READING_KEYS = ["n Next page", "p Previous page", "t Contents", "m Map", "? Help", "ctrl+p palette"]

LONG_TITLE = "Money after the mission: avoiding the financial cliff when the mission leaves"
LONG_SUBHEADING = "What the account does and does not show about the drawdown"
THIRD_CHECK = """
  - id: who-pays
    kind: single
    prompt: Who pays for recovery in the long run?
    objective: explain-ownership
    tests: [ownership]
    options:
      - text: National budgets, with partners
        correct: true
        explanation: Right. Outside money tapers off; the budget has to carry the services.
      - text: The mission
        explanation: The mission leaves; what it pays for stops with it.
"""


def key_bar(app) -> str:
    lines = screen_text(app).splitlines()
    return lines[-1] if lines else ""  # nothing painted yet


def bar_hints(app) -> list[str]:
    return [part.strip() for part in key_bar(app).split("  ") if part.strip()]


def offered_hints(app) -> set[str]:
    """Every hint the screen's key bar could show, in full."""
    bar = app.screen.query_one("KeyBar")
    return {str(hint.text) for hint in bar._hints()}


# --- the key bar -------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
async def test_the_lesson_key_bar_keeps_the_needed_keys_whole(tmp_path, size):
    app = create_app(FIXTURE_COURSE, tmp_path / "data", learner="Ana")
    async with app.run_test(size=size) as pilot:
        await start(app, pilot)
        assert "…" not in key_bar(app)
        assert set(bar_hints(app)) <= offered_hints(app)  # nothing cut mid-word on the map
        app.go("lesson:basics#overview")
        await wait_until(pilot, lambda: isinstance(app.screen, LessonScreen))
        await wait_until(pilot, lambda: "n Next page" in key_bar(app))
        shown = bar_hints(app)
        for needed in READING_KEYS:
            assert needed in shown
        assert set(shown) <= offered_hints(app) and "…" not in key_bar(app)
        if size[0] >= 120:  # room for every key
            assert "esc Back" in shown and "g Glossary" in shown
        await pilot.press("k")  # the checks: their keys come first, and go with the page
        await wait_until(pilot, lambda: "] Next check" in key_bar(app))
        shown = bar_hints(app)
        for needed in ["a Answer", "] Next check", "n Next page", "? Help"]:
            assert needed in shown
        assert set(shown) <= offered_hints(app)
        await pilot.press("1")  # answered: "try again" replaces "answer"
        await wait_until(pilot, lambda: "r Try again" in key_bar(app))
        assert "a Answer" not in bar_hints(app)
        await pilot.press("p")
        await wait_until(pilot, lambda: "Next check" not in key_bar(app))
        assert all(needed in bar_hints(app) for needed in READING_KEYS)


async def test_the_key_bar_gives_the_keys_back_when_the_terminal_widens(tmp_path):
    app = create_app(FIXTURE_COURSE, tmp_path / "data", learner="Ana")
    async with app.run_test(size=(80, 24)) as pilot:
        await start(app, pilot)
        app.go("lesson:basics#overview")
        await wait_until(pilot, lambda: "n Next page" in key_bar(app))
        assert "esc Back" not in key_bar(app)
        await pilot.resize_terminal(130, 30)
        await wait_until(pilot, lambda: "esc Back" in key_bar(app))
        await pilot.resize_terminal(60, 24)  # the palette goes first, the pages last
        await wait_until(pilot, lambda: "ctrl+p" not in key_bar(app))
        assert bar_hints(app) == ["n Next page", "p Previous page", "t Contents", "? Help", "m Map"]
        await pilot.resize_terminal(40, 24)
        await wait_until(pilot, lambda: bar_hints(app) == ["n Next page", "p Previous page"])


hint_texts = st.text(alphabet="abcdefgh ", min_size=1, max_size=20)


@settings(max_examples=200, deadline=None)
@given(
    texts=st.lists(hint_texts, min_size=1, max_size=12),
    width=st.integers(0, 120),
    data=st.data(),
)
def test_the_hints_kept_fit_keep_their_order_and_are_the_most_needed(texts, width, data):
    actions = [f"action{n}" for n in range(len(texts) - 1)] + ["help"]
    hints = [Hint(action, Content(text)) for action, text in zip(actions, texts, strict=True)]
    ranked = tuple(data.draw(st.permutations(actions[:-1])))[: data.draw(st.integers(0, 5))]
    kept = fit_hints(hints, ranked, width)
    assert kept == [hint for hint in hints if hint in kept]  # the bound order
    assert sum(h.text.cell_length for h in kept) + 2 * max(len(kept) - 1, 0) <= width

    def need(hint: Hint) -> tuple[int, int]:
        if hint.action in ranked:
            return (0, ranked.index(hint.action))
        if hint.action in ALWAYS_USEFUL:
            return (1, 0)
        return (2, hints.index(hint))

    dropped = [hint for hint in hints if hint not in kept]
    if kept and dropped:  # whatever was dropped was less needed than everything kept
        assert max(need(h) for h in kept) < min(need(h) for h in dropped)


# --- help ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
async def test_help_wraps_each_description_under_itself(tmp_path, size):
    app = create_app(FIXTURE_COURSE, tmp_path / "data", learner="Ana")
    async with app.run_test(size=size) as pilot:
        await start(app, pilot)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.pause(0.1)
        keys = list(app.screen.query(".help-key"))
        descriptions = list(app.screen.query(".help-what"))
        key_x = {key.region.x for key in keys}
        what_x = {what.region.x for what in descriptions}
        assert len(key_x) == 1 and len(what_x) == 1  # one column each, in every table
        (key_x,), (what_x,) = key_x, what_x
        longest_key = max(key.visual.cell_length for key in keys if key.region.height == 1)
        assert key_x + longest_key < what_x  # a space before every description
        assert any(what.region.height > 1 for what in descriptions)  # some wrap, and then:
        scroll = app.screen.query_one(VerticalScroll)
        top, bottom = scroll.region.y, scroll.region.bottom
        left = scroll.region.x
        seen: set[str] = set()
        for y in range(0, int(scroll.max_scroll_y) + scroll.region.height, scroll.region.height):
            scroll.scroll_to(y=y, animate=False)
            await pilot.pause(0.05)
            for line in screen_text(app).splitlines()[top:bottom]:
                inner = line[left:what_x]
                if not inner.strip():
                    continue  # a description's own line, or its wrapped rest
                seen.add(inner.strip())
                if inner[0] != " ":
                    continue  # a heading, at the left edge
                # otherwise a key, in its column, ending before its description
                assert inner.index(inner.strip()) == key_x - left, line
                assert line[what_x - 1] == " ", line
        assert "ctrl+p" in seen and "tab / shift+tab" in seen and "Everywhere" in seen


# --- contents -----------------------------------------------------------------------------------


def long_titled_course(tmp_path):
    root = course_copy(tmp_path)
    lesson = root / "modules" / "01-basics" / "lesson.md"
    lesson.write_text(
        lesson.read_text() + f"\n## {LONG_TITLE}\n\nText.\n\n### {LONG_SUBHEADING}\n\nMore text.\n"
    )
    return root


@pytest.mark.parametrize("size", SIZES)
async def test_the_contents_follow_the_page_and_show_titles_whole(tmp_path, size):
    app = create_app(long_titled_course(tmp_path), tmp_path / "data", learner="Ana")
    async with app.run_test(size=size) as pilot:
        await start(app, pilot)
        app.go("lesson:basics#overview")
        await wait_until(pilot, lambda: isinstance(app.screen, LessonScreen))
        lesson = app.screen
        await wait_until(pilot, lambda: lesson.query("#toc"))
        toc = lesson.query_one("#toc", OptionList)

        def highlighted() -> str:
            return lesson._toc_targets[toc.highlighted]

        for _ in range(3):
            before = lesson.page.anchor
            await pilot.press("n")
            await wait_until(pilot, lambda before=before: lesson.page.anchor != before)
            await wait_until(pilot, lambda: highlighted() == lesson.page.anchor)
        await pilot.press("p")
        await wait_until(pilot, lambda: highlighted() == lesson.page.anchor)
        if size[0] < 100:
            await pilot.press("t")  # hidden at 80 columns until asked for
        await wait_until(pilot, lambda: toc.display and toc.region.width > 0)
        await pilot.pause(0.1)
        region = toc.content_region
        lines = screen_text(app).splitlines()[region.y : region.bottom]
        shown = " ".join(" ".join(line[region.x : region.right].split()) for line in lines)
        assert "…" not in shown
        assert LONG_TITLE in shown and LONG_SUBHEADING in shown
        # a sub-heading is indented under its page's title, and so is its wrapped rest
        rows = [line[region.x : region.right] for line in lines]

        def indent(row: str) -> int:
            return len(row) - len(row.lstrip())

        page_indent = indent(next(row for row in rows if row.strip() == "Overview"))
        first = next(n for n, row in enumerate(rows) if row.strip().startswith("What the account"))
        last = next(n for n, row in enumerate(rows) if row.rstrip().endswith("drawdown"))
        assert all(indent(row) == page_indent + 2 for row in rows[first : last + 1])
        if size[0] >= 120:
            assert last > first  # it did wrap, in the 32-column panel


@pytest.mark.parametrize("size", SIZES)
async def test_pagedown_scrolls_a_long_page_whatever_has_the_focus(tmp_path, size):
    root = course_copy(tmp_path)
    lesson = root / "modules" / "01-basics" / "lesson.md"
    filler = "\n\n".join(f"Paragraph {n} of a long page." for n in range(60))
    lesson.write_text(lesson.read_text() + f"\n## A long page\n\n{filler}\n")
    app = create_app(root, tmp_path / "data", learner="Ana")
    async with app.run_test(size=size) as pilot:
        await start(app, pilot)
        app.go("lesson:basics#a-long-page")
        await wait_until(pilot, lambda: "Paragraph 0 of a long page." in screen_text(app))
        page = app.screen.query_one("#page", VerticalScroll)
        await wait_until(pilot, lambda: page.max_scroll_y > 0)
        toc = app.screen.query_one("#toc")
        if toc.display:  # at 120 columns: the contents have the focus, not the page
            toc.focus()
            await wait_until(pilot, lambda: app.focused is toc)
        await pilot.press("pagedown")
        await wait_until(pilot, lambda: page.scroll_y > 0)
        assert "Paragraph 0 of a long page." not in screen_text(app)


# --- continue -----------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
async def test_continue_keeps_the_unfinished_scenario_after_opening_a_lesson(tmp_path, size):
    app = create_app(FIXTURE_COURSE, tmp_path / "data", learner="Ana")
    async with app.run_test(size=size) as pilot:
        await start(app, pilot)
        app.go("scenario:wells")
        await wait_until(pilot, lambda: "How do you want to play?" in screen_text(app))
        await pilot.press("enter")  # training
        await wait_until(pilot, lambda: "Decision 1: The offer" in screen_text(app))
        await pilot.press("2")
        await wait_until(pilot, lambda: "You chose" in screen_text(app))
        await pilot.press("escape")
        await wait_until(pilot, lambda: "Resume: The wells offer" in screen_text(app))
        await pilot.press("down", "enter")  # open lesson 2 and read a page
        await wait_until(pilot, lambda: isinstance(app.screen, LessonScreen))
        await pilot.press("n")
        await wait_until(pilot, lambda: app.screen.page_number == 1)
        await pilot.pause(0.2)  # the visit is recorded after the paint
        await pilot.press("m")
        await wait_until(pilot, lambda: "Resume: The wells offer" in screen_text(app))
        assert "Continue where you left off" not in screen_text(app)
        await pilot.press("c")
        await wait_until(pilot, lambda: "Resume your attempt in training mode" in screen_text(app))


def test_continue_returns_to_the_lesson_once_the_scenario_is_finished_or_abandoned(tmp_path):
    from mltcourse.content.loader import load_course
    from mltcourse.content.outline import outline_of
    from mltcourse.store import TRAINING, ProgressStore
    from mltcourse.store.attempts import start as start_attempt
    from mltcourse.store.summary import continuation, course_progress

    course = load_course(FIXTURE_COURSE)
    outline = outline_of(course)
    store = ProgressStore.in_dir(tmp_path)
    ana = store.learner("Ana")
    attempt = start_attempt(store, ana.id, course.scenarios["wells"], TRAINING)
    store.visit_section(ana.id, "relief", "risks")  # read after leaving the scenario

    def where() -> tuple[str, str]:
        step = continuation(course_progress(store, ana.id, outline), outline)
        return step.kind, step.target

    assert where() == ("scenario", "scenario:wells")
    store.close_attempt(attempt.id, "abandoned")
    assert where() == ("lesson", "lesson:relief#risks")
    second = start_attempt(store, ana.id, course.scenarios["wells"], TRAINING)
    assert where() == ("scenario", "scenario:wells")
    store.finish_attempt(second.id, ("strained", "failure", 0.0))
    assert where() == ("lesson", "lesson:relief#risks")
    gone = outline._replace(scenarios=())  # an unfinished scenario no longer in the course
    start_attempt(store, ana.id, course.scenarios["wells"], TRAINING)
    step = continuation(course_progress(store, ana.id, gone), gone)
    assert (step.kind, step.target) == ("lesson", "lesson:relief#risks")


# --- the checks reopen where the learner was ---------------------------------------------------


def three_checks_course(tmp_path):
    root = course_copy(tmp_path)
    module = root / "modules" / "01-basics" / "module.yaml"
    module.write_text(module.read_text() + THIRD_CHECK)
    return root


async def open_checks(app, pilot) -> None:
    app.go("lesson:basics#checks")
    await wait_until(pilot, lambda: "Check " in screen_text(app) and " of 3" in screen_text(app))


def counter(app) -> str:
    return str(app.screen.query_one("#check-counter").visual)


@pytest.mark.parametrize("size", SIZES)
async def test_the_checks_reopen_on_the_check_the_learner_was_on(tmp_path, size):
    root, data = three_checks_course(tmp_path), tmp_path / "data"
    app = create_app(root, data, learner="Ana")
    async with app.run_test(size=size) as pilot:
        await start(app, pilot)
        await open_checks(app, pilot)
        assert counter(app).startswith("Check 1 of 3")
        await pilot.press("1")  # check 1 answered
        await wait_until(pilot, lambda: "Right." in screen_text(app))
        await pilot.press("right_square_bracket")
        await wait_until(pilot, lambda: counter(app).startswith("Check 2 of 3"))
        await pilot.press("1")  # check 2 (a tier check: short term) answered
        await wait_until(pilot, lambda: "Right." in screen_text(app))
        await pilot.press("m")
        await wait_until(pilot, lambda: "1. Basics of peacebuilding" in screen_text(app))
        await open_checks(app, pilot)
        assert counter(app).startswith("Check 3 of 3")
        await pilot.press("left_square_bracket", "left_square_bracket")  # back to check 1
        await wait_until(pilot, lambda: counter(app).startswith("Check 1 of 3"))
        await pilot.press("escape")
        await wait_until(pilot, lambda: "1. Basics of peacebuilding" in screen_text(app))
    app = create_app(root, data, learner="Ana")  # and the next day, in a new session
    async with app.run_test(size=size) as pilot:
        await start(app, pilot)
        await open_checks(app, pilot)
        assert counter(app).startswith("Check 1 of 3")


async def test_a_check_position_that_left_the_course_opens_the_first_check(tmp_path):
    from mltcourse.store import ProgressStore
    from mltcourse.store.positions import set_check_position

    root, data = three_checks_course(tmp_path), tmp_path / "data"
    store = ProgressStore.in_dir(data)
    set_check_position(store, store.learner("Ana").id, "basics", "a-check-since-deleted")
    store.close()
    app = create_app(root, data, learner="Ana")
    async with app.run_test(size=(80, 24)) as pilot:
        await start(app, pilot)
        await open_checks(app, pilot)
        assert counter(app).startswith("Check 1 of 3")


# --- the group exercise's set-up ---------------------------------------------------------------


async def test_the_exercise_set_up_offers_to_start_one_without_an_or_before_it(tmp_path):
    app = create_app(FIXTURE_COURSE, tmp_path / "data", learner="Ana")
    async with app.run_test(size=(80, 24)) as pilot:
        await start(app, pilot)
        await pilot.press("f")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ExerciseSetup")
        hints = [str(hint.visual) for hint in app.screen.query(".dialog-hint")]
        assert hints[0].startswith("Start one")  # no exercise to resume: nothing to say "or" to
        assert not any(hint.startswith("Or") for hint in hints)


async def test_opening_the_checks_where_the_learner_was_writes_nothing(tmp_path, monkeypatch):
    from mltcourse.store import positions

    root, data = three_checks_course(tmp_path), tmp_path / "data"
    writes: list[str] = []
    real = positions.set_check_position

    def counted(store, learner_id, module, check):
        writes.append(check)
        real(store, learner_id, module, check)

    monkeypatch.setattr(positions, "set_check_position", counted)
    app = create_app(root, data, learner="Ana")
    async with app.run_test(size=(80, 24)) as pilot:
        await start(app, pilot)
        await open_checks(app, pilot)
        await pilot.pause(0.1)
        assert writes == []  # check 1, where a learner new to the checks stands anyway
        await pilot.press("right_square_bracket")
        await wait_until(pilot, lambda: counter(app).startswith("Check 2 of 3"))
        assert writes == ["tier-plan"]
        await pilot.press("m")
        await wait_until(pilot, lambda: "1. Basics of peacebuilding" in screen_text(app))
        await open_checks(app, pilot)
        await pilot.pause(0.1)
        assert counter(app).startswith("Check 2 of 3") and writes == ["tier-plan"]


# --- the scenario's start screen ----------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
async def test_enter_on_the_start_screen_plays_on_every_visit(tmp_path, size):
    """The "How do you want to play?" list has the focus however the scenario is reached."""
    app = create_app(FIXTURE_COURSE, tmp_path / "data", learner="Ana")
    async with app.run_test(size=size) as pilot:
        await start(app, pilot)
        for _ in range(2):
            app.go("scenario:wells")
            await wait_until(pilot, lambda: "How do you want to play?" in screen_text(app))
            await pilot.press("escape")
            await wait_until(pilot, lambda: "1. Basics of peacebuilding" in screen_text(app))
        app.go("lesson:relief#scenarios")
        await wait_until(pilot, lambda: app.screen.query("#lesson-scenarios"))
        await pilot.pause(0.1)
        await pilot.press("enter")
        await wait_until(pilot, lambda: "How do you want to play?" in screen_text(app))
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Decision 1: The offer" in screen_text(app))
