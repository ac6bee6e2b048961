"""Turn checked YAML values into model objects, reporting file-local problems as it goes."""

from __future__ import annotations

from collections.abc import Callable

from . import conditions
from .condition_compile import compile_condition
from .diagnostics import Diagnostic
from .lessons import BUILT_IN_ANCHORS, outline
from .model import (
    TIERS,
    Check,
    CheckOption,
    Choice,
    Condition,
    Consideration,
    Ending,
    Indicator,
    Inject,
    Module,
    Objective,
    Principle,
    Risk,
    Scenario,
    Scene,
    Term,
    _frozen,
)
from .scalarpos import scalar_position
from .story_text import TemplateError, has_passages
from .story_text import check as story_check
from .story_text import parse as story_parse
from .yamlread import YMap, where

Report = Callable[[object, object, str], None]


class FileContext:
    """What a builder needs to report a problem at the right line and column of one file."""

    def __init__(self, file: str, text: str):
        self.file = file
        self.lines = text.splitlines()
        self.diagnostics: list[Diagnostic] = []

    def error(self, container, key, message: str, severity: str = "error") -> None:
        line, col = where(container, key) if container is not None else (1, 1)
        self.diagnostics.append(Diagnostic(self.file, line, col, message, severity))

    def at(self, pos: tuple[int, int], message: str, severity: str = "error") -> None:
        self.diagnostics.append(Diagnostic(self.file, pos[0], pos[1], message, severity))

    def condition_column(self, container, key, column: int) -> tuple[int, int]:
        """Map a column inside a condition string to the file, for one-line values."""
        line, col = where(container, key)
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        quote = 1 if col - 1 < len(text) and text[col - 1] in "\"'" else 0
        return line, col + quote + column - 1

    def text_position(self, container, key, offset: int) -> tuple[int, int]:
        """Map an index into a string value (block, folded or quoted) to the file."""
        return scalar_position(self.lines, where(container, key), container[key], offset)


def build_principles(data: YMap) -> tuple[Principle, ...]:
    return tuple(
        Principle(p["id"], p["title"].strip(), p["statement"].strip(), tuple(p["sources"]))
        for p in data["principles"]
    )


def build_glossary(data: YMap) -> tuple[Term, ...]:
    return tuple(
        Term(t["term"], t.get("expansion"), t["definition"].strip(), tuple(t.get("modules", ())))
        for t in data["terms"]
    )


def build_module(data: YMap, lesson: str, path: str, ctx: FileContext) -> Module:
    module_id = data["id"]
    risks = tuple(
        Risk(f"{module_id}.{r['id']}", module_id, r["title"].strip(), r["text"].strip())
        for r in data.get("risks", ())
    )
    lesson_outline = outline(lesson)
    anchors = set(BUILT_IN_ANCHORS)
    # a lesson without risks or considerations has no such page: a link to one is an error,
    # not a silent fall back to the lesson's first page
    if not data.get("risks"):
        anchors.discard("risks")
    if not data.get("considerations"):
        anchors.discard("considerations")
    anchors.update(anchor for _, _, anchor in lesson_outline.headings)
    anchors.update(f"risk-{r.id.split('.', 1)[1]}" for r in risks)
    return Module(
        id=module_id,
        order=data["order"],
        title=data["title"].strip(),
        doctrine=str(data["doctrine"]),
        summary=data["summary"].strip(),
        minutes=data.get("minutes"),
        principles=tuple(data["principles"]),
        objectives=tuple(Objective(o["id"], o["text"].strip()) for o in data["objectives"]),
        activities=tuple(a.strip() for a in data["activities"]),
        benchmarks=_frozen({t: tuple(b.strip() for b in data["benchmarks"][t]) for t in TIERS}),
        risks=risks,
        considerations=tuple(
            Consideration(c["title"].strip(), c["text"].strip())
            for c in data.get("considerations", ())
        ),
        see_also=tuple(data.get("see_also", ())),
        checks=tuple(_build_check(c, ctx) for c in data["checks"]),
        lesson=lesson,
        anchors=frozenset(anchors),
        path=path,
    )


