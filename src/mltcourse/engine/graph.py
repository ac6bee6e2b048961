"""Story maps of a scenario in Mermaid and Graphviz dot.

Besides scenes, choices and endings, the map shows each inject where it can fire: a dashed
edge from every scene (or inject) after whose choice the exhaustive analysis saw it fire, and
its own choices as edges to where the story resumes. Injects sit together in one cluster, so a
scenario with many of them keeps its main story readable. A scene whose text, options or
feedback change with the state says on what.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..content.conditions import names
from ..content.model import END, Scenario
from .analysis import AnalysisTooLarge, analyse_cached
from .story import passages

DOT_NEWLINE = "\\n"
_RATING_STYLE = {"success": "#2e7d32", "mixed": "#f9a825", "failure": "#c62828"}


@dataclass(frozen=True)
class StoryMap:
    sources: dict[str, list[str]]  # inject -> scenes and injects it fires after
    resumes: dict[str, list[str]]  # inject -> where the story goes on after its choices
    follows: dict[str, list[str]]  # scene or inject -> names its text, options, feedback read
    analysed: bool  # False: the analysis was too large, injects are drawn without sources


def story_map(scenario: Scenario) -> StoryMap:
    follows: dict[str, set[str]] = {}
    for passage in passages(scenario):
        if passage.owner.startswith("ending:") or passage.condition is None:
            continue
        node = passage.owner.split("/", 1)[0]
        follows.setdefault(node, set()).update(names(passage.condition))
    try:
        analysis = analyse_cached(scenario)
    except AnalysisTooLarge:
        return StoryMap({}, {}, _sorted(follows), False)
    sources: dict[str, set[str]] = {}
    heading: dict[str, set[str]] = {}
    for entry in sorted(analysis.inject_sources):
        where, inject = entry.split(">", 1)
        node, choice = where.split("/", 1)
        sources.setdefault(inject, set()).add(node)
        target = scenario.choice(node, choice).next
        heading.setdefault(inject, set()).add(target if target is not None else f"resume:{node}")
    resumes: dict[str, set[str]] = {}
    for inject, targets in heading.items():
        for target in targets:
            if target.startswith("resume:"):  # fired after an inject's choice: where it went
                resumes.setdefault(inject, set()).update(
                    t for t in heading.get(target[7:], ()) if not t.startswith("resume:")
                )
            else:
                resumes.setdefault(inject, set()).add(target)
    return StoryMap(_sorted(sources), _sorted(resumes), _sorted(follows), True)


def _sorted(mapping: dict[str, set[str]]) -> dict[str, list[str]]:
    return {key: sorted(values) for key, values in mapping.items()}


def _label(text: str) -> str:
    return text.replace('"', "'").replace("\n", " ")


def _follows(story: StoryMap, node_id: str, newline: str) -> str:
    read = story.follows.get(node_id)
    return f"{newline}✎ text follows {', '.join(read)}" if read else ""


def mermaid(scenario: Scenario) -> str:
    story = story_map(scenario)
    lines = ["flowchart TD"]
    for scene in scenario.scenes.values():
        lines.append(
            f'    {_mid(scene.id)}["{_label(scene.title)}{_follows(story, scene.id, "<br/>")}"]'
        )
    lines.append('    subgraph injects ["Injects: each fires once, when its condition holds"]')
    for inject in scenario.injects:
        lines.append(
            f'        {_mid(inject.id)}{{{{"⚡ {_label(inject.title)}<br/>when '
            f'{_label(inject.when.source)}{_follows(story, inject.id, "<br/>")}"}}}}'
        )
    lines.append("    end")
    lines.append('    end_(("end"))')
    for ending in scenario.endings:
        lines.append(
            f'    {_mid("ending-" + ending.id)}(["{_label(ending.title)} ({ending.rating})"])'
        )
        condition = _label(ending.when.source) if ending.when else "otherwise"
        lines.append(f'    end_ -- "{condition}" --> {_mid("ending-" + ending.id)}')
        lines.append(
            f"    style {_mid('ending-' + ending.id)} stroke:"
            f"{_RATING_STYLE[ending.rating]},stroke-width:3px"
        )
    lines.append(f"    start(( )) --> {_mid(scenario.start)}")
    for scene in scenario.scenes.values():
        for choice in scene.choices:
            target = "end_" if choice.next == END else _mid(choice.next or "")
            label = choice.id + (f" [{_label(choice.when.source)}]" if choice.when else "")
            lines.append(f'    {_mid(scene.id)} -- "{label}" --> {target}')
    if not story.analysed:
        lines.append("    %% the analysis was too large: injects are drawn without where they fire")
    for inject in scenario.injects:
        for source in story.sources.get(inject.id, ()):
            lines.append(f"    {_mid(source)} -.-> {_mid(inject.id)}")
        if inject.choices:
            label = " | ".join(c.id for c in inject.choices)
            for target in story.resumes.get(inject.id, ()):
                end = "end_" if target == END else _mid(target)
                lines.append(f'    {_mid(inject.id)} -. "{label}" .-> {end}')
    return "\n".join(lines) + "\n"


def _mid(node_id: str) -> str:
    return "n_" + node_id.replace("-", "_")


def dot(scenario: Scenario) -> str:
    story = story_map(scenario)
    lines = [f'digraph "{scenario.id}" {{', "  rankdir=TB;", "  node [shape=box, style=rounded];"]
    lines.append("  start [shape=point];")
    lines.append(f'  start -> "{scenario.start}";')
    for scene in scenario.scenes.values():
        follows = _follows(story, scene.id, DOT_NEWLINE)
        lines.append(f'  "{scene.id}" [label="{_label(scene.title)}{follows}"];')
    lines.append('  subgraph cluster_injects {\n    label="injects"; style=dashed; color=gray;')
    for inject in scenario.injects:
        lines.append(
            f'    "{inject.id}" [label="{_label(inject.title)}\\nwhen '
            f'{_label(inject.when.source)}{_follows(story, inject.id, DOT_NEWLINE)}", '
            f"shape=hexagon, style=dashed];"
        )
    lines.append("  }")
    lines.append('  "end" [shape=circle];')
    for ending in scenario.endings:
        condition = _label(ending.when.source) if ending.when else "otherwise"
        lines.append(
            f'  "ending:{ending.id}" [label="{_label(ending.title)}\\n{ending.rating}",'
            f' shape=doubleoctagon, color="{_RATING_STYLE[ending.rating]}"];'
        )
        lines.append(f'  "end" -> "ending:{ending.id}" [label="{condition}"];')
    for scene in scenario.scenes.values():
        for choice in scene.choices:
            label = choice.id + (f" [{_label(choice.when.source)}]" if choice.when else "")
            lines.append(f'  "{scene.id}" -> "{choice.next}" [label="{label}"];')
    if not story.analysed:
        lines.append("  // the analysis was too large: injects are drawn without where they fire")
    for inject in scenario.injects:
        # Dashed and out of the layout's ranking: the main story keeps its shape.
        for source in story.sources.get(inject.id, ()):
            lines.append(
                f'  "{source}" -> "{inject.id}" [style=dashed, color=gray, constraint=false];'
            )
        if inject.choices:
            label = " | ".join(c.id for c in inject.choices)
            for target in story.resumes.get(inject.id, ()):
                lines.append(
                    f'  "{inject.id}" -> "{target}" [label="{label}", style=dashed, '
                    f"constraint=false];"
                )
    lines.append("}")
    return "\n".join(lines) + "\n"
