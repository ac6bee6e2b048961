"""Story text as a learner reads it in a given state (see ``content/story_text.py``).

Which state a text is read in: a scene's or an inject's text in the state where it is shown
(an inject's own effects included); a choice's option text and its feedback in the state in
which the decision is offered, so every option and every option's feedback at that decision
read the same way; an ending's text in the final state. Titles and notes are not story text:
they are shown as written (validation refuses a brace in them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from ..content import conditions
from ..content.condition_compile import compile_indexed
from ..content.model import Pos, Scenario
from ..content.story_text import Branch, Passages, TemplateError, has_passages, parse, render
from .state import GameState, choose, new_game


def text_in(text: str, state: GameState) -> str:
    """``text`` rendered for ``state``: plain text, never markup, never an exception."""
    return render(text, state.value, state.flags)


def states_before(
    scenario: Scenario, state: GameState, start: GameState | None = None
) -> list[GameState]:
    """The state in which each decision of ``state`` was made, replayed from ``start``
    (the scenario's own start unless a play began elsewhere)."""
    current = start if start is not None else new_game(scenario)
    out: list[GameState] = []
    for decision in state.decisions[len(current.decisions) :]:
        out.append(current)
        current = choose(scenario, current, decision.choice)
    return out


@dataclass(frozen=True, slots=True)
class Passage:
    """One branch of a conditional passage, where the author wrote it."""

    key: str  # owner#n: "third#1", "third/keep#2", "ending:good#1", an inject's id
    owner: str  # the scene, inject, "node/choice" or "ending:id" whose text holds it
    where: str  # for messages: "scene 'third'", "the feedback of choice 'keep'"
    label: str  # "{if went_alone: …}", "{else: …}"
    condition: conditions.Expr | None  # None for else
    pos: Pos
    alone: bool  # an {if} with neither elif nor else


@dataclass(frozen=True, slots=True)
class _Site:
    owner: str
    where: str
    text: str
    pos: Pos


def _sites(scenario: Scenario) -> list[_Site]:
    """Every text with braces, in file order. A choice's option text and its feedback share
    an owner ("node/choice"): both are read in the state in which the decision is offered."""
    out = []
    for node in [*scenario.scenes.values(), *scenario.injects]:
        kind = "scene" if node.id in scenario.scenes else "inject"
        out.append(_Site(node.id, f"{kind} {node.id!r}", node.text, node.pos))
        for choice in node.choices:
            owner, of = f"{node.id}/{choice.id}", f"choice {choice.id!r} in {kind} {node.id!r}"
            out.append(_Site(owner, f"the option text of {of}", choice.text, choice.pos))
            out.append(_Site(owner, f"the feedback of {of}", choice.feedback, choice.pos))
    for ending in scenario.endings:
        out.append(_Site(f"ending:{ending.id}", f"ending {ending.id!r}", ending.text, ending.pos))
    return [site for site in out if has_passages(site.text)]


def _parsed_sites(scenario: Scenario) -> dict[str, list[tuple[_Site, tuple]]]:
    """Per owner, its texts that parse, with their parts (a broken text is validation's to
    report, and is left out here)."""
    out: dict[str, list[tuple[_Site, tuple]]] = {}
    for site in _sites(scenario):
        try:
            parts = parse(site.text)
        except TemplateError:
            continue
        out.setdefault(site.owner, []).append((site, parts))
    return out


def owner_texts(scenario: Scenario) -> dict[str, tuple[str, ...]]:
    """Per owner, its texts with braces: what a strict render of the owner's texts reads."""
    return {
        owner: tuple(site.text for site, _ in texts)
        for owner, texts in _parsed_sites(scenario).items()
    }


def _branches(parts) -> list[tuple[Branch, bool]]:
    out = []
    for part in parts:
        if isinstance(part, Passages):
            for branch in part.branches:
                out.append((branch, len(part.branches) == 1))
                out.extend(_branches(branch.body))
    return out


def passages(scenario: Scenario) -> list[Passage]:
    """Every branch of every conditional passage in the scenario, in file order per owner,
    numbered across the owner's texts (a choice's option text first, then its feedback)."""
    out = []
    for owner, texts in _parsed_sites(scenario).items():
        n = 0
        for site, parts in texts:
            for branch, alone in _branches(parts):
                n += 1
                label = f"{{if {branch.source}: …}}" if branch.source else "{else: …}"
                out.append(
                    Passage(f"{owner}#{n}", owner, site.where, label, branch.expr, site.pos, alone)
                )
    return out


# (key, indexed test or None for else, branches inside) per branch, per passage
_Compiled = list[list[tuple[str, object, list]]]
Shown = Callable[[tuple, int, set[str], set[str]], None]


def _compile_parts(parts, owner: str, counter: list[int], index, bits) -> _Compiled:
    out: _Compiled = []
    for part in parts:
        if not isinstance(part, Passages):
            continue
        chain = []
        for branch in part.branches:
            counter[0] += 1
            key = f"{owner}#{counter[0]}"
            test = None if branch.expr is None else compile_indexed(branch.expr, index, bits)
            chain.append((key, test, _compile_parts(branch.body, owner, counter, index, bits)))
        out.append(chain)
    return out


def _shown(compiled: _Compiled, values, flags: int, shown: set[str], hidden: set[str]) -> None:
    for chain in compiled:
        chosen = False
        for key, test, inner in chain:
            if not chosen and (test is None or test(values, flags)):
                chosen = True
                shown.add(key)
                _shown(inner, values, flags, shown, hidden)
            else:
                hidden.add(key)


def passage_tests(scenario: Scenario, index, bits) -> dict[str, Shown]:
    """For each owner of texts with passages, a function that adds, for a state of the fast
    runtime, the keys of the branches it shows to ``shown`` and of those it passes over to
    ``hidden``: what lint, playtest and graph learn from play without rendering."""
    out: dict[str, Shown] = {}
    for owner, texts in _parsed_sites(scenario).items():
        counter = [0]
        try:
            compiled = [
                chain
                for _, parts in texts
                for chain in _compile_parts(parts, owner, counter, index, bits)
            ]
        except KeyError:  # a name the scenario lacks: validation's to report
            continue
        out[owner] = partial(_shown, compiled)
    return out