def _build_check(data: YMap, ctx: FileContext) -> Check:
    kind = data["kind"]
    if kind == "tier":
        for name in ("answer", "explanations"):
            if name not in data:
                ctx.error(data, "kind", f"a tier check needs {name!r}")
        if "options" in data:
            ctx.error(data, "options", "a tier check has no options; use answer and explanations")
        answer = data.get("answer", "short")
        explanations = data.get("explanations") or {}
        options = tuple(
            CheckOption(
                f"{tier.capitalize()}-term priority",
                tier == answer,
                str(explanations.get(tier, "")).strip(),
            )
            for tier in TIERS
        )
    else:
        if "options" not in data:
            ctx.error(data, "kind", f"a {kind} check needs options")
        for name in ("answer", "explanations"):
            if name in data:
                ctx.error(data, name, f"{name!r} belongs to tier checks only")
        options = tuple(
            CheckOption(o["text"].strip(), bool(o.get("correct", False)), o["explanation"].strip())
            for o in data.get("options", ())
        )
        right = sum(o.correct for o in options)
        if options and kind == "single" and right != 1:
            ctx.error(
                data,
                "options",
                f"a single-answer check needs exactly one correct option, has {right}",
            )
        if options and kind == "multiple" and right < 1:
            ctx.error(data, "options", "a several-answer check needs at least one correct option")
    return Check(
        data["id"],
        kind,
        data["prompt"].strip(),
        data["objective"],
        tuple(data["tests"]),
        options,
        pos=data.pos,
    )


