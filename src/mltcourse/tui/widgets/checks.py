"""Knowledge checks, one at a time, with immediate elaborated feedback, and after the last
one a summary: the first-attempt score and the checks missed, each with its lesson section.

The panel only shows: right and wrong come from the content model (``Check.is_right``), the
summary from ``engine.review.check_summary``, and the answer travels up as a ``CheckAnswered``
message for the screen to record.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...content.model import Check, Module
from ...content.pages import lesson_pages
from ...engine.review import check_summary
from ..messages import CheckAnswered, Navigate
from ..text import lines, literal

SUBMIT = "submit"
REVIEW = "review"
NUMBER_KEYS = [
    Binding(str(n), f"pick({n})", "Pick option by number", show=False) for n in range(1, 10)
]


class CheckPanel(Vertical):
    BINDINGS = [
        Binding("a", "answer", "Answer"),
        Binding("space", "tick", "Tick", show=False),
        Binding("r", "retry", "Try again"),
        Binding("right_square_bracket", "move(1)", "Next check", key_display="]"),
        Binding("left_square_bracket", "move(-1)", "Previous check", key_display="["),
        Binding("v", "review", "Review these now"),
        *NUMBER_KEYS,
    ]

    index: reactive[int] = reactive(0, init=False)

    class PositionChanged(Message):
        """The check the learner would come back to has changed (for the screen to keep)."""

        def __init__(self, module: str, check: str) -> None:
            super().__init__()
            self.module = module
            self.check = check

    class ReviewRequested(Message):
        """The learner asked to review the checks they missed at the first attempt."""

        def __init__(self, module: str) -> None:
            super().__init__()
            self.module = module

    def __init__(
        self,
        module: Module,
        answers: dict[str, tuple[list[int], bool]],
        first: dict[str, bool],
        sections: dict[str, str],
        at: str | None = None,
        **kwargs,
    ):
        """``at``: the id of the check to open on (where the learner left off)."""
        super().__init__(**kwargs)
        self.module = module
        ids = [check.id for check in module.checks]
        if at in ids:
            self.set_reactive(CheckPanel.index, ids.index(at))
        self.answers = dict(answers)
        self.first = dict(first)  # each check's first answer: right or not (what counts)
        self.sections = sections  # each check's lesson section, MODULE#ANCHOR
        self.picked: set[int] = set()
        self.answered = False
        self.summary = False  # the summary after the last check is on show

    def compose(self) -> ComposeResult:
        yield Static(id="check-counter")
        yield Static(id="check-prompt")
        yield OptionList(id="check-options")
        yield Static(id="check-feedback")

    def on_mount(self) -> None:
        self._show()

    @property
    def check(self) -> Check:
        return self.module.checks[self.index]

    def lookup_text(self) -> str:
        return " ".join([self.check.prompt, *(o.text for o in self.check.options)])

    def watch_index(self) -> None:
        self._show()

    def _show(self) -> None:
        """A fresh, unanswered view of the current check."""
        self.picked = set()
        self.answered = False
        self.summary = False
        self._render_check()
        self.query_one("#check-options").focus()
        self.refresh_bindings()
        self.post_message(self.PositionChanged(self.module.id, self.check.id))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer "review these now" on the summary, and only if a check was missed."""
        if action == "review":
            return self.summary and any(ok is False for ok in self.first.values())
        if action == "answer":  # the key bar is short of room: each key only when it helps
            return not self.summary and not self.answered
        if action == "retry":
            return not self.summary and self.answered
        if action == "pick":
            return not self.summary
        return True

    def _render_check(self) -> None:
        check = self.check
        checks = self.module.checks
        first_right = sum(1 for c in checks if self.first.get(c.id))
        counter = Content.assemble(
            (f"Check {self.index + 1} of {len(checks)}", "bold"),
            (f"  ·  {first_right} right at the first attempt", "$text-muted"),
        )
        kind = {
            "single": "Pick one answer.",
            "multiple": "Pick every right answer, then choose “Check my answer” (or press a).",
            "tier": "Is this a short-, medium- or long-term priority?",
        }[check.kind]
        self.query_one("#check-counter", Static).update(counter)
        self.query_one("#check-prompt", Static).update(
            lines(literal(check.prompt, "bold"), literal(kind, "$text-muted"))
        )
        options = self.query_one("#check-options", OptionList)
        highlighted = options.highlighted
        options.set_options(self._options())
        options.highlighted = highlighted if highlighted is not None else 0
        self.query_one("#check-feedback", Static).update(self._feedback())

    def _options(self) -> list[Option]:
        check = self.check
        rows = []
        for number, option in enumerate(check.options):
            mark = ""
            style = ""
            if self.answered:
                if option.correct:
                    mark, style = "✓ ", "$success"
                elif number in self.picked:
                    mark, style = "✗ ", "$error"
                else:
                    mark = "  "
            elif check.kind == "multiple":
                mark = "☑ " if number in self.picked else "☐ "
            prompt = Content.assemble(
                (f"{number + 1}. ", "bold"), (mark, style), literal(option.text)
            )
            rows.append(Option(prompt, id=str(number), disabled=self.answered))
        if check.kind == "multiple" and not self.answered:
            rows.append(Option(literal("Check my answer", "bold $accent"), id=SUBMIT))
        return rows

    def _feedback(self) -> Content:
        if not self.answered:
            previous = self.answers.get(self.check.id)
            if previous is None:
                return Content("")
            verdict = "right" if previous[1] else "not right yet"
            first = "" if self.first.get(self.check.id) else " Your first answer was not right."
            return literal(
                f"Last time you answered this: {verdict}.{first} Answering again is practice: "
                "the first answer is the one that counts.",
                "$text-muted",
            )
        check = self.check
        right = check.is_right(self.picked)
        parts: list[Content | str] = [
            literal(
                "✓ Right." if right else "✗ Not quite.", "bold $success" if right else "bold $error"
            )
        ]
        for number, option in enumerate(check.options):
            if number in self.picked or option.correct:
                label = "Your answer" if number in self.picked else "The right answer"
                parts += ["", Content.assemble((f"{label}: ", "bold"), literal(option.text))]
                parts.append(literal(option.explanation))
        last = self.index + 1 == len(self.module.checks)
        onward = "] your summary" if last else "] next check"
        parts += ["", literal(f"r try again · {onward} · [ previous check", "$text-muted")]
        return lines(*parts)

    # --- the summary after the last check --------------------------------------------------

    def _show_summary(self) -> None:
        self.summary = True
        summary = check_summary(self.module.checks, self.first, self.sections)
        titles = {page.anchor: page.title for page in lesson_pages(self.module, False)}
        self.query_one("#check-counter", Static).update(
            literal(f"Your checks: {self.module.title}", "bold")
        )
        score = f"First-attempt score: {summary.first_right} of {summary.total}."
        notes = []
        if summary.unanswered:
            numbers = ", ".join(str(n) for n in summary.unanswered)
            notes.append(literal(f"Not answered yet: check {numbers}.", "$warning"))
        if summary.missed:
            notes.append(
                literal(
                    f"Missed at the first attempt: {len(summary.missed)}. Each is now a review "
                    "item that comes back when you are about to forget it.",
                    "$text-muted",
                )
            )
        elif not summary.unanswered:
            notes.append(literal("Every check right at the first attempt.", "$success"))
        self.query_one("#check-prompt", Static).update(lines(literal(score, "bold"), *notes))
        rows = []
        if summary.missed:
            rows.append(Option(literal("Review these now", "bold $accent"), id=REVIEW))
        number = {c.id: n for n, c in enumerate(self.module.checks, 1)}
        for check, section in summary.missed:
            anchor = section.partition("#")[2]
            prompt = Content.assemble(
                (f"✗ Check {number[check.id]}: ", "bold $error"),
                literal(_short(check.prompt)),
                ("\n   read again: ", "$text-muted"),
                literal(titles.get(anchor, anchor), "$accent"),
            )
            rows.append(Option(prompt, id=f"section:{section}"))
        for n in summary.unanswered:
            rows.append(Option(literal(f"Go to check {n}", "$text-muted"), id=f"check:{n - 1}"))
        options = self.query_one("#check-options", OptionList)
        options.set_options(rows)
        options.highlighted = 0 if rows else None
        hint = "Enter opens the line chosen · v review these now · ] back to check 1"
        self.query_one("#check-feedback", Static).update(literal(hint, "$text-muted"))
        options.focus()
        self.refresh_bindings()

    def _summary_selected(self, target: str) -> None:
        kind, _, rest = target.partition(":")
        if kind == "section":
            self.post_message(Navigate(f"lesson:{rest}"))
        elif kind == "check":
            self._go_to(int(rest))
        elif target == REVIEW:
            self.action_review()

    def action_review(self) -> None:
        if self.summary:
            self.post_message(self.ReviewRequested(self.module.id))

    def _go_to(self, index: int) -> None:
        if index == self.index:
            self._show()
        else:
            self.index = index

    @on(OptionList.OptionSelected, "#check-options")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.summary:
            self._summary_selected(event.option.id or "")
        elif event.option.id == SUBMIT:
            self.action_answer()
        else:
            self._pick(int(event.option.id))

    def _pick(self, number: int) -> None:
        if self.summary or self.answered or number >= len(self.check.options):
            return
        if self.check.kind == "multiple":
            self.picked ^= {number}
            self._render_check()
        else:
            self.picked = {number}
            self.action_answer()

    def action_pick(self, number: int) -> None:
        self._pick(number - 1)

    def action_tick(self) -> None:
        """Space ticks (or unticks) the highlighted answer of a multiple-answer check."""
        highlighted = self.query_one("#check-options", OptionList).highlighted
        if self.check.kind == "multiple" and highlighted is not None:
            self._pick(highlighted)

    def action_answer(self) -> None:
        if self.summary or self.answered:
            return
        if not self.picked:
            self.notify("Tick at least one answer first (Space or its number).", timeout=3)
            return
        self.answered = True
        check = self.check
        self.answers[check.id] = (sorted(self.picked), check.is_right(self.picked))
        self.first.setdefault(check.id, check.is_right(self.picked))
        self.post_message(CheckAnswered(self.module.id, check.id, frozenset(self.picked)))
        self._render_check()
        self.refresh_bindings()
        if self.index + 1 < len(self.module.checks):  # done with this one: back at the next
            self.post_message(
                self.PositionChanged(self.module.id, self.module.checks[self.index + 1].id)
            )
        # the feedback may be below the fold (80x24): bring it into view
        feedback = self.query_one("#check-feedback")
        self.call_after_refresh(feedback.scroll_visible, animate=False)

    def action_retry(self) -> None:
        if not self.summary:
            self._show()

    def action_move(self, step: int) -> None:
        """Next or previous check; after the last comes the summary, never the first again
        unasked (from the summary, ] starts at check 1 and [ goes back to the last)."""
        last = len(self.module.checks) - 1
        if self.summary:
            self._go_to(0 if step > 0 else last)
        elif step > 0 and self.index == last:
            self._show_summary()
        elif 0 <= self.index + step <= last:
            self.index += step
        else:
            self.app.bell()


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
