"""A lesson, one page at a time: its Markdown sections, the parts built from module.yaml,
the knowledge checks and the scenarios that follow it.

Only the page on screen is built, and a long page paints its first chunk before the rest, so
opening a lesson costs the same whatever its length.
"""

from __future__ import annotations

import re

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.reactive import var
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Markdown, OptionList, Static, TabbedContent, TabPane

from ...content.lessons import classify_link, outline
from ...content.model import Course, Module
from ...content.pages import Page, lesson_pages, page_index, page_text, reading_anchors
from ...store.progress import Learner
from ..highlight import mark_page
from ..messages import CheckAnswered, Navigate
from ..text import literal
from ..widgets import lesson_parts
from ..widgets.keybar import KeyBar
from ..widgets.lesson_nav import contents, link_label
from ..widgets.titlebar import TitleBar

REST_CHUNKS_PER_FRAME = 2


class LessonScreen(Screen):
    CSS_PATH = "content.tcss"
    BINDINGS = [
        Binding("n", "turn(1)", "Next page"),
        Binding("p", "turn(-1)", "Previous page"),
        # the arrows switch the benchmark tiers on that page, and turn pages elsewhere
        Binding("right", "arrow(1)", "Next page or tier", show=False),
        Binding("left", "arrow(-1)", "Previous page or tier", show=False),
        # keys that work whatever has focus, as the page's hints say
        Binding("pagedown", "scroll_page(1)", "Page down", show=False, priority=True),
        Binding("pageup", "scroll_page(-1)", "Page up", show=False, priority=True),
        Binding(
            "right_square_bracket", "check('move', 1)", "Next check", key_display="]", priority=True
        ),
        Binding(
            "left_square_bracket",
            "check('move', -1)",
            "Previous check",
            key_display="[",
            priority=True,
        ),
        Binding("a", "check('answer')", show=False),
        Binding("r", "check('retry')", show=False),
        *(Binding(str(n), f"check('pick', {n})", show=False) for n in range(1, 10)),
        Binding("t", "toggle_contents", "Contents"),
        Binding("l", "links", "Links"),
        Binding("k", "go_anchor('checks')", "Knowledge checks", show=False),
        Binding("s", "go_anchor('scenarios')", "The lesson's scenarios", show=False),
        Binding("b", "note", "Note", tooltip="Add a note or a bookmark on this page"),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    # what the key bar keeps when the screen is narrow (keybar.py), most needed first
    READING_KEYS = ("turn(1)", "turn(-1)", "toggle_contents", "course_map")
    CHECK_KEYS = (
        *("answer", "retry", "review", "check('move', 1)", "turn(1)", "turn(-1)", "help"),
        *("check('move', -1)", "toggle_contents", "course_map"),
    )

    course: var[Course] = var(None, init=False)  # type: ignore[arg-type]

    def __init__(
        self,
        course: Course,
        learner: Learner,
        module_id: str,
        anchor: str = "overview",
        highlight: re.Pattern[str] | None = None,
    ) -> None:
        super().__init__()
        self.highlight = highlight  # the words a search matched, marked on the page it opened
        self.learner = learner  # whose visits and answers this screen records
        self.module_id = module_id
        self.set_reactive(LessonScreen.course, course)
        self.module: Module = course.module(module_id)  # type: ignore[assignment]
        self.pages = lesson_pages(self.module, bool(course.scenarios_for(module_id)))
        self.page_number = page_index(self.pages, anchor)
        self.anchor = anchor if anchor in self.page.anchors else self.page.anchor
        self._toc_targets: list[str] = []
        self._checks_at: str | None = None  # the check the learner is on, as stored
        self._first_rest: list[Widget] = []  # the opening page's later chunks, mounted on mount
        self._page_generation = 0  # which page is on screen, so late chunks of another are dropped

    @property
    def page(self) -> Page:
        return self.pages[self.page_number]

    @property
    def key_rank(self) -> tuple[str, ...]:
        return self.CHECK_KEYS if self.page.kind == "checks" else self.READING_KEYS

    def compose(self) -> ComposeResult:
        """The opening page and the contents are composed with the screen, so the first
        frame shows them; further pages are swapped in by ``show_anchor``."""
        first, self._first_rest = self._page_widgets(self.page)
        yield TitleBar()
        with Horizontal(id="lesson"):
            options, self._toc_targets = contents(self.pages)
            yield OptionList(*options, id="toc")
            with VerticalScroll(id="page", can_focus=True):
                yield from first
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = self.module.title
        rest, self._first_rest = self._first_rest, []
        self._page_shown(self.page, self.anchor, rest)

    def _fill_contents(self) -> None:
        options, self._toc_targets = contents(self.pages)
        self.query_one("#toc", OptionList).set_options(options)

    def show_anchor(self, anchor: str, highlight: re.Pattern[str] | None = None) -> None:
        """Show the page holding ``anchor`` and scroll to it (to the first of the words a
        search matched, marked, if it gives them)."""
        self.highlight = highlight
        self.page_number = page_index(self.pages, anchor)
        self.anchor = anchor if anchor in self.page.anchors else self.page.anchor
        self._page_generation += 1  # chunks of the page being left are not mounted any more
        # the function, not its coroutine: one cancelled before it starts is never awaited
        self.run_worker(self._render_page, exclusive=True, group="page")

    async def _render_page(self) -> None:
        page, anchor = self.page, self.anchor
        container = self.query_one("#page", VerticalScroll)
        first, rest = self._page_widgets(page)
        with self.app.batch_update():
            await container.remove_children()
            await container.mount_all(first)
        if not self.is_running:  # the learner left before the page was painted
            return
        self._page_shown(page, anchor, rest)

    def _page_shown(self, page: Page, anchor: str, rest: list[Widget]) -> None:
        """Once a page's first part is in: contents, progress, the rest of the page, scroll."""
        container = self.query_one("#page", VerticalScroll)
        container.scroll_home(animate=False)
        self._sync_contents(anchor)
        self.refresh_bindings()  # the check keys come and go with the checks page
        self.call_after_refresh(self._record_visit, page)  # the disk write waits for the paint
        if rest:
            self.call_after_refresh(self._mount_rest, self._page_generation, rest, anchor)
        else:
            self.call_after_refresh(self._scroll_to, anchor)

    async def _mount_rest(self, generation: int, rest: list[Widget], anchor: str) -> None:
        """A long page's later chunks, a couple per frame, so that neither its first chunk's
        paint nor the learner's keys wait for the whole page to be built."""
        if generation != self._page_generation or not self.is_running:
            return  # the learner turned the page (or left) meanwhile
        container = self.query_one("#page", VerticalScroll)
        batch, rest = rest[:REST_CHUNKS_PER_FRAME], rest[REST_CHUNKS_PER_FRAME:]
        await container.mount_all(batch, before=container.children[-1])
        if rest:
            self.call_after_refresh(self._mount_rest, generation, rest, anchor)
        else:
            self.call_after_refresh(self._scroll_to, anchor)

    def _page_widgets(self, page: Page) -> tuple[list[Widget], list[Widget]]:
        """The widgets to paint at once, and those that can follow a frame later."""
        module, course = self.module, self.course
        rest: list[Widget] = []
        if page.kind == "text":
            assert page.section is not None
            chunks = [Markdown(chunk, open_links=False) for chunk in page.section.chunks]
            first: list[Widget] = chunks[:1]
            rest = chunks[1:]
            if page.anchor == "overview":
                first.append(lesson_parts.overview_facts(module, course))
        elif page.kind == "checks":
            from ...content.check_sections import check_sections
            from ...store.positions import check_position
            from ...store.review import first_answers
            from ..widgets.checks import CheckPanel

            store, learner_id = self.app.store, self.learner.id
            answers = store.last_answers(learner_id, module.id)
            firsts = first_answers(store, learner_id, module.id)
            at = check_position(store, learner_id, module.id)  # where the learner left off
            self._checks_at = at or next((check.id for check in module.checks), None)
            first = [
                lesson_parts.page_title("Knowledge checks"),
                CheckPanel(module, answers, firsts, check_sections(module), at, id="checks"),
            ]
        elif page.kind == "scenarios":
            played = self.app.store.scenario_progress(self.learner.id)
            first = lesson_parts.scenario_list(module, course, played)
        else:
            first = getattr(lesson_parts, page.kind)(module)
        return [*first, self._page_footer()], rest

    def _page_footer(self) -> Static:
        parts: list[Content | str] = []
        if self.page_number > 0:
            parts += [("p ", "bold $accent"), "← ", literal(self.pages[self.page_number - 1].title)]
        if self.page_number + 1 < len(self.pages):
            if parts:
                parts.append("   ")
            parts += [("n ", "bold $accent"), literal(self.pages[self.page_number + 1].title), " →"]
        return Static(Content.assemble(*parts), classes="page-footer")

    def _scroll_to(self, anchor: str) -> None:
        target = self._anchor_widget(anchor)
        if self.highlight is not None:
            page = self.query_one("#page", VerticalScroll)
            hit = mark_page(page, self.highlight, target)
            if hit is not None:
                page.scroll_to_widget(hit, center=True, animate=False)
                target = None
        if target is not None:
            self.query_one("#page", VerticalScroll).scroll_to_widget(
                target, top=True, animate=False
            )
        checks = self.query("#checks")
        if checks:
            checks.first().query_one(OptionList).focus()
        elif self.page.kind == "scenarios":
            self.query_one("#lesson-scenarios").focus()

    def _anchor_widget(self, anchor: str) -> Widget | None:
        page = self.page
        if anchor == page.anchor:
            return None
        if anchor.startswith("risk-"):
            found = self.query(f"#{anchor}")
            return found.first() if found else None
        if page.section is None:
            return None
        headers = list(self.query_one("#page").query("MarkdownHeader"))
        anchors = [a for _, _, a in page.section.headings]
        if anchor in anchors and len(headers) == len(anchors):
            return headers[anchors.index(anchor)]
        return None

    def _sync_contents(self, anchor: str) -> None:
        toc = self.query_one("#toc", OptionList)
        target = anchor if anchor in self._toc_targets else self.page.anchor
        with toc.prevent(OptionList.OptionHighlighted):
            toc.highlighted = self._toc_targets.index(target)

    def _record_visit(self, page: Page) -> None:
        store, learner = self.app.store, self.learner
        store.visit_section(learner.id, self.module_id, page.anchor)
        if reading_anchors(self.pages) <= store.sections_seen(learner.id, self.module_id):
            store.mark_read(learner.id, self.module_id)

    def lookup_text(self) -> str:
        """The page's text, for the glossary lookup."""
        return page_text(self.page, self.module, self.course)

    # --- reacting ----------------------------------------------------------------------------

    def watch_course(self, course: Course) -> None:
        """The course was reloaded (--watch): rebuild if this lesson changed."""
        module = course.module(self.module_id)
        if module is None:
            self.notify(
                "This lesson's files now have errors; showing the last good version.",
                severity="warning",
            )
            return
        if module == self.module:
            return
        self.module = module
        self.pages = lesson_pages(module, bool(course.scenarios_for(self.module_id)))
        self._fill_contents()
        self.show_anchor(self.anchor)

    @on(OptionList.OptionSelected, "#toc")
    def _contents_selected(self, event: OptionList.OptionSelected) -> None:
        self.show_anchor(self._toc_targets[int(event.option.id.removeprefix("toc-"))])
        if self.has_class("-narrow"):
            self.remove_class("-toggled")
        self.query_one("#page").focus()

    @on(OptionList.OptionSelected, "#lesson-scenarios")
    def _scenario_selected(self, event: OptionList.OptionSelected) -> None:
        self.post_message(Navigate(f"scenario:{event.option.id}"))

    @on(Markdown.LinkClicked)
    def _link_clicked(self, event: Markdown.LinkClicked) -> None:
        event.prevent_default()
        self.follow(event.href)

    def follow(self, href: str) -> None:
        """Route a link: lessons inside the app, web pages after asking, nothing else."""
        kind, target = classify_link(href)
        if kind == "anchor":
            self.show_anchor(target)
        elif kind in ("lesson", "web"):
            self.post_message(Navigate(href))
        else:
            self.app.bell()

    @on(CheckAnswered)
    def _check_answered(self, event: CheckAnswered) -> None:
        check = next(c for c in self.module.checks if c.id == event.check_id)
        self.app.store.record_answer(
            self.learner.id,
            event.module,
            event.check_id,
            sorted(event.picked),
            check.is_right(event.picked),
        )

    def on_check_panel_position_changed(self, event) -> None:
        """Keep the check the learner is on, for the checks to reopen there."""
        from ...store.positions import set_check_position

        if event.check != self._checks_at:  # opening the checks where they were writes nothing
            self._checks_at = event.check
            set_check_position(self.app.store, self.learner.id, event.module, event.check)

    def on_check_panel_review_requested(self, event) -> None:
        """ "Review these now" on the checks' summary: the lesson's missed checks, at once."""
        from .review import ReviewScreen

        self.app.push_screen(ReviewScreen(self.course, self.learner, module=event.module))

    # --- actions -----------------------------------------------------------------------------

    def action_arrow(self, step: int) -> None:
        tiers = self.query("#benchmark-tiers")
        if not tiers:
            self.action_turn(step)
            return
        tabs = tiers.first(TabbedContent)
        panes = [pane.id for pane in tabs.query(TabPane)]
        index = panes.index(tabs.active) if tabs.active in panes else 0
        if 0 <= index + step < len(panes):
            tabs.active = panes[index + step]
        else:
            self.action_turn(step)  # past the last tier: on to the next page

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The check keys are on offer only on the page with the checks."""
        if action == "check":
            return bool(self.query("#checks"))
        return True

    def action_scroll_page(self, pages: int) -> None:
        page = self.query_one("#page", VerticalScroll)
        page.scroll_page_down(animate=False) if pages > 0 else page.scroll_page_up(animate=False)

    def action_check(self, action: str, *arguments: int) -> None:
        """A check's key pressed while the focus is elsewhere on the page (after scrolling
        to read the feedback, say): the check panel acts on it all the same."""
        panels = self.query("#checks")  # the CheckPanel (imported only with that page)
        if panels:
            getattr(panels.first(), f"action_{action}")(*arguments)

    def action_turn(self, step: int) -> None:
        number = self.page_number + step
        if 0 <= number < len(self.pages):
            self.show_anchor(self.pages[number].anchor)

    def action_go_anchor(self, anchor: str) -> None:
        if any(anchor in page.anchors for page in self.pages):
            self.show_anchor(anchor)

    def action_note(self) -> None:
        """A note or a bookmark on the page on screen."""
        from ...store.notes import LESSON, lesson_place
        from .notes import edit_note

        label = f"{self.module.title} › {self.page.title}"
        place = lesson_place(self.module_id, self.page.anchor)
        edit_note(self, self.learner, LESSON, place, label)

    def action_toggle_contents(self) -> None:
        """Show or hide the contents (hidden by default when the terminal is narrow)."""
        self.toggle_class("-toggled")
        self.call_after_refresh(self._focus_visible)

    def _focus_visible(self) -> None:
        toc = self.query_one("#toc")
        (toc if toc.display else self.query_one("#page")).focus()

    def action_links(self) -> None:
        from .picker import PickerScreen

        items: list[tuple[str, Content]] = []
        section = self.page.section
        for chunk in section.chunks if section else ():
            for link in outline(chunk).links:
                label = link_label(self.course, link.target)
                if label is not None and all(key != link.target for key, _ in items):
                    items.append((link.target, label))

        def picked(target: str | None) -> None:
            if target:
                self.follow(target)

        self.app.push_screen(PickerScreen("Links on this page", items, "No links here."), picked)
