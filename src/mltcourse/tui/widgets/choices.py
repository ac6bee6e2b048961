"""The options open at a decision: picked by number key, arrows and Enter, or the mouse."""

from __future__ import annotations

from textual import on
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ...content.model import Choice
from ...engine.state import GameState
from ...engine.story import text_in
from ..messages import ChoicePicked
from ..text import literal


class ChoiceList(OptionList):
    def __init__(self, choices: tuple[Choice, ...], state: GameState, **kwargs) -> None:
        """The options open in ``state``, each text as it reads there (story text)."""
        self.choices = choices
        self.texts = tuple(text_in(c.text, state) for c in choices)
        super().__init__(
            *(
                Option(Content.assemble((f"{n}. ", "bold $accent"), literal(text)), id=c.id)
                for n, (c, text) in enumerate(zip(choices, self.texts, strict=True), 1)
            ),
            **kwargs,
        )

    def lookup_text(self) -> str:
        if self.highlighted is None:
            return ""
        return self.texts[self.highlighted]

    def pick(self, number: int) -> None:
        """Pick the choice shown with this number (from 1)."""
        if 1 <= number <= len(self.choices):
            self.post_message(ChoicePicked(self.choices[number - 1].id))

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(ChoicePicked(event.option.id))
