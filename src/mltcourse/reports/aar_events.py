"""The events of each team's play for the after-action review: the injects that happened,
on their own (their condition met) or pushed by the facilitator at a moment of their
choosing, and the pushes taken back. A team's handout says which was which and when."""

from __future__ import annotations

from dataclasses import dataclass

from ..content.model import Scenario
from ..engine.push import moment, state_after
from ..engine.state import GameState
from ..engine.story import text_in
from ..store.exercise_records import TeamRecord


@dataclass(frozen=True)
class TeamEvent:
    inject: str
    title: str
    after: int  # the team's decisions made before it
    pushed: bool  # by the facilitator; False: its condition was met
    at: float | None = None  # when it was pushed, if the store says
    taken_back: float | None = None  # when a push was undone (it is not in the play)


def team_events(
    scenario: Scenario, state: GameState, record: TeamRecord | None = None
) -> tuple[TeamEvent, ...]:
    """The injects of a team's play in order, then the pushes taken back; each title read in
    the state after the decisions before it (a push taken back: of the play as it stands)."""
    titles = {inject.id: inject.title for inject in scenario.injects}

    def title_of(inject: str, after: int) -> str:
        title = titles.get(inject, inject)
        made = min(after, len(state.decisions))
        return text_in(title, state_after(scenario, state, made)) if inject in titles else title

    standing = [p for p in record.pushes if p.taken_back is None] if record else []
    times = iter(p.pushed for p in standing)
    events = []
    for event in state.events:
        at = next(times, None) if event.pushed else None
        title = title_of(event.inject, event.after)
        events.append(TeamEvent(event.inject, title, event.after, event.pushed, at))
    for push in record.pushes if record else ():
        if push.taken_back is not None:
            title = title_of(push.inject, push.decisions)
            events.append(
                TeamEvent(push.inject, title, push.decisions, True, push.pushed, push.taken_back)
            )
    return tuple(events)


def event_sentence(event: TeamEvent, clock) -> str:
    """``“The gap shows”, pushed by the facilitator after decision 1 (14:05).``; ``clock``
    turns a time into its words."""
    when = moment(event.after)
    at = f" ({clock(event.at)})" if event.at is not None else ""
    if event.taken_back is not None:
        return (
            f"“{event.title}” pushed by the facilitator {when}{at}, then taken back "
            f"({clock(event.taken_back)}): it is not part of the play."
        )
    if event.pushed:
        return f"“{event.title}” pushed by the facilitator {when}{at}."
    return f"“{event.title}” happened {when}, its condition met."
