"""Doctrine coverage: which scenarios exercise which principles and risks."""

from __future__ import annotations

from ..content.model import Course


def coverage(course: Course) -> dict[str, dict[str, list[str]]]:
    """Every catalogue principle and risk, each with the scenarios that score or touch it."""
    principles: dict[str, list[str]] = {p: [] for p in course.principles}
    risks: dict[str, list[str]] = {r: [] for r in course.risks}
    for scenario in course.scenarios.values():
        nodes = list(scenario.scenes.values()) + list(scenario.injects)
        for choice in (c for n in nodes for c in n.choices):
            for principle in choice.principles:
                _add(principles, principle, scenario.id)
            for risk in choice.raises + choice.mitigates:
                _add(risks, risk, scenario.id)
    return {"principles": principles, "risks": risks}


def _add(table: dict[str, list[str]], key: str, scenario: str) -> None:
    entries = table.setdefault(key, [])
    if scenario not in entries:
        entries.append(scenario)
