"""Story maps of a scenario in Mermaid and Graphviz dot."""

from __future__ import annotations

from ..content.model import END, Scenario

_RATING_STYLE = {"success": "#2e7d32", "mixed": "#f9a825", "failure": "#c62828"}


def _label(text: str) -> str:
    return text.replace('"', "'").replace("\n", " ")


def mermaid(scenario: Scenario) -> str:
    lines = ["flowchart TD"]
    for scene in scenario.scenes.values():
        lines.append(f'    {_mid(scene.id)}["{_label(scene.title)}"]')
    for inject in scenario.injects:
        lines.append(
            f'    {_mid(inject.id)}{{{{"⚡ {_label(inject.title)}<br/>when '
            f'{_label(inject.when.source)}"}}}}'
        )
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
    return "\n".join(lines) + "\n"


def _mid(node_id: str) -> str:
    return "n_" + node_id.replace("-", "_")


def dot(scenario: Scenario) -> str:
    lines = [f'digraph "{scenario.id}" {{', "  rankdir=TB;", "  node [shape=box, style=rounded];"]
    lines.append("  start [shape=point];")
    lines.append(f'  start -> "{scenario.start}";')
    for scene in scenario.scenes.values():
        lines.append(f'  "{scene.id}" [label="{_label(scene.title)}"];')
    for inject in scenario.injects:
        lines.append(
            f'  "{inject.id}" [label="{_label(inject.title)}\\nwhen '
            f'{_label(inject.when.source)}", shape=hexagon, style=dashed];'
        )
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
    lines.append("}")
    return "\n".join(lines) + "\n"
