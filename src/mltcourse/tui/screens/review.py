"""A review session: the items the learner missed, brought back as FSRS schedules them.

From the map, the due items, most overdue first, up to what today's limit leaves; from a
lesson's check summary, that lesson's missed checks at once. Each item is asked again (a check
with its options in a new order; a decision as its scene and the options that were open), the
answer grades it, and the review is committed before its feedback shows. The rules are in
``engine/review.py``, ``engine/schedule.py`` and ``store/review.py``; this screen only shows them.
"""

from __future__ import annotations

from datetime import datetime

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ...content.model import Course
from ...content.pages import section_title
from ...engine.review import ReviewPrompt, prompt_for, review_seed, verdict
from ...engine.schedule import AGAIN, GOOD, HARD, day_start, parse_daily_limit, session_size
from ...store import review as book
from ...store.progress import Learner, now
from ..messages import Navigate
from ..text import lines, literal, prose
from ..widgets.keybar import KeyBar
from ..widgets.titlebar import TitleBar
from .dialog import Dialog

SUBMIT, NEXT = "submit", "next"
RATING_WORDS = {AGAIN: "again", HARD: "hard", GOOD: "good"}


def _when(stamp: float) -> str:
    days = (day_start(stamp) - day_start(now())) / 86400
    date = datetime.fromtimestamp(stamp).strftime("%a %d %b")
    if round(days) <= 0:
        return "today"
    return "tomorrow" if round(days) == 1 else f"in {round(days)} days ({date})"


