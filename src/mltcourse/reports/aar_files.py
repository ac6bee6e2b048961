"""The after-action review's files: Markdown, HTML and the decisions as CSV.

Each export gets names of its own (scenario, exercise number, date and time), and an export
never replaces an earlier one: a name already taken gets a number added. The participants'
version leaves out the facilitator notes.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from ..safetext import clean
from .aar import AfterAction, vote_numbers
from .cells import csv_text, spreadsheet_time

CSV_COLUMNS = (
    "exercise",
    "exercise_started",
    "scenario",
    "team",
    "seq",
    "time",
    "scene",
    "scene_title",
    "owner_role",
    "owner_member",
    "choice",
    "choice_text",
    "decided_by",
    "reason",
    "votes",
    "votes_by_number",
    "votes_for_choice",
    "votes_total",
    "quality",
    "doctrine_best",
    "best",
)


def decisions_csv(review: AfterAction, excel: bool = False) -> str:
    """A row per team decision; ``votes`` by option id, ``votes_by_number`` as shown."""
    facts = review.facts
    rows = []
    for team in review.teams:
        for step in team.steps:
            votes = dict((c, n) for c, _, n in step.votes)
            rows.append(
                (
                    "" if facts.number is None else facts.number,
                    spreadsheet_time(facts.started),
                    review.scenario.id,
                    team.name,
                    step.number,
                    spreadsheet_time(step.made),
                    step.node,
                    step.node_title,
                    step.owner or "",
                    step.owner_member or "",
                    step.choice,
                    step.choice_text,
                    step.how,
                    step.reason or "",
                    "; ".join(f"{c}={n}" for c, _, n in step.votes),
                    vote_numbers(step) if step.votes else "",
                    votes.get(step.choice, "") if step.votes else "",
                    sum(votes.values()) if step.votes else "",
                    "" if step.quality is None else f"{step.quality:.3f}",
                    "yes" if step.doctrine_best else "no",
                    " ".join(step.best),
                )
            )
    return csv_text(CSV_COLUMNS, rows, excel)


def export_stem(review: AfterAction, participant: bool = False) -> str:
    """``aar-convoys-exercise-3-20261202-1405``: scenario, exercise and when it started."""
    facts = review.facts
    moment = datetime.fromtimestamp(facts.started if facts.started else facts.exported)
    parts = ["aar", review.scenario.id]
    if facts.number is not None:
        parts += ["exercise", str(facts.number)]
    parts.append(moment.strftime("%Y%m%d-%H%M"))
    if participant:
        parts.append("participants")
    return "-".join(parts)


SUFFIXES = (".md", ".html", "-decisions.csv")


def _free_stem(folder: Path, stem: str) -> str:
    """``stem``, or ``stem-2``, ``stem-3``…: the first for which no file exists yet."""
    candidate, count = stem, 1
    while any(os.path.lexists(folder / f"{candidate}{s}") for s in SUFFIXES):
        count += 1
        candidate = f"{stem}-{count}"
    return candidate


def write_after_action(
    review: AfterAction, folder: Path, participant: bool = False, excel: bool = False
) -> list[Path]:
    """The Markdown report, the HTML page and the decisions CSV, written into ``folder``
    under names no earlier export holds (a file is never replaced)."""
    from .aar_html import after_action_html
    from .aar_markdown import after_action_markdown

    folder.mkdir(parents=True, exist_ok=True)
    texts = (
        after_action_markdown(review, participant),
        after_action_html(review, participant),
        decisions_csv(review, excel),
    )
    for _ in range(20):  # another export may take the same names between check and write
        stem = _free_stem(folder, export_stem(review, participant))
        written: list[Path] = []
        try:
            for suffix, text in zip(SUFFIXES, texts, strict=True):
                path = folder / f"{stem}{suffix}"
                with open(path, "x", encoding="utf-8", newline="") as handle:
                    handle.write(clean(text))
                written.append(path)
        except FileExistsError:
            for path in written:
                path.unlink(missing_ok=True)
            continue
        return written
    raise FileExistsError(f"no free file name for {export_stem(review, participant)} in {folder}")
