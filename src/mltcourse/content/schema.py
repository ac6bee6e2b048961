"""The one schema of the course files.

Every shape check the loader makes, the JSON Schema shipped for editors, and the field tables
in ``docs/authoring.md`` (kept true by a test) come from the declarations at the bottom of this
file. Semantic rules (references, reachability) live in ``validate.py``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .diagnostics import Diagnostic
from .yamlread import where

ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
NAME_PATTERN = r"^[a-z][a-z0-9_]*$"
RISK_PATTERN = r"^[a-z0-9][a-z0-9_-]*\.[a-z0-9][a-z0-9_-]*$"
SECTION_PATTERN = r"^[a-z0-9][a-z0-9_-]*#[a-z0-9][a-z0-9_-]*$"
ROLES = (
    "SRSG",
    "DSRSG-RC/HC",
    "DSRSG",
    "Force Commander",
    "Police Commissioner",
    "Chief of Staff",
    "Director of Mission Support",
    "Head of Mission",
    "MLT",
)


@dataclass(frozen=True)
class Type:
    """Base of the schema types; each knows how to check a value and describe itself."""

    description: str = ""

    def check(self, value, report: Callable[[str], None]) -> bool:  # pragma: no cover
        raise NotImplementedError

    def json(self) -> dict:  # pragma: no cover
        raise NotImplementedError

    def label(self) -> str:  # pragma: no cover
        raise NotImplementedError


@dataclass(frozen=True)
class Text(Type):
    pattern: str | None = None
    hint: str = ""
    max_length: int = 20_000

    def check(self, value, report) -> bool:
        if not isinstance(value, str):
            report(f"expected text, found {_describe(value)}")
            return False
        if not value.strip():
            report("must not be empty")
            return False
        if len(value) > self.max_length:
            report(f"text is longer than {self.max_length:,} characters")
            return False
        if self.pattern and not re.match(self.pattern, value):
            report(f"{value!r} is not a valid {self.hint or 'value'}")
            return False
        return True

    def json(self) -> dict:
        out: dict = {"type": "string", "minLength": 1, "maxLength": self.max_length}
        if self.pattern:
            out["pattern"] = self.pattern
        return out

    def label(self) -> str:
        return self.hint or "text"


@dataclass(frozen=True)
class Integer(Type):
    minimum: int | None = None
    maximum: int | None = None

    def check(self, value, report) -> bool:
        if isinstance(value, bool) or not isinstance(value, int):
            report(f"expected a whole number, found {_describe(value)}")
            return False
        if self.minimum is not None and value < self.minimum:
            report(f"{value} is below the minimum {self.minimum}")
            return False
        if self.maximum is not None and value > self.maximum:
            report(f"{value} is above the maximum {self.maximum}")
            return False
        return True

    def json(self) -> dict:
        out: dict = {"type": "integer"}
        if self.minimum is not None:
            out["minimum"] = self.minimum
        if self.maximum is not None:
            out["maximum"] = self.maximum
        return out

    def label(self) -> str:
        return "whole number"


@dataclass(frozen=True)
class Number(Type):
    limit: float = 1e9

    def check(self, value, report) -> bool:
        if isinstance(value, bool) or not isinstance(value, int | float):
            report(f"expected a number, found {_describe(value)}")
            return False
        if not (-self.limit <= value <= self.limit):
            report(f"{value} is out of range")
            return False
        return True

    def json(self) -> dict:
        return {"type": "number", "minimum": -self.limit, "maximum": self.limit}

    def label(self) -> str:
        return "number"


@dataclass(frozen=True)
class Boolean(Type):
    def check(self, value, report) -> bool:
        if not isinstance(value, bool):
            report(f"expected true or false, found {_describe(value)}")
            return False
        return True

    def json(self) -> dict:
        return {"type": "boolean"}

    def label(self) -> str:
        return "true/false"


@dataclass(frozen=True)
class Enum(Type):
    values: tuple[str, ...] = ()

    def check(self, value, report) -> bool:
        if value not in self.values:
            report(f"expected one of {', '.join(self.values)}, found {value!r}")
            return False
        return True

    def json(self) -> dict:
        return {"enum": list(self.values)}

    def label(self) -> str:
        return " | ".join(self.values)


@dataclass(frozen=True)
class ListOf(Type):
    item: Type = field(default_factory=Text)
    min_items: int = 0
    max_items: int = 10_000

    def check(self, value, report) -> bool:
        if not isinstance(value, list):
            report(f"expected a list, found {_describe(value)}")
            return False
        if len(value) < self.min_items:
            report(f"needs at least {self.min_items} item(s), has {len(value)}")
            return False
        if len(value) > self.max_items:
            report(f"has {len(value)} items; at most {self.max_items} are allowed")
            return False
        return True

    def json(self) -> dict:
        out: dict = {"type": "array", "items": self.item.json()}
        if self.min_items:
            out["minItems"] = self.min_items
        out["maxItems"] = self.max_items
        return out

    def label(self) -> str:
        return f"list of {self.item.label()}"


@dataclass(frozen=True)
class MapOf(Type):
    key: Text = field(default_factory=Text)
    value: Type = field(default_factory=Text)
    min_items: int = 0

    def check(self, value, report) -> bool:
        if not isinstance(value, dict):
            report(f"expected a mapping, found {_describe(value)}")
            return False
        if len(value) < self.min_items:
            report(f"needs at least {self.min_items} entr{'y' if self.min_items == 1 else 'ies'}")
            return False
        return True

    def json(self) -> dict:
        out: dict = {"type": "object", "additionalProperties": self.value.json()}
        if self.key.pattern:
            out["propertyNames"] = {"pattern": self.key.pattern}
        if self.min_items:
            out["minProperties"] = self.min_items
        return out

    def label(self) -> str:
        return f"mapping of {self.key.label()} to {self.value.label()}"


@dataclass(frozen=True)
class Field:
    name: str
    type: Type
    required: bool = False
    doc: str = ""


@dataclass(frozen=True)
class Obj(Type):
    name: str = ""
    fields: tuple[Field, ...] = ()

    def check(self, value, report) -> bool:
        if not isinstance(value, dict):
            report(f"expected a mapping ({self.name}), found {_describe(value)}")
            return False
        return True

    def json(self) -> dict:
        return {
            "type": "object",
            "description": self.description,
            "properties": {f.name: {**f.type.json(), "description": f.doc} for f in self.fields},
            "required": [f.name for f in self.fields if f.required],
            "additionalProperties": False,
        }

    def label(self) -> str:
        return self.name

    def field_names(self) -> set[str]:
        return {f.name for f in self.fields}


def _describe(value) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, int | float):
        return f"the number {value}"
    return f"text {str(value)[:40]!r}"


def conform(value, schema: Type, file: str, container=None, key=None) -> list[Diagnostic]:
    """Every place where ``value`` does not have the shape ``schema`` describes."""
    problems: list[Diagnostic] = []
    _conform(value, schema, file, container, key, problems)
    return problems


def _conform(value, schema: Type, file, container, key, problems: list[Diagnostic]) -> None:
    def report(message: str) -> None:
        # Positions are looked up only when there is something to report.
        line, col = (
            where(container, key) if container is not None else getattr(value, "pos", (1, 1))
        )
        label = f"{key}: " if isinstance(key, str) else ""
        problems.append(Diagnostic(file, line, col, label + message))

    if not schema.check(value, report):
        return
    if isinstance(schema, ListOf):
        for index, item in enumerate(value):
            _conform(item, schema.item, file, value, index, problems)
    elif isinstance(schema, MapOf):
        for name, item in value.items():
            schema.key.check(
                name, lambda m, n=name: problems.append(Diagnostic(file, *_key_pos(value, n), m))
            )
            _conform(item, schema.value, file, value, name, problems)
    elif isinstance(schema, Obj):
        known = schema.field_names()
        for name in value:
            if name not in known:
                hint = _closest(name, known)
                problems.append(
                    Diagnostic(
                        file,
                        *_key_pos(value, name),
                        f"unknown field {name!r} in {schema.name}"
                        + (f"; did you mean {hint!r}?" if hint else ""),
                    )
                )
        for f in schema.fields:
            if f.name in value:
                _conform(value[f.name], f.type, file, value, f.name, problems)
            elif f.required:
                report(f"{schema.name} is missing the required field {f.name!r}")


def _key_pos(mapping, key) -> tuple[int, int]:
    return getattr(mapping, "key_pos", {}).get(key, getattr(mapping, "pos", (1, 1)))


def _closest(name: str, candidates: set[str]) -> str | None:
    import difflib

    matches = difflib.get_close_matches(name, sorted(candidates), n=1, cutoff=0.6)
    return matches[0] if matches else None


# --- Declarations --------------------------------------------------------------------------

IDENT = Text(pattern=ID_PATTERN, hint="id (lower case, digits, '-' or '_')", max_length=80)
NAME = Text(pattern=NAME_PATTERN, hint="name (lower case, digits and '_')", max_length=80)
RISK_REF = Text(pattern=RISK_PATTERN, hint="risk id (module.risk)", max_length=160)
SECTION_REF = Text(pattern=SECTION_PATTERN, hint="lesson section (module#anchor)", max_length=160)
CONDITION = Text(hint="condition", max_length=2_000)
PROSE = Text()
SHORT = Text(max_length=300)
TEXTS = ListOf(item=PROSE, min_items=1)

PRINCIPLE = Obj(
    name="principle",
    description="One doctrine principle.",
    fields=(
        Field("id", IDENT, True, "the id scenarios score against"),
        Field("title", SHORT, True, "a short name"),
        Field("statement", PROSE, True, "one paragraph in the course's own words"),
        Field(
            "sources",
            ListOf(item=SECTION_REF, min_items=1),
            True,
            "lesson section references the principle rests on",
        ),
    ),
)
PRINCIPLES_FILE = Obj(
    name="principle catalogue",
    description="modules/principles.yaml",
    fields=(Field("principles", ListOf(item=PRINCIPLE, min_items=1), True, "the principles"),),
)

OPTION = Obj(
    name="check option",
    fields=(
        Field("text", PROSE, True, "the option"),
        Field("correct", Boolean(), False, "true for a right option (default false)"),
        Field("explanation", PROSE, True, "why it is right, or what makes it tempting"),
    ),
)
TIER = Enum(values=("short", "medium", "long"))
CHECK = Obj(
    name="knowledge check",
    fields=(
        Field("id", IDENT, True, "unique within the module"),
        Field(
            "kind", Enum(values=("single", "multiple", "tier")), True, "single, multiple or tier"
        ),
        Field("prompt", PROSE, True, "the question; for tier, the benchmark"),
        Field("objective", IDENT, True, "the objective it exercises"),
        Field(
            "tests",
            ListOf(item=Text(max_length=160), min_items=1),
            True,
            "principle ids and/or full risk ids it tests",
        ),
        Field(
            "options",
            ListOf(item=OPTION, min_items=2, max_items=8),
            False,
            "the options (single, multiple)",
        ),
        Field("answer", TIER, False, "the right tier (tier)"),
        Field(
            "explanations",
            Obj(
                name="tier explanations",
                fields=tuple(Field(t, PROSE, True, f"explanation for {t}") for t in TIER.values),
            ),
            False,
            "an explanation for each tier (tier)",
        ),
    ),
)
MODULE_FILE = Obj(
    name="module",
    description="modules/NN-id/module.yaml",
    fields=(
        Field("id", IDENT, True, "the module id"),
        Field("order", Integer(minimum=1, maximum=99), True, "position on the course map"),
        Field("title", SHORT, True, "lesson title"),
        Field("doctrine", Text(max_length=20), True, "the doctrine section it teaches"),
        Field("minutes", Integer(minimum=1, maximum=240), False, "estimated study time"),
        Field("summary", PROSE, True, "one sentence for the course map"),
        Field("principles", ListOf(item=IDENT, min_items=1), True, "principle ids it teaches"),
        Field(
            "objectives",
            ListOf(
                item=Obj(
                    name="objective",
                    fields=(
                        Field("id", IDENT, True, "objective id"),
                        Field("text", PROSE, True, "the objective"),
                    ),
                ),
                min_items=1,
                max_items=12,
            ),
            True,
            "learning objectives",
        ),
        Field("activities", TEXTS, True, "key operational activities"),
        Field(
            "benchmarks",
            Obj(
                name="benchmarks",
                fields=tuple(
                    Field(t, ListOf(item=PROSE), True, f"{t}-term priorities") for t in TIER.values
                ),
            ),
            True,
            "benchmarks in three tiers",
        ),
        Field(
            "risks",
            ListOf(
                item=Obj(
                    name="risk",
                    fields=(
                        Field("id", IDENT, True, "risk id without the module prefix"),
                        Field("title", SHORT, True, "a short name"),
                        Field("text", PROSE, True, "the risk in own words"),
                    ),
                )
            ),
            False,
            "challenges and risks",
        ),
        Field(
            "considerations",
            ListOf(
                item=Obj(
                    name="consideration",
                    fields=(
                        Field("title", SHORT, True, "a short name"),
                        Field("text", PROSE, True, "the dilemma or polarity"),
                    ),
                )
            ),
            False,
            "considerations for the MLT",
        ),
        Field("see_also", ListOf(item=IDENT), False, "related module ids"),
        Field("checks", ListOf(item=CHECK, min_items=1), True, "knowledge checks"),
    ),
)
GLOSSARY_FILE = Obj(
    name="glossary",
    description="modules/glossary.yaml",
    fields=(
        Field(
            "terms",
            ListOf(
                item=Obj(
                    name="term",
                    fields=(
                        Field("term", SHORT, True, "the acronym or term"),
                        Field("expansion", SHORT, False, "what the acronym stands for"),
                        Field("definition", PROSE, True, "definition in own words"),
                        Field("modules", ListOf(item=IDENT), False, "modules where it matters"),
                    ),
                ),
                min_items=1,
            ),
            True,
            "the terms",
        ),
    ),
)

EFFECTS = MapOf(key=NAME, value=Number(limit=1000))
FLAGS = MapOf(key=NAME, value=Boolean())
SCORES = MapOf(key=IDENT, value=Integer(minimum=-3, maximum=3), min_items=1)
_CHOICE_FIELDS = (
    Field("id", IDENT, True, "unique within its scene"),
    Field("text", PROSE, True, "what the learner picks"),
    Field("next", IDENT, True, "the next scene's id, or end"),
    Field("when", CONDITION, False, "offered only while this condition holds"),
    Field("effects", EFFECTS, False, "indicator changes"),
    Field("flags", FLAGS, False, "flags to set or clear"),
    Field("principles", SCORES, True, "principle scores, -3..3"),
    Field("raises", ListOf(item=RISK_REF), False, "risks the choice raises"),
    Field("mitigates", ListOf(item=RISK_REF), False, "risks the choice mitigates"),
    Field("feedback", PROSE, True, "why the choice is sound or not"),
    Field("section", SECTION_REF, True, "the lesson section the feedback rests on"),
    Field("notes", PROSE, False, "facilitator notes"),
)
CHOICE = Obj(name="choice", fields=_CHOICE_FIELDS)
INJECT_CHOICE = Obj(
    name="inject choice", fields=tuple(f for f in _CHOICE_FIELDS if f.name != "next")
)
ROLE = Text(max_length=60, hint="role")
SCENE = Obj(
    name="scene",
    fields=(
        Field("title", SHORT, True, "a short heading"),
        Field("text", PROSE, True, "what the learner reads"),
        Field("owner", ROLE, False, "the MLT role that owns the decision"),
        Field("notes", PROSE, False, "facilitator notes"),
        Field("choices", ListOf(item=CHOICE, min_items=2, max_items=9), True, "the choices"),
    ),
)
INJECT = Obj(
    name="inject",
    fields=(
        Field("id", IDENT, True, "unique within the scenario"),
        Field("title", SHORT, True, "heading"),
        Field("text", PROSE, True, "what the learner sees"),
        Field("when", CONDITION, True, "the condition that fires it"),
        Field("effects", EFFECTS, False, "indicator changes when it fires"),
        Field("flags", FLAGS, False, "flags set or cleared when it fires"),
        Field("materializes", ListOf(item=RISK_REF), False, "risks this event makes real"),
        Field("owner", ROLE, False, "the MLT role that owns the decision"),
        Field("notes", PROSE, False, "facilitator notes"),
        Field(
            "choices",
            ListOf(item=INJECT_CHOICE, min_items=2, max_items=9),
            False,
            "choices, without next",
        ),
    ),
)
ENDING = Obj(
    name="ending",
    fields=(
        Field("id", IDENT, True, "unique within the scenario"),
        Field("title", SHORT, True, "heading"),
        Field("text", PROSE, True, "what the learner reads"),
        Field("rating", Enum(values=("success", "mixed", "failure")), True, "the outcome rating"),
        Field(
            "when", CONDITION, False, "the condition on the final state (not on the last ending)"
        ),
    ),
)
INDICATOR = Obj(
    name="indicator",
    fields=(
        Field("label", SHORT, True, "the name shown to the learner"),
        Field("start", Number(limit=1e6), True, "the starting value"),
        Field("min", Number(limit=1e6), False, "lowest value, default 0"),
        Field("max", Number(limit=1e6), False, "highest value, default 100"),
        Field("description", PROSE, False, "what the number stands for"),
    ),
)
SCENARIO_FILE = Obj(
    name="scenario",
    description="scenarios/ID.yaml",
    fields=(
        Field("id", IDENT, True, "scenario id, the same as the file name"),
        Field("title", SHORT, True, "title"),
        Field("module", IDENT, True, "the module it follows"),
        Field("role", ROLE, True, "the learner's role"),
        Field("setting", PROSE, True, "where and when"),
        Field("summary", PROSE, True, "one sentence for the course map"),
        Field("minutes", Integer(minimum=1, maximum=240), False, "estimated playing time"),
        Field("briefing", PROSE, True, "read before the first scene"),
        Field("indicators", MapOf(key=NAME, value=INDICATOR, min_items=1), True, "indicators"),
        Field("start", IDENT, True, "the first scene's id"),
        Field("scenes", MapOf(key=IDENT, value=SCENE, min_items=1), True, "scenes by id"),
        Field("injects", ListOf(item=INJECT), False, "events that fire on a condition"),
        Field("endings", ListOf(item=ENDING, min_items=1), True, "endings, tried in order"),
    ),
)

FILE_SCHEMAS = {
    "scenario": SCENARIO_FILE,
    "module": MODULE_FILE,
    "principles": PRINCIPLES_FILE,
    "glossary": GLOSSARY_FILE,
}


def json_schema(kind: str) -> dict:
    """The JSON Schema (draft 2020-12) for one kind of course file."""
    schema = FILE_SCHEMAS[kind]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://mltcourse.invalid/schema/{kind}.schema.json",
        "title": f"mltcourse {schema.name}",
        **schema.json(),
    }
