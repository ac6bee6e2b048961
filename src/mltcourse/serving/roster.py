"""The class as the trainer's terminal shows it while ``mltcourse serve`` runs.

Who is connected (the server's own sessions), who studies at each seat, where they are, how
many knowledge checks they have passed and their best scenario scores (the store). The store
is read every few seconds and the table written again when it has changed. Every name and
place is cleaned before it is printed."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable

from ..safetext import clean
from ..store.classroom import SeatRow
from .tokens import PRESENTER, SEAT, team_of

REFRESH = 2.0  # seconds between looks at the store
WIDTHS = (4, 22, 34, 6)


def _cut(text: str, width: int) -> str:
    text = clean(text).replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


def _where(row: SeatRow) -> str:
    if row.learner is None:
        return "signing in"
    if row.shown:
        return row.shown
    place = row.place
    if place is None:
        return "course map"
    return f"{place.kind}: {place.target}" + (f" #{place.anchor}" if place.anchor else "")


def roster_lines(
    rows: Iterable[SeatRow],
    connected: dict[str, str],
    teams: tuple[str, ...] = (),
) -> list[str]:
    """The roster as lines of text: ``connected`` maps each connected seat to its role."""
    rows = list(rows)
    numbers = {row.seat: n for n, row in enumerate(rows, 1)}
    here = [row.learner for row in rows if row.learner and connected.get(row.seat) == SEAT]
    stamp = time.strftime("%H:%M:%S")
    lines = [f"Class at {stamp}: {len(connected)} connected", ""]
    header = ("Seat", "Learner", "Where", "Checks")
    lines.append("  ".join(h.ljust(w) for h, w in zip(header, WIDTHS, strict=True)) + "  Best")
    for row in rows:
        role = connected.get(row.seat)
        if role is None:
            continue
        team = team_of(role)
        if team is not None:
            name = f"device, team {teams[team]}" if team < len(teams) else "team device"
            cells = (str(numbers[row.seat]), name, "voting", "", "")
        else:
            where = _where(row)
            scores = ", ".join(f"{s} {q:.0%}" for s, q in row.scores) or "-"
            name = row.learner or "-"
            if here.count(row.learner) > 1:  # one learner at two seats: someone without a PIN?
                name += f" (on {here.count(row.learner)} seats)"
            cells = (str(numbers[row.seat]), name, where, str(row.checks_passed))
            cells = (*cells, scores)
        widths = (*WIDTHS, 60)
        shown = (_cut(c, w).ljust(w) for c, w in zip(cells, widths, strict=True))
        lines.append("  ".join(shown).rstrip())
    known = {row.seat for row in rows}
    arriving = sum(1 for seat, role in connected.items() if role == SEAT and seat not in known)
    if arriving:
        lines.append(f"{arriving} more at the sign-in (who is studying?)")
    presenters = sum(1 for role in connected.values() if role == PRESENTER)
    if presenters:
        lines.append(f"Presenter view: {presenters} open")
    if not any(role == SEAT or team_of(role) is not None for role in connected.values()):
        lines.append("(nobody yet: share the join link)")
    return lines


class RosterBoard:
    """Where the roster goes: written again each time it changes (not redrawn in place: the
    server's warnings share the terminal and would be overwritten)."""

    def __init__(self, out=None) -> None:
        self.out = out or sys.stdout
        self.last: list[str] | None = None

    def show(self, lines: list[str]) -> None:
        body = lines[1:]  # the first line holds the time: not a change
        if body == self.last:
            return
        self.out.write("\n".join(lines) + "\n\n")
        self.out.flush()
        self.last = body
