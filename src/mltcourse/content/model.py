"""The immutable course model the engine, reports and app work from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from .condition_compile import Evaluator
from .conditions import Bool, Expr
from .diagnostics import Diagnostic

Pos = tuple[int, int]
END = "end"
TIERS = ("short", "medium", "long")


def _frozen(mapping: Mapping | None = None) -> Mapping:
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True, slots=True)
class Principle:
    id: str
    title: str
    statement: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Risk:
    id: str  # full id: module.key
    module: str
    title: str
    text: str

    @property
    def anchor(self) -> str:
        return f"{self.module}#risk-{self.id.split('.', 1)[1]}"


@dataclass(frozen=True, slots=True)
class Objective:
    id: str
    text: str


@dataclass(frozen=True, slots=True)
class CheckOption:
    text: str
    correct: bool
    explanation: str


@dataclass(frozen=True, slots=True)
class Check:
    id: str
    kind: str  # single | multiple | tier
    prompt: str
    objective: str
    tests: tuple[str, ...]
    options: tuple[CheckOption, ...]
    pos: Pos = field(default=(1, 1), compare=False)

    @property
    def correct(self) -> frozenset[int]:
        return frozenset(i for i, option in enumerate(self.options) if option.correct)

    def is_right(self, picked: frozenset[int] | set[int]) -> bool:
        return frozenset(picked) == self.correct


@dataclass(frozen=True, slots=True)
class Consideration:
    title: str
    text: str


@dataclass(frozen=True, slots=True)
class Module:
    id: str
    order: int
    title: str
    doctrine: str
    summary: str
    minutes: int | None
    principles: tuple[str, ...]
    objectives: tuple[Objective, ...]
    activities: tuple[str, ...]
    benchmarks: Mapping[str, tuple[str, ...]]
    risks: tuple[Risk, ...]
    considerations: tuple[Consideration, ...]
    see_also: tuple[str, ...]
    checks: tuple[Check, ...]
    lesson: str
    anchors: frozenset[str]
    path: str


@dataclass(frozen=True, slots=True)
class Term:
    term: str
    expansion: str | None
    definition: str
    modules: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Indicator:
    id: str
    label: str
    start: float
    min: float
    max: float
    description: str | None


@dataclass(frozen=True, slots=True)
class Condition:
    source: str
    test: Evaluator = field(compare=False, repr=False)
    expr: Expr = field(compare=False, repr=False, default=Bool(False, 1))

    def __call__(self, values: Mapping[str, float], flags) -> bool:
        return self.test(values, flags)


@dataclass(frozen=True, slots=True)
class Choice:
    id: str
    text: str
    next: str | None  # None inside an inject: the story resumes where it was heading
    when: Condition | None
    effects: Mapping[str, float]
    flags: Mapping[str, bool]
    principles: Mapping[str, int]
    raises: tuple[str, ...]
    mitigates: tuple[str, ...]
    feedback: str
    section: str
    notes: str | None
    pos: Pos = field(default=(1, 1), compare=False)

    @property
    def value(self) -> int:
        """Doctrine value: principle scores, less each risk raised, plus each risk mitigated."""
        return sum(self.principles.values()) - len(self.raises) + len(self.mitigates)


@dataclass(frozen=True, slots=True)
class Scene:
    id: str
    title: str
    text: str
    owner: str | None
    notes: str | None
    choices: tuple[Choice, ...]
    pos: Pos = field(default=(1, 1), compare=False)


@dataclass(frozen=True, slots=True)
class Inject:
    id: str
    title: str
    text: str
    when: Condition
    effects: Mapping[str, float]
    flags: Mapping[str, bool]
    materializes: tuple[str, ...]
    owner: str | None
    notes: str | None
    choices: tuple[Choice, ...]
    pos: Pos = field(default=(1, 1), compare=False)


@dataclass(frozen=True, slots=True)
class Ending:
    id: str
    title: str
    text: str
    rating: str
    when: Condition | None
    pos: Pos = field(default=(1, 1), compare=False)


@dataclass(frozen=True, slots=True)
class Scenario:
    id: str
    title: str
    module: str
    role: str
    setting: str
    summary: str
    minutes: int | None
    briefing: str
    indicators: Mapping[str, Indicator]
    start: str
    scenes: Mapping[str, Scene]
    injects: tuple[Inject, ...]
    endings: tuple[Ending, ...]
    path: str
    digest: str = field(default="", compare=False)

    def node(self, node_id: str) -> Scene | Inject:
        """A scene, or an inject (whose choices are a decision too)."""
        scene = self.scenes.get(node_id)
        if scene is not None:
            return scene
        for inject in self.injects:
            if inject.id == node_id:
                return inject
        raise KeyError(node_id)

    def choice(self, node_id: str, choice_id: str) -> Choice:
        for choice in self.node(node_id).choices:
            if choice.id == choice_id:
                return choice
        raise KeyError(f"{node_id}/{choice_id}")

    @property
    def flags(self) -> frozenset[str]:
        names: set[str] = set()
        for scene in self.scenes.values():
            for choice in scene.choices:
                names.update(choice.flags)
        for inject in self.injects:
            names.update(inject.flags)
            for choice in inject.choices:
                names.update(choice.flags)
        return frozenset(names)


@dataclass(frozen=True, slots=True)
class Completion:
    """What finishing the course takes (``completion:`` in ``modules/course.yaml``); the
    defaults are the rule of a course without that file."""

    lessons_read: bool = True
    checks_first_attempt: int = 80  # per cent of each lesson's checks right at the first answer
    checks_after_review: bool = True  # a check missed at first counts once recalled in review
    scenario_mode: str = "assessment"  # assessment | any
    scenario_quality: int = 60  # per cent decision quality of an attempt that reached an ending
    scenarios: tuple[str, ...] | None = None  # the scenarios that count; None: all of them
    file: str = ""  # where the rule was written; "" for the default


@dataclass(frozen=True, slots=True)
class Course:
    root: str
    principles: Mapping[str, Principle]
    modules: tuple[Module, ...]
    scenarios: Mapping[str, Scenario]
    glossary: tuple[Term, ...]
    diagnostics: tuple[Diagnostic, ...] = ()
    completion: Completion = Completion()

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity == "error")

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity == "warning")

    @property
    def risks(self) -> Mapping[str, Risk]:
        return _frozen({r.id: r for m in self.modules for r in m.risks})

    def module(self, module_id: str) -> Module | None:
        return next((m for m in self.modules if m.id == module_id), None)

    def scenarios_for(self, module_id: str) -> tuple[Scenario, ...]:
        return tuple(s for s in self.scenarios.values() if s.module == module_id)

    def failed_files(self) -> dict[str, list[Diagnostic]]:
        out: dict[str, list[Diagnostic]] = {}
        for diagnostic in self.errors:
            out.setdefault(diagnostic.file, []).append(diagnostic)
        return out