class ScenarioBuilder:
    """Builds a Scenario, parsing and type-checking every condition on the way."""

    def __init__(self, data: YMap, path: str, ctx: FileContext, digest: str):
        self.data = data
        self.path = path
        self.ctx = ctx
        self.digest = digest
        self.indicators = {
            name: _indicator(name, spec, ctx) for name, spec in data["indicators"].items()
        }
        self.flags = _flag_names(data)

    def build(self) -> Scenario:
        data = self.data
        scenes = {
            scene_id: Scene(
                scene_id,
                self.literal(spec, "title"),
                self.story(spec, "text"),
                spec.get("owner"),
                self.literal(spec, "notes"),
                tuple(self.choice(c, in_inject=False) for c in spec["choices"]),
                data["scenes"].key_pos.get(scene_id, (1, 1)),
            )
            for scene_id, spec in data["scenes"].items()
        }
        injects = tuple(
            Inject(
                spec["id"],
                self.literal(spec, "title"),
                self.story(spec, "text"),
                self.condition(spec, "when"),
                self.effects(spec),
                _frozen(spec.get("flags")),
                tuple(spec.get("materializes", ())),
                spec.get("owner"),
                self.literal(spec, "notes"),
                tuple(self.choice(c, in_inject=True) for c in spec.get("choices", ())),
                spec.pos,
            )
            for spec in data.get("injects", ())
        )
        endings = tuple(
            Ending(
                spec["id"],
                self.literal(spec, "title"),
                self.story(spec, "text"),
                spec["rating"],
                self.condition(spec, "when") if "when" in spec else None,
                spec.pos,
            )
            for spec in data["endings"]
        )
        return Scenario(
            id=data["id"],
            title=self.literal(data, "title"),
            module=data["module"],
            role=data["role"].strip(),
            setting=data["setting"].strip(),
            summary=data["summary"].strip(),
            minutes=data.get("minutes"),
            briefing=data["briefing"].strip(),
            indicators=_frozen(self.indicators),
            start=data["start"],
            scenes=_frozen(scenes),
            injects=injects,
            endings=endings,
            path=self.path,
            digest=self.digest,
        )

    def choice(self, spec: YMap, in_inject: bool) -> Choice:
        return Choice(
            id=spec["id"],
            text=self.story(spec, "text"),
            next=None if in_inject else spec["next"],
            when=self.condition(spec, "when") if "when" in spec else None,
            effects=self.effects(spec),
            flags=_frozen(spec.get("flags")),
            principles=_frozen(spec["principles"]),
            raises=tuple(spec.get("raises", ())),
            mitigates=tuple(spec.get("mitigates", ())),
            feedback=self.story(spec, "feedback"),
            section=spec["section"],
            notes=self.literal(spec, "notes"),
            pos=spec.pos,
        )

    def effects(self, spec: YMap):
        effects = spec.get("effects") or {}
        for name, delta in effects.items():
            indicator = self.indicators.get(name)
            if indicator is None:
                message = f"unknown indicator {name!r}" + _suggest(name, self.indicators)
                self.ctx.at(effects.key_pos[name], message)
            elif _is_number(delta) and abs(delta) > indicator.max - indicator.min:
                self.ctx.at(
                    effects.value_pos[name],
                    f"effect {delta:+g} on {name!r} is larger than its whole range "
                    f"({indicator.min:g} to {indicator.max:g}); it is cut off at the "
                    f"{'top' if delta > 0 else 'bottom'}, so say what you mean with "
                    f"{'+' if delta > 0 else '-'}{indicator.max - indicator.min:g} or less",
                    "warning",
                )
        return _frozen(effects)

    def story(self, spec: YMap, key: str) -> str:
        """A text that may show values and conditional passages, checked where it stands."""
        text = spec[key]
        if has_passages(text):
            try:
                problems = story_check(story_parse(text), self.indicators, self.flags)
            except TemplateError as exc:
                problems = [exc]
            for problem in problems:
                self.ctx.at(self.ctx.text_position(spec, key, problem.offset), f"text: {problem}")
        return text.strip()

    def literal(self, spec: YMap, key: str) -> str | None:
        """A title or notes: shown as written, so a brace, which would start story text
        anywhere else, is an error at its place (None when ``key`` is absent)."""
        text = spec.get(key)
        if not isinstance(text, str):
            return None
        brace = next((i for i, char in enumerate(text) if char in "{}"), None)
        if brace is not None:
            what = "a title is" if key == "title" else "notes are"
            self.ctx.at(
                self.ctx.text_position(spec, key, brace),
                f"{key}: {what} shown as written, so {text[brace]!r} would show as it is; "
                "story text ({name}, {if …}) belongs in the text, an option or feedback",
            )
        return text.strip()

    def condition(self, spec: YMap, key: str) -> Condition:
        source = spec[key]
        try:
            expr = conditions.parse(source)
        except conditions.ConditionError as exc:
            self.ctx.at(self.ctx.condition_column(spec, key, exc.column), f"condition: {exc}")
            return Condition(source, lambda values, flags: False)
        for problem in conditions.check(expr, self.indicators, self.flags):
            self.ctx.at(
                self.ctx.condition_column(spec, key, problem.column), f"condition: {problem}"
            )
        for name, value, column in conditions.constant_comparisons(expr):
            indicator = self.indicators.get(name)
            if indicator is not None and not (indicator.min <= value <= indicator.max):
                self.ctx.at(
                    self.ctx.condition_column(spec, key, column),
                    f"condition: {value} is outside the range of {name!r} "
                    f"({indicator.min:g} to {indicator.max:g})",
                )
        return Condition(source, compile_condition(expr), expr)


def _indicator(name: str, spec: YMap, ctx: FileContext) -> Indicator:
    low, high = spec.get("min", 0), spec.get("max", 100)
    if low >= high:
        ctx.error(spec, "max", f"indicator {name!r}: max must be greater than min")
    elif not low <= spec["start"] <= high:
        ctx.error(
            spec,
            "start",
            f"indicator {name!r}: start {spec['start']} is outside its range {low:g} to {high:g}",
        )
    return Indicator(
        name, spec["label"].strip(), spec["start"], low, high, _strip(spec.get("description"))
    )


def _flag_names(data: YMap) -> set[str]:
    names: set[str] = set()
    nodes = list(data["scenes"].values()) + list(data.get("injects", ()))
    for node in nodes:
        names.update(node.get("flags") or {})
        for choice in node.get("choices", ()):
            names.update(choice.get("flags") or {})
    return names


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _strip(text: str | None) -> str | None:
    return text.strip() if isinstance(text, str) else None


def _suggest(name: str, known) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(known), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""
