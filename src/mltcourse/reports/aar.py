"""The hot wash and after-action review of a group exercise: the teams side by side.

A plain record built from the exercise and the course (paths, endings, principle profiles,
risk ledgers, the vote split at every decision) and the discussion prompts a facilitator
needs: the decisions where teams went different ways or passed over the doctrine-best option,
with the feedback and the author's facilitator notes. Options, risks and sections go by their
titles. Every text of the story is read in the state it was shown in (``text_in``): a team's
steps in that team's state before each decision; a prompt, which speaks of several teams, as
``aar_prompts`` says. The prompts are in ``aar_prompts``, the Markdown in ``aar_markdown``, the
HTML page in ``aar_html``, the CSV and the files in ``aar_files``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from ..content.model import Course, Scenario
from ..engine.exercise import Exercise, Team, decision_owner
from ..engine.push import state_after
from ..engine.scoring import RiskLedger, risk_ledger, score
from ..engine.state import GameState, new_game
from ..engine.story import text_in
from ..store.exercise_records import ExerciseRecord, TeamRecord
from .aar_events import TeamEvent, team_events
from .aar_prompts import Prompt, discussion_prompts, option_label


@dataclass(frozen=True)
class TeamStep:
    number: int
    node: str
    node_title: str
    is_inject: bool
    owner: str | None
    owner_member: str | None
    choice: str
    choice_text: str
    how: str
    votes: tuple[tuple[str, str, int], ...]  # (choice id, choice text, votes); () if none
    quality: float | None
    best: tuple[str, ...]
    state: GameState = field(repr=False)  # the one the decision was taken in, its texts read in it
    reason: str | None = None  # tie-break | override, for the facilitator's call
    made: float | None = None  # when it was recorded, if the store says
    pushed: bool = False  # the decision of an inject the facilitator pushed

    @property
    def heading(self) -> str:
        """The decision's title as the review lists it (a pushed inject says so)."""
        return f"{self.node_title} (pushed)" if self.pushed else self.node_title

    @property
    def option_number(self) -> int:
        """The chosen option's number as the room saw it (1 if no vote was taken)."""
        ids = [c for c, _, _ in self.votes]
        return ids.index(self.choice) + 1 if self.choice in ids else 1

    @property
    def decided_by(self) -> str:
        """``majority vote``, ``facilitator's call (override)`` and so on."""
        label = HOW_LABELS[self.how]
        return f"{label} ({self.reason})" if self.reason else label

    @property
    def doctrine_best(self) -> bool:
        return self.choice in self.best


@dataclass(frozen=True)
class TeamReview:
    name: str
    roles: tuple[tuple[str, str], ...]
    finished: bool
    ending_title: str
    ending_text: str
    rating: str | None
    overall: float | None
    principles: dict[str, float]
    ledger: RiskLedger
    steps: tuple[TeamStep, ...]
    indicators: tuple[tuple[str, float, float], ...]  # (label, start, end)
    corrections: tuple[tuple[int, str, str, str | None], ...] = ()
    # (decision number, decision title, option taken back, option that replaced it)
    events: tuple[TeamEvent, ...] = ()  # the injects of its play, pushed or on their own


@dataclass(frozen=True)
class ExerciseFacts:
    """Who ran the exercise and when: the handout's header."""

    number: int | None = None
    started: float | None = None
    ended: float | None = None  # the last decision, if every team finished
    facilitator: str | None = None
    countdown: int | None = None
    exported: float = field(default_factory=lambda: datetime.now().timestamp())


@dataclass(frozen=True)
class AfterAction:
    scenario: Scenario
    teams: tuple[TeamReview, ...]
    prompts: tuple[Prompt, ...]
    principle_titles: dict[str, str]
    risk_titles: dict[str, str]
    facts: ExerciseFacts = field(default_factory=ExerciseFacts)


def decision_states(scenario: Scenario, state: GameState) -> list[GameState]:
    """The state each decision of a play was taken in, the injects pushed to it in place."""
    return [state_after(scenario, state, made) for made in range(len(state.decisions))]


def _steps(scenario: Scenario, team: Team, times: tuple[float, ...]) -> tuple[TeamStep, ...]:
    scored = score(scenario, team.state).decisions
    pushed = {e.inject for e in team.state.events if e.pushed}
    befores = decision_states(scenario, team.state)
    steps = []
    for number, (decision, judged, before) in enumerate(
        zip(team.decisions, scored, befores, strict=True), 1
    ):
        node = scenario.node(decision.node)
        choice = scenario.choice(decision.node, decision.choice)
        votes = ()
        if decision.tally is not None:
            votes = tuple(
                (c, text_in(scenario.choice(decision.node, c).text, before), n)
                for c, n in decision.tally.counts
            )
        owner = node.owner
        steps.append(
            TeamStep(
                number=number,
                node=node.id,
                node_title=text_in(node.title, before),
                is_inject=node.id not in scenario.scenes,
                owner=owner,
                owner_member=team.member(owner),
                choice=choice.id,
                choice_text=text_in(choice.text, before),
                how=decision.how,
                votes=votes,
                quality=judged.quality,
                best=judged.best,
                state=before,
                reason=decision.reason,
                made=times[number - 1] if number <= len(times) else None,
                pushed=node.id in pushed,
            )
        )
    return tuple(steps)


