"""Lint for story text: a conditional passage that no play, or every play, shows.

Read from the exhaustive analysis, which notes for every reachable state which branches of
each text it shows (``story.passage_tests``): cheap, since the states are searched anyway.
"""

from __future__ import annotations

from ..content.diagnostics import Diagnostic
from ..content.model import Scenario
from .analysis import AnalysisTooLarge, analyse_cached
from .story import passages


def lint_passages(scenario: Scenario) -> list[Diagnostic]:
    """Warnings for passages whose condition never or always holds where they are read; none
    when the analysis is too large (its own warning says so)."""
    if not passages(scenario):
        return []
    try:
        analysis = analyse_cached(scenario)
    except AnalysisTooLarge:
        return []
    out: list[Diagnostic] = []
    shown, hidden = analysis.passages_shown, analysis.passages_hidden
    for passage in passages(scenario):
        message = None
        if passage.key in hidden and passage.key not in shown:
            message = "never shows on any play that reaches it"
        elif passage.alone and passage.key in shown and passage.key not in hidden:
            message = "shows on every play that reaches it: its condition changes nothing"
        if message:
            out.append(
                Diagnostic(
                    scenario.path,
                    passage.pos[0],
                    passage.pos[1],
                    f"{passage.where}: the passage {passage.label} {message}",
                    "warning",
                )
            )
    return out
