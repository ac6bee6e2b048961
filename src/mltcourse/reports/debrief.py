"""The debrief of one attempt: a plain data record, and its JSON and Markdown renderings."""

from __future__ import annotations

from dataclasses import dataclass

from ..content.model import Course, Scenario
from ..engine.scoring import RiskLedger, Score, risk_ledger, score
from ..engine.state import GameState, history


@dataclass(frozen=True)
class ReviewedDecision:
    number: int
    node: str
    node_title: str
    choice: str
    choice_text: str
    feedback: str
    section: str
    quality: float | None
    best: tuple[str, ...]
    best_text: str
    best_feedback: str
    is_inject: bool


@dataclass(frozen=True)
class Debrief:
    scenario: Scenario
    state: GameState
    ending_id: str | None
    ending_title: str
    ending_text: str
    outcome: str | None
    score: Score
    ledger: RiskLedger
    decisions: tuple[ReviewedDecision, ...]
    history: dict[str, list[float]]


def build_debrief(scenario: Scenario, state: GameState) -> Debrief:
    scored = score(scenario, state)
    reviewed = []
    for number, (decision, judged) in enumerate(
        zip(state.decisions, scored.decisions, strict=True), 1
    ):
        node = scenario.node(decision.node)
        choice = scenario.choice(decision.node, decision.choice)
        best = scenario.choice(decision.node, judged.best[0])
        reviewed.append(
            ReviewedDecision(
                number=number,
                node=node.id,
                node_title=node.title,
                choice=choice.id,
                choice_text=choice.text,
                feedback=choice.feedback,
                section=choice.section,
                quality=judged.quality,
                best=judged.best,
                best_text=best.text,
                best_feedback=best.feedback,
                is_inject=decision.node not in scenario.scenes,
            )
        )
    ending = next((e for e in scenario.endings if e.id == state.ending), None)
    return Debrief(
        scenario=scenario,
        state=state,
        ending_id=ending.id if ending else None,
        ending_title=ending.title if ending else "Not finished",
        ending_text=ending.text if ending else "",
        outcome=ending.rating if ending else None,
        score=scored,
        ledger=risk_ledger(scenario, state),
        decisions=tuple(reviewed),
        history=history(scenario, state),
    )


def principle_profile(debrief: Debrief, course: Course) -> list[tuple[str, float]]:
    """(principle title, decision quality) per principle scored, titled from the course."""
    titles = {p.id: p.title for p in course.principles.values()}
    return [(titles.get(p, p), value) for p, value in debrief.score.principles.items()]


def debrief_json(debrief: Debrief) -> dict:
    """The stable JSON shape of ``play --report json``."""
    return {
        "scenario": debrief.scenario.id,
        "ending": debrief.ending_id,
        "outcome": debrief.outcome,
        "decisions": [
            {"scene": d.node, "choice": d.choice, "quality": d.quality, "best": list(d.best)}
            for d in debrief.decisions
        ],
        "score": {"overall": debrief.score.overall, "principles": debrief.score.principles},
        "risks": {
            "raised": list(debrief.ledger.raised),
            "mitigated": list(debrief.ledger.mitigated),
            "materialized": list(debrief.ledger.materialized),
        },
        "indicators": dict(debrief.state.values),
    }


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{round(value * 100)} %"


def _bar(value: float, width: int = 20) -> str:
    filled = round(value * width)
    return "█" * filled + "░" * (width - filled)


def debrief_markdown(debrief: Debrief, course: Course) -> str:
    scenario = debrief.scenario
    lines = [
        f"# Debrief: {scenario.title}",
        "",
        f"**Role:** {scenario.role}  ",
        f"**Ending:** {debrief.ending_title} ({debrief.outcome or 'unfinished'})  ",
        f"**Decision quality:** {_percent(debrief.score.overall)} over "
        f"{debrief.score.counted} scored decisions",
        "",
        debrief.ending_text,
        "",
        "## Principle profile",
        "",
        "| principle | quality | |",
        "|---|---|---|",
    ]
    for title, value in principle_profile(debrief, course):
        lines.append(f"| {title} | {_percent(value)} | `{_bar(value)}` |")
    lines += ["", "## Risk ledger", ""]
    risks = course.risks
    for heading, ids in debrief.ledger.sections():
        lines.append(f"### {heading}")
        lines.append("")
        if not ids:
            lines.append("None.")
        for risk_id in ids:
            risk = risks.get(risk_id)
            if risk:
                lines.append(
                    f"- **{risk.title}** ({risk_id}): {risk.text} (lesson: `{risk.anchor}`)"
                )
            else:
                lines.append(f"- {risk_id}")
        lines.append("")
    lines += ["## Decision by decision", ""]
    for d in debrief.decisions:
        marker = "event" if d.is_inject else "scene"
        lines += [
            f"### {d.number}. {d.node_title} ({marker})",
            "",
            f"**Your choice:** {d.choice_text}  ",
            f"**Quality:** {_percent(d.quality)}",
            "",
            d.feedback,
            "",
            f"Lesson section: `{d.section}`",
            "",
        ]
        if d.choice not in d.best:
            lines += [f"**Doctrine-best here:** {d.best_text}", "", d.best_feedback, ""]
    lines += ["## Indicators", "", "| indicator | start | end | path |", "|---|---|---|---|"]
    for name, series in debrief.history.items():
        indicator = scenario.indicators[name]
        spark = sparkline(series, indicator.min, indicator.max)
        lines.append(f"| {indicator.label} | {series[0]:g} | {series[-1]:g} | {spark} |")
    return "\n".join(lines) + "\n"


_SPARKS = "▁▂▃▄▅▆▇█"


def sparkline(series: list[float], low: float = 0, high: float = 100) -> str:
    span = (high - low) or 1
    return "".join(_SPARKS[min(7, max(0, int((v - low) / span * 7.999)))] for v in series)
