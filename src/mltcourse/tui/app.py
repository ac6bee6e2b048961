"""The app object: it loads the course off the UI thread, holds the progress store and the
learner, hands both down to screens and routes navigation requests that screens send up.

Start-up is the course map from the cached course outline; the full course follows in a
worker once the map is on screen (see ``store/course_cache.py``)."""

from __future__ import annotations

import gc
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import App
from textual.binding import Binding
from textual.command import Provider
from textual.message import Message
from textual.reactive import Reactive, var

from ..content.outline import CourseOutline, outline_of
from ..store import ProgressStore, open_store
from ..store.course_cache import cached_outline
from ..store.progress import Learner
from .guard import Guard, TroubleScreen
from .learner_flow import LearnerFlow
from .messages import CourseLoaded, MapShown, Navigate
from .screens.course_map import CourseMapScreen
from .textual_fixes import apply as mend_textual
from .themes import THEME_SETTING, THEMES, ThemeChoice

mend_textual()


def _course_commands() -> type[Provider]:
    """The palette's provider, imported when the palette first opens, not with the map."""
    from .commands import CourseCommands

    return CourseCommands


SEAT_HEARTBEAT = 5.0  # seconds between a served seat's "still here" to the trainer's roster

if TYPE_CHECKING:
    from ..content.model import Course
    from ..store.classroom import Seat


