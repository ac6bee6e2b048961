"""A learner's notes and bookmarks: one per lesson page or scenario decision.

A place is ``MODULE#ANCHOR`` for a lesson page (kind ``lesson``) and ``SCENARIO/NODE`` for a
decision (kind ``decision``); the place's title is kept with the note, so the notes screen and
the exports can name it even after the course has changed. A note with no text that is not a
bookmark is no note: saving one removes it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..safetext import clean, clean_name
from .progress import ProgressStore, now

LESSON, DECISION = "lesson", "decision"
KINDS = (LESSON, DECISION)
MAX_NOTE_CHARS = 4000


@dataclass(frozen=True, slots=True)
class Note:
    kind: str  # lesson | decision
    place: str  # MODULE#ANCHOR | SCENARIO/NODE
    label: str  # the place's title when the note was written
    body: str
    bookmark: bool
    created: float
    updated: float

    @property
    def target(self) -> str:
        """Where the note opens: its lesson page, or its scenario."""
        if self.kind == LESSON:
            return f"lesson:{self.place}"
        return f"scenario:{self.place.partition('/')[0]}"

    def to_json(self) -> dict:
        return {
            "kind": self.kind,
            "place": self.place,
            "label": self.label,
            "note": self.body,
            "bookmark": self.bookmark,
            "created": self.created,
            "updated": self.updated,
        }


def lesson_place(module: str, anchor: str) -> str:
    return f"{module}#{anchor}"


def decision_place(scenario: str, node: str) -> str:
    return f"{scenario}/{node}"


def save_note(
    store: ProgressStore,
    learner_id: int,
    kind: str,
    place: str,
    label: str,
    body: str,
    bookmark: bool,
) -> Note | None:
    """Write the note at a place (replacing the one there); None when it was emptied and
    removed. The text is kept free of control characters and within a size limit."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind of note {kind!r}")
    body = clean(body).strip()[:MAX_NOTE_CHARS]
    label = clean_name(label, 300)
    stamp = now()
    with store.write() as db:
        if not body and not bookmark:
            db.execute(
                "DELETE FROM notes WHERE learner_id = ? AND kind = ? AND place = ?",
                (learner_id, kind, place),
            )
            return None
        db.execute(
            "INSERT INTO notes (learner_id, kind, place, label, body, bookmark, created, updated) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (learner_id, kind, place) DO UPDATE SET "
            "label = excluded.label, body = excluded.body, bookmark = excluded.bookmark, "
            "updated = excluded.updated",
            (learner_id, kind, place, label, body, int(bookmark), stamp, stamp),
        )
    return note_at(store, learner_id, kind, place)


def delete_note(store: ProgressStore, learner_id: int, kind: str, place: str) -> None:
    with store.write() as db:
        db.execute(
            "DELETE FROM notes WHERE learner_id = ? AND kind = ? AND place = ?",
            (learner_id, kind, place),
        )


_COLUMNS = "kind, place, label, body, bookmark, created, updated"


def _note(row: tuple) -> Note:
    kind, place, label, body, bookmark, created, updated = row
    return Note(kind, place, label, body, bool(bookmark), created, updated)


def note_at(store: ProgressStore, learner_id: int, kind: str, place: str) -> Note | None:
    rows = store.read(
        f"SELECT {_COLUMNS} FROM notes WHERE learner_id = ? AND kind = ? AND place = ?",
        learner_id,
        kind,
        place,
    )
    return _note(rows[0]) if rows else None


def learner_notes(store: ProgressStore, learner_id: int) -> list[Note]:
    """Every note of the learner, the most recently changed first."""
    rows = store.read(
        f"SELECT {_COLUMNS} FROM notes WHERE learner_id = ? ORDER BY updated DESC, id DESC",
        learner_id,
    )
    return [_note(row) for row in rows]


def decision_notes(store: ProgressStore, learner_id: int, scenario: str) -> dict[str, Note]:
    """The learner's notes on a scenario's decisions, by node id (for its debrief)."""
    prefix = f"{scenario}/"
    return {
        note.place.removeprefix(prefix): note
        for note in learner_notes(store, learner_id)
        if note.kind == DECISION and note.place.startswith(prefix)
    }
