"""Widgets of the facilitation screen: the team strip, role cards, the vote tally and the
decision clock. They render what they are given (reactive attributes set by the screen) and
hold no state of their own beyond what they show."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Digits, Static

from ...engine.clock import Countdown, shown
from ...engine.exercise import ROLES, Tally
from ..text import literal


@dataclass(frozen=True)
class TeamTab:
    name: str
    status: str  # "decision 2", "votes in", "finished: Good"
    current: bool
    finished: bool


class TeamStrip(Widget):
    """Every team, the one on screen highlighted, so the room sees whose turn it is."""

    DEFAULT_CSS = """
    TeamStrip {
        height: auto;
    }
    """

    tabs: reactive[tuple[TeamTab, ...]] = reactive((), layout=True)

    def render(self) -> Content:
        parts = []
        for tab in self.tabs:
            style = "bold reverse $accent" if tab.current else "bold"
            mark = "✓ " if tab.finished else ""
            parts.append(
                Content.assemble(
                    literal(f" {mark}{tab.name} ", style), literal(f" {tab.status}", "$text-muted")
                )
            )
        return Content("   ").join(parts)


class RoleCards(Widget):
    """The six MLT roles and who holds each; the role that owns the open decision stands out."""

    DEFAULT_CSS = """
    RoleCards {
        height: auto;
    }
    """

    roles: reactive[tuple[tuple[str, str], ...]] = reactive((), layout=True)
    owner: reactive[str | None] = reactive(None)

    def render(self) -> Content:
        held = dict(self.roles)
        rows = []
        known = ROLES + tuple(r for r in (self.owner,) if r and r not in ROLES)
        for role in known:
            member = held.get(role, "—")
            if role == self.owner:
                rows.append(
                    Content.assemble(
                        literal(f"▶ {role}", "bold reverse $warning"),
                        literal(f"  {member}", "bold"),
                        literal("  owns this decision", "$warning"),
                    )
                )
            else:
                rows.append(Content.assemble(literal(f"  {role}", "bold"), literal(f"  {member}")))
        return Content("\n").join(rows)


@dataclass(frozen=True)
class TallyRow:
    number: int
    text: str
    votes: int


class TallyView(Widget):
    """A team's votes per option: hidden (only that they are in) until revealed."""

    DEFAULT_CSS = """
    TallyView {
        height: auto;
    }
    """

    tally: reactive[Tally | None] = reactive(None, layout=True)
    rows: reactive[tuple[TallyRow, ...]] = reactive((), layout=True)

    def render(self) -> Content:
        tally = self.tally
        if tally is None:
            return literal("No votes entered (v enters a tally).", "$text-muted")
        if not tally.revealed:
            return Content.assemble(
                literal(f"{tally.total} votes in, hidden", "bold $warning"),
                literal("  (r reveals them)", "$text-muted"),
            )
        width = max(10, self.content_size.width - 12)
        leaders = tally.leaders
        lines = [literal(f"Votes: {tally.total}", "bold")]
        for row in self.rows:
            share = row.votes / tally.total if tally.total else 0
            filled = round(share * width)
            lead = len(leaders) == 1 and tally.counts[row.number - 1][0] == leaders[0]
            lines.append(
                Content.assemble(
                    literal(f"{row.number}. ", "bold $accent"),
                    literal(row.text, "bold" if lead else ""),
                    "\n   ",
                    ("█" * filled, "$success" if lead else "$accent"),
                    ("░" * (width - filled), "$text-muted"),
                    (f" {row.votes}", "bold"),
                )
            )
        if len(leaders) > 1:
            lines.append(literal("A tie: press the number of the facilitator's call.", "$warning"))
        else:
            lines.append(
                literal(
                    "Enter applies the majority; a number key overrides it (asked first).",
                    "$text-muted",
                )
            )
        return Content("\n").join(lines)


class DecisionClock(Widget):
    """A team's countdown as the room sees it: the time left, and whether it is running.

    Each team has its own clock (``engine.clock``), kept by the exercise core; this widget
    only shows the one of the team on screen."""

    DEFAULT_CSS = """
    DecisionClock {
        height: auto;
    }
    DecisionClock Digits {
        width: auto;
    }
    DecisionClock.-expired Digits {
        color: $error;
    }
    """

    seconds: reactive[int] = reactive(0)  # whole seconds left, as shown

    def __init__(self, limit: int | None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.display = limit is not None

    def compose(self) -> ComposeResult:
        yield Static(literal("Time left", "$text-muted"), id="clock-state")
        yield Digits("")

    def show(self, clock: Countdown | None, moment: float) -> None:
        """The clock of the team on screen at ``moment`` (None: no countdown)."""
        self.display = clock is not None
        if clock is None:
            return
        left = clock.remaining(moment)
        self.seconds = int(-(-left // 1))
        expired = left <= 0
        self.set_class(expired, "-expired")
        state = "time is up" if expired else "running" if clock.running else "paused (c starts)"
        self.query_one("#clock-state", Static).update(
            literal(f"Time left · {state}", "$error" if expired else "$text-muted")
        )
        self.query_one(Digits).update(shown(left))