class CourseApp(ThemeChoice, LearnerFlow, App):
    """mltcourse: lessons, knowledge checks, scenarios and debriefs."""

    CSS_PATH = "app.tcss"
    TITLE = "MLT peacebuilding"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    COMMANDS = {_course_commands}  # Textual's own (themes, screenshots, keys) stay out
    BINDINGS = [
        Binding("question_mark,f1", "help", "Help", key_display="?"),
        Binding("g", "lookup", "Glossary", tooltip="Look up the terms on screen"),
        # Not in the key bar, which is full enough: the help and the palette list it.
        Binding(
            "slash", "search", "Search", key_display="/", show=False, tooltip="Search the course"
        ),
        Binding("m", "course_map", "Map", tooltip="Back to the course map"),
        Binding("ctrl+t", "toggle_theme", "Light/dark", show=False, tooltip="Light or dark theme"),
        # ctrl+c quits too (Textual only hints at ctrl+q): a learner must always get out.
        Binding("ctrl+c", "quit", "Quit", show=False, priority=True),
    ]

    # the app's own theme as the default, applied once at start-up: set in __init__, it would
    # restyle the app a second time (some 35 ms of every launch)
    theme: Reactive[str] = Reactive(THEMES[0])

    course: var[Course | None] = var(None, init=False)
    outline: var[CourseOutline | None] = var(None, init=False)
    learner: var[Learner | None] = var(None, init=False)

    def __init__(
        self,
        content_root: Path,
        data_dir: Path,
        learner_name: str | None = None,
        watch: bool = False,
        start: str | None = None,
        seat: Seat | None = None,
        links: list[tuple[str, str]] | None = None,
    ) -> None:
        super().__init__()
        self.join_links = links or []  # facilitate --serve: each team's join link, for the console
        self.seat = seat  # a served class's browser: it asks who studies, and keeps them
        self.content_root = Path(content_root)
        self.data_dir = Path(data_dir)
        self.learner_name = learner_name
        self.watching = watch
        self.start_target = start  # a navigation target to open once the course has loaded
        # started by ``mltcourse facilitate``: a trainer is at the keyboard, so nobody is asked
        # who is studying until a screen that records study opens, and Esc there only cancels
        self.facilitating = (start or "").startswith("app:facilitate(")
        self.store: ProgressStore | None = None
        self.owns_process = False  # launched by the command line (see _resume_collector)
        self.guard = Guard(self)
        self.search_query = ""  # the last search, offered again by the next (tui/search.py)
        self._waiting_for_learner: list[Callable[[Learner], None]] = []

    def get_default_screen(self) -> CourseMapScreen:
        return CourseMapScreen()

    def on_mount(self) -> None:
        """Runs before the map is composed: give it the outline and the learner, so it is
        laid out once, filled; the course itself loads once the map is on screen."""
        self.store = open_store(self.data_dir)
        self.store.on_notice = self._progress_notice
        if self.store.notice:
            self._progress_notice(self.store.notice)
        if self.store.setting(THEME_SETTING) in THEMES:  # the learner's last choice, kept
            self.theme = self.store.setting(THEME_SETTING)
        self.outline = cached_outline(self.content_root, self.data_dir / "cache")
        self.learner = self._known_learner()
        if self.outline is None or self.learner is None:
            self.load_course()  # nothing to draw the map from (or a learner to ask): load now
        if self.learner is None and not self.facilitating:
            self.call_after_refresh(self.action_switch_learner)  # over the map, once drawn
        if self.watching:
            from .watch import ContentWatcher

            ContentWatcher(self, self.content_root).start()
        self.guard.armed = True
        if self.seat is not None:
            self.set_interval(SEAT_HEARTBEAT, self._seat_seen)

    def _handle_exception(self, error: Exception) -> None:
        """Where Textual sends every unexpected error; the guard keeps the session (guard.py)."""
        if not self.guard.absorb(error):
            super()._handle_exception(error)

    async def _dispatch_message(self, message: Message) -> None:
        """The app's own handlers: an error in one must not stop the app's message loop,
        which every key goes through (Textual stops the loop of a node whose handler raised)."""
        try:
            await super()._dispatch_message(message)
        except Exception as error:
            self._handle_exception(error)

    async def run_action(self, action, default_namespace=None, namespaces=None) -> bool:
        """Every key's action goes through here: none once the app is closing (q, then g
        typed fast, opened the glossary on a screen being taken down)."""
        if self._exit:
            return False
        return await super().run_action(action, default_namespace, namespaces)

    def on_unmount(self) -> None:
        if self.store is not None:
            self.store.close()

    def _progress_notice(self, message: str) -> None:
        """Tell the learner what became of their progress file (moved aside, or not saved)."""
        self.notify(message, title="Progress", severity="warning", timeout=30, markup=False)
        self.watch_learner(self.learner)

    @work(thread=True, exclusive=True, group="load-course")
    def load_course(self, changed: frozenset[str] = frozenset()) -> None:
        """Load and validate the whole course off the UI thread (from the cache if unchanged),
        then, the course handed over, make sure its search index is beside the cache."""
        from ..store.course_cache import load_course_cached, store_search_index

        notes: list[str] = []
        course = load_course_cached(self.content_root, self.data_dir / "cache", notes)
        for note in notes:
            self.call_from_thread(self.notify, note, title="Course cache", markup=False)
        self.post_message(CourseLoaded(course, changed))
        store_search_index(course, self.content_root, self.data_dir / "cache")

    @work(thread=True, exclusive=True, group="prepare-lessons")
    def prepare_lessons(self, course: Course) -> None:
        """Cut every lesson into pages, and import the lesson screen, off the UI thread and
        after the map is painted (so it does not compete with the first screen), so opening
        a lesson never waits on either."""
        from ..content.lessons import lesson_sections
        from .screens import lesson  # noqa: F401

        for module in course.modules:
            lesson_sections(module.lesson)
        if self.owns_process and not self.watching:
            # What exists now (Textual, the course, its lessons) lives as long as the app:
            # set it aside so that the collector's full passes do not walk it again and
            # again, which otherwise stalls a page turn now and then for tens of ms.
            gc.freeze()

    @on(MapShown)
    def _map_shown(self) -> None:
        self._resume_collector()
        loading = any(worker.group == "load-course" for worker in self.workers)
        if self.course is None and not loading:
            self.load_course()
        self.call_after_refresh(self._load_content_styles)

    def _resume_collector(self) -> None:
        """Turn the garbage collector back on if the command line turned it off for start-up
        (cli.py), first setting aside what start-up made: collecting it all at this moment
        would cost what was saved. Only an app launched that way owns its process, and so
        may freeze what it holds (an app that tests build shares theirs)."""
        if not gc.isenabled():
            self.owns_process = True
            gc.freeze()
            gc.enable()

    def _load_content_styles(self) -> None:
        """Parse the content screens' styles while the learner reads the map, so the first
        lesson or scenario opened does not wait for them (Textual would parse them then)."""
        from .screens import CONTENT_CSS

        if not self.stylesheet.has_source(str(CONTENT_CSS)):
            self.stylesheet.read(CONTENT_CSS)
            self.stylesheet.reparse()
            self.stylesheet.update(self)

    @on(CourseLoaded)
    def _course_loaded(self, message: CourseLoaded) -> None:
        self._resume_collector()  # in case the map is not up yet (a learner to be chosen)
        self.course = message.course
        outline = outline_of(message.course)
        if outline != self.outline:
            self.outline = outline
        self.set_timer(0.5, lambda: self.prepare_lessons(message.course))
        if message.changed:
            names = ", ".join(sorted(Path(f).name for f in message.changed))
            errors = len(message.course.errors)
            status = f"; {errors} error(s), press e on the map" if errors else ""
            self.notify(f"Reloaded {names}{status}", markup=False, timeout=3)
        if self.start_target:
            target, self.start_target = self.start_target, None
            self.go(target)

    def _hand_down(self, name: str, value: object) -> None:
        """Attributes down: give the screens that show ``name`` its new value."""
        for screen in self.screen_stack:
            if hasattr(screen, name):
                setattr(screen, name, value)

    def watch_course(self, course: Course | None) -> None:
        self._hand_down("course", course)

    def watch_outline(self, outline: CourseOutline | None) -> None:
        self._hand_down("outline", outline)

    def watch_title(self) -> None:
        self._refresh_title_bars()

    def watch_sub_title(self) -> None:
        self._refresh_title_bars()

    def _refresh_title_bars(self) -> None:
        from .widgets.titlebar import TitleBar

        for screen in self.screen_stack:
            for bar in screen.query(TitleBar):
                bar.refresh()

    def watch_learner(self, learner: Learner | None) -> None:
        unsaved = self.store is not None and not self.store.saving
        self.sub_title = " · ".join(
            filter(None, (learner.name if learner else "", "progress not saved" if unsaved else ""))
        )
        self._hand_down("learner", learner)

    # --- navigation --------------------------------------------------------------------------

    @on(Navigate)
    def _navigate(self, message: Navigate) -> None:
        self.go(message.target)

    def go(self, target: str) -> None:
        """Open a lesson section, a scenario, a glossary term or (after asking) a web page.

        In the moment after start-up when the map is up but the course is still loading, the
        target is kept and opened as soon as the course is in."""
        if self._exit:
            return  # closing: nothing opens
        if self.course is None and target.partition(":")[0] in ("lesson", "scenario", "term"):
            self.start_target = target
            return
        from .navigation import route

        route(self, target)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide "back to the map" where it would do nothing, and the palette while the app
        says something went wrong (the way on is the map)."""
        if action == "course_map":
            return not isinstance(self.screen, CourseMapScreen)
        if action == "command_palette":
            return not isinstance(self.screen, TroubleScreen)
        return True

    def action_course_map(self) -> None:
        """Close the screens over the map (the topmost map: see Guard.back_to_map)."""
        while len(self.screen_stack) > 1 and not isinstance(self.screen, CourseMapScreen):
            self.pop_screen()

    def action_search(self) -> None:
        from .search import open_search

        open_search(self)

    def action_review(self) -> None:
        """A review session of the learner's due items (r on the map, or the palette)."""
        from .screens.review import ReviewScreen

        def open_review(learner: Learner) -> None:
            if self.course is None:
                self.notify("The course is still loading; try again in a moment.")
            else:
                self.push_screen(ReviewScreen(self.course, learner))

        self.with_learner(open_review)

    def action_notes(self) -> None:
        """Every note and bookmark (b on the map, or the palette); the one picked opens its
        lesson page or scenario."""
        from .screens.notes import NotesScreen

        def opened(target: str | None) -> None:
            if target:
                self.go(target)

        self.with_learner(lambda learner: self.push_screen(NotesScreen(learner), opened))

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        self.push_screen(HelpScreen())

    def action_lookup(self) -> None:
        """Glossary: the terms in the focused widget (or the page), then all the others."""
        from .screens.glossary import GlossaryScreen
        from .text import terms_in

        if self.course is None:
            return
        found = []
        nearby = self.focused.ancestors_with_self if self.focused else [self.screen]
        for node in nearby:  # the focused widget first, then what holds it, up to the page
            lookup = getattr(node, "lookup_text", None)
            found = terms_in(lookup(), self.course.glossary) if lookup else []
            if found:
                break
        self.push_screen(GlossaryScreen(self.course.glossary, found))

    def action_problems(self) -> None:
        from .screens.problems import ProblemsScreen

        if self.outline is not None:
            self.push_screen(ProblemsScreen(self.outline, self.content_root))

    def action_facilitate(
        self,
        scenario: str = "",
        teams: str = "",
        countdown: int = 0,
        new: bool = False,
        facilitator: str = "",
    ) -> None:
        """A group exercise: set one up or resume one (given scenario and teams: at once)."""
        from .screens.exercise_start import open_facilitation

        open_facilitation(self, scenario, teams, countdown, new, facilitator)

    def action_command_palette(self) -> None:
        from textual.command import CommandPalette

        from .commands import CoursePalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CoursePalette(id="--command-palette"))


def create_app(
    content_root: str | Path,
    data_dir: str | Path,
    learner: str | None = None,
    watch: bool = False,
    start: str | None = None,
    seat: Seat | None = None,
    links: list[tuple[str, str]] | None = None,
) -> CourseApp:
    """The one way to build the app, for the command line and for tests alike."""
    return CourseApp(Path(content_root), Path(data_dir), learner, watch, start, seat, links)
