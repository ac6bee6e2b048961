"""The parts of a lesson built from module.yaml: objectives, activities, the three benchmark
tiers, risks, considerations and the lesson's scenarios. Text is shown literally."""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget
from textual.widgets import OptionList, Static, TabbedContent, TabPane
from textual.widgets.option_list import Option

from ...content.model import Course, Module
from ...store.progress import ScenarioProgress
from ..text import lines, literal, percent, prose

TIER_TITLES = {"short": "Short term", "medium": "Medium term", "long": "Long term"}


def page_title(text: str) -> Static:
    return Static(literal(text, "bold $accent"), classes="page-title")


def overview_facts(module: Module, course: Course) -> Static:
    facts: list[Content | str] = [
        Content.assemble(("Doctrine section ", "$text-muted"), literal(module.doctrine)),
    ]
    if module.minutes:
        facts.append(
            Content.assemble(("Study time ", "$text-muted"), f"about {module.minutes} min")
        )
    principles = [course.principles[p].title for p in module.principles if p in course.principles]
    if principles:
        facts.append(
            Content.assemble(("Principles ", "$text-muted"), literal(", ".join(principles)))
        )
    related = [m.title for m in (course.module(i) for i in module.see_also) if m]
    if related:
        facts.append(Content.assemble(("See also ", "$text-muted"), literal("; ".join(related))))
    return Static(lines(literal(module.summary, "italic"), "", *facts), classes="facts")


def objectives(module: Module) -> list[Widget]:
    rows = [Content.assemble("• ", literal(o.text)) for o in module.objectives]
    return [
        page_title("Learning objectives"),
        Static(literal("After this lesson you should be able to:", "$text-muted")),
        Static(lines(*rows), classes="page-list"),
    ]


def activities(module: Module) -> list[Widget]:
    rows = [
        Content.assemble((f"{n}. ", "bold"), literal(text))
        for n, text in enumerate(module.activities, 1)
    ]
    return [page_title("Key operational activities"), Static(lines(*rows), classes="page-list")]


def benchmarks(module: Module) -> list[Widget]:
    tabs = TabbedContent(id="benchmark-tiers")
    panes = []
    for tier, title in TIER_TITLES.items():
        items = [Content.assemble("• ", literal(b)) for b in module.benchmarks.get(tier, ())]
        body = lines(*items) if items else literal("None listed.", "$text-muted")
        panes.append(TabPane(literal(title), Static(body, classes="page-list"), id=f"tier-{tier}"))
    return [
        page_title("Benchmarks"),
        Static(literal("What progress looks like, by priority. ← → switch tiers.", "$text-muted")),
        _with_children(tabs, panes),
    ]


def _with_children(parent: Widget, children: list[Widget]) -> Widget:
    """A container given its children before mounting, as ``with parent:`` does in compose."""
    for child in children:
        parent.compose_add_child(child)
    return parent


def risks(module: Module) -> list[Widget]:
    widgets: list[Widget] = [page_title("Challenges and risks")]
    for risk in module.risks:
        key = risk.id.split(".", 1)[1]
        widgets.append(
            Static(
                lines(literal(risk.title, "bold"), literal(prose(risk.text))),
                id=f"risk-{key}",
                classes="risk",
            )
        )
    return widgets


def considerations(module: Module) -> list[Widget]:
    widgets: list[Widget] = [
        page_title("Considerations for the MLT"),
        Static(literal("Dilemmas with no clean answer.", "$text-muted")),
    ]
    for item in module.considerations:
        widgets.append(
            Static(
                lines(literal(item.title, "bold"), literal(prose(item.text))),
                classes="consideration",
            )
        )
    return widgets


def scenario_list(
    module: Module, course: Course, played: dict[str, ScenarioProgress]
) -> list[Widget]:
    options = []
    for scenario in course.scenarios_for(module.id):
        progress = played.get(scenario.id)
        if progress is None:
            status = "not played yet"
        else:
            status = f"finished {progress.finished}×, best {percent(progress.best)}"
            if progress.open:
                status += " · unfinished attempt waiting"
        minutes = f" · about {scenario.minutes} min" if scenario.minutes else ""
        options.append(
            Option(
                lines(
                    literal(scenario.title, "bold"),
                    literal(f"You are: {scenario.role}{minutes}", "$text-muted"),
                    literal(scenario.summary),
                    literal(status, "$text-muted"),
                ),
                id=scenario.id,
            )
        )
    return [
        page_title("Scenarios"),
        Static(literal("Put the lesson to work. Enter starts a scenario.", "$text-muted")),
        OptionList(*options, id="lesson-scenarios"),
    ]
