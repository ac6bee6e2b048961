"""The course model as plain JSON data, and back, checked field by field.

The course cache lives in the data folder, which a trainer's and a learner's copy may share.
A pickle there would run whatever code its writer put in it at the next start. Plain data
cannot: reading it back builds only the model's own classes, from an explicit list, and checks
every field against the type the model declares. Anything else is ``PlainDataError``, and the
caller rebuilds the cache from the course files.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from functools import cache

from ..content import conditions, model
from ..content.diagnostics import Diagnostic


class PlainDataError(ValueError):
    """The data is not a course model of the expected shape."""


_CLASSES: dict[str, type] = {
    cls.__name__: cls
    for cls in (
        model.Principle,
        model.Risk,
        model.Objective,
        model.CheckOption,
        model.Check,
        model.Consideration,
        model.Module,
        model.Term,
        model.Indicator,
        model.Choice,
        model.Scene,
        model.Inject,
        model.Ending,
        model.Scenario,
        model.Completion,
        model.Course,
        conditions.Num,
        conditions.Name,
        conditions.Bool,
        conditions.Not,
        conditions.BoolOp,
        conditions.Compare,
        Diagnostic,
    )
}


def to_plain(value):
    """JSON-ready data: dataclasses as ``{"$": name, ...fields}``, mappings as ``{"$map"}``."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, tuple | list):
        return [to_plain(v) for v in value]
    if isinstance(value, frozenset | set):
        return {"$set": sorted(to_plain(v) for v in value)}
    if isinstance(value, Mapping):
        return {"$map": {str(k): to_plain(v) for k, v in value.items()}}
    if isinstance(value, model.Condition):
        return {"$": "Condition", "source": value.source, "expr": to_plain(value.expr)}
    if dataclasses.is_dataclass(value) and type(value).__name__ in _CLASSES:
        out = {"$": type(value).__name__}
        for f in _fields(type(value)):
            out[f.name] = to_plain(getattr(value, f.name))
        return out
    raise PlainDataError(f"cannot store a {type(value).__name__}")


def course_from_plain(data) -> model.Course:
    try:
        return _decoder(model.Course)(data)
    except (KeyError, TypeError, AttributeError) as exc:  # a shape the checks did not expect
        raise PlainDataError(str(exc)) from None


@cache
def _fields(cls: type) -> tuple[dataclasses.Field, ...]:
    return tuple(f for f in dataclasses.fields(cls) if f.init)


@cache
def _hints(cls: type) -> dict[str, object]:
    namespace = {**vars(model), **vars(conditions), "Diagnostic": Diagnostic}
    return typing.get_type_hints(cls, globalns=namespace)


def _fail(message: str):
    raise PlainDataError(message)


@cache
def _decoder(hint):
    """A function that turns plain data into a value of type ``hint``, or PlainDataError.
    Built once per type, so reading the cache costs little more than parsing the JSON."""
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if len(args) == 2 and type(None) in args:  # X | None, the common case
            inner = _decoder(next(a for a in args if a is not type(None)))
            return lambda data: None if data is None else inner(data)
        options = [_decoder(a) for a in args]

        def union(data):
            for option in options:
                try:
                    return option(data)
                except PlainDataError:
                    continue
            raise PlainDataError(f"no type of {hint} fits")

        return union
    if hint is model.Condition:
        return _condition
    if isinstance(hint, type) and _CLASSES.get(hint.__name__) is hint:
        return _instance_decoder(hint)
    if hint in (str, bool, int):

        def exact(data, kind=hint):
            return data if type(data) is kind else _fail(f"expected {kind.__name__}")

        return exact
    if hint is float:
        return lambda data: data if type(data) in (int, float) else _fail("expected a number")
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        item = _decoder(args[0])
        return lambda data: (
            tuple(item(v) for v in data) if type(data) is list else _fail("expected a list")
        )
    if origin is tuple:
        items = [_decoder(a) for a in args]

        def fixed(data):
            if type(data) is not list or len(data) != len(items):
                raise PlainDataError("expected a list of the right length")
            return tuple(item(v) for item, v in zip(items, data, strict=True))

        return fixed
    if origin in (frozenset, set):
        item = _decoder(args[0])

        def as_set(data):
            if type(data) is not dict or type(data.get("$set")) is not list:
                raise PlainDataError("expected a set")
            return frozenset(item(v) for v in data["$set"])

        return as_set
    if origin is Mapping:
        key, value = _decoder(args[0]), _decoder(args[1])

        def as_map(data):
            if type(data) is not dict or type(data.get("$map")) is not dict:
                raise PlainDataError("expected a mapping")
            return types.MappingProxyType({key(k): value(v) for k, v in data["$map"].items()})

        return as_map
    raise PlainDataError(f"cannot read a {hint!r}")


def _condition(data):
    from ..content.condition_compile import compile_condition

    if type(data) is not dict or data.get("$") != "Condition" or len(data) != 3:
        raise PlainDataError("expected a condition")
    expr = _decoder(conditions.Expr)(data["expr"])
    source = _decoder(str)(data["source"])
    return model.Condition(source, compile_condition(expr), expr)


def _instance_decoder(cls: type):
    fields = _fields(cls)
    names = frozenset({"$", *(f.name for f in fields)})
    name = cls.__name__
    decoders = None

    def instance(data):
        nonlocal decoders
        if type(data) is not dict or data.get("$") != name or data.keys() != names:
            raise PlainDataError(f"expected a {name} with its fields")
        if decoders is None:  # late: the model's types refer to each other
            hints = _hints(cls)
            decoders = [(f.name, _decoder(hints[f.name])) for f in fields]
        return cls(**{field: decode(data[field]) for field, decode in decoders})

    return instance
