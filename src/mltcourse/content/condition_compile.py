"""Checked conditions compiled into closures (see ``conditions.py`` for the language).

Two forms: by name, over a mapping of indicator values and a set of flags, for the rules; and
by position and bit, over a tuple of values and an integer of flags, for the fast runtime the
analysis and playtests use (``engine/compiled.py``).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping

from .conditions import Bool, BoolOp, Compare, ConditionError, Expr, Name, Not, Num

_COMPARE: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}


Evaluator = Callable[[Mapping[str, float], frozenset[str] | set[str]], bool]


def compile_condition(expr: Expr) -> Evaluator:
    """Turn a checked condition into a closure over (indicator values, set flags)."""
    match expr:
        case Bool(value=value):
            return lambda values, flags: value
        case Name(name=name):
            return lambda values, flags: name in flags
        case Not(operand=operand):
            inner = compile_condition(operand)
            return lambda values, flags: not inner(values, flags)
        case BoolOp(op="and", operands=operands):
            parts = tuple(compile_condition(o) for o in operands)
            return lambda values, flags: all(p(values, flags) for p in parts)
        case BoolOp(operands=operands):
            parts = tuple(compile_condition(o) for o in operands)
            return lambda values, flags: any(p(values, flags) for p in parts)
        case Compare(op=op, left=left, right=right):
            compare = _COMPARE[op]
            get_left, get_right = _operand(left), _operand(right)
            return lambda values, flags: compare(get_left(values), get_right(values))
    raise ConditionError("not a condition", expr.column)  # pragma: no cover


def _operand(expr: Expr) -> Callable[[Mapping[str, float]], float]:
    if isinstance(expr, Num):
        value = expr.value
        return lambda values: value
    name = expr.name  # type: ignore[union-attr]
    return lambda values: values[name]


IndexedEvaluator = Callable[[list[float] | tuple[float, ...], int], bool]


def compile_indexed(
    expr: Expr, indicator_index: Mapping[str, int], flag_bits: Mapping[str, int]
) -> IndexedEvaluator:
    """Compile for the fast runtime: indicators by position, flags as bits of one integer.

    The condition becomes one Python expression, so that testing it is one call however many
    parts it has (the analysis tests conditions millions of times).
    """
    source = indexed_source(expr, indicator_index, flag_bits)
    return evaluate_source(f"lambda values, flags: {source}")


def evaluate_source(source: str):
    """Build a function from source that ``indexed_source`` wrote: it holds only positions,
    bit masks, numbers and operators (never a name or text from a course file)."""
    return eval(compile(source, "<condition>", "eval"), {"__builtins__": {}})


def indexed_source(
    expr: Expr, indicator_index: Mapping[str, int], flag_bits: Mapping[str, int]
) -> str:
    """A checked condition as a Python expression over ``values`` (a tuple) and ``flags``."""
    match expr:
        case Bool(value=value):
            return "True" if value else "False"
        case Name(name=name):
            return f"(flags & {int(flag_bits.get(name, 0))} != 0)"
        case Not(operand=operand):
            return f"(not {indexed_source(operand, indicator_index, flag_bits)})"
        case BoolOp(op=op, operands=operands):
            joiner = " and " if op == "and" else " or "
            return (
                "("
                + joiner.join(indexed_source(o, indicator_index, flag_bits) for o in operands)
                + ")"
            )
        case Compare(op=op, left=left, right=right):
            if op not in _COMPARE:  # pragma: no cover - the parser admits no other
                raise ConditionError(f"unknown operator {op!r}", expr.column)
            sides = [_indexed_side(side, indicator_index) for side in (left, right)]
            return f"({sides[0]} {op} {sides[1]})"
    raise ConditionError("not a condition", expr.column)  # pragma: no cover


def _indexed_side(expr: Expr, indicator_index: Mapping[str, int]) -> str:
    if isinstance(expr, Num):
        return repr(float(expr.value))
    return f"values[{int(indicator_index[expr.name])}]"  # type: ignore[union-attr]
