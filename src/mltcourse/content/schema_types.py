"""The little type language the course schema is written in.

Each type checks a located YAML value (reporting FILE:LINE:COL through ``conform``), describes
itself as JSON Schema, and names itself for error messages. The declarations that use it are in
``schema.py``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .diagnostics import Diagnostic
from .yamlread import where


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
    advice: Callable[[str], str] | None = None  # the fix for a value the pattern refuses

    def check(self, value, report) -> bool:
        if not isinstance(value, str):
            report(f"expected text, found {_describe(value)}{_quote_hint(value)}")
            return False
        if not value.strip():
            report("must not be empty")
            return False
        if len(value) > self.max_length:
            report(f"text is longer than {self.max_length:,} characters")
            return False
        # The patterns are JSON Schema's, where "$" ends the text; in Python it also matches
        # before a final newline, which would let "id\n" through.
        if self.pattern and not re.match(self.pattern.removesuffix("$") + r"\Z", value):
            fix = self.advice(value) if self.advice else ""
            report(f"{value!r} is not a valid {self.hint or 'value'}" + (f": {fix}" if fix else ""))
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
    misplaced: tuple[tuple[str, str], ...] = ()  # (field, why it does not belong here)

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


def _quote_hint(value) -> str:
    """A number or true/false where text belongs is usually text that YAML read as a value."""
    if isinstance(value, bool):
        return f'; quote it if it is meant as text: "{str(value).lower()}"'
    if isinstance(value, int | float):
        return f'; quote it if it is meant as text: "{value}"'
    return ""


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
                why = dict(schema.misplaced).get(name)
                problems.append(
                    Diagnostic(
                        file,
                        *_key_pos(value, name),
                        f"{name!r} does not belong in {schema.name}: {why}"
                        if why
                        else f"unknown field {name!r} in {schema.name}"
                        + (f"; did you mean {hint!r}?" if hint else ""),
                    )
                )
        for f in schema.fields:
            if f.name in value:
                _conform(value[f.name], f.type, file, value, f.name, problems)
            elif f.required:
                report(
                    f"{schema.name} is missing the required field {f.name!r}"
                    + _swallowed(value, f.name)
                )


def _swallowed(mapping, name: str) -> str:
    """A missing field that appears inside another field's text was indented into it."""
    for key, text in mapping.items():
        if isinstance(text, str) and re.search(rf"(^|\s){re.escape(name)}:\s", text):
            line = _key_pos(mapping, key)[0]
            return (
                f"; the {key!r} text (line {line}) contains '{name}:', so that line is "
                f"probably indented too far: line it up with {key!r}"
            )
    return ""


def _key_pos(mapping, key) -> tuple[int, int]:
    return getattr(mapping, "key_pos", {}).get(key, getattr(mapping, "pos", (1, 1)))


def _closest(name: str, candidates: set[str]) -> str | None:
    import difflib

    matches = difflib.get_close_matches(name, sorted(candidates), n=1, cutoff=0.6)
    return matches[0] if matches else None
