"""The discussion prompts of an after-action review: the decisions where teams went
different ways or passed over the doctrine-best option, each with the options taken, their
feedback and the facilitator notes, read as the teams read them."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ..content.model import Choice, Scenario
from ..engine.state import GameState
from ..engine.story import text_in

if TYPE_CHECKING:
    from .aar import TeamReview, TeamStep


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


def discussion_prompts(scenario: Scenario, teams: tuple[TeamReview, ...]) -> tuple[Prompt, ...]:
    """A prompt for each decision where teams diverged or passed over the doctrine-best
    option, in the order the decisions were first met.

    Teams reach a decision in different states, so its texts may have read differently for
    each. An option's text, feedback and notes are read as the first team (in the list) that
    chose it read them; the decision's title, its notes and an option no team chose, as the
    first team that met the decision read them.
    """
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
        read_in: dict[str, GameState] = {}  # each option's text as its first chooser read it
        for name, step in steps:
            chosen.setdefault(step.choice, []).append(name)
            read_in.setdefault(step.choice, step.state)
        diverged = len(chosen) > 1
        against = tuple(name for name, step in steps if not step.doctrine_best)
        if not diverged and not against:
            continue
        node = scenario.node(node_id)
        first = steps[0][1].state
        best = steps[0][1].best[0]
        read = {c: _read(scenario, node_id, c, read_in.get(c, first)) for c in (*chosen, best)}
        title = text_in(node.title, first)
        labels = {c: option_label(read[c].text) for c in chosen}
        question = _question(title, chosen, against, option_label(read[best].text), labels)
        notes = [text_in(node.notes, first)] if node.notes else []
        notes += [read[c].notes for c in chosen if read[c].notes]
        prompts.append(
            Prompt(
                node=node_id,
                title=title,
                diverged=diverged,
                against_doctrine=against,
                question=question,
                choices=tuple(
                    (", ".join(names), read[c].text, read[c].feedback)
                    for c, names in chosen.items()
                ),
                best_text=read[best].text,
                best_feedback=read[best].feedback,
                notes=tuple(notes),
            )
        )
    return tuple(prompts)


def _read(scenario: Scenario, node_id: str, choice_id: str, state: GameState) -> Choice:
    """The option with its text, feedback and notes as they read in ``state``."""
    choice = scenario.choice(node_id, choice_id)
    return replace(
        choice,
        text=text_in(choice.text, state),
        feedback=text_in(choice.feedback, state),
        notes=text_in(choice.notes, state) if choice.notes else choice.notes,
    )


def _question(
    title: str,
    chosen: dict[str, list[str]],
    against: tuple[str, ...],
    best_label: str,
    labels: dict[str, str],
) -> str:
    parts = []
    if len(chosen) > 1:
        split = "; ".join(f"{', '.join(names)}: “{labels[c]}”" for c, names in chosen.items())
        parts.append(
            f"At “{title}” the teams went different ways ({split}). What did each team weigh, "
            "and what did its choice cost?"
        )
    if against:
        parts.append(
            f"{', '.join(against)} passed over the doctrine-best option (“{best_label}”). "
            "What would it have taken to choose it, and was the trade worth it?"
        )
    return " ".join(parts)


def option_label(text: str) -> str:
    """An option's text as a label in a list: without its closing full stop."""
    return text.rstrip(" .")
