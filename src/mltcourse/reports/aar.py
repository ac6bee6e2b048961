"""The hot wash and after-action review of a group exercise: the teams side by side.

A plain record built from the exercise and the course (paths, endings, principle profiles,
risk ledgers, the vote split at every decision) and the discussion prompts a facilitator
needs: the decisions where teams went different ways or passed over the doctrine-best option,
with the feedback and the author's facilitator notes. Rendered here as Markdown and CSV; the
HTML page is in ``aar_html``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from ..content.model import Course, Scenario
from ..engine.exercise import Exercise, Team, decision_owner
from ..engine.scoring import RiskLedger, risk_ledger, score
from ..safetext import clean


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


@dataclass(frozen=True)
class Prompt:
    node: str
    title: str
    diverged: bool
    against_doctrine: tuple[str, ...]  # teams that passed over the doctrine-best option
    question: str
    choices: tuple[tuple[str, str, str], ...]  # (teams, choice text, feedback)
    best_text: str
    best_feedback: str
    notes: tuple[str, ...]  # facilitator notes: the scene's, then each chosen option's


@dataclass(frozen=True)
class AfterAction:
    scenario: Scenario
    teams: tuple[TeamReview, ...]
    prompts: tuple[Prompt, ...]
    principle_titles: dict[str, str]
    risk_titles: dict[str, str]


def _steps(scenario: Scenario, team: Team) -> tuple[TeamStep, ...]:
    scored = score(scenario, team.state).decisions
    steps = []
    for number, (decision, judged) in enumerate(zip(team.decisions, scored, strict=True), 1):
        node = scenario.node(decision.node)
        choice = scenario.choice(decision.node, decision.choice)
        votes = ()
        if decision.tally is not None:
            votes = tuple(
                (c, scenario.choice(decision.node, c).text, n) for c, n in decision.tally.counts
            )
        owner = node.owner
        steps.append(
            TeamStep(
                number=number,
                node=node.id,
                node_title=node.title,
                is_inject=node.id not in scenario.scenes,
                owner=owner,
                owner_member=team.member(owner),
                choice=choice.id,
                choice_text=choice.text,
                how=decision.how,
                votes=votes,
                quality=judged.quality,
                best=judged.best,
            )
        )
    return tuple(steps)


def _review(scenario: Scenario, team: Team) -> TeamReview:
    scored = score(scenario, team.state)
    ending = next((e for e in scenario.endings if e.id == team.state.ending), None)
    indicators = tuple(
        (ind.label, ind.start, team.state.value.get(name, ind.start))
        for name, ind in scenario.indicators.items()
    )
    if ending is None:
        role, member = decision_owner(scenario, team)
        where = scenario.node(team.state.node).title if team.state.node else ""
        waiting = f" ({role}: {member or 'unassigned'})" if role else ""
        title, text = "Not finished", f"Stopped at: {where}{waiting}"
    else:
        title, text = ending.title, ending.text
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
        steps=_steps(scenario, team),
        indicators=indicators,
    )


def _prompts(scenario: Scenario, teams: tuple[TeamReview, ...]) -> tuple[Prompt, ...]:
    """A prompt for each decision where teams diverged or passed over the doctrine-best
    option, in the order the decisions were first met."""
    order: list[str] = []
    taken: dict[str, list[tuple[str, TeamStep]]] = {}
    for team in teams:
        for step in team.steps:
            if step.node not in taken:
                order.append(step.node)
            taken.setdefault(step.node, []).append((team.name, step))
    prompts = []
    for node_id in order:
        steps = taken[node_id]
        chosen: dict[str, list[str]] = {}
        for name, step in steps:
            chosen.setdefault(step.choice, []).append(name)
        diverged = len(chosen) > 1
        against = tuple(name for name, step in steps if not step.doctrine_best)
        if not diverged and not against:
            continue
        node = scenario.node(node_id)
        best = scenario.choice(node_id, steps[0][1].best[0])
        question = _question(node.title, chosen, against, best.text, scenario, node_id)
        notes = [node.notes] if node.notes else []
        for choice_id in chosen:
            choice_notes = scenario.choice(node_id, choice_id).notes
            if choice_notes:
                notes.append(choice_notes)
        prompts.append(
            Prompt(
                node=node_id,
                title=node.title,
                diverged=diverged,
                against_doctrine=against,
                question=question,
                choices=tuple(
                    (
                        ", ".join(names),
                        scenario.choice(node_id, c).text,
                        scenario.choice(node_id, c).feedback,
                    )
                    for c, names in chosen.items()
                ),
                best_text=best.text,
                best_feedback=best.feedback,
                notes=tuple(notes),
            )
        )
    return tuple(prompts)


def _question(
    title: str,
    chosen: dict[str, list[str]],
    against: tuple[str, ...],
    best_text: str,
    scenario: Scenario,
    node_id: str,
) -> str:
    parts = []
    if len(chosen) > 1:
        split = "; ".join(
            f"{', '.join(names)}: {scenario.choice(node_id, c).text}" for c, names in chosen.items()
        )
        parts.append(
            f"At “{title}” the teams went different ways ({split}). What did each team weigh, "
            "and what did its choice cost?"
        )
    if against:
        parts.append(
            f"{', '.join(against)} passed over the doctrine-best option (“{best_text}”). "
            "What would it have taken to choose it, and was the trade worth it?"
        )
    return " ".join(parts)


def build_after_action(course: Course, scenario: Scenario, exercise: Exercise) -> AfterAction:
    teams = tuple(_review(scenario, team) for team in exercise.teams)
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
    return AfterAction(scenario, teams, _prompts(scenario, teams), principle_titles, risk_titles)


def percent(value: float | None) -> str:
    return "n/a" if value is None else f"{round(value * 100)} %"


def vote_split(step: TeamStep) -> str:
    """``consult 5 · alone 3``; a dash when the team's choice was recorded without a vote."""
    if not step.votes:
        return "—"
    return " · ".join(f"{c} {n}" for c, _, n in step.votes)


