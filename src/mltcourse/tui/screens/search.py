"""Full-text search: type, and the lessons, glossary terms and scenes that match appear as a
list, best first, with the matched words marked in each snippet; Enter opens one.

The index is opened (or, if there is none beside the course cache, built) in a worker, so the
dialog is up at once; each query after that takes a millisecond or two (benchmarks/
bench_search.py), so it runs as the learner types."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ...content.search import GLOSSARY, LESSON, SearchResult
from ...store.search_index import SearchIndex, SearchIndexError
from ..highlight import snippet
from ..text import lines, literal
from .dialog import Dialog, type_into

KIND_NAMES = {LESSON: "Lesson", GLOSSARY: "Glossary", "scenario": "Scenario"}
MAX_SHOWN = 30


@dataclass(frozen=True)
class SearchOutcome:
    """What the learner typed (offered again next time), and the result picked, if any."""

    query: str
    result: SearchResult | None


class SearchScreen(Dialog[SearchOutcome]):
    CSS_PATH = "search.tcss"
    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("down", "to_results", "Results", show=False),
    ]

    def __init__(self, open_index: Callable[[], SearchIndex], query: str = "") -> None:
        super().__init__()
        self.open_index = open_index  # may build the index: called in a worker
        self.initial_query = query
        self.index: SearchIndex | None = None
        self.results: list[SearchResult] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide-dialog", id="search"):
            yield Static(literal("Search the course", "bold"), classes="dialog-title")
            yield Input(
                self.initial_query,
                placeholder="Words from a lesson, the glossary or a scenario",
                id="search-query",
                select_on_focus=False,  # a letter typed in the list is added, not a new query
            )
            yield Static(literal("Preparing the search…", "$text-muted"), id="search-status")
            yield OptionList(id="search-results")
            yield Static(
                literal("type to search · ↓ to the results · Enter opens · Esc closes"),
                classes="dialog-hint",
            )

    def on_mount(self) -> None:
        query = self.query_one("#search-query", Input)
        query.focus()
        query.select_all()  # the last search, offered again: typing replaces it
        self._load_index()

    def on_key(self, event: events.Key) -> None:
        """Typing in the results goes on with the query, as it does in the glossary."""
        type_into(self.query_one("#search-query", Input), event)

    @work(thread=True, exclusive=True, group="search-index")
    def _load_index(self) -> None:
        try:
            index = self.open_index()
        except (OSError, SearchIndexError) as exc:
            self.app.call_from_thread(self._status, f"The search is not available: {exc}")
            return
        self.app.call_from_thread(self._index_ready, index)

    def _index_ready(self, index: SearchIndex) -> None:
        if not self.is_attached:  # closed while the index was opening
            index.close()
            return
        self.index = index
        self._search(self.query_one("#search-query", Input).value)

    def on_unmount(self) -> None:
        if self.index is not None:
            self.index.close()
            self.index = None

    def _status(self, text: str) -> None:
        if self.is_attached:
            self.query_one("#search-status", Static).update(literal(text, "$text-muted"))

    @on(Input.Changed, "#search-query")
    def _typed(self, event: Input.Changed) -> None:
        self._search(event.value)

    def _search(self, text: str) -> None:
        if self.index is None:
            return
        try:
            self.results = self.index.search(text, MAX_SHOWN)
        except SearchIndexError as exc:
            self.results = []
            self._status(f"The search is not available: {exc}")
            return
        results = self.query_one("#search-results", OptionList)
        with results.prevent(OptionList.OptionHighlighted):
            results.set_options(
                Option(_label(result), id=str(number)) for number, result in enumerate(self.results)
            )
            results.highlighted = 0 if self.results else None
        if not text.strip():
            self._status("Type a word or two; the last one may be the start of a word.")
        elif not self.results:
            self._status("Nothing in the course matches those words.")
        else:
            count = len(self.results)
            more = "+" if count == MAX_SHOWN else ""
            self._status(f"{count}{more} match{'es' if count != 1 else ''}, best first")

    @on(Input.Submitted, "#search-query")
    def _submitted(self) -> None:
        results = self.query_one("#search-results", OptionList)
        if self.results:
            self._open(results.highlighted or 0)

    @on(OptionList.OptionSelected, "#search-results")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._open(event.option_index)

    def _open(self, number: int) -> None:
        if 0 <= number < len(self.results):
            self.dismiss(SearchOutcome(self._query(), self.results[number]))

    def _query(self) -> str:
        return self.query_one("#search-query", Input).value

    def action_close(self) -> None:
        self.dismiss(SearchOutcome(self._query(), None))

    def action_to_results(self) -> None:
        results = self.query_one("#search-results", OptionList)
        if self.results and not results.has_focus:
            results.focus()


def _label(result: SearchResult) -> Content:
    kind = KIND_NAMES.get(result.kind, result.kind)
    parts: list[Content | str] = [
        Content.assemble(literal(f"{kind}  ", "$text-muted"), literal(result.title, "bold"))
    ]
    if result.snippet_parts:
        parts.append(snippet(result.snippet_parts))
    return lines(*parts, "")  # a blank line between results
