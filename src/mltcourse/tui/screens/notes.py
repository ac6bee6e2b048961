"""Notes and bookmarks: the little dialog that writes one (b on a lesson page or in a
scenario), and the list of them all (b on the course map), from which a note opens its place.

The store holds the rules (``store/notes.py``); these screens only ask and show.
"""

from __future__ import annotations

from datetime import datetime

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Checkbox, Input, OptionList, Static
from textual.widgets.option_list import Option

from ...store.notes import MAX_NOTE_CHARS, Note, delete_note, learner_notes, note_at, save_note
from ...store.progress import Learner
from ..text import literal
from .dialog import Dialog


class NoteDialog(Dialog[tuple[str, bool] | None]):
    """The note at one place: its text and whether it is a bookmark."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, label: str, note: Note | None) -> None:
        super().__init__()
        self.label = label
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide-dialog", id="note-dialog"):
            yield Static(literal("Note on: ", "bold") + literal(self.label), classes="dialog-title")
            yield Input(
                value=self.note.body if self.note else "",
                placeholder="Your note (empty and no bookmark: removed)",
                max_length=MAX_NOTE_CHARS,
                id="note-text",
                select_on_focus=False,
            )
            yield Checkbox(
                "Bookmark this place", self.note.bookmark if self.note else True, id="bookmark"
            )
            yield Static(
                literal("Enter saves · Tab, then Space: bookmark · Esc cancels"),
                classes="dialog-hint",
            )

    def on_mount(self) -> None:
        self.query_one("#note-text", Input).focus()

    @on(Input.Submitted, "#note-text")
    def _save(self) -> None:
        self.dismiss(
            (self.query_one("#note-text", Input).value, self.query_one("#bookmark", Checkbox).value)
        )

    @on(Checkbox.Changed, "#bookmark")
    def _back_to_text(self) -> None:
        self.query_one("#note-text", Input).focus()


def edit_note(screen: Screen, learner: Learner, kind: str, place: str, label: str) -> None:
    """Ask for the note at a place and keep what the learner wrote (b on lessons and scenes)."""
    store = screen.app.store  # type: ignore[attr-defined]

    def answered(result: tuple[str, bool] | None) -> None:
        if result is None:
            return
        body, bookmark = result
        kept = save_note(store, learner.id, kind, place, label, body, bookmark)
        screen.notify("Note saved." if kept else "Note removed.", timeout=3)

    screen.app.push_screen(NoteDialog(label, note_at(store, learner.id, kind, place)), answered)


def _when(moment: float) -> str:
    return datetime.fromtimestamp(moment).strftime("%d %b %Y")


def note_option(index: int, note: Note) -> Option:
    mark = ("★ ", "bold $accent") if note.bookmark else ("  ", "")
    lines: list[Content | str | tuple[str, str]] = [
        mark,
        literal(note.label or note.place, "bold"),
        (f"  {_when(note.updated)}", "$text-muted"),
    ]
    if note.body:
        first = note.body if len(note.body) <= 200 else note.body[:199] + "…"
        lines += ["\n   ", literal(first)]
    return Option(Content.assemble(*lines), id=f"note-{index}")


class NotesScreen(Dialog[str | None]):
    """Every note and bookmark of the learner; Enter answers with the place to open."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Close"),
        Binding("d,delete", "delete", "Delete the note"),
    ]

    def __init__(self, learner: Learner) -> None:
        super().__init__()
        self.learner = learner
        self.notes: list[Note] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide-dialog", id="notes"):
            yield Static(literal("Notes and bookmarks", "bold"), classes="dialog-title")
            yield OptionList(id="note-list")
            yield Static(id="notes-empty")
            yield Static(
                literal("Enter opens the place · d deletes · Esc closes"), classes="dialog-hint"
            )

    def on_mount(self) -> None:
        self._fill()

    def _fill(self) -> None:
        self.notes = learner_notes(self.app.store, self.learner.id)  # type: ignore[attr-defined]
        listing = self.query_one("#note-list", OptionList)
        listing.set_options(note_option(i, note) for i, note in enumerate(self.notes))
        listing.display = bool(self.notes)
        empty = self.query_one("#notes-empty", Static)
        empty.display = not self.notes
        empty.update(
            literal(
                "No notes yet. Press b on a lesson page or at a scenario's decision to add one.",
                "$text-muted",
            )
        )
        if self.notes:
            listing.highlighted = 0
            listing.focus()

    def _highlighted(self) -> Note | None:
        index = self.query_one("#note-list", OptionList).highlighted
        return self.notes[index] if index is not None and index < len(self.notes) else None

    @on(OptionList.OptionSelected, "#note-list")
    def _open(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.notes[event.option_index].target)

    def action_delete(self) -> None:
        note = self._highlighted()
        if note is None:
            return
        delete_note(self.app.store, self.learner.id, note.kind, note.place)  # type: ignore[attr-defined]
        self._fill()
        self.notify("Note deleted.", timeout=3)
