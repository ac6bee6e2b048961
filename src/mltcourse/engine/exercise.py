"""A group exercise: one scenario played by several teams at once, each on its own path.

Pure functions over immutable values, like ``state.py``: the facilitator's screen and the
store call them and keep the result. A team's decision is recorded directly, or comes from a
vote tally per open option. A tally stays hidden until the facilitator reveals it, so teams
voting later are not swayed; the team's choice is the majority, or the facilitator's call on
a tie (a tie-break) or against the vote (an override, which the screen confirms first). The
last decision of a team can be taken back; the store keeps it as a correction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from ..content.model import Scenario
from ..safetext import clean_name
from .push import Push, push_inject, pushes_of
from .state import Event, GameState, choose, new_game, open_choices
from .story import text_in

ROLES = (
    "SRSG",
    "DSRSG-RC/HC",
    "Force Commander",
    "Police Commissioner",
    "Chief of Staff",
    "Director of Mission Support",
)
MAX_TEAMS = 9

RECORDED, MAJORITY, FACILITATOR = "recorded", "majority", "facilitator"
HOW = (RECORDED, MAJORITY, FACILITATOR)
TIE_BREAK, OVERRIDE = "tie-break", "override"  # why the facilitator decided
REASONS = (TIE_BREAK, OVERRIDE)


class ExerciseError(ValueError):
    """A move the exercise does not allow: bad team names, a vote on a closed option, a tie."""


@dataclass(frozen=True, slots=True)
class Tally:
    """Votes per open option at one decision (in the order the options are shown)."""

    node: str
    counts: tuple[tuple[str, int], ...]
    revealed: bool = False

    @property
    def total(self) -> int:
        return sum(n for _, n in self.counts)

    @property
    def leaders(self) -> tuple[str, ...]:
        """The options with the most votes: one is a majority, several a tie."""
        if self.total == 0:
            return ()
        top = max(n for _, n in self.counts)
        return tuple(choice for choice, n in self.counts if n == top)

    def count(self, choice_id: str) -> int:
        return dict(self.counts).get(choice_id, 0)


@dataclass(frozen=True, slots=True)
class TeamDecision:
    node: str
    choice: str
    how: str  # recorded | majority | facilitator
    tally: Tally | None
    reason: str | None = None  # for the facilitator's call: tie-break | override


@dataclass(frozen=True, slots=True)
class Team:
    name: str
    state: GameState
    decisions: tuple[TeamDecision, ...] = ()  # one per decision in ``state``
    roles: tuple[tuple[str, str], ...] = ()  # (role, member), in the order of ROLES
    tally: Tally | None = None  # votes entered for the decision now open

    @property
    def finished(self) -> bool:
        return self.state.finished

    def member(self, role: str | None) -> str | None:
        return dict(self.roles).get(role) if role else None


@dataclass(frozen=True, slots=True)
class Exercise:
    scenario: str
    teams: tuple[Team, ...]
    countdown: int | None = None  # seconds per decision, if the facilitator wants a clock

    @property
    def finished(self) -> bool:
        return all(team.finished for team in self.teams)

    def index(self, name: str) -> int:
        for number, team in enumerate(self.teams):
            if team.name.casefold() == name.casefold():
                return number
        raise ExerciseError(f"no team named {name!r}")


def team_names(raw: str | Iterable[str]) -> tuple[str, ...]:
    """Team names from ``"Alpha,Bravo"`` or a list: cleaned, distinct, at least one."""
    parts = raw.split(",") if isinstance(raw, str) else list(raw)
    names = tuple(name for name in (clean_name(part) for part in parts) if name)
    if not names:
        raise ExerciseError("an exercise needs at least one team")
    if len(names) > MAX_TEAMS:
        raise ExerciseError(f"at most {MAX_TEAMS} teams")
    folded = [name.casefold() for name in names]
    if len(set(folded)) != len(folded):
        raise ExerciseError("team names must differ")
    return names


def new_exercise(
    scenario: Scenario, names: str | Iterable[str], countdown: int | None = None
) -> Exercise:
    if countdown is not None and countdown <= 0:
        raise ExerciseError("the countdown must be a positive number of seconds")
    start = new_game(scenario)
    return Exercise(scenario.id, tuple(Team(n, start) for n in team_names(names)), countdown)


def _with_team(exercise: Exercise, index: int, team: Team) -> Exercise:
    teams = list(exercise.teams)
    teams[index] = team
    return replace(exercise, teams=tuple(teams))


def assign_role(exercise: Exercise, index: int, role: str, member: str) -> Exercise:
    """Give a team member a role card; an empty name takes the card back."""
    if role not in ROLES:
        raise ExerciseError(f"unknown role {role!r} (roles: {', '.join(ROLES)})")
    team = exercise.teams[index]
    cards = dict(team.roles)
    member = " ".join(member.split())
    if member:
        cards[role] = member
    else:
        cards.pop(role, None)
    ordered = tuple((r, cards[r]) for r in ROLES if r in cards)
    return _with_team(exercise, index, replace(team, roles=ordered))


def decision_owner(scenario: Scenario, team: Team) -> tuple[str | None, str | None]:
    """(role, member) owning the team's open decision, from the scene's ``owner``."""
    if team.state.node is None:
        return None, None
    role = scenario.node(team.state.node).owner
    return role, team.member(role)


def enter_tally(
    scenario: Scenario, exercise: Exercise, index: int, counts: Mapping[str, int]
) -> Exercise:
    """Votes per open option for a team's open decision, kept hidden until revealed."""
    team = exercise.teams[index]
    if team.finished:
        raise ExerciseError(f"team {team.name} has finished the scenario")
    options = [c.id for c in open_choices(scenario, team.state)]
    unknown = sorted(set(counts) - set(options))
    if unknown:
        raise ExerciseError(f"not open here: {', '.join(unknown)}")
    if any(not isinstance(n, int) or n < 0 for n in counts.values()):
        raise ExerciseError("votes are whole numbers, zero or more")
    tally = Tally(team.state.node, tuple((c, counts.get(c, 0)) for c in options))
    if tally.total == 0:
        raise ExerciseError("a tally needs at least one vote")
    return _with_team(exercise, index, replace(team, tally=tally))


