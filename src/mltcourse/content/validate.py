"""Cross-file rules: references, duplicates, reachability, fallbacks.

Each rule reports ``FILE:LINE:COL`` through the file's context. Modules and scenarios with
errors are left out of the course that is returned; their diagnostics stay.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable
from pathlib import Path

from .build import FileContext
from .diagnostics import Diagnostic
from .lessons import classify_link, outline, structure_problems
from .model import END, Course, Module, Principle, Scenario, Term, _frozen
from .suggest import closest, did_you_mean
from .yamlread import YList, YMap


class _Known:
    """Ids that exist, plus those of modules that could not be read: a file that refers to a
    broken lesson is not broken itself (the lesson's own errors say what is wrong)."""

    def __init__(self, ids: Iterable[str], unreadable: set[str], separator: str):
        self.ids = set(ids)
        self.unreadable = unreadable
        self.separator = separator

    def __contains__(self, ref: object) -> bool:
        text = str(ref)
        return text in self.ids or text.split(self.separator, 1)[0] in self.unreadable


class AnyId(frozenset):
    """The principle ids when the catalogue cannot be read at all: every reference counts as
    known, so that its one error is not followed by one for each principle used."""

    def __contains__(self, ref: object) -> bool:
        return True


class _References:
    """What ids exist in the course, for reference checks."""

    def __init__(
        self, principles, modules: Iterable[Module], unreadable: set[str], root: str = "."
    ):
        self.root = root
        self.principles = principles if isinstance(principles, AnyId) else set(principles)
        self.modules = {m.id: m for m in modules}
        self.unreadable = unreadable
        self.module_ids = _Known(self.modules, unreadable, "#")
        self.risks = _Known((r.id for m in self.modules.values() for r in m.risks), unreadable, ".")

    def section_problem(self, ref: str) -> str | None:
        module_id, _, anchor = ref.partition("#")
        if module_id in self.unreadable:
            return None
        module = self.modules.get(module_id)
        if module is None:
            return f"unknown module {module_id!r} in section {ref!r}" + did_you_mean(
                module_id, self.modules, listing=20
            )
        if anchor not in module.anchors:
            headings = sorted(a for a in module.anchors if not a.startswith("risk-"))
            hint = closest(anchor, module.anchors)
            return f"lesson {module_id!r} has no section {anchor!r}" + (
                f"; did you mean {hint!r}?" if hint else f"; its sections: {', '.join(headings)}"
            )
        return None


def validate_course(
    *,
    root: str,
    principles: dict[str, Principle],
    principle_data,
    glossary: tuple[Term, ...],
    glossary_data,
    modules: list[tuple[Module, YMap, FileContext]],
    scenarios: list[tuple[Scenario, YMap, FileContext]],
    diagnostics: list[Diagnostic],
    unreadable_modules: set[str] = frozenset(),
    principle_ids: frozenset[str] | set[str] | None = None,
) -> Course:
    """The course of the files that passed; ``principle_ids`` are the ids references are
    checked against when they are not the catalogue's (it failed; ``AnyId`` if unreadable)."""
    _check_unique_modules(modules)
    known = principles if principle_ids is None else principle_ids
    refs = _References(known, [m for m, _, _ in modules], set(unreadable_modules), root)
    if principle_data:
        _check_principles(principle_data[0], principle_data[1], refs)
    if glossary_data:
        _check_glossary(glossary_data[0], glossary_data[1], refs)
    for module, data, ctx in modules:
        _check_module(module, data, ctx, refs)
    seen_scenarios: dict[str, str] = {}
    for scenario, data, ctx in scenarios:
        _check_scenario(scenario, data, ctx, refs)
        if scenario.id in seen_scenarios:
            ctx.error(
                data,
                "id",
                f"scenario id {scenario.id!r} is already used by {seen_scenarios[scenario.id]}",
            )
        else:
            seen_scenarios[scenario.id] = scenario.path

    contexts = [c for _, _, c in modules] + [c for _, _, c in scenarios]
    for extra in (principle_data, glossary_data):
        if extra:
            contexts.append(extra[1])
    for ctx in contexts:
        diagnostics.extend(ctx.diagnostics)
    failed = {d.file for d in diagnostics if d.severity == "error"}
    kept_modules = tuple(
        sorted(
            (m for m, _, c in modules if c.file not in failed and m.path not in failed),
            key=lambda m: m.order,
        )
    )
    kept_scenarios = {s.id: s for s, _, c in scenarios if c.file not in failed}
    return Course(
        root=root,
        principles=_frozen(principles),
        modules=kept_modules,
        scenarios=_frozen(kept_scenarios),
        glossary=glossary,
        diagnostics=tuple(sorted(diagnostics, key=lambda d: (d.file, d.line, d.column))),
    )


def _check_unique_modules(modules) -> None:
    ids: dict[str, str] = {}
    orders: dict[int, str] = {}
    for module, data, ctx in modules:
        folder = ctx.file.replace("\\", "/").split("/")[-2] if "/" in ctx.file else ""
        if folder and not re.fullmatch(rf"\d+-{re.escape(module.id)}", folder):
            ctx.error(
                data, "id", f"module folder {folder!r} should be named NN-{module.id}", "warning"
            )
        if module.id in ids:
            ctx.error(data, "id", f"module id {module.id!r} is already used by {ids[module.id]}")
        ids.setdefault(module.id, ctx.file)
        if module.order in orders:
            ctx.error(
                data, "order", f"order {module.order} is already used by {orders[module.order]}"
            )
        orders.setdefault(module.order, ctx.file)


def _check_principles(data: YMap, ctx: FileContext, refs: _References) -> None:
    seen: set[str] = set()
    for entry in data["principles"]:
        if entry["id"] in seen:
            ctx.error(entry, "id", f"duplicate principle id {entry['id']!r}")
        seen.add(entry["id"])
        for index, ref in enumerate(entry["sources"]):
            problem = refs.section_problem(ref)
            if problem and refs.modules:
                ctx.error(entry["sources"], index, problem)


def _check_glossary(data: YMap, ctx: FileContext, refs: _References) -> None:
    seen: set[str] = set()
    for entry in data["terms"]:
        key = entry["term"].lower()
        if key in seen:
            ctx.error(entry, "term", f"duplicate glossary term {entry['term']!r}")
        seen.add(key)
        for index, module_id in enumerate(entry.get("modules", ())):
            if module_id not in refs.module_ids and refs.modules:
                ctx.error(
                    entry["modules"],
                    index,
                    f"unknown module {module_id!r}" + did_you_mean(module_id, refs.modules, 20),
                )


def _items(mapping: YMap, key: str) -> YList:
    """An optional list field, or an empty one standing where the mapping does."""
    value = mapping.get(key)
    return value if isinstance(value, YList) else YList(mapping.pos)


def _check_refs(
    ctx: FileContext, items: YList, known: Container[str], what: str, ids: Iterable[str]
) -> None:
    for index, item in enumerate(items):
        if item not in known:
            ctx.error(items, index, f"unknown {what} {item!r}" + did_you_mean(item, ids))


def _check_module(module: Module, data: YMap, ctx: FileContext, refs: _References) -> None:
    _check_refs(ctx, data["principles"], refs.principles, "principle", refs.principles)
    _check_refs(ctx, _items(data, "see_also"), refs.module_ids, "module", refs.modules)
    _unique(ctx, data["objectives"], "id", "objective id")
    _unique(ctx, _items(data, "risks"), "id", "risk id")
    _unique(ctx, data["checks"], "id", "check id")
    objectives = {o.id for o in module.objectives}
    for check in data["checks"]:
        if check["objective"] not in objectives:
            ctx.error(
                check,
                "objective",
                f"unknown objective {check['objective']!r}"
                + did_you_mean(check["objective"], objectives, listing=12),
            )
        for index, ref in enumerate(check["tests"]):
            if ref not in refs.principles and ref not in refs.risks:
                ctx.error(
                    check["tests"],
                    index,
                    f"{ref!r} is neither a principle nor a risk id"
                    + did_you_mean(ref, [*refs.principles, *refs.risks.ids]),
                )
    for line, message in structure_problems(module.lesson):
        _lesson_error(ctx, module, (line, 1), message)
    lesson_line = _LessonLines(module.lesson)
    for link in outline(module.lesson).links:
        kind, target = classify_link(link.target)
        where = (link.line, lesson_line.column(link.line, link.target))
        if kind == "bad":
            _lesson_error(ctx, module, where, f"link {link.target!r}: {target}")
        elif kind == "lesson":
            problem = refs.section_problem(target if "#" in target else f"{target}#overview")
            if problem:
                _lesson_error(ctx, module, where, f"link {link.target!r}: {problem}")
        elif kind == "anchor" and target not in module.anchors:
            _lesson_error(ctx, module, where, f"link {link.target!r}: no such section here")
        elif kind == "asset" and not (Path(refs.root) / "assets" / target).is_file():
            _lesson_error(
                ctx,
                module,
                where,
                f"link {link.target!r}: there is no assets/{target} in the course",
            )


class _LessonLines:
    def __init__(self, text: str):
        self.lines = text.splitlines()

    def column(self, line: int, target: str) -> int:
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        index = text.find(target)
        return index + 1 if index >= 0 else 1


def _lesson_error(ctx: FileContext, module: Module, where, message: str) -> None:
    ctx.diagnostics.append(Diagnostic(module.path, where[0], where[1], message))


def _unique(ctx: FileContext, items, key: str, what: str) -> None:
    seen: dict[str, int] = {}
    for item in items:
        value = item[key]
        if value in seen:
            ctx.error(item, key, f"duplicate {what} {value!r} (first at line {seen[value]})")
        else:
            seen[value] = item.where(key)[0]


def _check_scenario(scenario: Scenario, data: YMap, ctx: FileContext, refs: _References) -> None:
    stem = ctx.file.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    if stem != scenario.id:
        ctx.error(
            data,
            "id",
            f"scenario id {scenario.id!r} differs from its file name {stem!r}",
            "warning",
        )
    if data.get("id") is not None and next(iter(data)) != "id":
        ctx.error(data, "id", "put the scenario's id: first in the file", "warning")
    if scenario.module not in refs.module_ids:
        ctx.error(
            data,
            "module",
            f"unknown module {scenario.module!r}" + did_you_mean(scenario.module, refs.modules, 20),
        )
    scenes = data["scenes"]
    if scenario.start not in scenes:
        ctx.error(
            data,
            "start",
            f"unknown start scene {scenario.start!r}" + did_you_mean(scenario.start, scenes),
        )
    clash = set(scenario.indicators) & scenario.flags
    for name in sorted(clash):
        ctx.error(data, "indicators", f"{name!r} is both an indicator and a flag")

    inject_specs = _items(data, "injects")
    _unique(ctx, inject_specs, "id", "inject id")
    _unique(ctx, data["endings"], "id", "ending id")
    for spec in inject_specs:
        if spec["id"] in scenes:
            ctx.error(spec, "id", f"inject id {spec['id']!r} is also a scene id")
        _check_choices(_items(spec, "choices"), ctx, refs, scenes, f"inject {spec['id']!r}")
        _check_refs(ctx, _items(spec, "materializes"), refs.risks, "risk", refs.risks.ids)
    for scene_id, spec in scenes.items():
        _check_choices(spec["choices"], ctx, refs, scenes, f"scene {scene_id!r}")
        if spec["choices"] and all(c.get("next") == scene_id for c in spec["choices"]):
            ctx.error(
                spec["choices"][0],
                "next",
                f"every choice in scene {scene_id!r} leads back to it, so a play that gets "
                "here can never leave; send one of them on",
            )
    meant = _check_targets(ctx, scenes)

    start = scenario.start if scenario.start in scenes else closest(scenario.start, scenes)
    if start is not None and None not in meant.values():
        # A broken next counts as leading where it was most likely meant to, so that one
        # typo in a scene key gives one error, not one more for every scene behind it.
        reachable = _reachable_scenes(scenario, start, meant)
        for scene_id in scenes:
            if scene_id not in reachable:
                ctx.at(scenes.key_pos[scene_id], f"scene {scene_id!r} can never be reached")
    if scenario.start in scenes and not any(
        c.next == END for s in scenario.scenes.values() for c in s.choices
    ):
        ctx.error(data, "scenes", "no choice leads to end: the scenario can never finish")

    endings = data["endings"]
    fallback_at = next((i for i, e in enumerate(endings) if "when" not in e), None)
    if fallback_at is None:
        ctx.error(
            endings[-1] if endings else data,
            "when" if endings else "endings",
            "the last ending must have no 'when': it is the fallback "
            "that catches every other final state",
        )
    else:
        for ending in list(endings)[fallback_at + 1 :]:
            ctx.error(
                ending,
                "id",
                f"ending {ending['id']!r} can never be reached: the ending "
                f"{endings[fallback_at]['id']!r} before it has no 'when'",
            )


def _check_choices(choices, ctx: FileContext, refs: _References, scenes, where: str) -> None:
    _unique(ctx, choices, "id", "choice id")
    if choices and all("when" in c for c in choices):
        ctx.error(
            choices[0],
            "when",
            f"every choice in {where} has a condition, so all of "
            f"them can be closed at once; leave one always open",
        )
    for choice in choices:
        for principle in choice["principles"]:
            if principle not in refs.principles:
                ctx.at(
                    choice["principles"].key_pos[principle],
                    f"unknown principle {principle!r}" + did_you_mean(principle, refs.principles),
                )
        for key in ("raises", "mitigates"):
            _check_refs(ctx, choice.get(key, YList((1, 1))), refs.risks, "risk", refs.risks.ids)
        problem = refs.section_problem(choice["section"])
        if problem:
            ctx.error(choice, "section", problem)


def _check_targets(ctx: FileContext, scenes: YMap) -> dict[str, str | None]:
    """One error per unknown scene named in a ``next`` (however often it is named), with the
    scene it most likely means; returns each unknown name with that scene (or None)."""
    uses: dict[str, list[tuple[int, int]]] = {}
    for spec in scenes.values():
        for choice in spec["choices"]:
            target = choice.get("next")
            if target is not None and target != END and target not in scenes:
                uses.setdefault(target, []).append(choice.where("next"))
    meant: dict[str, str | None] = {}
    for target, places in uses.items():
        meant[target] = closest(target, scenes)
        hint = ""
        if meant[target] is not None:
            line = scenes.key_pos[meant[target]][0]
            hint = f"; did you mean {meant[target]!r} (line {line})?"
        also = f" (also used on line {', '.join(str(p[0]) for p in places[1:])})"
        ctx.at(places[0], f"unknown scene {target!r}{also if len(places) > 1 else ''}{hint}")
    return meant


def _reachable_scenes(scenario: Scenario, start: str, meant: dict[str, str | None]) -> set[str]:
    seen = {start}
    stack = [start]
    while stack:
        scene = scenario.scenes.get(stack.pop())
        if scene is None:
            continue
        for choice in scene.choices:
            target = meant.get(choice.next, choice.next) if choice.next else None
            if target and target != END and target not in seen:
                seen.add(target)
                stack.append(target)
    return seen
