"""Knowledge checks, one at a time, with immediate elaborated feedback.

The panel only shows: right and wrong come from the content model (``Check.is_right``), and
the answer travels up as a ``CheckAnswered`` message for the screen to record.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...content.model import Check, Module
from ..messages import CheckAnswered
from ..text import lines, literal

SUBMIT = "submit"
NUMBER_KEYS = [
    Binding(str(n), f"pick({n})", "Pick option by number", show=False) for n in range(1, 10)
]


class CheckPanel(Vertical):
    BINDINGS = [
        Binding("a", "answer", "Answer"),
        Binding("r", "retry", "Try again"),
        Binding("right_square_bracket", "move(1)", "Next check", key_display="]"),
        Binding("left_square_bracket", "move(-1)", "Previous check", key_display="["),
        *NUMBER_KEYS,
    ]

    index: reactive[int] = reactive(0, init=False)

    def __init__(self, module: Module, answers: dict[str, tuple[list[int], bool]], **kwargs):
        super().__init__(**kwargs)
        self.module = module
        self.answers = dict(answers)
        self.picked: set[int] = set()
        self.answered = False

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
        self._render_check()
        self.query_one("#check-options").focus()

    def _render_check(self) -> None:
        check = self.check
        checks = self.module.checks
        passed = sum(1 for c in checks if self.answers.get(c.id, ([], False))[1])
        counter = Content.assemble(
            (f"Check {self.index + 1} of {len(checks)}", "bold"),
            (f"  ·  {passed} answered right so far", "$text-muted"),
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
            return literal(f"Last time you answered this: {verdict}.", "$text-muted")
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
        parts += ["", literal("r try again · ] next check · [ previous check", "$text-muted")]
        return lines(*parts)

    @on(OptionList.OptionSelected, "#check-options")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id == SUBMIT:
            self.action_answer()
        else:
            self._pick(int(event.option.id))

    def _pick(self, number: int) -> None:
        if self.answered or number >= len(self.check.options):
            return
        if self.check.kind == "multiple":
            self.picked ^= {number}
            self._render_check()
        else:
            self.picked = {number}
            self.action_answer()

    def action_pick(self, number: int) -> None:
        self._pick(number - 1)

    def action_answer(self) -> None:
        if self.answered or not self.picked:
            return
        self.answered = True
        check = self.check
        self.answers[check.id] = (sorted(self.picked), check.is_right(self.picked))
        self.post_message(CheckAnswered(self.module.id, check.id, frozenset(self.picked)))
        self._render_check()

    def action_retry(self) -> None:
        self._show()

    def action_move(self, step: int) -> None:
        self.index = (self.index + step) % len(self.module.checks)