def reveal_tally(exercise: Exercise, index: int) -> Exercise:
    team = exercise.teams[index]
    if team.tally is None:
        raise ExerciseError(f"no votes entered for team {team.name}")
    return _with_team(exercise, index, replace(team, tally=replace(team.tally, revealed=True)))


def apply_decision(
    scenario: Scenario,
    team: Team,
    choice_id: str,
    how: str,
    tally: Tally | None,
    reason: str | None = None,
) -> Team:
    """Move a team on by one decision (IllegalMove if the choice is not open)."""
    if how not in HOW:
        raise ExerciseError(f"unknown way of deciding {how!r}")
    if reason is not None and reason not in REASONS:
        raise ExerciseError(f"unknown reason for the facilitator's call {reason!r}")
    node = team.state.node
    state = choose(scenario, team.state, choice_id)
    decision = TeamDecision(node or "", choice_id, how, tally, reason)
    return replace(team, state=state, decisions=team.decisions + (decision,), tally=None)


def facilitator_reason(tally: Tally | None, choice_id: str) -> str | None:
    """Why a choice is the facilitator's call: a tie broken, or the vote overridden; None when
    no vote was entered or the choice is the majority."""
    if tally is None or tally.leaders == (choice_id,):
        return None
    leaders = tally.leaders
    return TIE_BREAK if len(leaders) > 1 and choice_id in leaders else OVERRIDE


def against_majority(exercise: Exercise, index: int, choice_id: str) -> bool:
    """Whether recording this choice would override a team's clear majority (one option
    ahead of every other): the screen asks before it does."""
    tally = exercise.teams[index].tally
    return tally is not None and len(tally.leaders) == 1 and tally.leaders != (choice_id,)


def record_choice(scenario: Scenario, exercise: Exercise, index: int, choice_id: str) -> Exercise:
    """The team's choice as the facilitator records it.

    With votes entered, picking the unique leader is the majority; anything else (a tie
    broken, the vote overridden) is the facilitator's call. The tally is revealed with it.
    """
    team = exercise.teams[index]
    tally = team.tally
    reason = facilitator_reason(tally, choice_id)
    if tally is None:
        how = RECORDED
    else:
        how = FACILITATOR if reason else MAJORITY
        tally = replace(tally, revealed=True)
    team = apply_decision(scenario, team, choice_id, how, tally, reason)
    return _with_team(exercise, index, team)


