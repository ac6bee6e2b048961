"""Who is studying: pick a profile or add one (a trainer's laptop serves many learners)."""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ...store.progress import Learner, default_learner_name
from ..text import literal
from .dialog import Dialog, type_into


class LearnerPicker(Dialog[str | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, learners: list[Learner], first: bool = False) -> None:
        super().__init__()
        self.learners = learners
        self.first = first  # nobody is studying yet: Esc can only quit
        self.suggested = default_learner_name()

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(literal("Who is studying?", "bold"), classes="dialog-title")
            if not self.learners:
                yield Static(
                    literal("Progress is kept per learner. Type your name, then Enter."),
                    classes="dialog-hint",
                )
            if self.learners:
                yield OptionList(
                    *(
                        Option(literal(learner.name), id=str(learner.id))
                        for learner in self.learners
                    ),
                    id="learner-list",
                )
                yield Static(literal("or add a new learner:"), classes="dialog-hint")
            hint = "Your name" if self.learners else f"Your name (Enter alone: {self.suggested})"
            yield Input(placeholder=hint, id="learner-name", select_on_focus=False)
            yield Static(literal(self._keys_hint()), classes="dialog-hint")

    def _keys_hint(self) -> str:
        if self.first:
            return "Enter to choose · Esc quits (nothing is recorded until you choose)"
        return "Enter to choose · Esc keeps the current learner"

    def on_key(self, event: events.Key) -> None:
        """Typing a letter in the list of learners starts a new name: that is what one means."""
        type_into(self.query_one("#learner-name", Input), event)

    @on(OptionList.OptionSelected, "#learner-list")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(next(x.name for x in self.learners if str(x.id) == event.option.id))

    @on(Input.Submitted, "#learner-name")
    def _named(self, event: Input.Submitted) -> None:
        name = event.value.strip()
        if name or not self.learners:
            self.dismiss(name or self.suggested)

    def action_cancel(self) -> None:
        self.dismiss(None)
