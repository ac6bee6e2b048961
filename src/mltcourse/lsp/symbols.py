"""What the language server knows about a course: every id an author can refer to, where it
is defined and what it says.

Each file's symbols are read from its own located YAML (or lesson Markdown), so a definition
can point at the exact line. A file that does not parse while it is being typed keeps the
symbols of its last good text: completion goes on working in a half-written file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..content.diagnostics import ContentError
from ..content.lessons import BUILT_IN_ANCHORS, heading_lines
from ..content.yamlread import YList, YMap, read_yaml_text

# The sections the app builds from module.yaml, and the field each one comes from.
BUILT_IN_TITLES = {
    "overview": ("Overview", None),
    "objectives": ("Learning objectives", "objectives"),
    "activities": ("Key operational activities", "activities"),
    "benchmarks": ("Benchmarks", "benchmarks"),
    "risks": ("Challenges and risks", "risks"),
    "considerations": ("Considerations for the MLT", "considerations"),
    "checks": ("Knowledge checks", "checks"),
}
assert set(BUILT_IN_TITLES) == BUILT_IN_ANCHORS


@dataclass(frozen=True, slots=True)
class Symbol:
    """One id with where it is defined (0-based line and column) and what to show for it."""

    id: str
    path: Path
    line: int
    column: int
    title: str
    text: str = ""


@dataclass
class FileSymbols:
    """The ids one course file defines."""

    principles: dict[str, Symbol] = field(default_factory=dict)
    modules: dict[str, Symbol] = field(default_factory=dict)
    risks: dict[str, Symbol] = field(default_factory=dict)
    sections: dict[str, Symbol] = field(default_factory=dict)
    scenes: dict[str, Symbol] = field(default_factory=dict)
    indicators: dict[str, Symbol] = field(default_factory=dict)
    flags: dict[str, Symbol] = field(default_factory=dict)


def _text(value: object) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def _symbol(path: Path, ident: str, pos: tuple[int, int], title: object, text: object = ""):
    return Symbol(ident, path, pos[0] - 1, pos[1] - 1, _text(title), _text(text))


def _maps(value: object) -> list[YMap]:
    return [item for item in value if isinstance(item, YMap)] if isinstance(value, YList) else []


def principle_symbols(path: Path, data: YMap) -> FileSymbols:
    out = FileSymbols()
    for entry in _maps(data.get("principles")):
        ident = entry.get("id")
        if isinstance(ident, str):
            out.principles[ident] = _symbol(
                path, ident, entry.where("id"), entry.get("title"), entry.get("statement")
            )
    return out


def module_symbols(path: Path, data: YMap) -> FileSymbols:
    """A module's id, its risks, and the sections the app builds from its fields."""
    out = FileSymbols()
    module_id = data.get("id")
    if not isinstance(module_id, str):
        return out
    title = data.get("title")
    out.modules[module_id] = _symbol(path, module_id, data.where("id"), title, data.get("summary"))
    for anchor, (name, key) in BUILT_IN_TITLES.items():
        pos = data.key_pos.get(key) or data.where("id")
        out.sections[f"{module_id}#{anchor}"] = _symbol(
            path, f"{module_id}#{anchor}", pos, f"{_text(title)}: {name}"
        )
    for entry in _maps(data.get("risks")):
        key = entry.get("id")
        if isinstance(key, str):
            risk = _symbol(
                path, f"{module_id}.{key}", entry.where("id"), entry.get("title"), entry.get("text")
            )
            out.risks[risk.id] = risk
            section = f"{module_id}#risk-{key}"
            out.sections[section] = Symbol(
                section, path, risk.line, risk.column, f"{_text(title)}: {risk.title}", risk.text
            )
    return out


def lesson_symbols(path: Path, module_id: str, module_title: str, markdown: str) -> FileSymbols:
    """The sections a lesson's headings make, each at its heading's line."""
    out = FileSymbols()
    overview = f"{module_id}#overview"
    out.sections[overview] = Symbol(overview, path, 0, 0, f"{module_title}: Overview")
    for line, text, anchor in heading_lines(markdown):
        ref = f"{module_id}#{anchor}"
        out.sections[ref] = Symbol(ref, path, line - 1, 0, f"{module_title}: {_text(text)}")
    return out


def scenario_symbols(path: Path, data: YMap) -> FileSymbols:
    """A scenario's scenes, indicators and flags: the names only its own file can use."""
    out = FileSymbols()
    scenes = data.get("scenes")
    if isinstance(scenes, YMap):
        for scene_id, spec in scenes.items():
            title = spec.get("title") if isinstance(spec, YMap) else ""
            out.scenes[scene_id] = _symbol(path, scene_id, scenes.key_pos[scene_id], title)
    indicators = data.get("indicators")
    if isinstance(indicators, YMap):
        for name, spec in indicators.items():
            label, about = (
                (spec.get("label"), spec.get("description")) if isinstance(spec, YMap) else ("", "")
            )
            out.indicators[name] = _symbol(path, name, indicators.key_pos[name], label, about)
    nodes = list(scenes.values()) if isinstance(scenes, YMap) else []
    nodes += _maps(data.get("injects"))
    for node in [n for n in nodes if isinstance(n, YMap)]:
        for owner in [node, *_maps(node.get("choices"))]:
            flags = owner.get("flags")
            if isinstance(flags, YMap):
                for name in flags:
                    if name not in out.flags:
                        out.flags[name] = _symbol(path, name, flags.key_pos[name], "flag")
    return out


def read_symbols(path: Path, kind: str, text: str) -> FileSymbols | None:
    """The symbols of one YAML course file, or None when its text does not parse."""
    try:
        data = read_yaml_text(text, str(path))
    except ContentError:
        return None
    if not isinstance(data, YMap):
        return None
    reader = {
        "principles": principle_symbols,
        "module": module_symbols,
        "scenario": scenario_symbols,
    }.get(kind)
    return reader(path, data) if reader else FileSymbols()
