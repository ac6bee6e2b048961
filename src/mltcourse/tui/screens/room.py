"""A served exercise seen from the room: a team's device and the presenter's view.

Both render a ``store.room.RoomView`` that the app hands down whenever the console commits;
they never see facilitator notes, and a tally's counts only once revealed. A team member
votes with a number key or a click; the vote goes up as a message (the app casts the ballot).
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.style import Style
from textual.widgets import Static

from ...store.room import RoomView, TeamView
from ..text import literal, prose

RATING_STYLE = {"success": "bold $success", "mixed": "bold $warning", "failure": "bold $error"}


class Vote(Message):
    """A team member's vote at the team's ``seq``-th decision."""

    def __init__(self, seq: int, choice: str) -> None:
        super().__init__()
        self.seq, self.choice = seq, choice


def _injects(team: TeamView) -> list[Content]:
    """The injects pushed to the team, latest first (the room hears of them as news)."""
    parts = []
    for title, text in reversed(team.pushed):
        parts += [literal(f"Inject: {title}", "bold $warning"), literal(prose(text))]
    return parts


def _bars(team: TeamView, width: int) -> list[Content]:
    """The revealed tally, one bar per open option (its text as the team reads it)."""
    counts = team.revealed or ()
    total = sum(n for _, n in counts) or 1
    top = max((n for _, n in counts), default=0)
    rows = []
    for number, ((_, votes), text) in enumerate(zip(counts, team.option_texts, strict=True), 1):
        filled = round(votes / total * width)
        lead = votes == top and votes > 0
        rows.append(
            Content.assemble(
                literal(f"{number}. ", "bold $accent"),
                literal(text, "bold" if lead else ""),
                "\n   ",
                ("█" * filled, "$success" if lead else "$accent"),
                ("░" * (width - filled), "$text-muted"),
                (f" {votes}", "bold"),
            )
        )
    return rows


class RoomScreen(Screen):
    """What both views share: a scrolling stage, filled by ``show``."""

    BINDINGS = [
        Binding("pagedown", "scroll(1)", "Scroll", show=False),
        Binding("pageup", "scroll(-1)", "Scroll", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Static(id="room-head")
        with VerticalScroll(id="room-stage", can_focus=False):
            yield Static(id="room-body")

    def waiting(self, message: str) -> None:
        self.query_one("#room-head", Static).update(literal(self.app.title, "bold"))
        self.query_one("#room-body", Static).update(literal(message, "$text-muted"))

    def show(self, room: RoomView, ballot: str | None) -> None:
        raise NotImplementedError

    def _fill(self, head: Content, body: list[Content]) -> None:
        self.query_one("#room-head", Static).update(head)
        self.query_one("#room-body", Static).update(Content("\n\n").join(body))

    def action_scroll(self, direction: int) -> None:
        stage = self.query_one("#room-stage", VerticalScroll)
        stage.scroll_page_down() if direction > 0 else stage.scroll_page_up()


class TeamDeviceScreen(RoomScreen):
    """One member's device: the team's scene, its options to vote on, its injects."""

    def __init__(self, team: int) -> None:
        super().__init__()
        self.position = team
        self.team: TeamView | None = None

    def show(self, room: RoomView, ballot: str | None) -> None:
        if self.position >= len(room.teams):
            self.waiting("This team is not in the exercise.")
            return
        self.team = team = room.teams[self.position]
        head = Content.assemble(
            literal(f"Team {team.name}", "bold $accent"),
            literal(f"  ·  {self.app.title}", "$text-muted"),
        )
        body = _injects(team)
        if team.node is None:
            ending = team.ending
            if ending is not None:
                body += [
                    literal(ending.title, RATING_STYLE.get(ending.rating, "bold")),
                    literal(prose(team.text)),
                ]
            body.append(literal("Your team has finished. Look at the projector.", "$text-muted"))
            self._fill(head, body)
            return
        body += [
            literal(f"Decision {team.seq}: {team.node.title}", "bold"),
            literal(prose(team.text)),
        ]
        options = zip(team.options, team.option_texts, strict=True)
        for number, (choice, text) in enumerate(options, 1):
            mine = choice.id == ballot
            mark = "● " if mine else "○ "
            style = Style.from_meta({"@click": f"screen.vote({number})"})
            body.append(
                Content.assemble(
                    (mark, "bold $success" if mine else "$text-muted"),
                    literal(f"{number}. ", "bold $accent"),
                    literal(text, "bold" if mine else ""),
                ).stylize(style)
            )
        if room.status != "open":
            status = literal("The exercise is no longer running.", "$text-muted")
        elif team.revealed is not None:
            status = literal("Votes revealed: the facilitator is deciding.", "bold $warning")
        elif ballot is None:
            status = literal("Vote with a number key (or click an option).", "$text-muted")
        else:
            status = literal(
                "Your vote is in, secret until the reveal. Another number changes it.",
                "$success",
            )
        body.append(status)
        if team.fired:
            events = ", ".join(inject.title for inject in team.fired)
            body.append(literal(f"Events so far: {events}", "$text-muted"))
        self._fill(head, body)

    def on_key(self, event: events.Key) -> None:
        if event.character and event.character.isdigit() and event.character != "0":
            event.stop()
            self.action_vote(int(event.character))

    def action_vote(self, number: int) -> None:
        team = self.team
        if team is None or not team.voting or not 0 < number <= len(team.options):
            return
        self.post_message(Vote(team.seq, team.options[number - 1].id))


class PresenterScreen(RoomScreen):
    """The projector: every team's progress, and the team on the console's screen in full,
    its revealed vote with it (the bars fit without scrolling)."""

    def show(self, room: RoomView, ballot: str | None) -> None:
        strip = []
        for team in room.teams:
            where = f"decision {team.seq}" if team.node is not None else "finished"
            style = "reverse bold" if team.position == room.current else "bold"
            strip.append(Content.assemble(literal(f" {team.name} ", style), f" {where}  "))
        head = Content.assemble(literal(f"{self.app.title}\n", "bold"), *strip)
        team = room.teams[min(room.current, len(room.teams) - 1)]
        body = []
        if team.last_text is not None:
            body.append(literal(f"Team {team.name} chose: {team.last_text}", "$text-muted"))
        body += _injects(team)[:2]
        if team.node is None:
            if team.ending is not None:
                body += [
                    literal(
                        f"Team {team.name}: {team.ending.title}",
                        RATING_STYLE.get(team.ending.rating, "bold"),
                    ),
                    literal(prose(team.text)),
                ]
            self._fill(head, body)
            return
        body.append(literal(f"Team {team.name} · decision {team.seq}: {team.node.title}", "bold"))
        if team.revealed is not None:  # the reveal first and in full: the room's moment
            width = max(10, self.size.width - 16)
            body.append(literal(f"Votes: {sum(n for _, n in team.revealed)}", "bold"))
            body += _bars(team, width)
        else:
            body.append(literal(prose(team.text)))
            body += [
                Content.assemble(literal(f"{n}. ", "bold $accent"), literal(text))
                for n, text in enumerate(team.option_texts, 1)
            ]
        self._fill(head, body)
