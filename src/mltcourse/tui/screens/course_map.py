"""The first screen: the eight lessons in order, the learner's progress, and a way back in."""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

from textual import on
from textual._styles_cache import StylesCache
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.css.query import NoMatches
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...content.outline import CourseOutline
from ...store.progress import Learner
from ...store.summary import CourseProgress, LessonProgress, continuation, course_progress
from ..messages import MapShown, Navigate
from ..text import lines, literal, percent
from ..widgets.course_record import duration, lesson_minutes, scenario_minutes
from ..widgets.keybar import KeyBar
from ..widgets.meter import Meter
from ..widgets.titlebar import TitleBar
from .problems import located

if TYPE_CHECKING:  # the map draws from the outline, before the course model is imported
    from ...content.model import Course


def _breakpoint_at(width: int, breakpoints: list[tuple[int, str]]) -> str | None:
    """The class of the widest breakpoint that ``width`` reaches (as Textual picks it)."""
    reached = [name for threshold, name in breakpoints if width >= threshold]
    return reached[-1] if reached else None


def release_closed_screens() -> None:
    """Let go of the screens the learner has closed.

    Textual 8.2.8 memoises ``StylesCache.get_inner_outer`` per style cache, which keeps
    every closed widget's style cache and its painted lines alive, up to 1,024 of them
    (Textualize/textual#6665, open). Each lesson or scenario opened then added ~13,000
    objects, and the collector's full passes grew from 35 to 100 ms. Back on the map,
    nothing of those screens is on screen, so the memo is emptied."""
    get_inner_outer = getattr(StylesCache, "get_inner_outer", None)
    if hasattr(get_inner_outer, "cache_clear"):
        get_inner_outer.cache_clear()


def lesson_option(lesson: LessonProgress, minutes: int = 0) -> Option:
    """A lesson's two lines: its title and time (reading and its scenarios), then its status;
    both fit 80 columns."""
    module = lesson.module
    status = [
        ("✓ read" if lesson.read else "not read", "$success" if lesson.read else "$text-muted"),
        ("  ·  ", "$text-muted"),
        (f"checks {lesson.checks_passed}/{len(module.checks)}", ""),
    ]
    if lesson.scenarios:
        best = lesson.best_score
        status += [
            ("  ·  ", "$text-muted"),
            (f"scenarios {lesson.scenarios_finished}/{len(lesson.scenarios)}", ""),
            (f", best {percent(best)}" if best is not None else "", ""),
        ]
    prompt = Content.assemble(
        (f"{module.order}. ", "bold $accent"),
        literal(module.title, "bold"),
        (f"  · about {duration(minutes)}" if minutes else "", "$text-muted"),
        "\n   ",
        *status,
    )
    return Option(prompt, id=module.id)


def lesson_details(lesson: LessonProgress, minutes: dict[str, int | None] | None = None) -> Content:
    module = lesson.module
    parts: list[Content | str] = [
        literal(module.title, "bold"),
        literal(
            f"Doctrine {module.doctrine}"
            + (f" · about {module.minutes} min" if module.minutes else ""),
            "$text-muted",
        ),
        "",
        literal(module.summary),
        "",
    ]
    if lesson.scenarios:
        parts.append(literal("Scenarios", "bold"))
        for scenario, progress in lesson.scenarios:
            if progress is None:
                state = "not played"
            else:
                state = f"played {progress.finished}×, best {percent(progress.best)}"
                if progress.open:
                    state += ", one unfinished"
            about = (minutes or {}).get(scenario.id)
            if about:
                state += f" · about {duration(about)}"
            parts.append(
                Content.assemble("• ", literal(scenario.title), (f"  {state}", "$text-muted"))
            )
    else:
        parts.append(literal("No scenario for this lesson yet.", "$text-muted"))
    return lines(*parts)