class ReviewScreen(Screen):
    CSS_PATH = "review.tcss"
    BINDINGS = [
        Binding("n", "next", "Next item"),
        Binding("a", "submit", "Answer", show=False),
        Binding("o", "open_section", "Lesson section"),
        Binding("l", "set_limit", "Daily limit"),
        Binding("escape", "app.pop_screen", "Back"),
        *(Binding(str(n), f"pick({n})", "Pick option by number", show=False) for n in range(1, 10)),
    ]

    def __init__(self, course: Course, learner: Learner, module: str | None = None) -> None:
        super().__init__()
        self.course = course
        self.learner = learner  # whose items these are, and whose reviews are recorded
        self.module = module  # a lesson's missed checks; None: the due items
        self.items: list[book.ReviewItem] = []
        self.position = 0
        self.prompt: ReviewPrompt | None = None
        self.picked: set[int] = set()
        self.answered = False
        self.section = ""  # the lesson section the feedback points at
        self.ratings: list[int] = []
        self.skipped = 0  # items the course no longer has
        self.next_due: list[float] = []

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="review-body"):
            yield Static(id="review-counter")
            yield Static(id="review-prompt")
            yield OptionList(id="review-options")
            yield Static(id="review-feedback")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = "Review"
        self._load()

    def _load(self) -> None:
        store, learner_id, stamp = self.app.store, self.learner.id, now()
        if self.module is not None:
            self.items = book.lesson_checks(store, learner_id, self.module)
        else:
            due, _ = book.count_due(store, learner_id, stamp)
            left = session_size(
                due,
                book.daily_limit(store, learner_id),
                book.reviewed_since(store, learner_id, day_start(stamp)),
            )
            self.items = book.due_items(store, learner_id, stamp, left)
        self.position = 0
        self._show_item()

    # --- one item ----------------------------------------------------------------------------

    def _show_item(self) -> None:
        while self.position < len(self.items):
            item = self.items[self.position]
            seed = review_seed(item.id, book.review_count(self.app.store, item.id))
            self.prompt = prompt_for(
                self.course, item.kind, item.module, item.scenario, item.item, item.options, seed
            )
            if self.prompt is not None:
                break
            self.skipped += 1
            self.position += 1
        else:
            self.prompt = None
            self._show_end()
            return
        self.picked, self.answered, self.section = set(), False, ""
        prompt = self.prompt
        counter = Content.assemble(
            (f"Review {self.position + 1} of {len(self.items)}", "bold"),
            ("  ·  ", "$text-muted"),
            literal(
                f"{'Knowledge check' if prompt.kind == 'check' else 'Scenario decision'}: "
                f"{prompt.source}",
                "$text-muted",
            ),
        )
        self.query_one("#review-counter", Static).update(counter)
        hint = {
            "check": "Pick one answer.",
            "decision": "Decide again: which of these options do you take?",
        }[prompt.kind]
        if prompt.multiple:
            hint = "Pick every right answer, then choose “Check my answer” (or press a)."
        body = [literal(prompt.heading, "bold"), literal(prose(prompt.text))]
        self.query_one("#review-prompt", Static).update(lines(*body, literal(hint, "$text-muted")))
        self.query_one("#review-feedback", Static).update("")
        self._fill_options()
        self.query_one("#review-options", OptionList).focus()
        self.refresh_bindings()

    def _fill_options(self) -> None:
        assert self.prompt is not None
        prompt = self.prompt
        rows = []
        for place, text in enumerate(prompt.options):
            mark, style = "", ""
            if self.answered:
                mark, style = self._mark(place)
            elif prompt.multiple:
                mark = "☑ " if place in self.picked else "☐ "
            label = Content.assemble((f"{place + 1}. ", "bold"), (mark, style), literal(text))
            rows.append(Option(label, id=str(place), disabled=self.answered))
        if prompt.multiple and not self.answered:
            rows.append(Option(literal("Check my answer", "bold $accent"), id=SUBMIT))
        if self.answered:
            last = self.position + 1 >= len(self.items)
            rows.append(
                Option(literal("Finish" if last else "Next item →", "bold $accent"), id=NEXT)
            )
        options = self.query_one("#review-options", OptionList)
        highlighted = options.highlighted
        options.set_options(rows)
        options.highlighted = len(rows) - 1 if self.answered else (highlighted or 0)

    def _mark(self, place: int) -> tuple[str, str]:
        assert self.prompt is not None
        prompt = self.prompt
        index = prompt.order[place]
        if prompt.check is not None:
            if prompt.check.options[index].correct:
                return "✓ ", "$success"
            return ("✗ ", "$error") if place in self.picked else ("  ", "")
        choice = prompt.choices[index]
        call = verdict(choice, prompt.choices)
        if call == "doctrine-best":
            return "★ ", "$success"
        if call == "defensible":
            return "≈ ", "$warning"
        return ("✗ ", "$error") if place in self.picked else ("  ", "")

    @on(OptionList.OptionSelected, "#review-options")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id == NEXT:
            self.action_next()
        elif event.option.id == SUBMIT:
            self.action_submit()
        elif event.option.id is not None and event.option.id.isdigit():
            self._pick(int(event.option.id))

    def action_pick(self, number: int) -> None:
        self._pick(number - 1)

    def _pick(self, place: int) -> None:
        if self.prompt is None or self.answered or place >= len(self.prompt.options):
            return
        if self.prompt.multiple:
            self.picked ^= {place}
            self._fill_options()
        else:
            self.picked = {place}
            self.action_submit()

    def action_submit(self) -> None:
        """Grade the answer and commit the review, then show what the item teaches."""
        if self.prompt is None or self.answered or not self.picked:
            return
        item = self.items[self.position]
        rating, answer = self.prompt.grade(self.picked)
        scheduled = book.record_review(self.app.store, item.id, rating, answer, now())
        self.answered = True
        self.ratings.append(rating)
        self.next_due.append(scheduled.due)
        self._fill_options()
        feedback = self.query_one("#review-feedback", Static)
        feedback.update(self._feedback(rating, scheduled.due))
        self.call_after_refresh(feedback.scroll_visible, animate=False)  # below the fold at 80x24
        self.refresh_bindings()

    def _feedback(self, rating: int, due: float) -> Content:
        assert self.prompt is not None
        prompt = self.prompt
        parts: list[Content | str] = []
        picked = [prompt.order[place] for place in sorted(self.picked)]
        if prompt.check is not None:
            right = rating == GOOD
            parts.append(
                literal(
                    "✓ Right." if right else "✗ Not quite.",
                    "bold $success" if right else "bold $error",
                )
            )
            for index, option in enumerate(prompt.check.options):
                if index in picked or option.correct:
                    label = "Your answer" if index in picked else "The right answer"
                    parts += ["", Content.assemble((f"{label}: ", "bold"), literal(option.text))]
                    parts.append(literal(option.explanation))
            sections = book_sections(self.course, self.items[self.position].module)
            self.section = sections.get(prompt.check.id, "")
        else:
            chosen = prompt.choices[picked[0]]
            call = verdict(chosen, prompt.choices)
            headline = {
                "doctrine-best": ("★ The doctrine-best option.", "bold $success"),
                "defensible": ("≈ A defensible alternative: a close call.", "bold $warning"),
            }.get(call, ("✗ Neither the doctrine-best nor a defensible option.", "bold $error"))
            parts += [literal(*headline), "", literal(prose(prompt.feedback[picked[0]]))]
            self.section = chosen.section
            if call != "doctrine-best":
                best = next(
                    c for c in prompt.choices if verdict(c, prompt.choices) == "doctrine-best"
                )
                index = prompt.choices.index(best)
                shown = prompt.options[prompt.order.index(index)]
                parts += [
                    "",
                    Content.assemble(("The doctrine-best option: ", "bold"), literal(shown)),
                    literal(prose(prompt.feedback[index])),
                ]
                self.section = best.section
        if self.section:
            where = section_title(self.course, self.section)
            parts += ["", Content.assemble(("o ", "bold $accent"), literal(f"Read again: {where}"))]
        parts += ["", literal(f"Graded {RATING_WORDS[rating]}: back {_when(due)}.", "$text-muted")]
        return lines(*parts)

    # --- the session's end -----------------------------------------------------------------

    def _show_end(self) -> None:
        store, learner_id, stamp = self.app.store, self.learner.id, now()
        due, later = book.count_due(store, learner_id, stamp)
        limit = book.daily_limit(store, learner_id)
        done_today = book.reviewed_since(store, learner_id, day_start(stamp))
        self.query_one("#review-counter", Static).update(literal("Review", "bold"))
        parts: list[Content | str] = []
        if self.ratings:
            right = sum(1 for r in self.ratings if r == GOOD)
            parts.append(
                literal(f"Session done: {len(self.ratings)} reviewed, {right} right.", "bold")
            )
        elif self.module is None and due and done_today >= limit:
            parts.append(literal(f"Today's limit of {limit} reviews is reached.", "bold"))
        else:
            parts.append(literal("Nothing to review now.", "bold"))
        if self.skipped:
            parts.append(
                literal(
                    f"{self.skipped} item(s) are no longer in the course and were left out.",
                    "$warning",
                )
            )
        if due:
            parts.append(f"Still due: {due} (today's limit: {limit}, {done_today} done).")
        parts.append(f"Scheduled for later: {later}.")
        parts.append(literal("l change the daily limit · Esc back", "$text-muted"))
        self.query_one("#review-prompt", Static).update(lines(*parts))
        self.query_one("#review-options", OptionList).clear_options()
        self.query_one("#review-feedback", Static).update("")
        self.refresh_bindings()

    # --- keys ------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next":
            return self.answered
        if action == "open_section":
            return self.answered and bool(self.section)
        if action in ("submit", "pick"):
            return self.prompt is not None and not self.answered
        return True

    def action_next(self) -> None:
        if self.answered:
            self.position += 1
            self._show_item()

    def action_open_section(self) -> None:
        if self.answered and self.section:
            self.post_message(Navigate(f"lesson:{self.section}"))

    def action_set_limit(self) -> None:
        store, learner_id = self.app.store, self.learner.id

        def chosen(limit: int | None) -> None:
            if limit is None:
                return
            book.set_daily_limit(store, learner_id, limit)
            self.notify(f"Daily review limit: {limit}.")
            if self.prompt is None and self.module is None:
                self._load()

        self.app.push_screen(LimitDialog(book.daily_limit(store, learner_id)), chosen)


def book_sections(course: Course, module_id: str) -> dict[str, str]:
    from ...content.check_sections import check_sections

    module = course.module(module_id)
    return check_sections(module) if module else {}


class LimitDialog(Dialog[int | None]):
    """How many reviews a day the learner takes on."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(literal("Reviews a day", "bold"), classes="dialog-title")
            yield Static(
                literal("At most this many reviews a day; the rest wait for tomorrow."),
                classes="dialog-detail",
            )
            yield Input(str(self.limit), id="limit")
            yield Static(id="limit-error", classes="dialog-hint")

    @on(Input.Submitted, "#limit")
    def _submitted(self, event: Input.Submitted) -> None:
        try:
            limit = parse_daily_limit(event.value)
        except ValueError as error:
            self.query_one("#limit-error", Static).update(literal(str(error), "$error"))
            return
        self.dismiss(limit)

    def action_cancel(self) -> None:
        self.dismiss(None)