HOW_LABELS = {
    "recorded": "recorded",
    "majority": "majority vote",
    "facilitator": "facilitator's call",
}


def _cell(text: str) -> str:
    """Content and names as literal Markdown: no markup, raw HTML or table breaks."""
    from .markdown import md

    return md(text)


def after_action_markdown(review: AfterAction) -> str:
    scenario = review.scenario
    names = [team.name for team in review.teams]
    lines = [
        f"# After-action review: {_cell(scenario.title)}",
        "",
        f"**Teams:** {_cell(', '.join(names))}  ",
        f"**Setting:** {_cell(scenario.setting)}",
        "",
        "## Outcomes",
        "",
        "| team | ending | rating | decision quality | decisions |",
        "|---|---|---|---|---|",
    ]
    for team in review.teams:
        lines.append(
            f"| {_cell(team.name)} | {_cell(team.ending_title)} | {team.rating or 'unfinished'} "
            f"| {percent(team.overall)} | {len(team.steps)} |"
        )
    lines += ["", "## Principle profiles", ""]
    lines.append("| principle | " + " | ".join(_cell(n) for n in names) + " |")
    lines.append("|---|" + "---|" * len(names))
    for principle, title in review.principle_titles.items():
        row = [percent(team.principles.get(principle)) for team in review.teams]
        lines.append(f"| {_cell(title)} | " + " | ".join(row) + " |")
    lines += ["", "## Risk ledgers", ""]
    for team in review.teams:
        lines.append(f"### {_cell(team.name)}")
        lines.append("")
        for label, ids in team.ledger.sections():
            titles = ", ".join(_cell(review.risk_titles[r]) for r in ids) or "none"
            lines.append(f"- **{label}:** {titles}")
        lines.append("")
    lines += ["## Paths and votes", ""]
    for team in review.teams:
        lines.append(f"### {_cell(team.name)}")
        lines.append("")
        if team.roles:
            lines.append("Roles: " + ", ".join(f"{_cell(r)}: {_cell(m)}" for r, m in team.roles))
            lines.append("")
        lines.append("| # | decision | owner | choice | decided by | votes | quality |")
        lines.append("|---|---|---|---|---|---|---|")
        for step in team.steps:
            owner = step.owner or ""
            if step.owner_member:
                owner += f" ({step.owner_member})"
            mark = "" if step.doctrine_best else " ✗"
            lines.append(
                f"| {step.number} | {_cell(step.node_title)} | {_cell(owner)} | "
                f"{_cell(step.choice_text)}{mark} | {HOW_LABELS[step.how]} | "
                f"{_cell(vote_split(step))} | {percent(step.quality)} |"
            )
        lines += ["", f"Ending: **{_cell(team.ending_title)}**. {_cell(team.ending_text)}", ""]
    lines += ["## Discussion prompts", ""]
    if not review.prompts:
        lines += ["Every team took the doctrine-best option at every decision.", ""]
    for number, prompt in enumerate(review.prompts, 1):
        lines += [f"### {number}. {_cell(prompt.title)}", "", _cell(prompt.question), ""]
        for teams, text, feedback in prompt.choices:
            lines.append(f"- **{_cell(teams)}** chose “{_cell(text)}”: {_cell(feedback)}")
        lines += [
            "",
            f"Doctrine-best: “{_cell(prompt.best_text)}”: {_cell(prompt.best_feedback)}",
            "",
        ]
        for note in prompt.notes:
            lines.append(f"> Facilitator: {_cell(note)}")
        if prompt.notes:
            lines.append("")
    return "\n".join(lines) + "\n"


CSV_COLUMNS = (
    "team",
    "seq",
    "scene",
    "scene_title",
    "owner_role",
    "owner_member",
    "choice",
    "choice_text",
    "decided_by",
    "votes",
    "votes_total",
    "quality",
    "doctrine_best",
    "best",
)


def spreadsheet_safe(value: object) -> object:
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def decisions_csv(review: AfterAction) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for team in review.teams:
        for step in team.steps:
            row = (
                team.name,
                step.number,
                step.node,
                step.node_title,
                step.owner or "",
                step.owner_member or "",
                step.choice,
                step.choice_text,
                step.how,
                "; ".join(f"{c}={n}" for c, _, n in step.votes),
                sum(n for *_, n in step.votes) if step.votes else "",
                "" if step.quality is None else f"{step.quality:.3f}",
                "yes" if step.doctrine_best else "no",
                " ".join(step.best),
            )
            writer.writerow([spreadsheet_safe(v) for v in row])
    return out.getvalue()


def write_after_action(review: AfterAction, folder: Path) -> list[Path]:
    """The Markdown report, the HTML page and the decisions CSV, written into ``folder``."""
    from .aar_html import after_action_html

    folder.mkdir(parents=True, exist_ok=True)
    stem = f"aar-{review.scenario.id}"
    written = []
    for suffix, text in (
        (".md", after_action_markdown(review)),
        (".html", after_action_html(review)),
        ("-decisions.csv", decisions_csv(review)),
    ):
        path = folder / f"{stem}{suffix}"
        path.write_text(clean(text), encoding="utf-8", newline="")
        written.append(path)
    return written
