"""What the scenario player shows: the briefing, a scene or event, and the report of a turn
(the feedback on a choice in training mode, and the events it set off)."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static
from textual.widgets.option_list import Option

from ...content.model import Course, Inject, Scenario, Scene
from ...content.pages import section_title
from ...engine.state import GameState
from ...engine.story import text_in
from ..text import lines, literal, prose


def briefing(scenario: Scenario) -> list[Static]:
    indicators = [
        Content.assemble(
            "• ",
            literal(ind.label, "bold"),
            literal(f" (starts at {ind.start:g})", "$text-muted"),
            literal(f": {ind.description}" if ind.description else ""),
        )
        for ind in scenario.indicators.values()
    ]
    return [
        Static(literal(scenario.title, "bold $accent"), classes="page-title"),
        Static(
            lines(
                Content.assemble(("You are: ", "$text-muted"), literal(scenario.role, "bold")),
                Content.assemble(("Setting: ", "$text-muted"), literal(scenario.setting)),
            ),
            classes="facts",
        ),
        Static(literal(prose(scenario.briefing)), classes="scene-text"),
        Static(lines(literal("What you will watch", "bold"), *indicators), classes="page-list"),
    ]


def owner_line(owner: str, role: str) -> Content:
    """Whose decision a scene is, and what that means for a player in another role."""
    if owner == role:
        return Content.assemble(("Decision for: ", "$text-muted"), literal(owner), " (you)")
    return Content.assemble(
        ("Decision for: ", "$text-muted"),
        literal(owner),
        (f" · their proposal, your call as {role}", "$text-muted"),
    )


def node_view(
    node: Scene | Inject, number: int, role: str, state: GameState | None = None
) -> list[Static]:
    """A scene, or an event that demands a decision, headed so the two look different; its
    text as it reads in ``state`` (values and passages filled in)."""
    is_event = isinstance(node, Inject)
    heading = Content.assemble(
        (
            "⚡ Event: " if is_event else f"Decision {number}: ",
            "bold $warning" if is_event else "bold $accent",
        ),
        literal(node.title, "bold"),
    )
    widgets = [Static(heading, classes="page-title")]
    if node.owner:
        widgets.append(Static(owner_line(node.owner, role)))
    widgets.append(
        Static(
            literal(prose(text_in(node.text, state) if state is not None else node.text)),
            classes="event-text" if is_event else "scene-text",
        )
    )
    return widgets


def _effects(scenario: Scenario, effects) -> Content:
    parts = [
        f"{scenario.indicators[name].label} {'+' if delta > 0 else ''}{delta:g}"
        for name, delta in effects.items()
        if name in scenario.indicators
    ]
    return literal(" · ".join(parts), "$text-muted")


def turn_report(
    scenario: Scenario,
    course: Course,
    before: GameState,
    after: GameState,
    training: bool,
    chooser: str = "You",
) -> list[Static]:
    """The feedback on the choice just made (training mode) and the events it set off;
    ``chooser`` is who made it (a team, on the facilitator's console)."""
    widgets: list[Static] = []
    if training:
        decision = after.decisions[-1]
        choice = scenario.choice(decision.node, decision.choice)
        rows: list[Content | str] = [
            Content.assemble(
                (f"{chooser} chose: ", "$text-muted"),
                literal(text_in(choice.text, before), "bold"),
            ),
            "",
            literal(prose(text_in(choice.feedback, before))),
        ]
        honours = [(p, v) for p, v in choice.principles.items() if v > 0]
        breaks = [(p, v) for p, v in choice.principles.items() if v < 0]

        def named(pairs) -> str:
            return ", ".join(
                f"{course.principles[p].title if p in course.principles else p} ({v:+d})"
                for p, v in pairs
            )

        if honours:
            rows.append(Content.assemble(("Honours: ", "bold $success"), literal(named(honours))))
        if breaks:
            rows.append(Content.assemble(("Strains: ", "bold $error"), literal(named(breaks))))
        risks = course.risks
        for label, ids, style in (
            ("Raises risk: ", choice.raises, "bold $warning"),
            ("Mitigates risk: ", choice.mitigates, "bold $success"),
        ):
            for risk_id in ids:
                title = risks[risk_id].title if risk_id in risks else risk_id
                rows.append(Content.assemble((label, style), literal(title)))
        rows.append(
            Content.assemble(
                ("Lesson: ", "$text-muted"),
                literal(section_title(course, choice.section)),
                ("  (o opens it)", "$text-muted"),
            )
        )
        widgets.append(Static(lines(*rows), classes="feedback"))
    for event in after.events[len(before.events) :]:
        inject = next(i for i in scenario.injects if i.id == event.inject)
        if inject.choices:
            continue  # shown next, as a decision of its own
        rows = [
            Content.assemble(("⚡ Event: ", "bold $warning"), literal(inject.title, "bold")),
            literal(prose(text_in(inject.text, after))),
            _effects(scenario, inject.effects),
        ]
        if training:
            risks = course.risks
            for risk_id in inject.materializes:
                title = risks[risk_id].title if risk_id in risks else risk_id
                rows.append(
                    Content.assemble(("Risk materialised: ", "bold $error"), literal(title))
                )
        widgets.append(Static(lines(*rows), classes="event"))
    return widgets


def start_options(waiting: tuple[str, int] | None, finished: int) -> list[Option]:
    """How to play: resume the unfinished attempt (its mode's name and decisions made), train,
    be assessed, or review the finished attempts."""
    options = []
    if waiting is not None:
        mode, made = waiting
        options.append(
            Option(
                Content.assemble(
                    ("Resume ", "bold"), f"your attempt in {mode} ({made} decision(s) made)"
                ),
                id="resume",
            )
        )
    options += [
        Option(
            Content.assemble(("Training", "bold"), ": feedback after each decision"),
            id="training",
        ),
        Option(
            Content.assemble(("Assessment", "bold"), ": feedback only in the debrief"),
            id="assessment",
        ),
    ]
    if finished:
        options.append(
            Option(
                Content.assemble(
                    ("Review", "bold"),
                    f": your {finished} finished attempt(s), their debriefs side by side",
                ),
                id="review",
            )
        )
    return options