def decide_by_majority(scenario: Scenario, exercise: Exercise, index: int) -> Exercise:
    """Apply the option with the most votes; on a tie the facilitator must call it."""
    team = exercise.teams[index]
    if team.tally is None:
        raise ExerciseError(f"no votes entered for team {team.name}")
    leaders = team.tally.leaders
    if len(leaders) != 1:
        node = team.tally.node
        tied = " and ".join(
            f"“{text_in(scenario.choice(node, c).text, team.state)}”" for c in leaders
        )
        raise ExerciseError(f"a tie between {tied}: the facilitator decides")
    return record_choice(scenario, exercise, index, leaders[0])


def undo_last(scenario: Scenario, exercise: Exercise, index: int) -> tuple[Exercise, TeamDecision]:
    """Take back a team's last decision: the team is where it stood before it, with the
    decision's votes (if any) back as its pending tally, revealed, so the call can be made
    again. Returns the exercise and the decision taken back."""
    team = exercise.teams[index]
    if not team.decisions:
        raise ExerciseError(f"team {team.name} has no decision to take back")
    if last_push(team) is not None:
        raise ExerciseError(f"an inject was pushed to team {team.name} after its last decision")
    undone = team.decisions[-1]
    again, _ = replay_team(scenario, team, team.decisions[:-1], pushes_of(team.state))
    again = replace(again, tally=undone.tally)
    return _with_team(exercise, index, again), undone


def replay_team(
    scenario: Scenario, team: Team, decisions: tuple[TeamDecision, ...], pushes: tuple[Push, ...]
) -> tuple[Team, int]:
    """``team`` (its name and role cards) played again from the start: the decisions, each
    inject pushed before the decision that followed it. Stops at the first decision or push
    that no longer fits the scenario (an edit since); returns the team and how many of the
    decisions it holds (its state's events say which pushes it holds)."""
    again = Team(team.name, new_game(scenario), roles=team.roles)
    for made in range(len(decisions) + 1):
        for after, inject_id in pushes:
            if after != made:
                continue
            try:
                again = replace(again, state=push_inject(scenario, again.state, inject_id))
            except (ValueError, KeyError):
                return again, made
        if made == len(decisions):
            break
        decision = decisions[made]
        try:
            again = apply_decision(
                scenario, again, decision.choice, decision.how, decision.tally, decision.reason
            )
        except (ValueError, KeyError):
            return again, made
    return again, len(decisions)


def last_push(team: Team) -> Event | None:
    """The latest inject pushed to the team since its last decision: what undo takes back
    first, since it came after that decision."""
    pushed = [e for e in team.state.events if e.pushed and e.after == len(team.decisions)]
    return pushed[-1] if pushed else None


def push_to_team(scenario: Scenario, exercise: Exercise, index: int, inject_id: str) -> Exercise:
    """Fire one of the scenario's injects in a team's play now (IllegalMove, in words, when
    it cannot be). Votes entered for the decision it interrupts, or whose options it
    changes, are set aside: the team votes again on what is open now."""
    team = exercise.teams[index]
    state = push_inject(scenario, team.state, inject_id)
    tally = team.tally
    if tally is not None and (
        state.node != tally.node
        or [c.id for c in open_choices(scenario, state)] != [c for c, _ in tally.counts]
    ):
        tally = None
    return _with_team(exercise, index, replace(team, state=state, tally=tally))


def take_back_push(scenario: Scenario, exercise: Exercise, index: int) -> tuple[Exercise, str]:
    """Undo the latest inject pushed to a team since its last decision: the team is where it
    stood before it, with no pending votes. Returns the exercise and the inject's id."""
    team = exercise.teams[index]
    undone = last_push(team)
    if undone is None:
        raise ExerciseError(f"no inject pushed to team {team.name} since its last decision")
    kept = tuple(p for p in pushes_of(team.state) if p != (undone.after, undone.inject))
    again, _ = replay_team(scenario, team, team.decisions, kept)
    return _with_team(exercise, index, again), undone.inject