def _corrections(
    scenario: Scenario, record: ExerciseRecord | None, position: int, team: Team
) -> tuple:
    """The decisions taken back, read in the state before them while the decisions before
    them still stand in the play, else in the scenario's start."""
    if record is None or position >= len(record.teams):
        return ()
    out = []
    for fix in record.teams[position].corrections:
        try:
            node = scenario.node(fix.node)
            old = scenario.choice(fix.node, fix.old.choice).text
            new = scenario.choice(fix.node, fix.new_choice).text if fix.new_choice else None
        except KeyError:  # the scenario was edited since
            continue
        before = (
            state_after(scenario, team.state, fix.seq - 1)
            if len(team.state.decisions) >= fix.seq - 1
            else new_game(scenario)
        )
        new = text_in(new, before) if new is not None else None
        out.append((fix.seq, text_in(node.title, before), text_in(old, before), new))
    return tuple(out)


def _review(
    scenario: Scenario,
    team: Team,
    times: tuple[float, ...] = (),
    corrections: tuple = (),
    record: TeamRecord | None = None,
) -> TeamReview:
    scored = score(scenario, team.state)
    ending = next((e for e in scenario.endings if e.id == team.state.ending), None)
    indicators = tuple(
        (ind.label, ind.start, team.state.value.get(name, ind.start))
        for name, ind in scenario.indicators.items()
    )
    if ending is None:
        role, member = decision_owner(scenario, team)
        where = text_in(scenario.node(team.state.node).title, team.state) if team.state.node else ""
        waiting = f" ({role}: {member or 'unassigned'})" if role else ""
        title, text = "Not finished", f"Stopped at: {where}{waiting}"
    else:
        title, text = text_in(ending.title, team.state), text_in(ending.text, team.state)
    return TeamReview(
        name=team.name,
        roles=team.roles,
        finished=team.finished,
        ending_title=title,
        ending_text=text,
        rating=ending.rating if ending else None,
        overall=scored.overall,
        principles=scored.principles,
        ledger=risk_ledger(scenario, team.state),
        steps=_steps(scenario, team, times),
        indicators=indicators,
        corrections=corrections,
        events=team_events(scenario, team.state, record),
    )


def build_after_action(
    course: Course, scenario: Scenario, exercise: Exercise, record: ExerciseRecord | None = None
) -> AfterAction:
    """The review of an exercise; its record (from the store) adds who, when, the time of
    each decision and push, and the decisions and pushes taken back."""
    teams = tuple(
        _review(
            scenario,
            team,
            tuple(d.made for d in record.teams[i].decisions) if record else (),
            _corrections(scenario, record, i, team),
            record.teams[i] if record and i < len(record.teams) else None,
        )
        for i, team in enumerate(exercise.teams)
    )
    used = sorted({p for team in teams for p in team.principles})
    principle_titles = {
        p: course.principles[p].title if p in course.principles else p for p in used
    }
    risks = course.risks
    risk_ids = {
        r
        for team in teams
        for r in (*team.ledger.raised, *team.ledger.mitigated, *team.ledger.materialized)
    }
    risk_titles = {r: risks[r].title if r in risks else r for r in sorted(risk_ids)}
    facts = ExerciseFacts()
    if record is not None:
        ended = max((d.made for t in record.teams for d in t.decisions), default=None)
        facts = ExerciseFacts(
            number=record.id,
            started=record.started,
            ended=ended if exercise.finished else None,
            facilitator=record.facilitator,
            countdown=record.countdown,
        )
    prompts = discussion_prompts(scenario, teams)
    return AfterAction(scenario, teams, prompts, principle_titles, risk_titles, facts)


def percent(value: float | None) -> str:
    return "n/a" if value is None else f"{round(value * 100)} %"


def vote_split(step: TeamStep) -> str:
    """``Consult partners 5 · Act alone 3``; a dash when no vote was taken."""
    if not step.votes:
        return "—"
    return " · ".join(f"{option_label(text)} {n}" for _, text, n in step.votes)


def vote_numbers(step: TeamStep) -> str:
    """``1:5 2:3``: votes by option number, for narrow tables; a dash when none."""
    if not step.votes:
        return "—"
    return " ".join(f"{number}:{n}" for number, (_, _, n) in enumerate(step.votes, 1))


def when(seconds: float | None, with_date: bool = True) -> str:
    """A local date and time as a handout shows it: ``2 Dec 2026 14:05``, or ``14:05``."""
    if seconds is None:
        return ""
    moment = datetime.fromtimestamp(seconds)
    return f"{moment.day} {moment:%b %Y %H:%M}" if with_date else f"{moment:%H:%M}"


def header_facts(review: AfterAction) -> list[tuple[str, str]]:
    """(label, value) pairs for the top of a handout: exercise, date, facilitator, clock."""
    facts = review.facts
    rows = []
    if facts.number is not None:
        rows.append(("Exercise", f"no. {facts.number}"))
    if facts.started is not None:
        span = when(facts.started)
        if facts.ended is not None:
            day = datetime.fromtimestamp(facts.started).date()
            same_day = datetime.fromtimestamp(facts.ended).date() == day
            span += f" – {when(facts.ended, with_date=not same_day)}"
        rows.append(("Date", span))
    if facts.facilitator:
        rows.append(("Facilitator", facts.facilitator))
    if facts.countdown:
        rows.append(("Clock", f"{facts.countdown} s per decision"))
    rows.append(("Teams", ", ".join(team.name for team in review.teams)))
    rows.append(("Exported", when(facts.exported)))
    return rows


HOW_LABELS = {
    "recorded": "recorded",
    "majority": "majority vote",
    "facilitator": "facilitator's call",
}


def after_action_of(course: Course, record: ExerciseRecord) -> AfterAction | None:
    """The review of a stored exercise (finished or not); None if its scenario is gone."""
    from ..store.exercises import rebuild_team

    scenario = course.scenarios.get(record.scenario)
    if scenario is None:
        return None
    teams = tuple(rebuild_team(scenario, team)[0] for team in record.teams)
    exercise = Exercise(scenario.id, teams, record.countdown)
    return build_after_action(course, scenario, exercise, record)
