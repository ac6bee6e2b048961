"""The debrief as Markdown: every option weighed, the principle profile explained, the risk
ledger told in order. Content and names are escaped so that they cannot add markup."""

from __future__ import annotations

import re
from collections.abc import Mapping

from ..content.model import Course
from .debrief import Debrief, ReviewedDecision, principle_profile, sparkline

VERDICTS = {"doctrine-best": "doctrine-best", "defensible": "defensible alternative"}
KINDS = {"raised": "Raised", "mitigated": "Mitigated", "materialised": "Materialised"}
_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|#!~])")


def md(text: str) -> str:
    """Text as literal Markdown: no emphasis, links, raw HTML or table breaks from content."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{round(value * 100)} %"


def _bar(value: float, width: int = 20) -> str:
    filled = round(value * width)
    return "█" * filled + "░" * (width - filled)


def _provenance(debrief: Debrief) -> list[tuple[str, str]]:
    return debrief.provenance.lines() if debrief.provenance else []


def _listed(items: list[str]) -> str:
    return md(", ".join(items)) if items else "nothing"


def _decision(d: ReviewedDecision, note: str | None = None) -> list[str]:
    mine = next(o for o in d.options if o.chosen)
    verdict = VERDICTS.get(mine.verdict or "", "")
    lines = [f"### {d.number}. {md(d.node_title)}", ""]
    if d.is_inject:
        lines.append("*An event that fired and asked for a decision.*  ")
    lines += [
        f"**Your choice:** {md(d.choice_text)}  ",
        f"**Quality:** {_percent(d.quality)}" + (f" ({verdict})" if verdict else ""),
        "",
        md(d.feedback),
        "",
        f"Lesson: {md(d.section_title)}",
        "",
        f"**How the doctrine weighed it:** {md(d.why)}",
        "",
        "| option | verdict | value | buys | costs |",
        "|---|---|---|---|---|",
    ]
    for o in d.options:
        name = md(o.text) + (" **(your choice)**" if o.chosen else "")
        lines.append(
            f"| {name} | {VERDICTS.get(o.verdict or '', '')} | {o.value:+d} | "
            f"{_listed(o.buys())} | {_listed(o.costs())} |"
        )
    others = [o for o in d.options if not o.chosen and o.verdict]
    if others:
        lines.append("")
        for o in others:
            lines.append(f"- **{md(o.text)}** ({VERDICTS[o.verdict]}): {md(o.feedback)}")
    if note:
        lines += ["", f"> **Your note:** {md(' '.join(note.split()))}"]
    lines.append("")
    return lines


def debrief_markdown(
    debrief: Debrief, course: Course, notes: Mapping[str, str] | None = None
) -> str:
    """The debrief; ``notes`` (node id -> text) are the learner's notes on its decisions."""
    scenario = debrief.scenario
    lines = [
        f"# Debrief: {md(scenario.title)}",
        "",
        *(f"**{label}:** {md(value)}  " for label, value in _provenance(debrief)),
        f"**Role:** {md(scenario.role)}  ",
        f"**Ending:** {md(debrief.ending_title)} ({debrief.outcome or 'unfinished'})  ",
        f"**Decision quality:** {_percent(debrief.score.overall)} over "
        f"{debrief.score.counted} scored decisions",
        "",
        md(debrief.ending_text),
        "",
        "## Principle profile",
        "",
        "| principle | quality | chart |",
        "|---|---|---|",
    ]
    for title, value in principle_profile(debrief, course):
        lines.append(f"| {md(title)} | {_percent(value)} | `{_bar(value)}` |")
    if debrief.principle_notes:
        lines += ["", "### Why a principle reads below 100 %", ""]
        for note in debrief.principle_notes:
            lines.append(f"- **{md(note.title)}** ({_percent(note.quality)}):")
            lines += [f"  - {md(sentence)}" for sentence in note.strained_at]
    lines += ["", "## Risk ledger", ""]
    if not debrief.risk_story:
        lines.append("No risk was raised, mitigated or materialised.")
    for item in debrief.risk_story:
        where = "at" if item.kind != "materialised" else "after"
        if item.kind == "materialised":
            cause = f"through the event “{item.cause}”"
        else:
            cause = f"by choosing {item.cause}"
        lines.append(
            f"1. {where.capitalize()} decision {item.after}: **{KINDS[item.kind]}** "
            f"“{md(item.risk_title)}”, {md(cause)}. Lesson: {md(item.section_title)}"
        )
    risks = {item.risk_title: item.risk_text for item in debrief.risk_story if item.risk_text}
    if risks:
        lines += ["", "### The risks in this attempt", ""]
        lines += [f"- **{md(title)}**: {md(text)}" for title, text in risks.items()]
    lines += ["", "## Decision by decision", ""]
    for d in debrief.decisions:
        lines += _decision(d, (notes or {}).get(d.node))
    lines += ["## Indicators", "", "| indicator | start | end | path |", "|---|---|---|---|"]
    for name, series in debrief.history.items():
        indicator = scenario.indicators[name]
        spark = sparkline(series, indicator.min, indicator.max)
        lines.append(f"| {md(indicator.label)} | {series[0]:g} | {series[-1]:g} | {spark} |")
    return "\n".join(lines) + "\n"