class CourseMapScreen(Screen):
    """Drawn from the course outline, so it does not wait for the full course to load."""

    BINDINGS = [
        Binding("c", "continue", "Continue", tooltip="Continue where you left off"),
        Binding("r", "review", "Review", tooltip="Review what you missed, as it falls due"),
        Binding("b", "notes", "Notes", tooltip="Your notes and bookmarks"),
        Binding("u", "app.switch_learner", "Learner", tooltip="Switch or add a learner"),
        Binding("e", "problems", "Problems", tooltip="Content files that failed to load"),
        Binding("f", "app.facilitate", "Facilitate", show=False, tooltip="Run a group exercise"),
        Binding("q", "app.quit", "Quit"),
    ]

    outline: var[CourseOutline | None] = var(None, init=False)
    learner: var[Learner | None] = var(None, init=False)
    progress: var[CourseProgress | None] = var(None, init=False)
    course: var[Course | None] = var(None, init=False)  # for the record of completion

    def __init__(self) -> None:
        super().__init__()
        self._composed = False  # the app hands data down before the map is composed
        self._shown = False  # MapShown is sent once, after the first filled paint
        self._covered = False  # another screen has been shown over the map since
        self._details_shown: tuple[CourseProgress, int] | None = None
        self._minutes: dict[str, int | None] = {}  # each scenario's "about N min"

    def compose(self) -> ComposeResult:
        # The width class Textual would add on the first resize, added before the widgets
        # are: added later, it restyles every one of them, and the map is painted twice.
        breakpoints = self.app.HORIZONTAL_BREAKPOINTS
        current = _breakpoint_at(self.app.size.width, breakpoints)
        for _, name in breakpoints:
            self.set_class(name == current, name)
        yield TitleBar()
        yield Meter("Overall progress", id="overall")
        yield Static(id="record")
        yield Static(id="continue")
        review_due = Static(id="review-due")
        review_due.display = False  # until the learner has review items (_show_review_due)
        yield review_due
        yield Static(id="problems")
        with Horizontal(id="map-body"):
            yield OptionList(id="lessons")
            with VerticalScroll(id="lesson-details"):
                yield Static(id="details")
        yield KeyBar()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer the problems panel only when some content failed to load."""
        if action == "problems":
            return bool(self.outline and self.outline.errors)
        return True

    def on_mount(self) -> None:
        """Filled here, before the first paint, so the map is laid out and painted once."""
        self._composed = True
        self.query_one("#continue", Static).update(literal("Loading the course…", "$text-muted"))
        self.set_reactive(CourseMapScreen.outline, self.app.outline)
        self.set_reactive(CourseMapScreen.learner, self.app.learner)
        self.set_reactive(CourseMapScreen.course, self.app.course)
        self.refresh_progress()
        self.query_one("#lessons").focus()  # before the first paint, not after it

    def on_screen_suspend(self) -> None:
        self._covered = True

    def on_screen_resume(self) -> None:
        self.refresh_progress()
        if self._composed and self.progress is not None:
            self._show_review_due()  # reviews change no lesson figure: progress may be equal
        if self._covered:  # back from other screens (not the first showing: nothing closed)
            self._covered = False
            release_closed_screens()
            # Collect what the closed screens left now, once the map is painted, rather than
            # in a full pass of the collector that lands on the next lesson's opening.
            self.call_after_refresh(gc.collect)

    def watch_outline(self) -> None:
        self.refresh_progress()

    def watch_learner(self) -> None:
        self.refresh_progress()

    def watch_course(self) -> None:
        if self._composed and self.progress is not None:
            self._show_record()

    def refresh_progress(self) -> None:
        if not self._composed:
            return
        if self.outline is None or self.app.store is None:
            return
        learner_id = self.learner.id if self.learner else None  # None: the picker is up
        self.progress = course_progress(self.app.store, learner_id, self.outline)

    def watch_progress(self, progress: CourseProgress | None) -> None:
        if progress is None:
            return
        try:
            lessons = self.query_one("#lessons", OptionList)
        except NoMatches:  # being taken down as the app exits
            return
        highlighted = lessons.highlighted
        assert self.outline is not None
        self._minutes = scenario_minutes(self.app.store, self.outline)
        lessons.set_options(
            lesson_option(lesson, lesson_minutes(self.outline, lesson.module.id, self._minutes))
            for lesson in progress.lessons
        )
        if progress.lessons:
            lessons.highlighted = min(highlighted or 0, len(progress.lessons) - 1)
            self._show_details(lessons.highlighted)  # now, not a message later: one paint
        self.query_one("#overall", Meter).value = progress.overall
        self._show_record()
        self.query_one("#continue", Static).update(self._continue_text(progress))
        self._show_problems()
        self.refresh_bindings()
        if self._shown:
            self._show_review_due()
        else:  # the review count (and the scheduler it loads) waits for the first paint
            self._shown = True
            self.call_after_refresh(self.post_message, MapShown())
            self.call_after_refresh(self._show_review_due)

    def _continue_text(self, progress: CourseProgress) -> Content:
        assert self.outline is not None
        step = continuation(progress, self.outline)
        if step is None:
            return Content("")
        label = {"lesson": "Continue where you left off", "scenario": "Resume"}
        return Content.assemble(
            ("c ", "bold $accent"), f"{label.get(step.kind, 'Start')}: ", literal(step.title)
        )

    def _show_review_due(self) -> None:
        """ "Review: N due" when the learner has review items (store/review.py counts them)."""
        from ...engine.schedule import day_start
        from ...store import review
        from ...store.progress import now

        panel = self.query_one("#review-due", Static)
        store = self.app.store
        if self.learner is None or store is None:
            panel.display = False
            return
        stamp = now()
        due, later = review.count_due(store, self.learner.id, stamp)
        panel.display = bool(due or later)
        if not panel.display:
            return
        if not due:
            panel.update(literal(f"Review: nothing due now; {later} scheduled.", "$text-muted"))
            return
        limit = review.daily_limit(store, self.learner.id)
        done = review.reviewed_since(store, self.learner.id, day_start(stamp))
        note = f"  (today's limit of {limit} reached)" if done >= limit else ""
        panel.update(
            Content.assemble(("r ", "bold $accent"), f"Review: {due} due", (note, "$text-muted"))
        )

    def _show_record(self) -> None:
        """How far the learner is from complete, by the course's rule (once it has loaded)."""
        panel = self.query_one("#record", Static)
        if self.course is None or self.learner is None or self.outline is None:
            panel.display = False
            return
        from ...reports.progress import course_record
        from ...store.progress import now
        from ...store.standing import learner_facts
        from ..widgets.course_record import record_line

        facts = learner_facts(self.app.store, self.learner.id, now())
        panel.update(record_line(course_record(self.course, facts), self.outline, self._minutes))
        panel.display = True

    def _show_problems(self) -> None:
        assert self.outline is not None
        panel = self.query_one("#problems", Static)
        failed = self.outline.failed_files()
        panel.display = bool(failed)
        if not failed:
            return
        rows: list[Content | str] = [
            Content.assemble(
                (f"{len(failed)} content file(s) failed to load", "bold $error"),
                " and were left out; the rest of the course works. Press e for the errors.",
            )
        ]
        for _file, errors in sorted(failed.items()):
            rows.append(
                literal(f"  {located(errors[0], self.app.content_root)}")
                + literal(f"  (+{len(errors) - 1} more)" if len(errors) > 1 else "", "$text-muted")
            )
        panel.update(lines(*rows))

    @on(OptionList.OptionHighlighted, "#lessons")
    def _lesson_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show_details(event.option_index)

    def _show_details(self, index: int | None) -> None:
        if self.progress is None or index is None or index >= len(self.progress.lessons):
            return
        shown = (self.progress, index)
        if shown != self._details_shown:  # an unchanged panel is not laid out again
            self._details_shown = shown
            details = lesson_details(self.progress.lessons[index], self._minutes)
            self.query_one("#details", Static).update(details)

    @on(OptionList.OptionSelected, "#lessons")
    def _lesson_selected(self, event: OptionList.OptionSelected) -> None:
        self.post_message(Navigate(f"lesson:{event.option.id}#overview"))

    def action_problems(self) -> None:
        self.app.action_problems()

    def action_notes(self) -> None:
        self.app.action_notes()

    def action_review(self) -> None:
        self.app.action_review()

    def action_continue(self) -> None:
        if self.progress is None:
            return
        step = continuation(self.progress, self.outline) if self.outline else None
        if step is not None:
            self.post_message(Navigate(step.target))
