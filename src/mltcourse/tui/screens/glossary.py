"""The glossary: the terms found where the learner is looking first, then every other term."""

from __future__ import annotations

import re

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ...content.model import Term
from ..highlight import mark
from ..text import lines, literal
from .dialog import Dialog, type_into


def term_entry(term: Term) -> Content:
    heading = literal(term.term, "bold $accent")
    if term.expansion:
        heading += literal(f"  {term.expansion}", "bold")
    return lines(heading, "", literal(term.definition))


class GlossaryScreen(Dialog[None]):
    BINDINGS = [Binding("escape", "dismiss", "Close")]

    def __init__(
        self,
        glossary: tuple[Term, ...],
        in_focus: list[Term] | None = None,
        highlight: re.Pattern[str] | None = None,
    ) -> None:
        super().__init__()
        self.glossary = glossary
        self.in_focus = in_focus or []
        self.highlight = highlight  # the words a search matched, marked in the entries

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide-dialog", id="glossary"):
            yield Static(literal("Glossary", "bold"), classes="dialog-title")
            yield Input(
                placeholder="Type to filter terms and definitions",
                id="glossary-filter",
                select_on_focus=False,  # a letter typed in the list is kept, not selected
            )
            with Horizontal(id="glossary-body"):
                yield OptionList(id="glossary-terms")
                with VerticalScroll(id="glossary-entry"):
                    yield Static(id="glossary-definition")
            yield Static(
                literal("↑↓ terms · type a word to find it in terms and definitions · Esc closes"),
                classes="dialog-hint",
            )

    def on_mount(self) -> None:
        self._fill("")
        self.query_one("#glossary-terms").focus()

    def on_key(self, event: events.Key) -> None:
        """Typing goes to the filter wherever the focus is, as the hint says."""
        type_into(self.query_one("#glossary-filter", Input), event)

    def _ordered(self) -> list[Term]:
        focus = [t.term for t in self.in_focus]
        rest = sorted(
            (t for t in self.glossary if t.term not in focus), key=lambda t: t.term.lower()
        )
        return list(self.in_focus) + rest

    def _fill(self, query: str) -> None:
        query = query.strip().lower()
        options = self.query_one("#glossary-terms", OptionList)
        ordered = self._ordered()
        named = [
            t
            for t in ordered
            if not query or query in t.term.lower() or query in (t.expansion or "").lower()
        ]
        # then the terms whose definition uses the words: "residual" finds where it is explained
        defined = [t for t in ordered if query and t not in named and query in t.definition.lower()]
        shown = named + defined
        focus = {t.term for t in self.in_focus}
        with options.prevent(OptionList.OptionHighlighted):
            options.set_options(
                Option(literal(t.term, "bold" if t.term in focus else ""), id=str(i))
                for i, t in enumerate(shown)
            )
            options.highlighted = 0 if shown else None
        self._shown = shown
        self._define(shown[0] if shown else None)

    def _define(self, term: Term | None) -> None:
        entry = mark(term_entry(term), self.highlight) if term else literal("No such term.")
        self.query_one("#glossary-definition", Static).update(entry)

    @on(Input.Changed, "#glossary-filter")
    def _filter(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(OptionList.OptionHighlighted, "#glossary-terms")
    def _show(self, event: OptionList.OptionHighlighted) -> None:
        """The term moved to. A fast typist's keys can overtake this message: it may come
        from a list the filter has since replaced, and then it is out of date."""
        if event.option is not event.option_list.highlighted_option:
            return
        self._define(self._shown[event.option_index])
